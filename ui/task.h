/*
 * A live check in the background, so that the wizard stays responsive
 * (a spinner turns, Esc cancels). A cancelled check is left to finish by
 * its deadline in its thread, which then frees what it holds.
 */
#ifndef SHS_UI_TASK_H
#define SHS_UI_TASK_H

#include <pthread.h>

#include "probe.h"
#include "rules.h"

struct task_job {
	pthread_mutex_t		 mu;
	int			 done, cancelled;
	/* In: a form's answers (text), or every endpoint of the file. */
	char			*data_dir, *text, *path, *keys;
	long			 timeout_ms;
	/* Out. */
	struct probe_results	 results;
	struct facts		 facts;
	struct err		 e;
	int			 rc;
};

struct task {
	struct task_job		*job;	/* NULL when idle */
	char			*label;	/* "PostgreSQL", "every endpoint" */
};

/* Checks `keys` over a form's answers (text taken). */
int	task_start_form(struct task *t, const char *label, const char *data_dir,
	    char *text, const char *path, const char *keys, long timeout_ms);
/* Checks every endpoint of the saved answers, keeping the facts. */
int	task_start_all(struct task *t, const char *data_dir, const char *path,
	    long timeout_ms);
/* Has the running check finished? */
int	task_done(const struct task *t);
/* The finished job (the caller frees it with task_job_free). */
struct task_job *task_take(struct task *t);
void	task_cancel(struct task *t);
void	task_job_free(struct task_job *j);

#endif
