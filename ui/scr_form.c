/*
 * A form: the screen's fields, then Back, Test (when the form has a live
 * check) and Next. A text field is typed into directly and saved when the
 * focus leaves it; a choice changes with Left/Right and is saved at once
 * (what it hides is set aside, not lost: wiz_stash.c). Next moves on only
 * when the screen's answers are complete. What a key does is the table at
 * the end; drawing is form_draw.c.
 */
#include "form.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define CHECK_TIMEOUT_MS	5000

static const char *const button_labels[] = { "Back", "Test", "Next" };

const char *
form_button_label(enum form_button b)
{
	return button_labels[b];
}

size_t
form_items(struct form_item *out, size_t max)
{
	const struct wiz_screen *s = wiz_screen_at(ui.w.screen);
	size_t n = 0;

	for (size_t i = 0; i < s->nfields && n < max; i++)
		if (wiz_field_shown(&ui.w, &s->fields[i]))
			out[n++] = (struct form_item){ &s->fields[i], B_BACK };
	for (int b = 0; b < B_COUNT && n < max; b++)
		if (b != B_TEST || s->probe != NULL)
			out[n++] = (struct form_item){ NULL, (enum form_button)b };
	return n;
}

struct form_item
form_focused(void)
{
	struct form_item list[FORM_MAX_ITEMS];
	size_t n = form_items(list, FORM_MAX_ITEMS);

	if ((size_t)ui.focus >= n)
		ui.focus = (int)n - 1;
	return list[ui.focus];
}

const char *
form_problem(const struct wiz_field *f)
{
	size_t n = strlen(f->path);

	for (size_t i = 0; i < ui.problems.n; i++) {
		const char *p = ui.problems.v[i].path;

		if (strncmp(p, f->path, n) == 0 &&
		    (p[n] == '\0' || p[n] == '.' || p[n] == '['))
			return ui.problems.v[i].message;
	}
	return NULL;
}

const char *
form_choice_note(const struct wiz_field *f)
{
	static char sets[160];
	const struct profile *p = wiz_profile(&ui.w);
	size_t all, errors;

	if (wiz_choice_note(&ui.w, f->path) != NULL)
		return wiz_choice_note(&ui.w, f->path);
	if (p == NULL)
		return NULL;
	if (strcmp(f->path, "sentry.version") == 0)
		return p->summary;
	if (strcmp(f->path, "sentry.features") != 0)
		return NULL;
	/* What the two sets cost, from the release's own services. */
	all = profile_service_count(p, "feature-complete");
	errors = profile_service_count(p, "errors-only");
	if (all == errors)
		snprintf(sets, sizeof sets, "Sentry %s has no optional features: "
		    "both run its %zu services", p->release, all);
	else
		snprintf(sets, sizeof sets, "feature-complete runs %zu services; "
		    "errors-only %zu, without transactions, spans, metrics, "
		    "replays, profiling, monitors and uptime", all, errors);
	return sets;
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
	struct form_item it = form_focused();
	char *value;

	edit_free(&ui.edit);
	ui.reveal = 0;
	ui.focus_path = it.field ? it.field->path : NULL;
	ui.editing = is_text(it.field);
	if (!ui.editing)
		return;
	value = wiz_get(&ui.w, it.field->path);
	edit_load(&ui.edit, it.field->path, value,
	    wiz_field_kind(it.field) == WF_SECRET);
	free(value);
}

/* Focuses the field of `path` (or the one that holds it); 1 if there is
 * one on this screen. */
static int
focus_path(const char *path)
{
	struct form_item list[FORM_MAX_ITEMS];
	size_t n = form_items(list, FORM_MAX_ITEMS);

	for (size_t i = 0; path != NULL && i < n; i++) {
		size_t len = list[i].field ? strlen(list[i].field->path) : 0;

		if (list[i].field != NULL && strncmp(path, list[i].field->path,
		    len) == 0 && (path[len] == '\0' || path[len] == '.' ||
		    path[len] == '[')) {
			ui.focus = (int)i;
			load_focus();
			return 1;
		}
	}
	return 0;
}

void
scr_form_focus(const char *path)
{
	focus_path(path);
}

/* The text a cut session was typing, on this screen: back in its field,
 * as typed (still to be fixed). */
static void
resume_typed(void)
{
	struct err e;

	if (ui.w.typed_path == NULL || !focus_path(ui.w.typed_path))
		return;
	edit_load(&ui.edit, ui.w.typed_path, "", ui.edit.masked);
	edit_insert(&ui.edit, ui.w.typed_text);
	free(ui.edit.saved);
	ui.edit.saved = wiz_get(&ui.w, ui.w.typed_path);
	err_clear(&e);
	if (wiz_check(&ui.w, ui.edit.path, sb_str(&ui.edit.text), &e) < 0)
		ui_say(UR_WARN, "Kept from the last session: %s", e.msg);
	(void)wiz_keep_typed(&ui.w, NULL, NULL, &e);
}

static void
form_enter(void)
{
	load_focus();
	resume_typed();
}

/* What the model did beyond the change itself (services carried over,
 * answers back), said once. */
static void
say_notice(void)
{
	char *n = wiz_take_notice(&ui.w);

	if (n != NULL)
		ui_say(UR_WARN, "%s.", n);
	free(n);
}

/* The problems shown under the fields follow every saved change. */
static void
recheck(void)
{
	if (ui.problems.n == 0)
		return;
	wiz_problems_free(&ui.problems);
	wiz_screen_problems(&ui.w, ui.w.screen, &ui.problems);
}

static int
commit(void)
{
	if (ui_commit_edit() < 0)
		return -1;
	recheck();
	say_notice();
	return 0;
}

/* Moves the focus by `step`, saving the field left first; a field whose
 * text is not valid keeps the focus. */
static void
move_focus(int step)
{
	struct form_item list[FORM_MAX_ITEMS];
	int n = (int)form_items(list, FORM_MAX_ITEMS);

	if (commit() < 0)
		return;
	ui.focus = (ui.focus + step + n) % n;
	load_focus();
}

static void
go_next(void)
{
	if (commit() < 0)
		return;
	wiz_problems_free(&ui.problems);
	wiz_screen_problems(&ui.w, ui.w.screen, &ui.problems);
	if (ui.problems.n > 0) {
		ui_say(UR_ERROR, "%s: %s", ui.problems.v[0].path,
		    ui.problems.v[0].message);
		/* Typing goes where the fault is, not into the next field. */
		focus_path(ui.problems.v[0].path);
		return;
	}
	ui_leave(wiz_next(&ui.w, ui.w.screen));
}

static void
go_back(void)
{
	struct err e;

	/* Back is always possible: a text that is not valid is dropped. */
	if (ui.editing && edit_changed(&ui.edit) &&
	    wiz_set(&ui.w, ui.edit.path, sb_str(&ui.edit.text), &e) < 0)
		edit_revert(&ui.edit);
	ui_leave(wiz_prev(&ui.w, ui.w.screen));
}

static void
run_test(void)
{
	const struct wiz_screen *s = wiz_screen_at(ui.w.screen);
	char *text;

	if (commit() < 0)
		return;
	ui_clear_results();
	text = wiz_probe_answers(&ui.w, ui.w.screen);
	if (text == NULL)
		ui_say(UR_WARN, "Fill in the form first: there is nothing to test.");
	else if (wiz_task_start_form(&ui.task, s->title, ui.w.data_dir, text, ui.w.path,
	    s->probe, CHECK_TIMEOUT_MS) < 0)
		ui_say(UR_ERROR, "cannot start the check (no thread)");
	else {
		ui.check_again = run_test;
		ui_say(UR_NORMAL, "Checking %s (at most %d s) ... Esc cancels",
		    s->title, CHECK_TIMEOUT_MS / 1000);
	}
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
		if (wiz_set(&ui.w, f->path, choices.v[at], &e) < 0) {
			ui_say(UR_ERROR, "%s", e.msg);
		} else {
			ui.message[0] = '\0';
			recheck();
			say_notice();
		}
	}
	free(now);
	sl_free(&choices);
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

int
form_edit_key(enum ui_action a, int ch)
{
	static const struct {
		enum ui_action	 a;
		void		(*fn)(struct edit *);
		int		 changes;	/* the text: a new hint */
	} keys[] = {
		{ UA_BACKSPACE, edit_backspace, 1 }, { UA_DELETE, edit_delete, 1 },
		{ UA_KILL_LINE, edit_kill_line, 1 },
		{ UA_KILL_WORD, edit_kill_word, 1 },
		{ UA_KILL_END, edit_kill_end, 1 }, { UA_LEFT, edit_left, 0 },
		{ UA_RIGHT, edit_right, 0 }, { UA_HOME, edit_home, 0 },
		{ UA_END, edit_end, 0 },
	};

	if (!ui.editing)
		return 0;
	if (a == UA_CHAR) {
		type_char(ch);
		hint();
		return 1;
	}
	if (a == UA_REVEAL && ui.edit.masked) {
		ui.reveal = !ui.reveal;
		return 1;
	}
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (keys[i].a == a) {
			keys[i].fn(&ui.edit);
			if (keys[i].changes)
				hint();
			return 1;
		}
	return 0;
}

/* Esc: cancels a check, then a typed change, then leaves the screen. */
static void
on_back(const struct form_item *it, int ch)
{
	(void)it;
	(void)ch;
	if (ui.task.job != NULL) {
		wiz_task_cancel(&ui.task);
		ui_say(UR_WARN, "Check cancelled.");
	} else if (ui.editing && edit_changed(&ui.edit)) {
		edit_revert(&ui.edit);
		ui.message[0] = '\0';
	} else {
		go_back();
	}
}

static void on_next_page(const struct form_item *it, int ch) { (void)it; (void)ch; go_next(); }
static void on_prev_page(const struct form_item *it, int ch) { (void)it; (void)ch; go_back(); }
static void on_down(const struct form_item *it, int ch) { (void)it; (void)ch; move_focus(1); }
static void on_up(const struct form_item *it, int ch) { (void)it; (void)ch; move_focus(-1); }

static void
on_cycle(const struct form_item *it, int ch)
{
	(void)ch;
	cycle(it->field, ch == -1 ? -1 : 1);
}

static void
on_clear_choice(const struct form_item *it, int ch)
{
	struct err e;

	(void)ch;
	if (wiz_set(&ui.w, it->field->path, "", &e) < 0)
		ui_say(UR_ERROR, "%s", e.msg);
	else
		say_notice();
}

static void
on_enter(const struct form_item *it, int ch)
{
	(void)ch;
	if (it->field != NULL)
		move_focus(1);
	else if (it->button == B_BACK)
		go_back();
	else if (it->button == B_TEST)
		run_test();
	else
		go_next();
}

/* Home and End outside a text: the first field, the Next button. */
static void
on_end(const struct form_item *it, int ch)
{
	struct form_item list[FORM_MAX_ITEMS];
	int n = (int)form_items(list, FORM_MAX_ITEMS);

	(void)it;
	if (commit() < 0)
		return;
	ui.focus = ch == -1 ? 0 : n - 1;
	load_focus();
}

static void
on_button_move(const struct form_item *it, int ch)
{
	(void)it;
	move_focus(ch == -1 ? -1 : 1);
}

/* Where a key applies: anywhere, on a choice, or on a button. */
enum where { ANY, CHOICE, BUTTON };

static const struct {
	enum ui_action	 a;
	enum where	 where;
	int		 arg;	/* handed on as ch: -1 for "backwards" */
	void		(*fn)(const struct form_item *, int);
} actions[] = {
	{ UA_BACK, ANY, 0, on_back },
	{ UA_PAGE_DOWN, ANY, 0, on_next_page },	/* Next, from anywhere */
	{ UA_PAGE_UP, ANY, 0, on_prev_page },
	{ UA_NEXT, ANY, 0, on_down }, { UA_DOWN, ANY, 0, on_down },
	{ UA_PREV, ANY, 0, on_up }, { UA_UP, ANY, 0, on_up },
	{ UA_LEFT, CHOICE, -1, on_cycle }, { UA_RIGHT, CHOICE, 1, on_cycle },
	{ UA_DELETE, CHOICE, 0, on_clear_choice },
	{ UA_BACKSPACE, CHOICE, 0, on_clear_choice },
	{ UA_LEFT, BUTTON, -1, on_button_move },
	{ UA_RIGHT, BUTTON, 1, on_button_move },
	{ UA_ENTER, ANY, 0, on_enter },
	{ UA_HOME, ANY, -1, on_end }, { UA_END, ANY, 1, on_end },
};

static void
form_key(enum ui_action a, int ch)
{
	struct form_item it = form_focused();
	enum where here = it.field == NULL ? BUTTON : CHOICE;

	if (ui_collect_task() || form_edit_key(a, ch))
		return;
	if (a == UA_CHAR && ch == ' ' && here == CHOICE) {
		cycle(it.field, 1);
		return;
	}
	for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
		if (actions[i].a == a && (actions[i].where == ANY ||
		    actions[i].where == here)) {
			actions[i].fn(&it, actions[i].arg);
			return;
		}
	ui_common_key(a, ch);
}

const struct ui_screen_ops scr_form = {
	WS_FORM, form_enter, form_draw, form_key,
	"Tab next  Left/Right choose  PgDn next page  Esc back  F1 help  F10 quit",
};
