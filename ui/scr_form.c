/*
 * A form: the screen's fields, then Back, Test (when the form has a live
 * check) and Next. A text field is typed into directly and saved when the
 * focus leaves it; a choice changes with Left/Right and is saved at once.
 * Next moves on only when the screen's answers are complete.
 */
#include "ui.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define LABEL_COLS	22
#define CHECK_TIMEOUT_MS	5000

enum button { B_BACK, B_TEST, B_NEXT, B_COUNT };

static const char *const button_labels[] = { "Back", "Test", "Next" };

/* A focusable item: a field, or a button. */
struct item {
	const struct wiz_field	*field;
	enum button		 button;
};

static size_t
items(struct item *out, size_t max)
{
	const struct wiz_screen *s = wiz_screen_at(ui.w.screen);
	size_t n = 0;

	for (size_t i = 0; i < s->nfields && n < max; i++)
		if (wiz_field_shown(&ui.w, &s->fields[i]))
			out[n++] = (struct item){ &s->fields[i], B_BACK };
	for (int b = 0; b < B_COUNT && n < max; b++)
		if (b != B_TEST || s->probe != NULL)
			out[n++] = (struct item){ NULL, (enum button)b };
	return n;
}

static struct item
focused(void)
{
	struct item list[32];
	size_t n = items(list, 32);

	if ((size_t)ui.focus >= n)
		ui.focus = (int)n - 1;
	return list[ui.focus];
}

static int
is_text(const struct wiz_field *f)
{
	return f != NULL && wiz_field_kind(f) != WF_CHOICE;
}

/* Starts editing the focused field, when it is typed into. */
static void
load_focus(void)
{
	struct item it = focused();
	char *value;

	edit_free(&ui.edit);
	ui.editing = is_text(it.field);
	if (!ui.editing)
		return;
	value = wiz_get(&ui.w, it.field->path);
	edit_load(&ui.edit, it.field->path, value,
	    wiz_field_kind(it.field) == WF_SECRET);
	free(value);
}

static void
form_enter(void)
{
	load_focus();
}

/* Moves the focus by `step`, saving the field left first; a field whose
 * text is not valid keeps the focus. */
static void
move_focus(int step)
{
	struct item list[32];
	int n = (int)items(list, 32);

	if (ui_commit_edit() < 0)
		return;
	ui.focus = (ui.focus + step + n) % n;
	load_focus();
}

/* The problems found on Next, shown under their fields. */
static const char *
problem_for(const struct wiz_field *f)
{
	size_t n = strlen(f->path);

	for (size_t i = 0; i < ui.problems.n; i++) {
		const char *p = ui.problems.v[i].path;

		if (strncmp(p, f->path, n) == 0 || strncmp(f->path, p, strlen(p)) == 0)
			return ui.problems.v[i].message;
	}
	return NULL;
}

static void
go_next(void)
{
	if (ui_commit_edit() < 0)
		return;
	wiz_problems_free(&ui.problems);
	wiz_screen_problems(&ui.w, ui.w.screen, &ui.problems);
	if (ui.problems.n > 0) {
		ui_say(UR_ERROR, "%s: %s", ui.problems.v[0].path,
		    ui.problems.v[0].message);
		return;
	}
	ui_go(wiz_next(&ui.w, ui.w.screen));
}

static void
go_back(void)
{
	struct err e;

	/* Back is always possible: a text that is not valid is dropped. */
	if (ui.editing && edit_changed(&ui.edit) &&
	    wiz_set(&ui.w, ui.edit.path, sb_str(&ui.edit.text), &e) < 0)
		edit_revert(&ui.edit);
	ui_go(wiz_prev(&ui.w, ui.w.screen));
}

static void
run_test(void)
{
	const struct wiz_screen *s = wiz_screen_at(ui.w.screen);
	char *text;

	if (ui_commit_edit() < 0)
		return;
	ui_clear_results();
	text = wiz_probe_answers(&ui.w, ui.w.screen);
	if (text == NULL)
		ui_say(UR_WARN, "Fill in the form first: there is nothing to test.");
	else if (wiz_task_start_form(&ui.task, s->title, ui.w.data_dir, text, ui.w.path,
	    s->probe, CHECK_TIMEOUT_MS) < 0)
		ui_say(UR_ERROR, "cannot start the check (no thread)");
	else
		ui_say(UR_NORMAL, "Checking %s ... (Esc cancels)", s->title);
}

static void
press(enum button b)
{
	if (b == B_BACK)
		go_back();
	else if (b == B_TEST)
		run_test();
	else
		go_next();
}

/* Left/Right on a choice: the next or previous choice, saved at once. */
static void
cycle(const struct wiz_field *f, int step)
{
	struct strlist choices = { 0 };
	char *now = wiz_get(&ui.w, f->path);
	int at = -1, n;
	struct err e;

	wiz_field_choices(&ui.w, f, &choices);
	n = (int)choices.n;
	for (int i = 0; i < n; i++)
		if (strcmp(choices.v[i], now) == 0)
			at = i;
	if (n > 0) {
		at = at < 0 ? 0 : (at + step + n) % n;
		if (wiz_set(&ui.w, f->path, choices.v[at], &e) < 0)
			ui_say(UR_ERROR, "%s", e.msg);
		else
			ui.message[0] = '\0';
	}
	free(now);
	sl_free(&choices);
}

/* Delete on a choice: back to unanswered (its default). */
static void
clear_choice(const struct wiz_field *f)
{
	struct err e;

	if (wiz_set(&ui.w, f->path, "", &e) < 0)
		ui_say(UR_ERROR, "%s", e.msg);
}

static void
type_char(int ch)
{
	char utf8[8] = "";
	mbstate_t st;
	size_t n;

	memset(&st, 0, sizeof st);
	n = wcrtomb(utf8, (wchar_t)ch, &st);
	if (n == (size_t)-1)
		return;
	utf8[n] = '\0';
	edit_insert(&ui.edit, utf8);
}

static void
edit_key_apply(enum ui_action a, int ch)
{
	if (a == UA_CHAR)
		type_char(ch);
	else if (a == UA_BACKSPACE)
		edit_backspace(&ui.edit);
	else
		edit_delete(&ui.edit);
}

/* What the text typed so far would be told if the field were left now. */
static void
hint(void)
{
	struct err e;

	err_clear(&e);
	if (wiz_check(&ui.w, ui.edit.path, sb_str(&ui.edit.text), &e) < 0)
		ui_say(UR_WARN, "%s", e.msg);
	else
		ui.message[0] = '\0';
}

/* Keys that edit the text of the focused field; 1 when used. */
static int
edit_key(enum ui_action a, int ch)
{
	if (!ui.editing)
		return 0;
	if (a == UA_CHAR || a == UA_BACKSPACE || a == UA_DELETE) {
		edit_key_apply(a, ch);
		hint();
		return 1;
	}
	switch (a) {
	case UA_LEFT: edit_left(&ui.edit); break;
	case UA_RIGHT: edit_right(&ui.edit); break;
	case UA_HOME: edit_home(&ui.edit); break;
	case UA_END: edit_end(&ui.edit); break;
	default: return 0;
	}
	return 1;
}

static void
form_key(enum ui_action a, int ch)
{
	struct item it = focused();

	if (ui_collect_task() || edit_key(a, ch))
		return;
	if (a == UA_BACK && ui.task.job != NULL) {
		wiz_task_cancel(&ui.task);
		ui_say(UR_WARN, "Check cancelled.");
	} else if (a == UA_BACK && ui.editing && edit_changed(&ui.edit)) {
		edit_revert(&ui.edit);
		ui.message[0] = '\0';
	} else if (a == UA_BACK) {
		go_back();
	} else if (a == UA_PAGE_DOWN) {
		go_next();	/* the Next button, from anywhere on the form */
	} else if (a == UA_PAGE_UP) {
		go_back();
	} else if (a == UA_NEXT || a == UA_DOWN) {
		move_focus(1);
	} else if (a == UA_PREV || a == UA_UP) {
		move_focus(-1);
	} else if (it.field != NULL && (a == UA_LEFT || a == UA_RIGHT ||
	    (a == UA_CHAR && ch == ' '))) {
		cycle(it.field, a == UA_LEFT ? -1 : 1);
	} else if (it.field != NULL && (a == UA_DELETE || a == UA_BACKSPACE)) {
		clear_choice(it.field);
	} else if (it.field == NULL && (a == UA_LEFT || a == UA_RIGHT)) {
		move_focus(a == UA_LEFT ? -1 : 1);
	} else if (a == UA_ENTER) {
		if (it.field == NULL)
			press(it.button);
		else
			move_focus(1);
	} else {
		ui_common_key(a, ch);
	}
}

/* The value column of a field: the typed text, or the stored one. */
static void
draw_value(int y, const struct wiz_field *f, int focus)
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
		edit_view(&ui.edit, width - 1, ui.utf8 ? "\u2022" : "*", &shown,
		    &col);
	} else if (kind == WF_CHOICE) {
		sb_printf(&shown, "%s %s %s", ui.utf8 ? "\u2039" : "<",
		    value[0] ? value : (hint ? hint : "choose"),
		    ui.utf8 ? "\u203a" : ">");
	} else if (kind == WF_SECRET && value[0] != '\0' &&
	    strncmp(value, "env:", 4) != 0 && strncmp(value, "file:", 5) != 0) {
		sb_add(&shown, ui.utf8 ? "\u2022\u2022\u2022\u2022\u2022\u2022" :
		    "******");
	} else {
		sb_add(&shown, value);
	}
	attrset(theme_attr(role));
	mvhline(y, x, ' ', width);
	draw_text(y, x, width, role, sb_str(&shown));
	if (!focus && value[0] == '\0' && hint != NULL && kind != WF_CHOICE)
		draw_text(y, x, width, UR_DIM, hint);
	if (focus && ui.editing) {
		move(y, x + col);
		ui.cursor_wanted = 1;
	}
	sb_free(&shown);
	free(value);
}

static void
form_draw(void)
{
	const struct wiz_screen *s = wiz_screen_at(ui.w.screen);
	char *help = xasprintf("screen %s", s->id);
	struct item list[32];
	size_t n = items(list, 32);
	int y = 2, cursor_y = -1, bx = 2;

	y += draw_wrapped(y, 2, ui.cols - 4, 2, UR_DIM, wiz_help(&ui.w, help));
	free(help);
	y++;
	for (size_t i = 0; i < n && list[i].field != NULL; i++) {
		const struct wiz_field *f = list[i].field;
		const char *problem = problem_for(f);

		draw_text(y, 2, LABEL_COLS, (int)i == ui.focus ? UR_TITLE :
		    UR_NORMAL, f->label);
		if ((int)i == ui.focus)
			cursor_y = y;
		else
			draw_value(y, f, 0);
		y++;
		if (problem != NULL)
			draw_text(y++, LABEL_COLS + 2, ui.cols - LABEL_COLS - 4,
			    UR_ERROR, problem);
	}
	y++;
	for (size_t i = 0; i < n; i++) {
		if (list[i].field != NULL)
			continue;
		draw_button(y, bx, button_labels[list[i].button],
		    (int)i == ui.focus);
		bx += (int)strlen(button_labels[list[i].button]) + 6;
	}
	if (ui.task.job != NULL)
		draw_text(y, bx + 2, ui.cols - bx - 4, UR_WARN, draw_spinner());
	if (ui.have_results)
		ui_draw_results(y + 2, ui.rows - y - 5);
	/* The focused field last, so that the cursor stays in it. */
	if (cursor_y >= 0)
		draw_value(cursor_y, list[ui.focus].field, 1);
}

const struct ui_screen_ops scr_form = {
	WS_FORM, form_enter, form_draw, form_key,
	"Tab next  Left/Right choose  PgDn next page  Esc back  F1 help  F10 quit",
};
