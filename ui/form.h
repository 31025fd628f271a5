/*
 * A form's parts, shared by its keys (scr_form.c) and its drawing
 * (form_draw.c): the focusable items, and the problems found on Next.
 */
#ifndef SHS_UI_FORM_H
#define SHS_UI_FORM_H

#include "ui.h"

enum form_button { B_BACK, B_TEST, B_NEXT, B_COUNT };

#define FORM_MAX_ITEMS	32
/* The columns of a field's label, before its value (form_draw_value). */
#define LABEL_COLS	22

/* A focusable item: a field, or a button (field NULL). */
struct form_item {
	const struct wiz_field	*field;
	enum form_button	 button;
};

/* The items of the current screen, fields first; their count. */
size_t	form_items(struct form_item *out, size_t max);
/* The focused item (the focus clamped to the items). */
struct form_item form_focused(void);
/* The problem found on Next for field f, or NULL. */
const char *form_problem(const struct wiz_field *f);
/* What a choice means, under it while it is focused (the release's
 * summary); NULL for nothing (static or the profile's). */
const char *form_choice_note(const struct wiz_field *f);
const char *form_button_label(enum form_button b);
/* The keys of a text field that is being typed into (ui.edit), with a hint
 * of what is wrong as it is typed; 1 when the key was one of them. */
int	form_edit_key(enum ui_action a, int ch);
/* form_draw.c */
void	form_draw(void);
/* The value column of field f at row y: the typed text (ui.edit, with the
 * cursor) when focused and typed into, else the stored one or its hint. A
 * field of a list's element has its element's path ("hosts[1].port"). */
void	form_draw_value(int y, const struct wiz_field *f, int focus);

#endif
