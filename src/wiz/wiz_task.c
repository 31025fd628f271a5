/* Live checks in a thread of their own (wiz_task.h). */
#include "wiz_task.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "session.h"
#include "thread.h"
#include "wiz_run.h"

void
wiz_task_job_free(struct wiz_task_job *j)
{
	if (j == NULL)
		return;
	free(j->data_dir);
	free(j->text);
	free(j->path);
	free(j->keys);
	probe_results_free(&j->results);
	facts_free(&j->facts);
	pthread_mutex_destroy(&j->mu);
	free(j);
}

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Each endpoint as it finishes (in this thread), for "3 of 7 done". */
static void
count_one(const struct probe_result *r, void *arg)
{
	struct wiz_task_job *j = arg;

	(void)r;
	pthread_mutex_lock(&j->mu);
	j->finished++;
	pthread_mutex_unlock(&j->mu);
}

/* Every endpoint: the session over the saved answers, with the passwords. */
static int
check_all(struct wiz_task_job *j)
{
	/* On the heap, and left to a probe that overran (it reads the plan). */
	struct session *s = xcalloc(1, sizeof *s);
	struct probe_opts o = { .timeout_ms = j->timeout_ms,
		.report = count_one, .arg = j,
		.accept_new_host_keys = j->accept_new_host_keys };
	int rc = session_open(s, j->data_dir, j->path, NULL, 0, &j->e);

	if (rc == 0) {
		pthread_mutex_lock(&j->mu);
		j->total = probe_count(&s->pl, NULL);
		pthread_mutex_unlock(&j->mu);
		rc = probe_all(&s->pl, &o, &j->results, &j->facts, &j->e);
	}
	if (!j->results.abandoned) {
		session_close(s);
		free(s);
	}
	return rc;
}

static void *
run(void *arg)
{
	struct wiz_task_job *j = arg;
	int cancelled;

	err_clear(&j->e);
	if (j->text != NULL)
		j->rc = wiz_probe_run(j->data_dir, j->text, j->path, j->keys,
		    j->timeout_ms, j->accept_new_host_keys, &j->results, &j->e);
	else
		j->rc = check_all(j);
	/* As the probes' threads do (probe.c): OpenSSL's state of this thread
	 * goes before it says it is done. */
	OPENSSL_thread_stop();
	pthread_mutex_lock(&j->mu);
	j->done = 1;
	cancelled = j->cancelled;
	pthread_mutex_unlock(&j->mu);
	if (cancelled)
		wiz_task_job_free(j);
	return NULL;
}

static int
start(struct wiz_task *t, const char *label, struct wiz_task_job *j)
{
	pthread_mutex_init(&j->mu, NULL);
	facts_init(&j->facts);
	j->started_ms = now_ms();
	j->accept_new_host_keys = t->accept_new_host_keys;
	t->accept_new_host_keys = 0;
	if (thread_start_detached(run, j) != 0) {
		wiz_task_job_free(j);
		return -1;
	}
	free(t->label);
	t->label = xstrdup(label);
	t->job = j;
	return 0;
}

int
wiz_task_start_form(struct wiz_task *t, const char *label, const char *data_dir,
    char *text, const char *path, const char *keys, long timeout_ms)
{
	struct wiz_task_job *j = xcalloc(1, sizeof *j);

	j->data_dir = xstrdup(data_dir);
	j->text = text;
	j->path = xstrdup(path);
	j->keys = xstrdup(keys);
	j->timeout_ms = timeout_ms;
	return start(t, label, j);
}

int
wiz_task_start_all(struct wiz_task *t, const char *data_dir, const char *path,
    long timeout_ms)
{
	struct wiz_task_job *j = xcalloc(1, sizeof *j);

	j->data_dir = xstrdup(data_dir);
	j->path = xstrdup(path);
	j->timeout_ms = timeout_ms;
	return start(t, "every endpoint", j);
}

int
wiz_task_progress(const struct wiz_task *t, size_t *finished, size_t *total,
    long *elapsed_ms)
{
	if (t->job == NULL)
		return -1;
	pthread_mutex_lock(&t->job->mu);
	*finished = t->job->finished;
	*total = t->job->total;
	pthread_mutex_unlock(&t->job->mu);
	*elapsed_ms = now_ms() - t->job->started_ms;
	return 0;
}

int
wiz_task_done(const struct wiz_task *t)
{
	int done;

	if (t->job == NULL)
		return 0;
	pthread_mutex_lock(&t->job->mu);
	done = t->job->done;
	pthread_mutex_unlock(&t->job->mu);
	return done;
}

struct wiz_task_job *
wiz_task_take(struct wiz_task *t)
{
	struct wiz_task_job *j = t->job;

	t->job = NULL;
	return j;
}

void
wiz_task_cancel(struct wiz_task *t)
{
	struct wiz_task_job *j = t->job;
	int done;

	if (j == NULL)
		return;
	t->job = NULL;
	pthread_mutex_lock(&j->mu);
	done = j->done;
	j->cancelled = 1;
	pthread_mutex_unlock(&j->mu);
	/* Finished already: nobody else will free it. */
	if (done)
		wiz_task_job_free(j);
}
