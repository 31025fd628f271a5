/*
 * Every finding of the rules over the answers (and, after "Test all",
 * every endpoint that failed). Errors block writing; Enter on one opens
 * the screen of the answer it concerns.
 */
#include "ui.h"

#include <curses.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#define TEST_ALL_TIMEOUT_MS	5000

enum { R_BACK, R_TEST, R_NEXT, R_BUTTONS };

static const char *const labels[] = { "Back", "Test all", "Next" };

/* Rows: the failed endpoints, then the errors and warnings. */
static size_t
failed_probes(void)
{
	return ui.have_results ? probe_failures(&ui.results) : 0;
}

static const struct probe_result *
probe_row(size_t i)
{
	for (size_t j = 0, k = 0; j < ui.results.n; j++) {
		const struct probe_result *r = &ui.results.v[j];

		if (r->failure != PF_NONE && r->failure != PF_SKIPPED && k++ == i)
			return r;
	}
	return NULL;
}

/* The errors and warnings (sorted first), and with `a` the findings
 * that were applied or noted too. */
static size_t
problems(void)
{
	return findings_count(&ui.findings, SEV_ERROR) +
	    findings_count(&ui.findings, SEV_WARNING) +
	    (ui.show_noted ? findings_count(&ui.findings, SEV_INFO) : 0);
}

static size_t
rows(void)
{
	return ui.have_review ? failed_probes() + problems() : failed_probes();
}

static const struct finding *
finding_row(size_t i)
{
	size_t p = failed_probes();

	return i >= p && i - p < problems() ? &ui.findings.v[i - p] : NULL;
}

/* The screen that holds `field` (or the services screen for a service). */
static size_t
screen_of(const char *field, const char *subject)
{
	for (size_t i = 0; field != NULL && i < wiz_screen_count(); i++) {
		const struct wiz_screen *s = wiz_screen_at(i);

		for (size_t j = 0; j < s->nfields; j++) {
			const char *p = s->fields[j].path;
			size_t n = strcspn(p, ".");

			/* "hosts[1].roles" is at the Hosts screen's
			 * "hosts.roles", when that screen is shown (on
			 * Swarm). */
			if (strncmp(field, p, n) == 0 && (field[n] == '.' ||
			    (field[n] == '[' && wiz_screen_shown(&ui.w, i))))
				return i;
		}
	}
	for (size_t i = 0; (field != NULL || subject != NULL) &&
	    i < wiz_screen_count(); i++)
		if (wiz_screen_at(i)->kind == WS_SERVICES)
			return i;
	return ui.w.screen;
}

static void
review_enter(void)
{
	/* Back from fixing an answer: the endpoints' results still hold if
	 * nothing changed. */
	ui_restore_all_results();
	ui_refresh_review();
}

static void
open_row(size_t i)
{
	const struct finding *f = finding_row(i);
	const struct probe_result *r = probe_row(i);
	/* Copied: going to the screen frees the findings and the results. */
	char *field = f ? (f->field ? xstrdup(f->field) : NULL) :
	    r && r->field ? xstrdup(r->field) : NULL;
	char *subject = f && f->subject ? xstrdup(f->subject) : NULL;
	char *service = NULL;

	if (f == NULL && r == NULL)
		return;
	/* services.NAME.replicas, or the finding's subject. */
	if (field != NULL && strncmp(field, "services.", 9) == 0)
		service = xstrndup(field + 9, strcspn(field + 9, "."));
	ui.return_to = ui.w.screen;
	ui_go(screen_of(field, subject));
	if (wiz_screen_at(ui.w.screen)->kind == WS_SERVICES)
		scr_services_focus(service ? service : subject);
	else if (wiz_screen_at(ui.w.screen)->kind == WS_FORM)
		scr_form_focus(field);
	else if (wiz_screen_at(ui.w.screen)->kind == WS_HOSTS)
		scr_hosts_focus(field);
	free(service);
	free(field);
	free(subject);
}

static void
test_all(void)
{
	ui_clear_results();
	if (wiz_task_start_all(&ui.task, ui.w.data_dir, ui.w.path,
	    TEST_ALL_TIMEOUT_MS) < 0) {
		ui_say(UR_ERROR, "cannot start the check (no thread)");
		return;
	}
	ui.check_again = test_all;
	ui_say(UR_NORMAL, "Checking every endpoint ... (Esc cancels)");
}

static void
press(int b)
{
	if (b == R_BACK) {
		ui_go(wiz_prev(&ui.w, ui.w.screen));
	} else if (b == R_TEST) {
		test_all();
	} else if (ui.have_review && findings_count(&ui.findings, SEV_ERROR)) {
		ui_say(UR_ERROR, "%zu error%s must be fixed first: Enter on one "
		    "opens the screen of its answer.", findings_count(&ui.findings,
		    SEV_ERROR), findings_count(&ui.findings, SEV_ERROR) == 1 ?
		    "" : "s");
	} else if (ui.have_review) {
		ui_go(wiz_next(&ui.w, ui.w.screen));
	} else {
		ui_say(UR_ERROR, "Fix the answer named above first (Back).");
	}
}

static void
review_key(enum ui_action a, int ch)
{
	int total = (int)rows() + R_BUTTONS, button = ui.focus - (int)rows();

	if (ui_collect_task()) {
		ui_refresh_review();	/* with what the servers said */
		/* The rows above the buttons change; a focused button stays
		 * focused (Enter tests again), not the row now in its place. */
		if (button >= 0)
			ui.focus = (int)rows() + button;
		if (ui.focus > (int)rows() + R_BUTTONS - 1)
			ui.focus = (int)rows() + R_BUTTONS - 1;
		return;
	}
	if (a == UA_BACK && ui.task.job != NULL) {
		wiz_task_cancel(&ui.task);
		ui_say(UR_WARN, "Check cancelled.");
	} else if (a == UA_CHAR && ch == 'a') {
		ui.show_noted = !ui.show_noted;
		ui.focus = ui.scroll = 0;
	} else if (list_key(a == UA_RIGHT ? UA_DOWN : a == UA_LEFT ? UA_UP : a,
	    total, 5)) {
		;
	} else if (a == UA_ENTER && (size_t)ui.focus < rows()) {
		open_row((size_t)ui.focus);
	} else if (a == UA_ENTER && ui.focus - (int)rows() < R_BUTTONS) {
		press(ui.focus - (int)rows());
	} else if (a == UA_BACK) {
		ui_go(wiz_prev(&ui.w, ui.w.screen));
	} else {
		ui_common_key(a, ch);
	}
}

static void
draw_row(int y, size_t i)
{
	const struct finding *f = finding_row(i);
	const struct probe_result *r = probe_row(i);
	enum ui_role role = (int)i == ui.focus ? UR_FOCUS : UR_NORMAL;
	char line[200];

	if (f != NULL)
		snprintf(line, sizeof line, "%-7s %-34s %s", f->severity ==
		    SEV_ERROR ? "ERROR" : f->severity == SEV_WARNING ? "WARNING" :
		    "NOTED", f->rule, f->field ? f->field :
		    f->subject ? f->subject : "");
	else
		snprintf(line, sizeof line, "FAIL    %s %s: %s", r->service,
		    r->endpoint, probe_failure_name(r->failure));
	attrset(theme_attr(role));
	mvhline(y, 2, ' ', ui.cols - 4);
	draw_clipped(y, 2, ui.cols - 4, role == UR_FOCUS ? role :
	    (f == NULL || f->severity == SEV_ERROR) ? UR_ERROR :
	    f->severity == SEV_WARNING ? UR_WARN : UR_NORMAL, line);
}

/* What the selected row says, why (when there is room) and the fix. */
static void
draw_detail(int y, int max)
{
	const struct finding *f = finding_row((size_t)ui.focus);
	const struct probe_result *r = probe_row((size_t)ui.focus);
	const struct rule_text *t = f ? rule_texts_find(&ui.review.rules,
	    f->rule) : NULL;
	int bottom = y + max;
	char *text;

	if (f == NULL && r == NULL)
		return;
	y += draw_wrapped(y, 2, ui.cols - 4, max - 1, UR_NORMAL, f ? f->message :
	    r->detail);
	if (t != NULL && bottom - y > 3) {
		text = xasprintf("Why: %s", t->why);
		y += draw_wrapped(y, 2, ui.cols - 4, bottom - y - 1, UR_DIM, text);
		free(text);
	}
	text = xasprintf("Fix: %s", f ? (t ? t->fix : "") : r->fix ? r->fix : "");
	draw_wrapped(y, 2, ui.cols - 4, bottom - y, UR_WARN, text);
	free(text);
}

static const char *
plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* What was chosen, in one line: what Debian's and subiquity's last
 * screens show before they act. */
static int
draw_summary(int y)
{
	const struct plan *pl = &ui.review.pl;
	int swarm = strcmp(pl->target.kind, "swarm") == 0;
	const char *files = yn_path_text(ui.w.doc, "filestore.backend");
	char *line = xasprintf("Sentry %s on %s (%s %s), %zu services; files: "
	    "%s; output: %s/", pl->release, swarm ? "Docker Swarm" :
	    "Kubernetes", swarm ? "stack" : "namespace", swarm ?
	    pl->target.stack : pl->target.namespace, pl->nservices,
	    files ? files : "filesystem", ui.out_dir);

	y = draw_wrapped(y, 2, ui.cols - 4, 2, UR_NORMAL, line);
	free(line);
	return y;
}

static void
review_draw(void)
{
	int n = (int)rows(), end = ui_body_end(), space = end - 7, list_rows;
	int y = 2, x = 2;
	size_t errors = findings_count(&ui.findings, SEV_ERROR);
	size_t warnings = findings_count(&ui.findings, SEV_WARNING);
	char head[200];

	if (ui.have_review) {
		y += draw_summary(y);
		snprintf(head, sizeof head, "%zu error%s, %zu warning%s, %zu "
		    "noted (a: %s them); %s", errors, plural(errors), warnings,
		    plural(warnings), findings_count(&ui.findings, SEV_INFO),
		    ui.show_noted ? "hide" : "list", ui.have_results ?
		    "endpoints checked" : "endpoints not checked yet");
		draw_clipped(y, 2, ui.cols - 4, UR_NORMAL, head);
	}
	y += 2;
	/* The list takes what it needs (up to half); the detail follows. */
	list_rows = n < space / 2 ? n : space / 2;
	ui_keep_in_view(n, list_rows);
	for (int i = ui.scroll; i < n && i < ui.scroll + list_rows; i++)
		draw_row(y + i - ui.scroll, (size_t)i);
	list_draw_position(y + list_rows, n, list_rows);
	if (n == 0 && ui.have_review)
		draw_text(y, 2, ui.cols - 4, UR_OK, "Nothing stands in the way.");
	ui_draw_review_error(y - 1);
	y += (list_rows > 0 ? list_rows : 1) + 1;
	draw_detail(y, end - 1 - y);
	for (int b = 0; b < R_BUTTONS; b++) {
		draw_button(end, x, labels[b], ui.focus == n + b);
		x += (int)strlen(labels[b]) + 6;
	}
	if (ui.task.job != NULL)
		draw_text(end, x, ui.cols - x - 2, UR_WARN, ui_task_progress());
}

const struct ui_screen_ops scr_review = {
	WS_REVIEW, review_enter, review_draw, review_key,
	"Up/Down select  Enter open  a noted  Tab buttons  Esc back  F1 help",
};
