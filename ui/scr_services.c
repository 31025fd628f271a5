/*
 * Every service of the release: its role, its replicas (Enter changes
 * them; singletons are fixed) and the findings of the rules about it.
 */
#include "ui.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

/* Roles that run once at most: Enter switches them on or off. */
static int
at_most_one(enum role r)
{
	return r == ROLE_SINGLETON || r == ROLE_SCHEDULED;
}

static size_t
count(void)
{
	return ui.have_review ? ui.review.pl.nservices : 0;
}

/* Focus: 0..count()-1 a service, then Back, then Next. */
static int
buttons_at(void)
{
	return (int)count();
}

static const struct plan_service *
service_at(int i)
{
	return i >= 0 && (size_t)i < count() ? &ui.review.pl.services[i] : NULL;
}

static size_t
findings_of(const char *name, const struct finding **first)
{
	size_t n = 0;

	*first = NULL;
	for (size_t i = 0; i < ui.findings.n; i++) {
		const struct finding *f = &ui.findings.v[i];

		if (f->subject == NULL || strcmp(f->subject, name) != 0 ||
		    f->severity == SEV_INFO)
			continue;
		if (n++ == 0)
			*first = f;
	}
	return n;
}

static void
services_enter(void)
{
	ui_refresh_review();
}

void
scr_services_focus(const char *name)
{
	for (size_t i = 0; name != NULL && i < count(); i++)
		if (strcmp(ui.review.pl.services[i].name, name) == 0)
			ui.focus = (int)i;
}

static void
start_edit(const struct plan_service *s)
{
	char *path = xasprintf("services.%s.replicas", s->name);
	char *now = xasprintf("%ld", s->replicas);

	edit_load(&ui.edit, path, now, 0);
	ui.editing = 1;
	free(path);
	free(now);
}

static void
finish_edit(int keep)
{
	if (keep && ui_commit_edit() < 0)
		return;
	edit_free(&ui.edit);
	ui.editing = 0;
	ui_refresh_review();
}

static void
edit_replicas(enum ui_action a, int ch)
{
	if (a == UA_ENTER || a == UA_NEXT)
		finish_edit(1);
	else if (a == UA_BACK)
		finish_edit(0);
	else if (a == UA_BACKSPACE)
		edit_backspace(&ui.edit);
	else if (a == UA_CHAR && ch >= '0' && ch <= '9' && ui.edit.text.len < 4) {
		char digit[2] = { (char)ch, '\0' };

		edit_insert(&ui.edit, digit);
	}
}

/* A singleton runs once or not at all: never twice. */
static void
toggle(const struct plan_service *s)
{
	char *path = xasprintf("services.%s.replicas", s->name);
	struct err e;

	if (wiz_set(&ui.w, path, s->replicas > 0 ? "0" : "1", &e) < 0)
		ui_say(UR_ERROR, "%s", e.msg);
	else
		ui_say(UR_NORMAL, "%s %s (a %s runs once at most).", s->name,
		    s->replicas > 0 ? "switched off" : "switched on",
		    role_names[s->role]);
	free(path);
	ui_refresh_review();
}

static void
services_key(enum ui_action a, int ch)
{
	const struct plan_service *s = service_at(ui.focus);
	int last = buttons_at() + 1;

	if (ui.editing) {
		edit_replicas(a, ch);
	} else if (a == UA_DOWN || a == UA_NEXT || (a == UA_RIGHT && !s)) {
		ui.focus = ui.focus < last ? ui.focus + 1 : 0;
	} else if (a == UA_UP || a == UA_PREV || (a == UA_LEFT && !s)) {
		ui.focus = ui.focus > 0 ? ui.focus - 1 : last;
	} else if (a == UA_HOME || a == UA_END) {
		ui.focus = a == UA_HOME ? 0 : last;	/* End: the Next button */
	} else if (a == UA_PAGE_DOWN || a == UA_PAGE_UP) {
		ui.focus += a == UA_PAGE_DOWN ? 10 : -10;
		ui.focus = ui.focus < 0 ? 0 : ui.focus > last ? last : ui.focus;
	} else if (a == UA_ENTER && s != NULL && at_most_one(s->role)) {
		toggle(s);
	} else if (a == UA_ENTER && s != NULL) {
		start_edit(s);
	} else if (a == UA_ENTER && ui.focus == buttons_at()) {
		ui_go(wiz_prev(&ui.w, ui.w.screen));
	} else if (a == UA_ENTER && ui.have_review) {
		ui_go(wiz_next(&ui.w, ui.w.screen));
	} else if (a == UA_ENTER) {
		ui_say(UR_ERROR, "Fix the answer named above first (Back).");
	} else if (a == UA_BACK) {
		ui_go(wiz_prev(&ui.w, ui.w.screen));
	} else {
		ui_common_key(a, ch);
	}
}

static void
draw_row(int y, int i)
{
	const struct plan_service *s = service_at(i);
	const struct finding *first;
	size_t n = findings_of(s->name, &first);
	char line[160];
	enum ui_role r = i == ui.focus ? UR_FOCUS : UR_NORMAL;

	snprintf(line, sizeof line, "%-2s %-35.35s %-22.22s %4ld%s", n == 0 ?
	    "" : first->severity == SEV_ERROR ? "!!" : "!", s->name,
	    role_names[s->role], s->replicas, at_most_one(s->role) ?
	    " (0 or 1)" : "");
	attrset(theme_attr(r));
	mvhline(y, 2, ' ', ui.cols - 4);
	draw_text(y, 2, ui.cols - 4, r == UR_NORMAL && n > 0 ?
	    (first->severity == SEV_ERROR ? UR_ERROR : UR_WARN) : r, line);
	if (ui.editing && i == ui.focus) {
		draw_text(y, 64, 4, UR_TITLE, "    ");
		draw_text(y, 64, 4, UR_TITLE, sb_str(&ui.edit.text));
	}
}

/* The findings and the role of the selected service. */
static void
draw_detail(int y, int rows)
{
	const struct plan_service *s = service_at(ui.focus);
	const struct finding *first;

	if (s == NULL)
		return;
	if (findings_of(s->name, &first) > 0)
		y += draw_wrapped(y, 2, ui.cols - 4, rows - 1,
		    first->severity == SEV_ERROR ? UR_ERROR : UR_WARN,
		    first->message);
	draw_wrapped(y, 2, ui.cols - 4, 2, UR_DIM, role_meanings[s->role]);
}

static void
services_draw(void)
{
	int top = 4, rows = ui.rows - 12, n = (int)count();

	/* The buttons always: Back is the way out of answers that cannot be
	 * planned. */
	draw_button(ui.rows - 4, 2, "Back", ui.focus == n);
	draw_button(ui.rows - 4, 12, "Next", ui.focus == n + 1);
	if (!ui.have_review) {
		ui_draw_review_error(2);
		return;
	}
	draw_text(2, 2, ui.cols - 4, UR_DIM, "   Service                             "
	    "Role                   Replicas");
	ui_keep_in_view(n, rows);
	for (int i = ui.scroll; i < n && i < ui.scroll + rows; i++)
		draw_row(top + i - ui.scroll, i);
	draw_detail(top + rows + 1, 3);
}

const struct ui_screen_ops scr_services = {
	WS_SERVICES, services_enter, services_draw, services_key,
	"Up/Down select  Enter change  Tab buttons  Esc back  F1 help  F10 quit",
};
