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

static size_t
problems(void)
{
	return findings_count(&ui.findings, SEV_ERROR) +
	    findings_count(&ui.findings, SEV_WARNING);
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

			if (strncmp(field, p, n) == 0 && field[n] == '.')
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
	ui_refresh_review();
}

static void
open_row(size_t i)
{
	const struct finding *f = finding_row(i);
	const struct probe_result *r = probe_row(i);

	if (f != NULL)
		ui_go(screen_of(f->field, f->subject));
	else if (r != NULL)
		ui_go(screen_of(r->field, NULL));
}

static void
press(int b)
{
	if (b == R_BACK) {
		ui_go(wiz_prev(&ui.w, ui.w.screen));
	} else if (b == R_TEST) {
		ui_clear_results();
		if (task_start_all(&ui.task, ui.w.data_dir, ui.w.path,
		    TEST_ALL_TIMEOUT_MS) < 0)
			ui_say(UR_ERROR, "cannot start the check (no thread)");
		else
			ui_say(UR_NORMAL, "Checking every endpoint ... (Esc "
			    "cancels)");
	} else if (ui.have_review && findings_count(&ui.findings, SEV_ERROR)) {
		ui_say(UR_ERROR, "%zu error%s must be fixed first: Enter on one "
		    "opens the screen of its answer.", findings_count(&ui.findings,
		    SEV_ERROR), findings_count(&ui.findings, SEV_ERROR) == 1 ?
		    "" : "s");
	} else if (ui.have_review) {
		ui_go(wiz_next(&ui.w, ui.w.screen));
	}
}

static void
review_key(enum ui_action a, int ch)
{
	int last = (int)rows() + R_BUTTONS - 1;

	if (ui_collect_task()) {
		ui_refresh_review();	/* with what the servers said */
		return;
	}
	if (a == UA_BACK && ui.task.job != NULL) {
		task_cancel(&ui.task);
		ui_say(UR_WARN, "Check cancelled.");
	} else if (a == UA_DOWN || a == UA_NEXT || a == UA_RIGHT) {
		ui.focus = ui.focus < last ? ui.focus + 1 : 0;
	} else if (a == UA_UP || a == UA_PREV || a == UA_LEFT) {
		ui.focus = ui.focus > 0 ? ui.focus - 1 : last;
	} else if (a == UA_ENTER && (size_t)ui.focus < rows()) {
		open_row((size_t)ui.focus);
	} else if (a == UA_ENTER) {
		press(ui.focus - (int)rows());
	} else if (a == UA_BACK) {
		ui_go(wiz_prev(&ui.w, ui.w.screen));
	} else if (a == UA_CHAR && ch == 'q') {
		ui_request_quit();
	} else if (a == UA_CHAR && ch == '?') {
		ui.help = 1;
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
		    SEV_ERROR ? "ERROR" : "WARNING", f->rule, f->field ? f->field :
		    f->subject ? f->subject : "");
	else
		snprintf(line, sizeof line, "FAIL    %s %s: %s", r->service,
		    r->endpoint, probe_failure_name(r->failure));
	attrset(theme_attr(role));
	mvhline(y, 2, ' ', ui.cols - 4);
	draw_text(y, 2, ui.cols - 4, role == UR_FOCUS ? role :
	    (f == NULL || f->severity == SEV_ERROR) ? UR_ERROR : UR_WARN, line);
}

/* What the selected row says, with the fix. */
static void
draw_detail(int y, int max)
{
	const struct finding *f = finding_row((size_t)ui.focus);
	const struct probe_result *r = probe_row((size_t)ui.focus);
	const struct rule_text *t = f ? catalogue_find(&ui.review.rules,
	    f->rule) : NULL;
	char *fix;

	if (f == NULL && r == NULL)
		return;
	y += draw_wrapped(y, 2, ui.cols - 4, max, UR_NORMAL, f ? f->message :
	    r->detail);
	fix = xasprintf("Fix: %s", f ? (t ? t->fix : "") : r->fix ? r->fix : "");
	draw_wrapped(y, 2, ui.cols - 4, max - 2, UR_WARN, fix);
	free(fix);
}

static void
review_draw(void)
{
	int n = (int)rows(), list_rows = ui.rows - 13, y = 2, x = 2;
	char head[200];

	if (ui.have_review) {
		snprintf(head, sizeof head, "%zu errors, %zu warnings, %zu rules "
		    "applied or noted%s", findings_count(&ui.findings, SEV_ERROR),
		    findings_count(&ui.findings, SEV_WARNING),
		    findings_count(&ui.findings, SEV_INFO), ui.have_results ?
		    "; endpoints checked (failures first)" : "; endpoints not "
		    "checked yet (Test all)");
		draw_text(y, 2, ui.cols - 4, UR_NORMAL, head);
	}
	if (ui.focus < n) {
		if (ui.focus < ui.scroll)
			ui.scroll = ui.focus;
		if (ui.focus >= ui.scroll + list_rows)
			ui.scroll = ui.focus - list_rows + 1;
	}
	for (int i = ui.scroll; i < n && i < ui.scroll + list_rows; i++)
		draw_row(4 + i - ui.scroll, (size_t)i);
	if (n == 0 && ui.have_review)
		draw_text(4, 2, ui.cols - 4, UR_OK, "Nothing stands in the way.");
	draw_detail(5 + list_rows, 5);
	for (int b = 0; b < R_BUTTONS; b++) {
		draw_button(ui.rows - 4, x, labels[b], ui.focus == n + b);
		x += (int)strlen(labels[b]) + 6;
	}
	if (ui.task.job != NULL)
		draw_text(ui.rows - 4, x, 4, UR_WARN, draw_spinner());
}

const struct ui_screen_ops scr_review = {
	WS_REVIEW, review_enter, review_draw, review_key,
	"Up/Down select  Enter open its screen  Tab buttons  Esc back  F1 help  "
	"F10 quit",
};
