/*
 * The Write screen's Deploy: once the Swarm output is written, the same
 * steps as `sentry-ha-setup deploy`, asked about first with what will
 * happen, then run in the background (wiz_deploy.h) while the screen shows
 * the log's last lines as they come. Text from the host is made printable
 * before it is drawn.
 */
#include "ui.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "printable.h"

/* Each step but deploy.sh itself, as `deploy --timeout`'s default. */
#define STEP_TIMEOUT_MS	5000

int
deploy_view_offered(void)
{
	return ui.have_output && ui.farewell != NULL &&
	    strcmp(ui.output.s.pl.target.kind, "swarm") == 0 &&
	    ui.output.s.pl.nhosts > 0 && !deploy_view_busy() &&
	    !ui.deploy.asking;
}

void
deploy_view_ask(void)
{
	struct err e;

	err_clear(&e);
	if (deploy_prepare(&ui.deploy.pending, &ui.output.s.pl, ui.out_dir,
	    NULL, NULL, &e) < 0) {
		deploy_free(&ui.deploy.pending);
		ui_say(UR_ERROR, "%s", e.msg);
		return;
	}
	ui.deploy.asking = 1;
	ui_say(UR_WARN, "Deploy onto %s now, as above? y/n",
	    ui.deploy.pending.host->name);
}

static void
start(void)
{
	struct err e;

	ui.deploy.asking = 0;
	wiz_deploy_free(ui.deploy.job);	/* the one before, finished */
	ui.deploy.job = NULL;
	free(ui.deploy.host);
	ui.deploy.host = xstrdup(ui.deploy.pending.host->name);
	err_clear(&e);
	if (wiz_deploy_start(&ui.deploy.pending, STEP_TIMEOUT_MS,
	    &ui.deploy.job, &e) < 0) {
		deploy_free(&ui.deploy.pending);
		ui_say(UR_ERROR, "%s", e.msg);
		return;
	}
	ui.deploy.collected = 0;
	ui_say(UR_NORMAL, "Deploying onto %s...", ui.deploy.host);
}

int
deploy_view_key(enum ui_action a, int ch)
{
	if (!ui.deploy.asking)
		return 0;
	if (a == UA_CHAR && (ch == 'y' || ch == 'Y')) {
		start();
	} else if ((a == UA_CHAR && (ch == 'n' || ch == 'N')) || a == UA_BACK) {
		ui.deploy.asking = 0;
		deploy_free(&ui.deploy.pending);
		ui_say(UR_WARN, "Not deployed: nothing was copied or run.");
	}
	return 1;	/* nothing else while the question is open */
}

int
deploy_view_busy(void)
{
	return ui.deploy.job != NULL && !ui.deploy.collected;
}

/* The outcome, also for the terminal once the wizard is gone. */
static void
say_outcome(int rc, int status, const struct err *e)
{
	char *line, *all;

	if (rc < 0)
		line = xasprintf("Not deployed: %s", e->msg);
	else
		line = xasprintf("deploy.sh on %s exited with status %d%s",
		    ui.deploy.host, status, status == 0 ? ": deployed." :
		    " (Log shows why).");
	ui_say(rc == 0 && status == 0 ? UR_OK : UR_ERROR, "%s", line);
	all = xasprintf("%s%s\n", ui.farewell ? ui.farewell : "", line);
	free(ui.farewell);
	ui.farewell = all;
	free(line);
}

void
deploy_view_poll(void)
{
	struct err e;
	int status = 0, rc;

	if (!deploy_view_busy() || !wiz_deploy_done(ui.deploy.job))
		return;
	err_clear(&e);
	rc = wiz_deploy_result(ui.deploy.job, &status, &e);
	ui.deploy.collected = 1;
	/* Nothing is left to lose by quitting: the question is moot. */
	ui.deploy.quit_asked = 0;
	say_outcome(rc, status, &e);
	ui.dirty = 1;
}

/* The log's lines, each made printable (appended to `lines`). */
static void
log_lines(struct strlist *lines)
{
	struct strbuf text = STRBUF_INIT;

	wiz_deploy_log(ui.deploy.job, &text);
	sl_split(lines, sb_str(&text), '\n');
	if (lines->n > 0 && lines->v[lines->n - 1][0] == '\0')
		free(lines->v[--lines->n]);
	for (size_t i = 0; i < lines->n; i++)
		printable_in_place(&lines->v[i]);
	sb_free(&text);
}

int
deploy_view_draw(int top, int end)
{
	struct strlist lines = { 0 };
	struct strbuf text = STRBUF_INIT;
	int rows = end - top;
	size_t first;

	if (ui.deploy.asking) {
		deploy_describe(&ui.deploy.pending, ui.cols - 4, &text);
		sl_split(&lines, sb_str(&text), '\n');
		for (size_t i = 0; i < lines.n && (int)i < rows; i++)
			draw_clipped(top + (int)i, 2, ui.cols - 4, UR_NORMAL,
			    lines.v[i]);
	} else if (ui.deploy.job != NULL) {
		log_lines(&lines);
		first = lines.n > (size_t)rows ? lines.n - (size_t)rows : 0;
		for (size_t i = first; i < lines.n; i++)
			draw_clipped(top + (int)(i - first), 2, ui.cols - 4,
			    UR_NORMAL, lines.v[i]);
		if (deploy_view_busy())
			draw_text(top - 1, 2, ui.cols - 4, UR_DIM, draw_spinner());
	}
	sl_free(&lines);
	sb_free(&text);
	return ui.deploy.asking || ui.deploy.job != NULL;
}

void
deploy_view_open_log(void)
{
	struct strlist lines = { 0 };
	char *title;

	if (ui.deploy.job == NULL)
		return;
	log_lines(&lines);
	title = xasprintf(" Deploy onto %s ", ui.deploy.host);
	viewer_open(title, &lines);
	free(title);
}

/* The remote folder, as `deploy` says it. */
static const char *
remote_dir(void)
{
	return ui.output.s.pl.target.deploy_dir ?
	    ui.output.s.pl.target.deploy_dir : DEPLOY_REMOTE_DIR;
}

int
deploy_view_ask_quit(void)
{
	enum wiz_deploy_phase p;

	if (!deploy_view_busy() ||
	    (p = wiz_deploy_phase(ui.deploy.job)) == WD_DONE)
		return 0;
	ui.deploy.quit_asked = 1;
	if (p == WD_RUNNING)
		ui_say(UR_WARN, "deploy.sh runs on %s and goes on there without "
		    "the wizard. Quit? y/n", ui.deploy.host);
	else
		ui_say(UR_WARN, "The copy to %s is not done: quitting stops it; "
		    "deploy.sh won't run. Quit? y/n", ui.deploy.host);
	return 1;
}

void
deploy_view_quit_key(enum ui_action a, int ch)
{
	if (a == UA_CHAR && (ch == 'y' || ch == 'Y')) {
		ui.deploy.quit_asked = 0;
		ui.quit = 1;
	} else if ((a == UA_CHAR && (ch == 'n' || ch == 'N')) ||
	    a == UA_BACK || a == UA_QUIT) {
		ui.deploy.quit_asked = 0;
		ui_say(UR_NORMAL, "Deploying onto %s...", ui.deploy.host);
	}
}

/* What quitting left on the host, for the terminal. */
static char *
left_behind(void)
{
	if (wiz_deploy_phase(ui.deploy.job) == WD_RUNNING)
		return xasprintf("deploy.sh was still running on %s: it goes on "
		    "there, writing to %s/%s.\n", ui.deploy.host, remote_dir(),
		    DEPLOY_LOG);
	return xasprintf("The deploy onto %s stopped while copying: deploy.sh "
	    "did not run there, and the swarm folder there is as it was.\n",
	    ui.deploy.host);
}

void
deploy_view_free(void)
{
	if (deploy_view_busy() && wiz_deploy_phase(ui.deploy.job) != WD_DONE) {
		char *left = left_behind();
		char *all = xasprintf("%s%s", ui.farewell ? ui.farewell : "", left);

		free(left);
		free(ui.farewell);
		ui.farewell = all;
	}
	deploy_free(&ui.deploy.pending);
	wiz_deploy_free(ui.deploy.job);
	ui.deploy.job = NULL;
	free(ui.deploy.host);
	ui.deploy.host = NULL;
}
