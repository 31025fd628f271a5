/*
 * The last screen: what the output folder will hold and what changes in
 * the one there now, then Write, then the summary and the first command.
 */
#include "ui.h"

#include <curses.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

enum { X_BACK, X_WRITE, X_QUIT };

static const char *const labels[] = { "Back", "Write", "Quit" };

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
	ui.focus = X_WRITE;
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

static void
press(int b)
{
	struct err e;

	if (b == X_BACK) {
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
		ui.focus = X_QUIT;
	}
}

static void
write_key(enum ui_action a, int ch)
{
	int first = written() ? X_QUIT : X_BACK;
	int last = written() ? X_QUIT : X_WRITE;

	if (a == UA_NEXT || a == UA_RIGHT || a == UA_DOWN)
		ui.focus = ui.focus < last ? ui.focus + 1 : first;
	else if (a == UA_PREV || a == UA_LEFT || a == UA_UP)
		ui.focus = ui.focus > first ? ui.focus - 1 : last;
	else if (a == UA_ENTER)
		press(ui.focus);
	else if (a == UA_BACK && !written())
		ui_go(wiz_prev(&ui.w, ui.w.screen));
	else
		ui_common_key(a, ch);
}

static void
write_draw(void)
{
	size_t count[4] = { 0 }, added = 0, removed = 0;
	int y = 2, x = 2, max = ui.rows - 10;
	char line[256];

	if (!ui.have_output) {
		ui_draw_review_error(2);
		for (int b = X_BACK; b <= X_WRITE; b++) {
			draw_button(ui.rows - 4, x, labels[b], ui.focus == b);
			x += (int)strlen(labels[b]) + 6;
		}
		return;
	}
	for (size_t i = 0; i < ui.output.n; i++) {
		count[ui.output.v[i].kind]++;
		added += ui.output.v[i].added;
		removed += ui.output.v[i].removed;
	}
	snprintf(line, sizeof line, "%s/: %zu new, %zu changed (+%zu -%zu "
	    "lines), %zu the same, %zu removed", ui.out_dir, count[WC_NEW],
	    count[WC_CHANGED], added, removed, count[WC_SAME], count[WC_REMOVED]);
	y += draw_wrapped(y, 2, ui.cols - 4, 2, UR_NORMAL, line) + 1;
	for (size_t i = 0; i < ui.output.n && max > 0; i++) {
		const struct wiz_change *c = &ui.output.v[i];

		if (c->kind == WC_SAME)
			continue;
		if (c->kind == WC_CHANGED)
			snprintf(line, sizeof line, "%-8s %s (+%zu -%zu)",
			    change_names[c->kind], c->path, c->added, c->removed);
		else
			snprintf(line, sizeof line, "%-8s %s",
			    change_names[c->kind], c->path);
		draw_text(y++, 4, ui.cols - 6, c->kind == WC_REMOVED ? UR_WARN :
		    UR_NORMAL, line);
		max--;
	}
	for (int b = written() ? X_QUIT : X_BACK; b <= (written() ? X_QUIT :
	    X_WRITE); b++) {
		draw_button(ui.rows - 4, x, labels[b], ui.focus == b);
		x += (int)strlen(labels[b]) + 6;
	}
}

const struct ui_screen_ops scr_write = {
	WS_WRITE, write_enter, write_draw, write_key,
	"Tab/Left/Right choose  Enter ok  Esc back  F1 help  F10 quit",
};
