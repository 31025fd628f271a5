/*
 * The wizard's live checks in the background, so that the terminal stays
 * responsive (ui/ turns a spinner; Esc cancels). Nothing here draws: a
 * check opens its own session and runs the probes in a thread that blocks
 * the program's signals (thread.h). A cancelled check is left to finish by
 * its deadline in its thread, which then frees what it holds.
 */
#ifndef SHS_WIZ_TASK_H
#define SHS_WIZ_TASK_H

#include <pthread.h>

#include "probe.h"
#include "rules.h"

struct wiz_task_job {
	pthread_mutex_t		 mu;
	int			 done, cancelled;
	/* In: a form's answers (text), or every endpoint of the file. */
	char			*data_dir, *text, *path, *keys;
	long			 timeout_ms;
	int			 accept_new_host_keys;
	/* Progress (under mu): endpoints finished of `total` (0: not known
	 * yet), and when it started (CLOCK_MONOTONIC, ms). */
	size_t			 finished, total;
	long			 started_ms;
	/* Out. */
	struct probe_results	 results;
	struct facts		 facts;
	struct err		 e;
	int			 rc;
};

struct wiz_task {
	struct wiz_task_job		*job;	/* NULL when idle */
	char			*label;	/* "PostgreSQL", "every endpoint" */
	/* The next check started trusts SSH host keys not yet known (the
	 * operator said yes to their fingerprints); reset once it starts. */
	int			 accept_new_host_keys;
};

/* Checks `keys` over a form's answers (text taken). */
int	wiz_task_start_form(struct wiz_task *t, const char *label, const char *data_dir,
	    char *text, const char *path, const char *keys, long timeout_ms);
/* Checks every endpoint of the saved answers, keeping the facts. */
int	wiz_task_start_all(struct wiz_task *t, const char *data_dir, const char *path,
	    long timeout_ms);
/* How the running check stands: endpoints finished of *total (0 when
 * not known) and the milliseconds since it started; -1 when idle. */
int	wiz_task_progress(const struct wiz_task *t, size_t *finished,
	    size_t *total, long *elapsed_ms);
/* Has the running check finished? */
int	wiz_task_done(const struct wiz_task *t);
/* The finished job (the caller frees it with wiz_task_job_free). */
struct wiz_task_job *wiz_task_take(struct wiz_task *t);
void	wiz_task_cancel(struct wiz_task *t);
void	wiz_task_job_free(struct wiz_task_job *j);

#endif
