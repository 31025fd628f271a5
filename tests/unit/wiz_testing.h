/* The wizard tests' common steps: a fresh folder, the wizard opened in it,
 * and answers set, refused and read back, each failing the test at once. */
#ifndef SHS_WIZ_TESTING_H
#define SHS_WIZ_TESTING_H

#include "harness.h"
#include "wiz.h"

/* A fresh folder of this run's (test_tmp); owned by the caller. */
char	*fresh_dir(const char *name);
/* Opens the wizard on DIR/sentry-ha.yaml. */
void	open_in(struct wiz *w, const char *dir);
/* wiz_set succeeds. */
void	set_ok(struct wiz *w, const char *path, const char *text);
/* wiz_get gives `expect`. */
void	assert_value(const struct wiz *w, const char *path, const char *expect);
/* wiz_set refuses, saying `expect`, and the value stays as it was. */
void	set_bad(struct wiz *w, const char *path, const char *text,
	    const char *expect);

#endif
