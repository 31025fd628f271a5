/*
 * Every service of the release: its role, its replicas (Enter types them,
 * Left/Right or -/+ step them; singletons are on or off, Enter switches
 * them on Swarm) and the findings of the rules about it. On Kubernetes
 * Enter also opens the service's own placement and ceiling below the list
 * (Up/Down between them). Typing a
 * name finds the service. Answers about services that the release does not
 * have are carried over or set aside on entry (wiz_stash.c), so that this
 * screen is never a dead end.
 */
#include "form.h"
#include "ui.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "quantity.h"

/* The rows left to the list above its detail and buttons. */
#define DETAIL_ROWS	5
/* Where a row's replicas start (draw_row's format). */
#define REPLICAS_X	64

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

static int
on_swarm(void)
{
	return strcmp(ui.review.pl.target.kind, "swarm") == 0;
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
	struct err e;
	char *notice;

	ui.find[0] = '\0';
	/* A hand-written file, or one from another release, may name
	 * services this release does not have. */
	wiz_stash_sync(&ui.w);
	if (ui.w.unsaved && wiz_save(&ui.w, &e) < 0)
		ui_say(UR_ERROR, "%s", e.msg);
	notice = wiz_take_notice(&ui.w);
	if (notice != NULL)
		ui_say(UR_WARN, "%s.", notice);
	free(notice);
	ui_refresh_review();
}

void
scr_services_focus(const char *name)
{
	for (size_t i = 0; name != NULL && i < count(); i++)
		if (strcmp(ui.review.pl.services[i].name, name) == 0)
			ui.focus = (int)i;
}

/* The answers the editor of a service types (services.NAME.KEY), in
 * order; the placement and the ceiling are Kubernetes' own. */
static const struct {
	const char	*key, *label;
	int		 kubernetes;	/* only there */
	int		 scaled;	/* only for a service that can be */
	int		 number;	/* digits only */
	const char	*summary;	/* under the list; NULL: not there */
} answer_rows[] = {
	{ "replicas", "Replicas", 0, 0, 1, NULL },
	{ "max_replicas", "Max replicas", 1, 1, 1, "at most %s replicas" },
	{ "node_selector", "Node selector", 1, 0, 0, "on nodes %s" },
	{ "tolerations", "Tolerations", 1, 0, 0, "tolerates %s" },
};

#define NROWS	((int)(sizeof answer_rows / sizeof answer_rows[0]))

static int
row_shown(const struct plan_service *s, int r)
{
	return (!answer_rows[r].kubernetes || !on_swarm()) &&
	    (!answer_rows[r].scaled || plan_can_scale(s));
}

static char *
row_path(const struct plan_service *s, int r)
{
	return xasprintf("services.%s.%s", s->name, answer_rows[r].key);
}

/* Starts typing row r of the service: the answer, or for the replicas
 * the count the plan gives when the answers have none. */
static void
load_row(const struct plan_service *s, int r)
{
	char *path = row_path(s, r), *now = wiz_get(&ui.w, path);

	if (r == 0 && now[0] == '\0') {
		free(now);
		now = xasprintf("%ld", s->replicas);
	}
	if (ui.editing)
		edit_free(&ui.edit);
	edit_load(&ui.edit, path, now, 0);
	ui.editing = 1;
	ui.service_row = r;
	free(path);
	free(now);
}

static void
start_edit(const struct plan_service *s)
{
	load_row(s, 0);
	if (!on_swarm())
		ui_say(UR_NORMAL, "%s: Up/Down between its answers, Enter when "
		    "done, Esc drops the one being typed.", s->name);
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

/* The next row the service has, by `by` (1 or -1), round the end. */
static int
next_row(const struct plan_service *s, int by)
{
	int r = ui.service_row;

	do
		r = (r + by + NROWS) % NROWS;
	while (!row_shown(s, r));
	return r;
}

static void
edit_service(const struct plan_service *s, enum ui_action a, int ch)
{
	if (a == UA_ENTER) {
		finish_edit(1);
	} else if (a == UA_BACK) {
		finish_edit(0);
	} else if (a == UA_DOWN || a == UA_UP || a == UA_NEXT || a == UA_PREV) {
		if (ui_commit_edit() < 0)
			return;
		load_row(s, next_row(s, a == UA_UP || a == UA_PREV ? -1 : 1));
	} else if (a == UA_CHAR && answer_rows[ui.service_row].number) {
		char digit[2] = { (char)ch, '\0' };

		if (ch >= '0' && ch <= '9' && ui.edit.text.len < 4)
			edit_insert(&ui.edit, digit);
	} else {
		form_edit_key(a, ch);
	}
}

static void
set_replicas(const struct plan_service *s, long n)
{
	char *path = xasprintf("services.%s.replicas", s->name);
	char *text = xasprintf("%ld", n);
	struct err e;

	if (wiz_set(&ui.w, path, text, &e) < 0)
		ui_say(UR_ERROR, "%s", e.msg);
	else if (at_most_one(s->role))
		ui_say(UR_NORMAL, "%s %s (a %s runs once at most).", s->name,
		    n > 0 ? "switched on" : "switched off", role_names[s->role]);
	else
		ui.message[0] = '\0';
	free(path);
	free(text);
	ui_refresh_review();
}

/* A singleton runs once or not at all; the others step by one. */
static void
step(const struct plan_service *s, int by)
{
	long n = s->replicas + by;

	if (at_most_one(s->role))
		n = s->replicas > 0 ? 0 : 1;
	if (n >= 0 && n <= 9999)
		set_replicas(s, n);
}

/* Type-to-find: the first service whose name begins with what was
 * typed. */
static int
find_key(enum ui_action a, int ch)
{
	size_t len = strlen(ui.find);

	if (a == UA_BACKSPACE && len > 0) {
		ui.find[len - 1] = '\0';
	} else if (a == UA_CHAR && len + 1 < sizeof ui.find && ((ch >= 'a' &&
	    ch <= 'z' && (ch != 'q' || len > 0)) || (len > 0 && (ch == '-' ||
	    (ch >= '0' && ch <= '9'))))) {
		ui.find[len] = (char)ch;
		ui.find[len + 1] = '\0';
	} else {
		return 0;
	}
	for (size_t i = 0; ui.find[0] != '\0' && i < count(); i++)
		if (strncmp(ui.review.pl.services[i].name, ui.find,
		    strlen(ui.find)) == 0) {
			ui.focus = (int)i;
			break;
		}
	ui_say(UR_NORMAL, "Find: %s%s", ui.find, ui.find[0] != '\0' &&
	    strncmp(service_at(ui.focus) ? service_at(ui.focus)->name : "",
	    ui.find, strlen(ui.find)) != 0 ? " (no service begins so)" : "");
	return 1;
}

static void
press(void)
{
	const struct plan_service *s = service_at(ui.focus);

	/* On Kubernetes a singleton has its placement to type too. */
	if (s != NULL && at_most_one(s->role) && on_swarm())
		step(s, 1);
	else if (s != NULL)
		start_edit(s);
	else if (ui.focus == buttons_at())
		ui_leave(wiz_prev(&ui.w, ui.w.screen));
	else if (ui.have_review)
		ui_leave(wiz_next(&ui.w, ui.w.screen));
	else
		ui_say(UR_ERROR, "Fix the answer named above first (Back).");
}

static int
list_rows(void)
{
	return ui_body_end() - 4 - DETAIL_ROWS;
}

static void
services_key(enum ui_action a, int ch)
{
	const struct plan_service *s = service_at(ui.focus);

	if (ui.editing) {
		edit_service(s, a, ch);
		return;
	}
	if (find_key(a, ch))
		return;
	if (a != UA_NONE)
		ui.find[0] = '\0';
	if (list_key(a, buttons_at() + 2, list_rows() > 1 ? list_rows() - 1 : 1))
		return;
	if (s != NULL && (a == UA_RIGHT || (a == UA_CHAR && ch == '+')))
		step(s, 1);
	else if (s != NULL && (a == UA_LEFT || (a == UA_CHAR && ch == '-')))
		step(s, -1);
	else if (s == NULL && (a == UA_LEFT || a == UA_RIGHT))
		list_key(a == UA_LEFT ? UA_UP : UA_DOWN, buttons_at() + 2, 1);
	else if (a == UA_ENTER)
		press();
	else if (a == UA_BACK)
		ui_leave(wiz_prev(&ui.w, ui.w.screen));
	else
		ui_common_key(a, ch);
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
	if (ui.editing && ui.service_row == 0 && i == ui.focus) {
		draw_text(y, REPLICAS_X, 4, UR_TITLE, "    ");
		draw_text(y, REPLICAS_X, 4, UR_TITLE, sb_str(&ui.edit.text));
	}
}

/* The answers of the service being edited, one a row, as a form's
 * fields: the focused one last, so that the cursor stays in it. */
static void
draw_editor(int y, const struct plan_service *s)
{
	int at = y, focus_y = y;

	for (int r = 0; r < NROWS; r++) {
		struct wiz_field f = { NULL, answer_rows[r].label, NULL, NULL };
		char *path;

		if (!row_shown(s, r))
			continue;
		if (r == ui.service_row) {
			focus_y = at++;
			continue;
		}
		path = row_path(s, r);
		f.path = path;
		draw_text(at, 2, LABEL_COLS, UR_NORMAL, f.label);
		form_draw_value(at++, &f, 0);
		free(path);
	}
	{
		struct wiz_field f = { ui.edit.path, answer_rows[ui.service_row].label,
		    NULL, NULL };

		draw_text(focus_y, 2, LABEL_COLS, UR_TITLE, f.label);
		form_draw_value(focus_y, &f, 1);
	}
}

/* The service's own answers past its replicas, on one line: "at most 6
 * replicas; on nodes disktype=ssd; tolerates dedicated=sentry:NoSchedule";
 * NULL when it has none. */
static char *
own_answers(const struct plan_service *s)
{
	struct strlist parts = { 0 };
	char *out = NULL;

	for (int r = 0; r < NROWS; r++) {
		char *path, *value;

		if (answer_rows[r].summary == NULL || !row_shown(s, r))
			continue;
		path = row_path(s, r);
		value = wiz_get(&ui.w, path);
		if (value[0] != '\0')
			sl_add_owned(&parts, xasprintf(answer_rows[r].summary,
			    value));
		free(value);
		free(path);
	}
	if (parts.n > 0)
		out = sl_join(&parts, "; ");
	sl_free(&parts);
	return out;
}

/* The findings and the role of the selected service. */
static void
draw_detail(int y, int rows)
{
	const struct plan_service *s = service_at(ui.focus);
	const struct finding *first;
	const char *const *meaning = on_swarm() ? role_meanings_swarm :
	    role_meanings;
	char cpu[16], mem[16], *text, *own;
	int used = 0;

	if (s == NULL)
		return;
	if (ui.editing && !on_swarm()) {
		draw_editor(y, s);
		return;
	}
	if (findings_of(s->name, &first) > 0)
		used = draw_wrapped(y, 2, ui.cols - 4, rows - 2,
		    first->severity == SEV_ERROR ? UR_ERROR : UR_WARN,
		    first->message);
	cpu_quantity(s->cpu_millis, cpu, sizeof cpu);
	memory_quantity(s->memory_mib, mem, sizeof mem);
	own = own_answers(s);
	text = xasprintf("%s. A replica reserves %s CPU and %s.%s%s%s",
	    meaning[s->role], cpu, mem, own ? " Its own answers: " : "",
	    own ? own : "", own ? "." : "");
	draw_wrapped(y + used, 2, ui.cols - 4, rows - used, UR_DIM, text);
	free(text);
	free(own);
}

/* What the flags mean, and what all replicas reserve together. */
static void
draw_legend(int y)
{
	long cpu, mem;
	char line[160];

	plan_reserved(&ui.review.pl, &cpu, &mem);
	snprintf(line, sizeof line, "!! error, ! warning; type to find. Size %s "
	    "reserves %.1f CPUs, %.1f GiB", ui.review.pl.size, cpu / 1000.0,
	    mem / 1024.0);
	draw_text(y, 2, ui.cols - 4, UR_DIM, line);
}

static void
services_draw(void)
{
	int top = 4, rows = list_rows(), n = (int)count(), end = ui_body_end();

	/* The buttons always: Back is the way out of answers that cannot be
	 * planned. */
	draw_button(end, 2, "Back", ui.focus == n);
	draw_button(end, 12, "Next", ui.focus == n + 1);
	if (!ui.have_review) {
		ui_draw_review_error(2);
		return;
	}
	draw_text(2, 2, ui.cols - 4, UR_DIM, "   Service                             "
	    "Role                   Replicas");
	draw_legend(3);
	ui_keep_in_view(n, rows);
	for (int i = ui.scroll; i < n && i < ui.scroll + rows; i++)
		draw_row(top + i - ui.scroll, i);
	list_draw_position(top + rows, n, rows);
	draw_detail(top + rows + 1, DETAIL_ROWS - 1);
}

const struct ui_screen_ops scr_services = {
	WS_SERVICES, services_enter, services_draw, services_key,
	"Up/Down select  Enter type  -/+ replicas  Tab buttons  Esc back  F1 help",
};
