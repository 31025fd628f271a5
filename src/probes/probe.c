/*
 * The probe runner: one thread per endpoint, at most `jobs` at once, each
 * with its own deadline; results are handed to the caller as they arrive.
 */
#include "printable.h"
#include "probe_internal.h"
#include "thread.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <curl/curl.h>
#include <libssh2.h>
#include <openssl/crypto.h>

/* A probe's own deadline comes this much before --timeout (at most a tenth
 * of it), so that its own, more telling, result can arrive in time; at
 * --timeout the runner reports whatever is still running as timed out. */
#define MARGIN_MS	50
/* At most this many checks at once unless --jobs says otherwise: a file
 * with thousands of endpoints must not make thousands of threads. */
#define POOL_MAX	32

static const struct probe_kind *const kinds[] = {
	&probe_postgres, &probe_redis, &probe_kafka, &probe_zookeeper,
	&probe_clickhouse, &probe_memcached, &probe_smtp, &probe_s3, &probe_gcs,
	&probe_nfs, &probe_ssh, &probe_registry, &probe_share,
};

#define NKINDS	(sizeof kinds / sizeof kinds[0])

static const char *const failure_names[] = {
	[PF_NONE] = "fine",
	[PF_RESOLVE] = "name does not resolve",
	[PF_REFUSED] = "connection refused",
	[PF_CONNECT_TIMEOUT] = "timed out connecting",
	[PF_REPLY_TIMEOUT] = "timed out waiting for a reply",
	[PF_TLS] = "TLS failure",
	[PF_AUTH] = "authentication failed",
	[PF_VERSION] = "unsupported version",
	[PF_MISSING] = "missing",
	[PF_PERMISSION] = "permission denied",
	[PF_PROTOCOL] = "unexpected answer",
	[PF_HOSTKEY] = "host key not trusted",
	[PF_SETUP] = "cannot check",
	[PF_SKIPPED] = "not checked",
};

const char *
probe_failure_name(enum probe_failure f)
{
	return failure_names[f];
}

enum job_state { JOB_WAITING, JOB_RUNNING, JOB_DONE, JOB_REPORTED,
	JOB_ABANDONED };

/* The socket of a probe, shut down at its deadline (probe_internal.h). */
struct probe_guard {
	pthread_mutex_t		 mu;
	int			 fd;		/* -1: none held */
	int			 fired;
};

struct job {
	struct probe_ctx	 ctx;
	const struct probe_kind	*kind;
	struct probe_result	 work;		/* the thread's, until done */
	struct facts		 facts;		/* the thread's, until done */
	struct probe_guard	 guard;
	struct timespec		 started, hard_limit;
	enum job_state		 state;
	struct runner		*runner;
};

/* Shared by the caller of probe_all() and every job thread: the last of
 * them to let go frees it (refs), since an abandoned thread may still be
 * running when probe_all() returns. */
struct runner {
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	struct job		*jobs;
	size_t			 n, running;
	int			 refs;
};

static void
runner_free(struct runner *rn)
{
	for (size_t i = 0; i < rn->n; i++)
		pthread_mutex_destroy(&rn->jobs[i].guard.mu);
	pthread_cond_destroy(&rn->cv);
	pthread_mutex_destroy(&rn->mu);
	free(rn->jobs);
	free(rn);
}

void
probe_hold_socket(const struct probe_ctx *c, int fd)
{
	if (c->guard == NULL)
		return;
	pthread_mutex_lock(&c->guard->mu);
	c->guard->fd = fd;
	/* Connected after the deadline: nothing more to wait for. */
	if (c->guard->fired)
		shutdown(fd, SHUT_RDWR);
	pthread_mutex_unlock(&c->guard->mu);
}

void
probe_release_socket(const struct probe_ctx *c, int fd)
{
	if (c->guard == NULL)
		return;
	pthread_mutex_lock(&c->guard->mu);
	if (c->guard->fd == fd)
		c->guard->fd = -1;
	pthread_mutex_unlock(&c->guard->mu);
}

/* The deadline: a blocked read or write on the probe's socket returns. */
static void
fire_guard(struct probe_guard *g)
{
	pthread_mutex_lock(&g->mu);
	if (!g->fired && g->fd >= 0)
		shutdown(g->fd, SHUT_RDWR);
	g->fired = 1;
	pthread_mutex_unlock(&g->mu);
}

/* Drops one reference; called with rn->mu held, which it releases. */
static void
runner_release(struct runner *rn)
{
	int last = --rn->refs == 0;

	pthread_mutex_unlock(&rn->mu);
	if (last)
		runner_free(rn);
}

static void
add_ms(struct timespec *t, long ms)
{
	t->tv_sec += ms / 1000;
	t->tv_nsec += (ms % 1000) * 1000000L;
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

static long
ms_between(const struct timespec *from, const struct timespec *to)
{
	return (long)(to->tv_sec - from->tv_sec) * 1000 +
	    (to->tv_nsec - from->tv_nsec) / 1000000L;
}

static int
passed(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return ms_between(t, &now) >= 0;
}

long
probe_ms_left(const struct probe_ctx *c)
{
	struct timespec now;
	long left;

	clock_gettime(CLOCK_MONOTONIC, &now);
	left = ms_between(&now, &c->deadline);
	return left > 0 ? left : 0;
}


static void
set_result(struct probe_result *r, enum probe_failure f, const char *fix,
    const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;

	sb_vprintf(&sb, fmt, ap);
	free(r->detail);
	/* Details quote what servers said: never their escape codes. */
	r->detail = printable(sb_str(&sb));
	sb_free(&sb);
	r->failure = f;
	free(r->fix);
	r->fix = fix ? xstrdup(fix) : NULL;
}

void
probe_ok(struct probe_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_result(r, PF_NONE, NULL, fmt, ap);
	va_end(ap);
}

void
probe_fail(struct probe_result *r, enum probe_failure f, const char *fix,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_result(r, f, fix, fmt, ap);
	va_end(ap);
}

void
probe_skip(struct probe_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_result(r, PF_SKIPPED, NULL, fmt, ap);
	va_end(ap);
}

int
probe_require_version(const struct probe_ctx *c, struct probe_result *r,
    const char *product, const char *have, const char *min)
{
	char *fix;

	if (min == NULL || have == NULL || version_cmp(have, min) >= 0)
		return 0;
	fix = xasprintf("upgrade %s to %s or later", product, min);
	probe_fail(r, PF_VERSION, fix, "%s %s is older than %s, which Sentry %s "
	    "needs", product, have, min, c->pl->release);
	free(fix);
	return -1;
}

char *
probe_hostport(const char *host, long port)
{
	return xasprintf(strchr(host, ':') ? "[%s]:%ld" : "%s:%ld", host, port);
}

static int
wanted(const struct probe_kind *k, const struct strlist *only)
{
	return only == NULL || only->n == 0 || sl_contains(only, k->name);
}

size_t
probe_count(const struct plan *pl, const struct strlist *only)
{
	size_t n = 0;

	for (size_t k = 0; k < NKINDS; k++)
		if (wanted(kinds[k], only))
			n += kinds[k]->count(pl);
	return n;
}

int
probe_name_known(const char *name)
{
	for (size_t k = 0; k < NKINDS; k++)
		if (strcmp(kinds[k]->name, name) == 0)
			return 1;
	return 0;
}

void
probe_names(struct strbuf *out)
{
	for (size_t k = 0; k < NKINDS; k++)
		sb_printf(out, "%s%s", k ? ", " : "", kinds[k]->name);
}

static void *
job_main(void *arg)
{
	struct job *j = arg;
	struct runner *rn = j->runner;
	struct probe_result work;
	struct facts facts;
	int abandoned;

	j->kind->run(&j->ctx, &j->work);
	/* OpenSSL keeps per-thread state (its error queue) that it frees only
	 * as the thread ends, which may be after the program has: free it now,
	 * before the result says this thread is done. */
	OPENSSL_thread_stop();
	if (j->work.detail == NULL)
		probe_fail(&j->work, PF_PROTOCOL, NULL, "the check ended "
		    "without a result");
	/* Cut off at the deadline, the library saw a broken connection;
	 * what happened is that the server was too slow. */
	pthread_mutex_lock(&j->guard.mu);
	if (j->guard.fired && j->work.failure != PF_NONE &&
	    j->work.failure != PF_SKIPPED && j->work.failure != PF_REPLY_TIMEOUT &&
	    j->work.failure != PF_CONNECT_TIMEOUT)
		probe_fail(&j->work, PF_REPLY_TIMEOUT, "check that the address "
		    "and port are those of the server; a server that answers "
		    "this slowly would stall Sentry too", "the server did not "
		    "finish its reply within %ld ms", j->ctx.timeout_ms);
	pthread_mutex_unlock(&j->guard.mu);
	pthread_mutex_lock(&rn->mu);
	abandoned = j->state == JOB_ABANDONED;
	if (!abandoned) {
		j->state = JOB_DONE;
		rn->running--;
		pthread_cond_signal(&rn->cv);
	}
	work = j->work;
	facts = j->facts;
	runner_release(rn);
	if (abandoned) {
		/* Its line was printed long ago (from copies): nobody reads
		 * these any more. */
		free(work.service);
		free(work.endpoint);
		free(work.field);
		free(work.detail);
		free(work.fix);
		free(work.about);
		kv_free(&work.about_pairs);
		facts_free(&facts);
	}
	return NULL;
}

static int
start_job(struct runner *rn, struct job *j, long timeout_ms, struct err *e)
{
	int rc;

	long margin = timeout_ms / 10 < MARGIN_MS ? timeout_ms / 10 : MARGIN_MS;

	clock_gettime(CLOCK_MONOTONIC, &j->started);
	j->ctx.deadline = j->hard_limit = j->started;
	add_ms(&j->ctx.deadline, timeout_ms - margin);
	add_ms(&j->hard_limit, timeout_ms);
	j->state = JOB_RUNNING;
	rn->running++;
	rn->refs++;
	rc = thread_start_detached(job_main, j);
	if (rc != 0) {
		rn->running--;
		rn->refs--;
		j->state = JOB_WAITING;
		return err_set(e, ERR_IO, "cannot start a thread for the checks: "
		    "%s", strerror(rc));
	}
	return 0;
}

/* The result the caller keeps: the job's own, or a timeout if abandoned. */
static void
publish(struct runner *rn, struct job *j, struct probe_result *out,
    struct facts *facts, const struct probe_opts *o)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	/* What it really took, from its own start (a queued check waits). */
	out->elapsed_ms = ms_between(&j->started, &now);
	if (j->state == JOB_ABANDONED) {
		/* The thread may still read its own copies. */
		out->service = xstrdup(j->work.service);
		out->endpoint = xstrdup(j->work.endpoint);
		out->field = xstrdup(j->work.field);
		out->failure = PF_REPLY_TIMEOUT;
		out->detail = xasprintf("no answer within %ld ms", o->timeout_ms);
		out->fix = xstrdup("check that the address and port are those "
		    "of the server, and that nothing between drops packets");
	} else {
		out->service = j->work.service;
		out->endpoint = j->work.endpoint;
		out->field = j->work.field;
		out->failure = j->work.failure;
		out->detail = j->work.detail;
		out->fix = j->work.fix;
		out->about = j->work.about;
		out->about_pairs = j->work.about_pairs;
		out->host_key_new = j->work.host_key_new;
		facts_merge(facts, &j->facts);
		j->state = JOB_REPORTED;
	}
	if (o->report != NULL) {
		pthread_mutex_unlock(&rn->mu);
		o->report(out, o->arg);
		pthread_mutex_lock(&rn->mu);
	}
}

/* Starts what may start, publishes what finished or overran; returns how
 * many results remain. */
static int
step(struct runner *rn, const struct probe_opts *o, struct probe_results *out,
    struct facts *facts, size_t *remaining, struct err *e)
{
	size_t limit = o->jobs > 0 ? (size_t)o->jobs : POOL_MAX;
	struct timespec wake = { 0, 0 };
	int have_wake = 0;

	for (size_t i = 0; i < rn->n; i++) {
		struct job *j = &rn->jobs[i];
		const struct timespec *next;

		if (j->state == JOB_WAITING && rn->running < limit &&
		    start_job(rn, j, o->timeout_ms, e) < 0)
			return -1;
		if (j->state == JOB_RUNNING && !j->guard.fired &&
		    passed(&j->ctx.deadline))
			fire_guard(&j->guard);
		if (j->state == JOB_RUNNING && passed(&j->hard_limit)) {
			j->state = JOB_ABANDONED;
			rn->running--;
			publish(rn, j, &out->v[out->n++], facts, o);
			(*remaining)--;
		} else if (j->state == JOB_DONE) {
			publish(rn, j, &out->v[out->n++], facts, o);
			(*remaining)--;
		}
		next = j->guard.fired ? &j->hard_limit : &j->ctx.deadline;
		if (j->state == JOB_RUNNING && (!have_wake ||
		    ms_between(next, &wake) > 0)) {
			wake = *next;
			have_wake = 1;
		}
	}
	if (*remaining > 0 && have_wake) {
		struct timespec real;

		/* The condition variable waits on CLOCK_REALTIME. */
		clock_gettime(CLOCK_REALTIME, &real);
		{
			struct timespec now;

			clock_gettime(CLOCK_MONOTONIC, &now);
			add_ms(&real, ms_between(&now, &wake) + 1);
		}
		pthread_cond_timedwait(&rn->cv, &rn->mu, &real);
	}
	return 0;
}

static void
plan_jobs(struct runner *rn, const struct plan *pl,
    const struct probe_kind *const *list, size_t nlist,
    const struct probe_opts *o)
{
	for (size_t k = 0; k < nlist; k++)
		if (wanted(list[k], o->only))
			rn->n += list[k]->count(pl);
	rn->jobs = xcalloc(rn->n ? rn->n : 1, sizeof *rn->jobs);
	for (size_t k = 0, n = 0; k < nlist; k++) {
		size_t count = wanted(list[k], o->only) ? list[k]->count(pl) : 0;

		for (size_t i = 0; i < count; i++, n++) {
			struct job *j = &rn->jobs[n];

			j->kind = list[k];
			j->runner = rn;
			j->ctx.pl = pl;
			j->ctx.guard = &j->guard;
			pthread_mutex_init(&j->guard.mu, NULL);
			j->guard.fd = -1;
			j->ctx.index = i;
			j->ctx.timeout_ms = o->timeout_ms;
			j->ctx.accept_new_host_keys = o->accept_new_host_keys;
			j->ctx.facts = &j->facts;
			facts_init(&j->facts);
			j->work.service = xstrdup(list[k]->service);
			list[k]->describe(pl, i, &j->work.endpoint, &j->work.field);
		}
	}
}

/* Libraries that must be set up once, before any thread uses them. */
static int
libraries_init(struct err *e)
{
	/* A peer that closes its socket must not kill the process. */
	signal(SIGPIPE, SIG_IGN);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return err_set(e, ERR_IO, "cannot initialise libcurl");
	if (libssh2_init(0) != 0)
		return err_set(e, ERR_IO, "cannot initialise libssh2");
	return 0;
}

int
probe_run_kinds(const struct plan *pl, const struct probe_kind *const *list,
    size_t nlist, const struct probe_opts *o, struct probe_results *out,
    struct facts *facts, struct err *e)
{
	struct runner *rn = xcalloc(1, sizeof *rn);
	size_t remaining;
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (libraries_init(e) < 0) {
		free(rn);
		return -1;
	}
	plan_jobs(rn, pl, list, nlist, o);
	out->v = xcalloc(rn->n ? rn->n : 1, sizeof *out->v);
	remaining = rn->n;
	rn->refs = 1;
	pthread_mutex_init(&rn->mu, NULL);
	pthread_cond_init(&rn->cv, NULL);
	pthread_mutex_lock(&rn->mu);
	while (rc == 0 && remaining > 0)
		rc = step(rn, o, out, facts, &remaining, e);
	/* A thread still running reads the plan: the caller must keep it. */
	for (size_t i = 0; i < rn->n; i++)
		out->abandoned |= rn->jobs[i].state == JOB_ABANDONED;
	runner_release(rn);
	return rc;
}

int
probe_all(const struct plan *pl, const struct probe_opts *o,
    struct probe_results *out, struct facts *facts, struct err *e)
{
	return probe_run_kinds(pl, kinds, NKINDS, o, out, facts, e);
}

size_t
probe_failures(const struct probe_results *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n; i++)
		n += r->v[i].failure != PF_NONE && r->v[i].failure != PF_SKIPPED;
	return n;
}

void
probe_results_free(struct probe_results *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].service);
		free(r->v[i].endpoint);
		free(r->v[i].field);
		free(r->v[i].detail);
		free(r->v[i].fix);
		free(r->v[i].about);
		kv_free(&r->v[i].about_pairs);
	}
	free(r->v);
	memset(r, 0, sizeof *r);
}
