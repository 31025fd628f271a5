/*
 * wiz_deploy.h: the steps of `deploy` (cli_deploy.c runs the same ones in
 * the foreground) in a detached thread; the log and the outcome under one
 * mutex. Whoever of the thread and the wizard lets go last frees the job.
 */
#include "wiz_deploy.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "thread.h"

struct wiz_deploy {
	pthread_mutex_t		 mu;
	int			 done, abandoned, running;
	struct deploy		 d;
	struct plan_host	 host;	/* d.host points here */
	struct ssh_remote_opts	 o;
	struct strbuf		 log;
	int			 rc, status;
	struct err		 e;
};

static void
job_free(struct wiz_deploy *j)
{
	deploy_free(&j->d);
	free(j->host.name);
	free(j->host.address);
	free(j->host.user);
	sl_free(&j->host.roles);
	sb_free(&j->log);
	pthread_mutex_destroy(&j->mu);
	free(j);
}

/* Appends to the log; past its bound, the oldest half goes. */
static void
add_log(struct wiz_deploy *j, const char *data, size_t len)
{
	pthread_mutex_lock(&j->mu);
	sb_addn(&j->log, data, len);
	if (j->log.len > WIZ_DEPLOY_LOG_MAX) {
		size_t cut = j->log.len - WIZ_DEPLOY_LOG_MAX / 2;

		memmove(j->log.s, j->log.s + cut, j->log.len - cut + 1);
		j->log.len -= cut;
	}
	pthread_mutex_unlock(&j->mu);
}

static void
on_output(const char *data, size_t len, void *arg)
{
	add_log(arg, data, len);
}

static void
say(struct wiz_deploy *j, const char *text)
{
	add_log(j, text, strlen(text));
}

/* Log in, copy, rename, run: as cli_deploy.c's real_run(). */
static int
steps(struct wiz_deploy *j, int *status, struct err *e)
{
	struct ssh_remote *r = NULL;
	char *line;
	int rc;

	say(j, "Logging in...\n");
	if ((rc = ssh_remote_open(j->d.host, &j->o, &r, e)) == 0) {
		line = xasprintf("Logged in to %s: %s.\nCopying %zu files...\n",
		    j->host.name, ssh_remote_about(r), j->d.nfiles);
		say(j, line);
		free(line);
		rc = deploy_copy(&j->d, r, 0, e);
	}
	if (rc == 0)
		rc = deploy_swap(&j->d, r, e);
	if (rc == 0) {
		pthread_mutex_lock(&j->mu);
		j->running = 1;
		pthread_mutex_unlock(&j->mu);
		say(j, "Running deploy.sh:\n");
		rc = deploy_run(&j->d, r, 0, on_output, j, status, e);
	}
	ssh_remote_close(r);
	return rc;
}

static void *
run(void *arg)
{
	struct wiz_deploy *j = arg;
	struct err e;
	int status = 0, rc, abandoned;

	err_clear(&e);
	rc = steps(j, &status, &e);
	pthread_mutex_lock(&j->mu);
	j->rc = rc;
	j->status = status;
	j->e = e;
	j->done = 1;
	abandoned = j->abandoned;
	pthread_mutex_unlock(&j->mu);
	if (abandoned)
		job_free(j);
	/* As every thread of the core that used libssh2's OpenSSL. */
	OPENSSL_thread_stop();
	return NULL;
}

int
wiz_deploy_start(struct deploy *d, long timeout_ms, struct wiz_deploy **out,
    struct err *e)
{
	struct wiz_deploy *j = xcalloc(1, sizeof *j);
	int rc;

	pthread_mutex_init(&j->mu, NULL);
	j->d = *d;
	memset(d, 0, sizeof *d);
	j->host = (struct plan_host){ xstrdup(j->d.host->name),
		xstrdup(j->d.host->address), j->d.host->port,
		xstrdup(j->d.host->user), { 0 } };
	sl_copy(&j->host.roles, &j->d.host->roles);
	j->d.host = &j->host;
	j->o.timeout_ms = timeout_ms;
	if ((rc = thread_start_detached(run, j)) != 0) {
		job_free(j);
		return err_set(e, ERR_IO, "cannot start the deploy: %s",
		    strerror(rc));
	}
	*out = j;
	return 0;
}

int
wiz_deploy_done(struct wiz_deploy *j)
{
	int done;

	pthread_mutex_lock(&j->mu);
	done = j->done;
	pthread_mutex_unlock(&j->mu);
	return done;
}

enum wiz_deploy_phase
wiz_deploy_phase(struct wiz_deploy *j)
{
	enum wiz_deploy_phase p;

	pthread_mutex_lock(&j->mu);
	p = j->done ? WD_DONE : j->running ? WD_RUNNING : WD_COPYING;
	pthread_mutex_unlock(&j->mu);
	return p;
}

void
wiz_deploy_log(struct wiz_deploy *j, struct strbuf *text)
{
	pthread_mutex_lock(&j->mu);
	sb_addn(text, j->log.s ? j->log.s : "", j->log.len);
	pthread_mutex_unlock(&j->mu);
}

int
wiz_deploy_result(struct wiz_deploy *j, int *status, struct err *e)
{
	int rc;

	pthread_mutex_lock(&j->mu);
	rc = j->rc;
	*status = j->status;
	if (rc < 0)
		*e = j->e;
	pthread_mutex_unlock(&j->mu);
	return rc;
}

void
wiz_deploy_free(struct wiz_deploy *j)
{
	int done;

	if (j == NULL)
		return;
	pthread_mutex_lock(&j->mu);
	done = j->done;
	j->abandoned = 1;
	pthread_mutex_unlock(&j->mu);
	if (done)
		job_free(j);
}
