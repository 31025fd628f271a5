/* The first screen: what the wizard does, where the files go, and new or
 * start over. A session that was dropped resumes at its own screen, not
 * here. */
#include "ui.h"

#include <curses.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

enum { W_START, W_UPGRADE, W_OVER, W_QUIT, W_COUNT };

static const char *const labels[] = { "Start", "Upgrade", "Start over",
	"Quit" };

static int
answered(void)
{
	/* More than the schema line: something was answered. */
	return ui.w.doc != NULL && ui.w.doc->n > 1;
}

/* A release newer than the answers' has a profile. */
static int
upgradable(void)
{
	struct strlist newer = { 0 };
	int any;

	wiz_upgrade_targets(&ui.w, &newer);
	any = newer.n > 0;
	sl_free(&newer);
	return any;
}

static int
buttons(int *out)
{
	int n = 0;

	out[n++] = W_START;
	if (answered() && upgradable())
		out[n++] = W_UPGRADE;
	if (answered())
		out[n++] = W_OVER;
	out[n++] = W_QUIT;
	return n;
}

static void
welcome_enter(void)
{
	const char *name = strrchr(ui.w.path, '/');

	if (ui.w.foreign)
		ui_say(UR_WARN, "Written by hand: %s stays as it is until an "
		    "answer changes, and is copied to %s.bak first (saving drops "
		    "comments).", name ? name + 1 : ui.w.path, name ? name + 1 :
		    ui.w.path);
}

static void
welcome_draw(void)
{
	int list[W_COUNT], n = buttons(list), y = 2, x = 2;
	char *where = xasprintf("Your answers are saved in %s after every "
	    "field (mode 0600, it may hold passwords). The output goes to %s/. "
	    "Nothing is deployed: RUNBOOK.md says what to run.", ui.w.path,
	    ui.out_dir);

	y += draw_wrapped(y, 2, ui.cols - 4, 8, UR_NORMAL,
	    wiz_help(&ui.w, "screen welcome")) + 1;
	y += draw_wrapped(y, 2, ui.cols - 4, 4, UR_NORMAL, where) + 1;
	free(where);
	if (answered())
		y += draw_wrapped(y, 2, ui.cols - 4, 3, UR_OK, upgradable() ?
		    "Answers are already there: Start goes through them again, "
		    "Upgrade plans the hops to a newer release, Start over begins "
		    "anew (the old ones are kept as a .bak copy)." : "Answers are "
		    "already there: Start goes through them again, Start over "
		    "begins anew (the old ones are kept as a .bak copy).") + 1;
	for (int i = 0; i < n; i++) {
		draw_button(y, x, labels[list[i]], i == ui.focus);
		x += (int)strlen(labels[list[i]]) + 6;
	}
}

static void
press(int b)
{
	struct err e;

	if (b == W_QUIT) {
		ui_request_quit();
	} else if (b == W_UPGRADE) {
		for (size_t i = 0; i < wiz_screen_count(); i++)
			if (wiz_screen_at(i)->kind == WS_UPGRADE)
				ui_go(i);
	} else if (b == W_OVER && wiz_reset(&ui.w, &e) < 0) {
		ui_say(UR_ERROR, "%s", e.msg);
	} else {
		ui_go(wiz_next(&ui.w, 0));
	}
}

static void
welcome_key(enum ui_action a, int ch)
{
	int list[W_COUNT], n = buttons(list);

	if (list_key(a == UA_RIGHT ? UA_DOWN : a == UA_LEFT ? UA_UP : a, n, 1))
		;
	else if (a == UA_ENTER)
		press(list[ui.focus < n ? ui.focus : 0]);
	else if (a == UA_CHAR && ch == 'q')
		ui_request_quit();
	else if (a == UA_BACK)	/* the first screen: nothing is behind it */
		ui_say(UR_NORMAL, "This is the first screen: Enter starts, q or "
		    "F10 quits.");
	else if (a == UA_CHAR && ch == '?')
		ui.help = 1;
}

const struct ui_screen_ops scr_welcome = {
	WS_WELCOME, welcome_enter, welcome_draw, welcome_key,
	"Tab/Left/Right choose  Enter ok  F1 help  q/F10 quit",
};
