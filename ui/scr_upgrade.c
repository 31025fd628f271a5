/*
 * The Upgrade path: the release to reach, the chain of hops through every
 * hard stop with each hop's gates (offline, or over the servers after
 * Test), and the steps of the first hop: write the hop folders, confirm
 * its backup, verify it in the live databases. Verifying moves the answers
 * on, and the chain then starts from the next hop.
 */
#include "ui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"

#define TEST_TIMEOUT_MS	5000

/* The hop the last verification was of: after it, the chain starts at the
 * next hop, and its heading must still name the one verified. */
static char verified_hop[64];

enum { U_BACK, U_TEST, U_WRITE, U_BACKUP, U_VERIFY, U_BUTTONS };

static const char *const labels[] = {
	"Back", "Test", "Write hops", "Backup done", "Verify",
};

/* Rows: the target, then the hops; the buttons follow. */
static int
hops(void)
{
	return ui.upgrade.planned ? (int)ui.upgrade.u.n : 0;
}

static int
button_of(int focus)
{
	return focus - 1 - hops();
}

/* The hop folders beside the output folder: generate replaces its own
 * folder as a whole, so they cannot be inside it. */
static char *
upgrade_dir(void)
{
	char *parent = fs_dirname(ui.out_dir);
	char *dir = xasprintf("%s/sentry-ha-upgrade", parent);

	free(parent);
	return dir;
}

static void
replan(const char *to)
{
	char *keep = to ? xstrdup(to) : NULL;

	if (ui.have_upgrade)
		wiz_upgrade_free(&ui.upgrade);
	wiz_upgrade_plan(&ui.w, keep, ui.have_facts ? &ui.facts : NULL,
	    &ui.upgrade);
	ui.have_upgrade = 1;
	free(keep);
	if (ui.focus > hops() + U_BUTTONS)
		ui.focus = hops() + U_BUTTONS;
}

static void
upgrade_enter(void)
{
	ui.confirm_backup = 0;
	replan(NULL);
	if (ui.upgrade.error != NULL)
		ui_say(UR_ERROR, "%s", ui.upgrade.error);
}

static const char *
state_text(size_t i)
{
	switch (upgrade_hop_state(&ui.upgrade.u, &ui.upgrade.st, i)) {
	case HOP_NEXT:
		return "next: back up";
	case HOP_BACKED_UP:
		return "run, then Verify";
	default:
		return "waiting";
	}
}

static void
draw_target(int y)
{
	const struct wiz_upgrade *up = &ui.upgrade;
	char *line = xasprintf("From Sentry %s (the answers) to:  %s %s %s",
	    up->now.pl.release ? up->now.pl.release : "?", ui.utf8 ? "\u25c2" :
	    "<", up->targets.v[up->target], ui.utf8 ? "\u25b8" : ">");

	draw_text(y, 2, ui.cols - 4, ui.focus == 0 ? UR_FOCUS : UR_NORMAL, line);
	free(line);
}

static void
draw_hop(int y, size_t i)
{
	const struct upgrade_hop *h = &ui.upgrade.u.v[i];
	size_t errors = findings_count(&h->f, SEV_ERROR);
	size_t warnings = findings_count(&h->f, SEV_WARNING);
	char *line = xasprintf("%-22s %-9s %zu error%s %zu warning%s  %s",
	    h->dir, h->s.pl.profile->hard_stop ? "hard stop" : "target", errors,
	    errors == 1 ? " " : "s", warnings, warnings == 1 ? " " : "s",
	    state_text(i));

	draw_clipped(y, 4, ui.cols - 6, ui.focus == (int)i + 1 ? UR_FOCUS :
	    errors ? UR_ERROR : UR_NORMAL, line);
	free(line);
}

/* The findings to show below the hops: the last verification's, else the
 * focused hop's gates (the first hop's while the target is focused). */
static const struct findings *
shown_findings(const char **title)
{
	static char heading[96];
	size_t i = ui.focus >= 1 && ui.focus <= hops() ? (size_t)ui.focus - 1 : 0;

	if (ui.have_verified) {
		snprintf(heading, sizeof heading, "Verification of hop %s:",
		    verified_hop);
		*title = heading;
		return &ui.verified;
	}
	snprintf(heading, sizeof heading, "Gates of hop %s (%s):",
	    ui.upgrade.u.v[i].dir, ui.upgrade.live ? "live" :
	    "offline; Test checks the servers");
	*title = heading;
	return &ui.upgrade.u.v[i].f;
}

static void
draw_findings(int y, int end)
{
	const char *title;
	const struct findings *f = shown_findings(&title);
	int shown = 0;

	draw_text(y++, 2, ui.cols - 4, UR_TITLE, title);
	for (size_t i = 0; i < f->n && y < end; i++) {
		const struct finding *x = &f->v[i];
		char *line;

		if (x->severity == SEV_INFO && !ui.have_verified)
			continue;
		line = xasprintf("%s %s", x->severity == SEV_ERROR ? "ERROR" :
		    x->severity == SEV_WARNING ? "WARN " : "ok   ", x->message);
		y += draw_wrapped(y, 4, ui.cols - 6, end - y, x->severity ==
		    SEV_ERROR ? UR_ERROR : x->severity == SEV_WARNING ? UR_WARN :
		    UR_OK, line);
		free(line);
		shown++;
	}
	if (shown == 0 && y < end)
		draw_text(y, 4, ui.cols - 6, UR_OK, "no gate fails");
}

static void
draw_buttons(int y)
{
	int x = 2;

	for (int b = 0; b < U_BUTTONS; b++) {
		draw_button(y, x, labels[b], button_of(ui.focus) == b);
		x += (int)strlen(labels[b]) + 5;
	}
	if (ui.task.job != NULL)
		draw_text(y - 1, 2, ui.cols - 4, UR_WARN, ui_task_progress());
}

static void
upgrade_draw(void)
{
	int y = 2, end = ui_body_end();

	if (!ui.upgrade.planned) {
		draw_wrapped(y, 2, ui.cols - 4, end - y - 1, UR_ERROR,
		    ui.upgrade.error ? ui.upgrade.error : "");
		draw_button(end, 2, labels[U_BACK], 1);
		return;
	}
	draw_target(y);
	y += 1 + draw_wrapped(y + 1, 2, ui.cols - 4, 2, UR_NORMAL, "Sentry "
	    "refuses to skip a hard stop: each hop is backed up, run from its "
	    "RUNBOOK.md and verified before the next.");
	for (int i = 0; i < hops() && y < end - 2; i++)
		draw_hop(++y, (size_t)i);
	draw_findings(y + 2, end - 1);
	draw_buttons(end);
}

/* Left and Right on the target: the release before or after. */
static void
move_target(int step)
{
	const struct wiz_upgrade *up = &ui.upgrade;
	size_t to = up->target;

	if (step < 0 && to > 0)
		to--;
	else if (step > 0 && to + 1 < up->targets.n)
		to++;
	if (to != up->target)
		replan(up->targets.v[to]);
}

/* What a hop changes and all its gates, over the screen. */
static void
show_hop(size_t i)
{
	const struct upgrade_hop *h = &ui.upgrade.u.v[i];
	struct strbuf text = STRBUF_INIT;
	struct strlist lines = { 0 };
	char *all, *title, *line, *next;

	hop_diff_text(&h->diff, &text);
	sb_add(&text, "### Gates\n\n");
	for (size_t j = 0; j < h->f.n; j++)
		sb_printf(&text, "- %s %s: %s\n", severity_names[h->f.v[j].severity],
		    h->f.v[j].rule, h->f.v[j].message);
	all = sb_take(&text);
	for (line = all; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		sl_add(&lines, line);
	}
	title = xasprintf("Hop %s: what Sentry %s changes", h->dir,
	    h->s.pl.release);
	viewer_open(title, &lines);
	free(title);
	free(all);
}

static void
start_check(int verifying, const char *what)
{
	/* One check at a time: a second would orphan the first. */
	if (ui.task.job != NULL) {
		ui_say(UR_WARN, "A check is running: wait for it, or Esc cancels "
		    "it.");
		return;
	}
	ui.verifying = verifying;
	/* A verification reads the servers as they are now, never what an
	 * earlier check found. */
	if (verifying && ui.have_facts) {
		facts_free(&ui.facts);
		ui.have_facts = 0;
	}
	/* The review's check, not this one, asks about new host keys. */
	ui.check_again = NULL;
	if (wiz_task_start_all(&ui.task, ui.w.data_dir, ui.w.path,
	    TEST_TIMEOUT_MS) < 0)
		ui_say(UR_ERROR, "cannot start the check (no thread)");
	else
		ui_say(UR_NORMAL, "%s ... (Esc cancels)", what);
}

static void
write_hops(void)
{
	char *dir = upgrade_dir();
	struct err e;

	err_clear(&e);
	if (wiz_upgrade_write(&ui.upgrade, dir, &e) < 0)
		ui_say(UR_ERROR, "%s", e.msg);
	else
		ui_say(UR_OK, "Wrote %s/: read UPGRADE.md, then %s/RUNBOOK.md.",
		    dir, ui.upgrade.u.v[0].dir);
	free(dir);
}

static void
backup_done(void)
{
	struct err e;

	if (!ui.confirm_backup) {
		ui.confirm_backup = 1;
		ui_say(UR_WARN, "Are the backups of hop %s taken (its RUNBOOK.md "
		    "step 1)? Press Backup done again to record it.",
		    ui.upgrade.u.v[0].dir);
		return;
	}
	ui.confirm_backup = 0;
	err_clear(&e);
	if (wiz_upgrade_backup_done(&ui.upgrade, &e) < 0)
		ui_say(UR_ERROR, "%s", e.msg);
	else
		ui_say(UR_OK, "Backup of hop %s confirmed at %s. Next: its "
		    "RUNBOOK.md steps 2 to 4, then Verify.", ui.upgrade.u.v[0].dir,
		    upgrade_hop_backup(&ui.upgrade.u, &ui.upgrade.st));
}

static void
press(int b)
{
	struct err e;

	err_clear(&e);
	if (b != U_BACKUP)
		ui.confirm_backup = 0;
	if (b == U_BACK)
		ui_go(0);
	else if (!ui.upgrade.planned)
		ui_say(UR_ERROR, "%s", ui.upgrade.error ? ui.upgrade.error : "");
	else if (b == U_TEST)
		start_check(0, "Checking every endpoint");
	else if (b == U_WRITE)
		write_hops();
	else if (b == U_BACKUP)
		backup_done();
	else if (upgrade_may_verify(&ui.upgrade.u, &ui.upgrade.st, &e) < 0)
		ui_say(UR_ERROR, "%s", e.msg);
	else
		start_check(1, "Reading PostgreSQL and ClickHouse");
}

/* The first of the databases whose migrations could not be read, or
 * NULL; in a fixed order, not in the order the checks ended. */
static const struct probe_result *
first_failure(void)
{
	static const char *const databases[] = { "PostgreSQL", "ClickHouse" };

	for (size_t d = 0; d < 2; d++)
		for (size_t i = 0; ui.have_results && i < ui.results.n; i++)
			if (strcmp(ui.results.v[i].service, databases[d]) == 0 &&
			    upgrade_unread(&ui.results.v[i], &ui.facts))
				return &ui.results.v[i];
	return NULL;
}

/* A finished verification: the answers moved on when the hop is done. */
static void
verified(void)
{
	char *bak = NULL, *to = xstrdup(ui.upgrade.targets.v[ui.upgrade.target]);
	const char *now;
	struct err e;

	err_clear(&e);
	snprintf(verified_hop, sizeof verified_hop, "%s", ui.upgrade.u.v[0].dir);
	if (ui.have_verified)
		findings_free(&ui.verified);
	ui.have_verified = 1;
	if (wiz_upgrade_verify(&ui.w, &ui.upgrade, &ui.facts, &ui.verified,
	    &bak, &e) < 0) {
		const struct probe_result *r = first_failure();

		if (r != NULL)
			ui_say(UR_ERROR, "%s: %s %s: %s", e.msg, r->service,
			    r->endpoint, r->detail);
		else
			ui_say(UR_ERROR, "%s", e.msg);
	} else {
		now = yn_path_text(ui.w.doc, "sentry.version");
		replan(to);
		if (now != NULL && strcmp(now, to) == 0)
			ui_say(UR_OK, "Hop %s verified: Sentry %s is reached, the "
			    "upgrade is complete (the answers before are %s).",
			    verified_hop, to, bak);
		else
			ui_say(UR_OK, "Hop %s verified: the answers now run Sentry %s "
			    "(the file before is %s).", verified_hop, now ? now : "?",
			    bak);
	}
	free(bak);
	free(to);
}

static void
collected(void)
{
	int verifying = ui.verifying;
	char *to;

	ui.verifying = 0;
	if (!ui.have_facts)
		return;
	if (verifying) {
		verified();
		return;
	}
	to = xstrdup(ui.upgrade.targets.v[ui.upgrade.target]);
	replan(to);
	free(to);
	if (ui.have_results && probe_failures(&ui.results) > 0)
		ui_say(UR_WARN, "%zu of %zu endpoints could not be checked: the "
		    "gates they decide are unknown (Review lists why).",
		    probe_failures(&ui.results), ui.results.n);
}

static void
upgrade_key(enum ui_action a, int ch)
{
	int total = 1 + hops() + U_BUTTONS, b = button_of(ui.focus);

	if (ui_collect_task()) {
		if (ui.upgrade.planned)
			collected();
		return;
	}
	if (a == UA_BACK && ui.task.job != NULL) {
		wiz_task_cancel(&ui.task);
		ui_say(UR_WARN, "Check cancelled.");
	} else if (a == UA_BACK) {
		ui_go(0);
	} else if ((a == UA_LEFT || a == UA_RIGHT) && ui.focus == 0 &&
	    ui.upgrade.planned) {
		move_target(a == UA_LEFT ? -1 : 1);
	} else if ((a == UA_LEFT || a == UA_RIGHT) && b >= 0) {
		ui.focus = 1 + hops() + (b + (a == UA_LEFT ? U_BUTTONS - 1 : 1)) %
		    U_BUTTONS;
	} else if (a == UA_ENTER && b >= 0) {
		press(b);
	} else if (a == UA_ENTER && ui.focus == 0) {
		ui_say(UR_NORMAL, "Left and Right choose the release to reach.");
	} else if (a == UA_ENTER) {
		show_hop((size_t)ui.focus - 1);
	} else if (!list_key(a, total, 4) && !ui_common_key(a, ch)) {
		return;
	}
	if (a != UA_NONE && b != U_BACKUP)
		ui.confirm_backup = 0;
	if (a != UA_NONE && ui.have_verified && a != UA_ENTER) {
		findings_free(&ui.verified);
		ui.have_verified = 0;
	}
}

const struct ui_screen_ops scr_upgrade = {
	WS_UPGRADE, upgrade_enter, upgrade_draw, upgrade_key,
	"Up/Down hops  Left/Right release  Enter open  Tab buttons  q quit",
};
