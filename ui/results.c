/* The results of a live check, as the forms and the review show them. */
#include "ui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A host key that no known_hosts holds is the operator's to judge: its
 * fingerprint is in the result's detail, below; yes checks again,
 * trusting it (answer_trust, ui.c). A changed key is never offered. */
static void
ask_trust(void)
{
	const char *one = NULL, *sha;
	size_t n = 0;

	for (size_t i = 0; i < ui.results.n; i++)
		if (ui.results.v[i].failure == PF_HOSTKEY &&
		    ui.results.v[i].host_key_new && n++ == 0)
			one = ui.results.v[i].detail;
	if (n == 0 || ui.check_again == NULL)
		return;
	/* One key: its fingerprint fits the message line at 80 columns. */
	if (n == 1 && one != NULL && (sha = strstr(one, "SHA256:")) != NULL)
		ui_say(UR_WARN, "Trust host key %.*s? y/n",
		    (int)strcspn(sha, ", "), sha);
	else
		ui_say(UR_WARN, "Trust the %zu new host keys (below)? y/n", n);
	ui.confirm_trust = 1;
}

/* Takes a finished job's results (and facts) into the screen state, says
 * how it went, and frees the job. */
static void
collect(struct wiz_task_job *j)
{
	if (j->rc < 0) {
		ui_say(UR_ERROR, "%s", j->e.msg);
	} else {
		size_t failed = probe_failures(&j->results);

		ui.results = j->results;
		memset(&j->results, 0, sizeof j->results);
		ui.have_results = 1;
		if (j->text == NULL) {	/* every endpoint: keep the facts */
			if (ui.have_facts)
				facts_free(&ui.facts);
			ui.facts = j->facts;
			facts_init(&j->facts);
			/* The rules then name the release the databases are
			 * at (the profiles outlive the facts). */
			ui.facts.releases = &ui.w.releases;
			ui.have_facts = 1;
			ui_keep_all_results();
		}
		if (ui.results.n == 0)
			ui_say(UR_WARN, "Nothing here is checked over the "
			    "network: a PVC or a local volume is checked by the "
			    "cluster when it creates it.");
		else if (failed == 0)
			ui_say(UR_OK, "%s: fine.", ui.task.label);
		else
			ui_say(UR_ERROR, "%s: %zu of %zu failed (below).",
			    ui.task.label, failed, ui.results.n);
		ask_trust();
	}
	wiz_task_job_free(j);
}

int
ui_collect_task(void)
{
	struct wiz_task_job *j;

	if (ui.task.job == NULL || !wiz_task_done(&ui.task))
		return 0;
	j = wiz_task_take(&ui.task);
	ui_clear_results();
	collect(j);
	return 1;
}

/* What a probe learnt about the machine (SSH: the OS, Docker, clock):
 * each of its lines wrapped, under the detail. */
static int
draw_about(int y, int max_rows, const char *about)
{
	int used = 0, width = ui.cols - 9;

	while (about != NULL && *about != '\0' && used < max_rows) {
		size_t len = strcspn(about, "\n");
		char *line = xstrndup(about, len);

		used += draw_wrapped(y + used, 7, width, max_rows - used,
		    UR_NORMAL, line);
		free(line);
		about += len + (about[len] == '\n');
	}
	return used;
}

int
ui_draw_result(int y, int max_rows, const struct probe_result *r)
{
	int used = 0, width = ui.cols - 4;
	int fine = r->failure == PF_NONE || r->failure == PF_SKIPPED;
	char *head;

	if (max_rows <= 0)
		return 0;
	head = fine ? xasprintf("%s %s %s", r->failure == PF_NONE ? "ok  " :
	    "skip", r->service, r->endpoint) : xasprintf("FAIL %s %s: %s",
	    r->service, r->endpoint, probe_failure_name(r->failure));
	draw_text(y + used++, 2, width, fine ? UR_OK : UR_ERROR, head);
	free(head);
	used += draw_wrapped(y + used, 7, width - 5, max_rows - used,
	    UR_NORMAL, r->detail);
	used += draw_about(y + used, max_rows - used, r->about);
	if (!fine && r->fix != NULL && used < max_rows) {
		char *fix = xasprintf("Fix: %s", r->fix);

		used += draw_wrapped(y + used, 7, width - 5, max_rows - used,
		    UR_WARN, fix);
		free(fix);
	}
	return used;
}

int
ui_draw_results(int y, int max_rows)
{
	int used = 0;

	for (size_t i = 0; i < ui.results.n && used < max_rows; i++)
		used += ui_draw_result(y + used, max_rows - used,
		    &ui.results.v[i]);
	return used;
}

const char *
ui_task_progress(void)
{
	static char text[96];
	size_t finished, total;
	long ms;

	if (wiz_task_progress(&ui.task, &finished, &total, &ms) < 0)
		return "";
	if (total > 0)
		snprintf(text, sizeof text, "%s %zu of %zu done, %ld.%ld s",
		    draw_spinner(), finished, total, ms / 1000, ms % 1000 / 100);
	else
		snprintf(text, sizeof text, "%s %ld.%ld s", draw_spinner(),
		    ms / 1000, ms % 1000 / 100);
	return text;
}
