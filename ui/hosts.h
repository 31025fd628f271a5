/*
 * The Hosts screen's parts, shared by its keys (scr_hosts.c) and its
 * drawing (hosts_draw.c). Focus: the hosts' rows, then the buttons.
 */
#ifndef SHS_UI_HOSTS_H
#define SHS_UI_HOSTS_H

#include "form.h"

enum hosts_button { HB_BACK, HB_ADD, HB_TEST, HB_NEXT, HB_COUNT };

const char *hosts_button_label(enum hosts_button b);
int	hosts_count(void);
/* A host's fields (the screen's table: "hosts.name", ...) and how many. */
const struct wiz_field *hosts_field(int k);
int	hosts_nfields(void);
/* The answer of field k of one host, "hosts[1].port"; owned by the
 * caller. */
char	*hosts_path(int host, int k);
/* Its text ("" when unset); owned by the caller. */
char	*hosts_value(int host, int k);
/* hosts_draw.c */
void	hosts_draw(void);

#endif
