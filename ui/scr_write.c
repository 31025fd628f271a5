/*
 * The last screen: what the output folder will hold and what changes in
 * the one there now (Enter on a changed file shows its changes), then
 * Write, then the summary and the first command; on Swarm, Deploy onto a
 * manager (deploy_view.c).
 */
#include "ui.h"

#include "fsutil.h"

#include <curses.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

enum { X_BACK, X_WRITE, X_DEPLOY, X_LOG, X_BUNDLE, X_QUIT, X_BUTTONS };

static const char *const labels[] = { "Back", "Write", "Deploy", "Log",
	"Bundle", "Quit" };

static const char *const change_names[] = {
	[WC_NEW] = "new", [WC_CHANGED] = "changed", [WC_SAME] = "same",
	[WC_REMOVED] = "removed",
};

/* Written already: only Quit is left. */
static int
written(void)
{
	return ui.farewell != NULL;
}

/* The rows: every file that is not the same, in the order of
 * wiz_output (removed, changed, new; the same ones last and not shown). */
static int
file_rows(void)
{
	int n = 0;

	for (size_t i = 0; ui.have_output && i < ui.output.n; i++)
		n += ui.output.v[i].kind != WC_SAME;
	return n;
}

/* The buttons offered now, in order; their count. */
static int
buttons(int *out)
{
	int n = 0;

	if (!written()) {
		out[n++] = X_BACK;
		out[n++] = X_WRITE;
	}
	if (deploy_view_offered())
		out[n++] = X_DEPLOY;
	if (ui.deploy.job != NULL)
		out[n++] = X_LOG;
	/* The images to carry into a mirror, once there is one. */
	if (ui.have_output && ui.output.s.pl.target.registry != NULL)
		out[n++] = X_BUNDLE;
	out[n++] = X_QUIT;
	return n;
}

static void
prepare(void)
{
	struct err e;

	if (ui.have_output)
		wiz_output_free(&ui.output);
	ui.have_output = 0;
	err_clear(&e);
	if (wiz_prepare_output(&ui.w, ui.out_dir, &ui.output, &e) < 0) {
		free(ui.review_error);
		ui.review_error = xstrdup(e.msg);
		ui_say(UR_ERROR, "%s", e.msg);
		wiz_output_free(&ui.output);
		return;
	}
	ui.have_output = 1;
	if (findings_count(&ui.output.f, SEV_ERROR) > 0)
		ui_say(UR_ERROR, "%zu rule%s reported an error: nothing is "
		    "written until it is fixed (Back to the review).",
		    findings_count(&ui.output.f, SEV_ERROR),
		    findings_count(&ui.output.f, SEV_ERROR) == 1 ? "" : "s");
	else if (ui.output.foreign)
		ui_say(UR_ERROR, "%s exists and was not written by "
		    "sentry-ha-setup: it will not be replaced. Choose another "
		    "folder (sentry-ha-setup wizard -o DIR).", ui.out_dir);
}

static void
write_enter(void)
{
	prepare();
	ui.focus = file_rows() + X_WRITE;
}

static void
farewell(void)
{
	const struct plan *pl = &ui.output.s.pl;
	char *made = ui.output.s.k.created ? keys_made_text(ui.output.s.k.created) :
	    NULL, *keys = made ? xasprintf("Generated %s into %s: keep it.\n", made,
	    ui.output.s.keys_path) : xstrdup("");

	ui.farewell = xasprintf("Wrote %s/ for Sentry %s on %s from %s.\n"
	    "%s"
	    "Next: less %s/RUNBOOK.md, and follow it step by step.\n",
	    ui.out_dir, pl->release, strcmp(pl->target.kind, "swarm") == 0 ?
	    "Docker Swarm" : "Kubernetes", ui.w.path, keys, ui.out_dir);
	free(keys);
	free(made);
}

/* The bundle beside the output folder: generate replaces that one as a
 * whole. */
static void
write_bundle(void)
{
	char *parent = fs_dirname(ui.out_dir);
	char *dir = xasprintf("%s/sentry-ha-bundle", parent);
	size_t images = 0;
	struct err e;

	err_clear(&e);
	if (wiz_write_bundle(&ui.output, dir, &images, &e) < 0)
		ui_say(UR_ERROR, "%s", e.msg);
	else
		ui_say(UR_OK, "Wrote %s/: %zu images. Run its save.sh where they "
		    "can be pulled, then load.sh on the bastion (its README.md).",
		    dir, images);
	free(dir);
	free(parent);
}

static void
press(int b)
{
	struct err e;

	if (b == X_DEPLOY) {
		deploy_view_ask();
	} else if (b == X_LOG) {
		deploy_view_open_log();
	} else if (b == X_BUNDLE) {
		write_bundle();
	} else if (b == X_BACK) {
		ui_go(wiz_prev(&ui.w, ui.w.screen));
	} else if (b == X_QUIT) {
		ui.quit = 1;
	} else if (!ui.have_output || ui.output.foreign ||
	    findings_count(&ui.output.f, SEV_ERROR) > 0) {
		/* The reason stays on the message line (prepare said it). */
		prepare();
	} else if (wiz_write_output(&ui.output, &e) < 0) {
		ui_say(UR_ERROR, "%s", e.msg);
	} else {
		farewell();
		ui_say(UR_OK, "Written. Next: less %s/RUNBOOK.md", ui.out_dir);
		ui.focus = file_rows();	/* the first button left */
	}
}

/* The change of row r (the r-th file that is not the same). */
static size_t
change_at(int r)
{
	for (size_t i = 0; i < ui.output.n; i++)
		if (ui.output.v[i].kind != WC_SAME && r-- == 0)
			return i;
	return ui.output.n;
}

static void
show_diff(int row)
{
	size_t i = change_at(row);
	struct strlist lines = { 0 };
	struct err e;
	char *title;

	if (i >= ui.output.n || ui.output.v[i].kind == WC_REMOVED)
		return;
	err_clear(&e);
	if (wiz_change_diff(&ui.output, i, &lines, &e) < 0) {
		ui_say(UR_WARN, "%s", e.msg);
		sl_free(&lines);
		return;
	}
	title = xasprintf(" %s %s ", ui.output.v[i].kind == WC_NEW ? "New" :
	    "Changes to", ui.output.v[i].path);
	viewer_open(title, &lines);
	free(title);
}

static void
write_key(enum ui_action a, int ch)
{
	int list[X_BUTTONS], nb = buttons(list), rows = file_rows();

	if (deploy_view_key(a, ch))
		return;
	if (list_key(a == UA_RIGHT ? UA_DOWN : a == UA_LEFT ? UA_UP : a,
	    rows + nb, 5))
		return;
	if (a == UA_ENTER && ui.focus < rows)
		show_diff(ui.focus);
	else if (a == UA_ENTER)
		press(list[ui.focus - rows < nb ? ui.focus - rows : nb - 1]);
	else if (a == UA_BACK && !written())
		ui_go(wiz_prev(&ui.w, ui.w.screen));
	else if (a == UA_BACK)
		ui.quit = 1;	/* nothing is left to go back for */
	else
		ui_common_key(a, ch);
}

static void
draw_file(int y, int row)
{
	const struct wiz_change *c = &ui.output.v[change_at(row)];
	char line[320];

	if (written())
		snprintf(line, sizeof line, "%-8s %s", c->kind == WC_REMOVED ?
		    "removed" : "written", c->path);
	else if (c->kind == WC_CHANGED)
		snprintf(line, sizeof line, "%-8s %s (+%zu -%zu)",
		    change_names[c->kind], c->path, c->added, c->removed);
	else
		snprintf(line, sizeof line, "%-8s %s", change_names[c->kind],
		    c->path);
	draw_clipped(y, 4, ui.cols - 6, row == ui.focus ? UR_FOCUS :
	    c->kind == WC_REMOVED ? UR_WARN : UR_NORMAL, line);
}

static void
draw_summary(int y)
{
	size_t count[4] = { 0 }, added = 0, removed = 0;
	char line[256];

	for (size_t i = 0; i < ui.output.n; i++) {
		count[ui.output.v[i].kind]++;
		added += ui.output.v[i].added;
		removed += ui.output.v[i].removed;
	}
	if (written())
		snprintf(line, sizeof line, "%s/: written, %zu files (%zu were "
		    "the same).", ui.out_dir, ui.output.n - count[WC_REMOVED],
		    count[WC_SAME]);
	else
		snprintf(line, sizeof line, "%s/: %zu new, %zu changed (+%zu "
		    "-%zu lines), %zu the same, %zu removed. Enter on a file "
		    "shows its changes.", ui.out_dir, count[WC_NEW],
		    count[WC_CHANGED], added, removed, count[WC_SAME],
		    count[WC_REMOVED]);
	draw_wrapped(y, 2, ui.cols - 4, 2, UR_NORMAL, line);
}

static void
write_draw(void)
{
	int list[X_BUTTONS], nb = buttons(list), rows = file_rows();
	int end = ui_body_end(), top = 5, space = end - 1 - top, x = 2;

	if (!ui.have_output) {
		ui_draw_review_error(2);
	} else if (deploy_view_draw(top, end - 1)) {
		draw_summary(2);
	} else {
		draw_summary(2);
		ui_keep_in_view(rows, space);
		for (int r = ui.scroll; r < rows && r < ui.scroll + space; r++)
			draw_file(top + r - ui.scroll, r);
		list_draw_position(4, rows, space);
	}
	for (int b = 0; b < nb; b++) {
		draw_button(end, x, labels[list[b]], ui.focus == rows + b);
		x += (int)strlen(labels[list[b]]) + 6;
	}
}

const struct ui_screen_ops scr_write = {
	WS_WRITE, write_enter, write_draw, write_key,
	"Up/Down files  Enter changes/ok  Tab buttons  Esc back/quit  F10 quit",
};
