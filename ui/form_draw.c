/*
 * Drawing a form from the state: the intro (whole, or not at all when
 * the fields need its rows), the fields with their problems and the
 * focused choice's note, scrolled when they do not fit, the buttons, and
 * the last check's results in what is left. Nothing is drawn past
 * ui_body_end(), so the message and the key bar are never covered.
 */
#include "form.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

/* One row of the form's list: a field, the problem under it, or the
 * note under the focused choice. */
enum row_kind { R_FIELD, R_PROBLEM, R_NOTE };

struct row {
	enum row_kind	 kind;
	int		 item;
	int		 part;	/* of a note that wraps */
};

static int
value_cols(void)
{
	return ui.cols - LABEL_COLS - 4;
}

/* A choice's note wraps to two rows at most. */
static int
note_rows(const struct wiz_field *f)
{
	int n = draw_wrapped_rows(form_choice_note(f), value_cols());

	return n > 2 ? 2 : n;
}

#define MAX_ROWS	(FORM_MAX_ITEMS * 3)

static size_t
rows_of(const struct form_item *list, size_t n, struct row *out)
{
	size_t r = 0;

	for (size_t i = 0; i < n && list[i].field != NULL; i++) {
		out[r++] = (struct row){ R_FIELD, (int)i, 0 };
		if (form_problem(list[i].field) != NULL)
			out[r++] = (struct row){ R_PROBLEM, (int)i, 0 };
		if ((int)i == ui.focus && form_choice_note(list[i].field) != NULL)
			for (int k = 0; k < note_rows(list[i].field); k++)
				out[r++] = (struct row){ R_NOTE, (int)i, k };
	}
	return r;
}

/* What an empty field shows: dim, or in brackets where the terminal
 * has no dim, so that it is never taken for a value. */
static void
draw_empty_hint(int y, int x, int width, const char *hint)
{
	char *shown = ui.dim ? xstrdup(hint) : xasprintf("(%s)", hint);

	draw_clipped(y, x, width, UR_DIM, shown);
	free(shown);
}

void
form_draw_value(int y, const struct wiz_field *f, int focus)
{
	int x = LABEL_COLS + 2, width = ui.cols - x - 2, col = 0;
	struct strbuf shown = STRBUF_INIT;
	char *value = wiz_get(&ui.w, f->path);
	enum ui_role role = focus ? UR_FOCUS : UR_NORMAL;
	enum wiz_kind kind = wiz_field_kind(f);
	const char *hint = wiz_field_hint(f);

	if (width > 50)
		width = 50;
	if (focus && ui.editing) {
		edit_view(&ui.edit, width - 1, ui.reveal ? NULL :
		    ui.utf8 ? "\u2022" : "*", &shown, &col);
	} else if (kind == WF_CHOICE) {
		sb_printf(&shown, "%s %s %s", ui.utf8 ? "\u2039" : "<",
		    value[0] ? value : (hint ? hint : "choose"),
		    ui.utf8 ? "\u203a" : ">");
	} else if (kind == WF_SECRET && value[0] != '\0' &&
	    strncmp(value, "env:", 4) != 0 && strncmp(value, "file:", 5) != 0) {
		/* Always the same length: the mask tells nothing. */
		sb_add(&shown, ui.utf8 ? "\u2022\u2022\u2022\u2022\u2022\u2022"
		    "\u2022\u2022" : "********");
	} else {
		sb_add(&shown, value);
	}
	attrset(theme_attr(role));
	mvhline(y, x, ' ', width);
	if (focus && ui.editing)
		/* The text typed in plain attributes, on the field's colour:
		 * a keystroke then costs the terminal its own byte, with no
		 * attribute switched on and off around it (make bench). */
		draw_text(y, x, width, UR_NORMAL, sb_str(&shown));
	else
		draw_clipped(y, x, width, role, sb_str(&shown));
	if (!focus && value[0] == '\0' && hint != NULL && kind != WF_CHOICE)
		draw_empty_hint(y, x, width, hint);
	if (focus && ui.editing) {
		ui.cursor_y = y;
		ui.cursor_x = x + col;
		ui.cursor_wanted = 1;
	}
	sb_free(&shown);
	free(value);
}

static void
draw_row(int y, const struct row *r, const struct form_item *list)
{
	const struct wiz_field *f = list[r->item].field;
	int x = LABEL_COLS + 2, width = ui.cols - x - 2;

	if (r->kind == R_PROBLEM) {
		draw_clipped(y, x, width, UR_ERROR, form_problem(f));
	} else if (r->kind == R_NOTE) {
		if (r->part == 0)	/* its other rows too */
			draw_wrapped(y, x, width, note_rows(f), UR_DIM,
			    form_choice_note(f));
	} else {
		draw_text(y, 2, LABEL_COLS, r->item == ui.focus ? UR_TITLE :
		    UR_NORMAL, f->label);
		if (r->item != ui.focus)
			form_draw_value(y, f, 0);
	}
}

/* The first row shown so that the focused field is in view. */
static size_t
first_row(const struct row *rows, size_t n, size_t shown)
{
	size_t at = 0;

	for (size_t i = 0; i < n; i++)
		if (rows[i].item == ui.focus && rows[i].kind == R_FIELD)
			at = i;
	if (at < (size_t)ui.scroll)
		ui.scroll = (int)at;
	if (at + 1 >= (size_t)ui.scroll + shown)
		ui.scroll = (int)(at + 2 > shown ? at + 2 - shown : 0);
	if ((size_t)ui.scroll + shown > n)
		ui.scroll = n > shown ? (int)(n - shown) : 0;
	return (size_t)ui.scroll;
}

static void
draw_more(int y, size_t count, const char *arrow)
{
	char text[48];

	snprintf(text, sizeof text, "%s %zu more", arrow, count);
	draw_text(y, ui.cols - 2 - (int)strlen(text), (int)strlen(text), UR_DIM,
	    text);
}

/* The fields from row y, in `space` rows; the row after the last one. */
static int
draw_fields(int y, int space, const struct form_item *list, size_t n)
{
	struct row rows[MAX_ROWS];
	size_t nr = rows_of(list, n, rows), top, shown;
	int cursor_y = -1;

	shown = nr <= (size_t)space ? nr : (size_t)space;
	top = nr <= (size_t)space ? 0 : first_row(rows, nr, shown);
	for (size_t i = top; i < top + shown; i++) {
		if (rows[i].kind == R_FIELD && rows[i].item == ui.focus)
			cursor_y = y;
		draw_row(y++, &rows[i], list);
	}
	if (top > 0)
		draw_more(y - (int)shown, top, ui.utf8 ? "\u2191" : "^");
	if (top + shown < nr)
		draw_more(y - 1, nr - top - shown, ui.utf8 ? "\u2193" : "v");
	/* The focused field last, so that the cursor stays in it. */
	if (cursor_y >= 0)
		form_draw_value(cursor_y, list[ui.focus].field, 1);
	return y;
}

void
form_draw(void)
{
	const struct wiz_screen *s = wiz_screen_at(ui.w.screen);
	char *key = xasprintf("screen %s", s->id);
	const char *intro = wiz_help(&ui.w, key);
	struct form_item list[FORM_MAX_ITEMS];
	struct row rows[MAX_ROWS];
	size_t n = form_items(list, FORM_MAX_ITEMS), nfields = 0;
	int y = 2, end = ui_body_end(), bx = 2, intro_rows, space;

	while (nfields < n && list[nfields].field != NULL)
		nfields++;
	/* The intro, whole, if the fields and buttons fit beside it; the
	 * help (F1) has it anyway. */
	intro_rows = draw_wrapped_rows(intro, ui.cols - 4);
	if (y + intro_rows + 1 + (int)rows_of(list, n, rows) + 2 <= end) {
		y += draw_wrapped(y, 2, ui.cols - 4, intro_rows, UR_DIM, intro);
		y++;
	}
	free(key);
	ui.focus_path = list[ui.focus < (int)n ? ui.focus : 0].field ?
	    list[ui.focus].field->path : NULL;
	space = end - y - 1;	/* a blank row, then the buttons */
	y = draw_fields(y, space, list, n) + 1;
	for (size_t i = nfields; i < n; i++) {
		draw_button(y, bx, form_button_label(list[i].button),
		    (int)i == ui.focus);
		bx += (int)strlen(form_button_label(list[i].button)) + 6;
	}
	if (ui.task.job != NULL)
		draw_text(y, bx + 2, ui.cols - bx - 4, UR_WARN, ui_task_progress());
	if (ui.have_results)
		ui_draw_results(y + 2, end - y - 1);
}
