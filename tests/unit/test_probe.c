/*
 * The live-check runner without any real server: a closed port, a listener
 * that never answers, a name that does not resolve. The failure classes,
 * the deadline and the reports are checked here; the probes against real
 * servers are in tests/live/.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <pthread.h>
#include <signal.h>

#include "harness.h"
#include "probe_internal.h"
#include "report.h"
#include "thread.h"
#include "xmem.h"

/* A loopback listener that never accepts: connecting succeeds (the
 * kernel's backlog), no byte ever comes back. */
static int
silent_listener(long *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(listen(fd, 16), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

/* A port nobody listens on: bound, then closed again. */
static long
closed_port(void)
{
	long port;
	int fd = silent_listener(&port);

	close(fd);
	return port;
}

static char *
answers_with_memcached(const char *hosts)
{
	char *base = demo_answers("24.8.0", NULL), *at = strstr(base,
	    "memcached: {hosts: [\"mc1:11211\"]}"), *out;

	ck_assert_ptr_nonnull(at);
	out = xasprintf("%.*smemcached: {hosts: [%s]}%s", (int)(at - base), base,
	    hosts, at + strlen("memcached: {hosts: [\"mc1:11211\"]}"));
	free(base);
	return out;
}

static const struct probe_result *
result_for(const struct probe_results *r, const char *endpoint)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->v[i].endpoint, endpoint) == 0)
			return &r->v[i];
	ck_abort_msg("no result for %s", endpoint);
	return NULL;
}

static long
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void
count_reports(const struct probe_result *r, void *arg)
{
	(void)r;
	(*(int *)arg)++;
}

START_TEST(failures_are_classified_within_the_deadline)
{
	long silent_port, closed = closed_port();
	int silent = silent_listener(&silent_port), reported = 0;
	char *hosts = xasprintf("\"127.0.0.1:%ld\", \"127.0.0.1:%ld\", "
	    "\"nowhere.invalid:11211\"", closed, silent_port);
	char *yaml = answers_with_memcached(hosts), *ep;
	struct strlist only = { 0 };
	struct probe_opts o = { .timeout_ms = 700, .only = &only,
	    .report = count_reports, .arg = &reported };
	struct probe_results res;
	struct fixture f;
	struct facts facts;
	long t0;

	sl_add(&only, "memcached");
	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	ck_assert_uint_eq(probe_count(&f.s.pl, &only), 3);
	facts_init(&facts);
	t0 = now_ms();
	ck_assert_int_eq(probe_all(&f.s.pl, &o, &res, &facts, &f.e), 0);
	/* All at once: one deadline for the three, not three. */
	ck_assert_int_lt(now_ms() - t0, 700 + 600);
	ck_assert_uint_eq(res.n, 3);
	ck_assert_int_eq(reported, 3);
	ck_assert_uint_eq(probe_failures(&res), 3);
	ck_assert_int_eq(res.abandoned, 0);
	ep = xasprintf("127.0.0.1:%ld", closed);
	ck_assert_int_eq(result_for(&res, ep)->failure, PF_REFUSED);
	ck_assert_str_eq(result_for(&res, ep)->field, "memcached.hosts[0]");
	free(ep);
	ep = xasprintf("127.0.0.1:%ld", silent_port);
	ck_assert_int_eq(result_for(&res, ep)->failure, PF_REPLY_TIMEOUT);
	ck_assert_ptr_nonnull(result_for(&res, ep)->fix);
	free(ep);
	ck_assert_int_eq(result_for(&res, "nowhere.invalid:11211")->failure,
	    PF_RESOLVE);
	probe_results_free(&res);
	facts_free(&facts);
	fixture_free(&f);
	sl_free(&only);
	close(silent);
	free(yaml);
	free(hosts);
}
END_TEST

static void
sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&t, &t) != 0)
		;
}

/* A probe that ignores its deadline (a blocking library call, say). */
static size_t one(const struct plan *pl) { (void)pl; return 1; }

static void
nowhere(const struct plan *pl, size_t i, char **endpoint, char **field)
{
	(void)pl;
	(void)i;
	*endpoint = xstrdup("stuck:1");
	*field = xstrdup("postgres.host");
}

static void
overrun(const struct probe_ctx *c, struct probe_result *r)
{
	sleep_ms(c->timeout_ms + 1400);
	/* Still allowed to touch its plan and its result afterwards. */
	probe_ok(r, "late for %s", c->pl->release);
}

static const struct probe_kind stuck = { "stuck", "Stuck", one, nowhere,
	overrun };

START_TEST(an_overrunning_probe_is_left_behind_safely)
{
	const struct probe_kind *const list[] = { &stuck };
	struct probe_opts o = { .timeout_ms = 200 };
	char *yaml = demo_answers("24.8.0", NULL);
	struct probe_results res;
	struct fixture f;
	struct facts facts;
	long t0;

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	facts_init(&facts);
	t0 = now_ms();
	ck_assert_int_eq(probe_run_kinds(&f.s.pl, list, 1, &o, &res, &facts,
	    &f.e), 0);
	/* The timeout itself, not the probe's own 1.6 s. */
	ck_assert_int_lt(now_ms() - t0, 200 + 150);
	ck_assert_int_le(res.v[0].elapsed_ms, 200 + 20);
	ck_assert_int_ge(res.v[0].elapsed_ms, 200);
	ck_assert_int_eq(res.abandoned, 1);
	ck_assert_int_eq(res.v[0].failure, PF_REPLY_TIMEOUT);
	ck_assert_str_eq(res.v[0].endpoint, "stuck:1");
	/* The results are the caller's at once; the thread keeps its own. */
	probe_results_free(&res);
	/* The plan must outlive the thread (1.6 s from the start), which
	 * then frees the runner. */
	sleep_ms(1400 + 300);
	facts_free(&facts);
	fixture_free(&f);
	free(yaml);
}
END_TEST

/* A crowd of endpoints: how many of their probes ran at once, at most. */
static pthread_mutex_t crowd_mu = PTHREAD_MUTEX_INITIALIZER;
static int crowd_now, crowd_max;

static size_t hundred(const struct plan *pl) { (void)pl; return 100; }

static void
crowd_member(const struct plan *pl, size_t i, char **endpoint, char **field)
{
	(void)pl;
	*endpoint = xasprintf("crowd:%zu", i);
	*field = xstrdup("memcached.hosts");
}

static void
crowd_run(const struct probe_ctx *c, struct probe_result *r)
{
	(void)c;
	pthread_mutex_lock(&crowd_mu);
	if (++crowd_now > crowd_max)
		crowd_max = crowd_now;
	pthread_mutex_unlock(&crowd_mu);
	sleep_ms(20);
	pthread_mutex_lock(&crowd_mu);
	crowd_now--;
	pthread_mutex_unlock(&crowd_mu);
	probe_ok(r, "fine");
}

static const struct probe_kind crowd = { "crowd", "Crowd", hundred,
	crowd_member, crowd_run };

/* Thousands of endpoints must not mean thousands of threads: without
 * --jobs the runner keeps to a pool, and every endpoint still gets its
 * result. */
START_TEST(threads_are_pooled)
{
	const struct probe_kind *const list[] = { &crowd };
	struct probe_opts o = { .timeout_ms = 2000 };
	char *yaml = demo_answers("24.8.0", NULL);
	struct probe_results res;
	struct fixture f;
	struct facts facts;

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	facts_init(&facts);
	ck_assert_int_eq(probe_run_kinds(&f.s.pl, list, 1, &o, &res, &facts,
	    &f.e), 0);
	ck_assert_uint_eq(res.n, 100);
	ck_assert_uint_eq(probe_failures(&res), 0);
	ck_assert_int_le(crowd_max, 32);
	ck_assert_int_ge(crowd_max, 8);
	probe_results_free(&res);
	facts_free(&facts);
	fixture_free(&f);
	free(yaml);
}
END_TEST

/* net_exchange gives up at the deadline, and says it connected first. */
START_TEST(exchange_times_out_after_connecting)
{
	long port;
	int listener = silent_listener(&port), fd;
	struct probe_ctx c = { .timeout_ms = 300 };
	struct probe_result r = { 0 };
	char *reply = NULL;

	clock_gettime(CLOCK_MONOTONIC, &c.deadline);
	c.deadline.tv_nsec += 300 * 1000000L;
	if (c.deadline.tv_nsec >= 1000000000L) {
		c.deadline.tv_sec++;
		c.deadline.tv_nsec -= 1000000000L;
	}
	fd = net_connect(&c, "127.0.0.1", port, &r);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(net_exchange(&c, fd, "srvr", NULL, &reply, &r), -1);
	ck_assert_int_eq(r.failure, PF_REPLY_TIMEOUT);
	ck_assert_contains(r.detail, "connected, but no reply within 300 ms");
	ck_assert_ptr_null(reply);
	close(fd);
	close(listener);
	free(r.detail);
	free(r.fix);
}
END_TEST

/* What a thread of the core sees of the program's signals. */
struct mask_seen {
	pthread_mutex_t	 mu;
	int		 done, blocked[4];
};

static const int program_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGWINCH };

static void *
look_at_mask(void *arg)
{
	struct mask_seen *m = arg;
	sigset_t now;

	pthread_sigmask(SIG_SETMASK, NULL, &now);
	pthread_mutex_lock(&m->mu);
	for (int i = 0; i < 4; i++)
		m->blocked[i] = sigismember(&now, program_signals[i]);
	m->done = 1;
	pthread_mutex_unlock(&m->mu);
	return NULL;
}

/* Probe threads never take SIGINT, SIGTERM, SIGHUP or SIGWINCH, and the
 * thread that starts them keeps its own mask. */
START_TEST(threads_leave_the_signals_to_the_terminal)
{
	struct mask_seen m = { PTHREAD_MUTEX_INITIALIZER, 0, { 0 } };
	sigset_t before, after;
	int done = 0;

	pthread_sigmask(SIG_SETMASK, NULL, &before);
	ck_assert_int_eq(thread_start_detached(look_at_mask, &m), 0);
	for (int i = 0; i < 2000 && !done; i++) {
		struct timespec ms = { 0, 1000000 };

		nanosleep(&ms, NULL);
		pthread_mutex_lock(&m.mu);
		done = m.done;
		pthread_mutex_unlock(&m.mu);
	}
	ck_assert(done);
	for (int i = 0; i < 4; i++)
		ck_assert_msg(m.blocked[i] == 1, "signal %d reaches the thread",
		    program_signals[i]);
	pthread_sigmask(SIG_SETMASK, NULL, &after);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(sigismember(&after, program_signals[i]),
		    sigismember(&before, program_signals[i]));
}
END_TEST

START_TEST(results_are_reported_with_their_answer)
{
	struct fixture f;
	struct probe_result ok = { "Redis", "r:6379", "redis.host", PF_NONE,
	    "Redis 7.0.15, standalone", NULL, 12, NULL, { 0 }, 0 };
	struct probe_result bad = { "PostgreSQL", "pg.internal:5432",
	    "postgres.host", PF_AUTH, "the server refused the password",
	    "give postgres.password the role's password", 40, NULL, { 0 }, 0 };
	struct probe_results all = { (struct probe_result[]){ ok, bad }, 2, 0 };
	struct findings none = { 0 };
	struct strbuf out = STRBUF_INIT;
	char *yaml = demo_answers("24.8.0", NULL);

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	report_probe_text(&ok, &f.s.pl, &out);
	ck_assert_str_eq(out.s, "ok    Redis r:6379 (0.01 s)\n"
	    "      Redis 7.0.15, standalone\n");
	sb_free(&out);
	report_probe_text(&bad, &f.s.pl, &out);
	ck_assert_contains(out.s, "FAIL  PostgreSQL pg.internal:5432: "
	    "authentication failed (0.04 s)\n      the server refused the "
	    "password\n      Fix: give postgres.password the role's password\n"
	    "      (postgres.host at ");
	sb_free(&out);
	report_json(&none, &f.s.rules, &f.s.pl, &all, &out);
	ck_assert_contains(out.s, "\"failed_probes\": 1}");
	ck_assert_contains(out.s, "\"status\": \"failed\", \"failure\": "
	    "\"authentication failed\"");
	ck_assert_contains(out.s, "\"status\": \"ok\", \"failure\": null");
	sb_free(&out);
	fixture_free(&f);
	free(yaml);
}
END_TEST

/* The NFS server is an endpoint when the volumes are NFS exports, and
 * only then: a pvc has nothing on the network to check. */
START_TEST(nfs_is_checked_for_nfs_volumes_only)
{
	static const char pvc[] = "filestore: {backend: filesystem, "
	    "shared_volume: {kind: pvc}}";
	char *base = demo_answers("24.8.0", NULL), *at = strstr(base, pvc);
	char *yaml;
	struct strlist only = { 0 };
	struct fixture f;
	size_t all_pvc;

	ck_assert_ptr_nonnull(at);
	sl_add(&only, "nfs");
	ck_assert(probe_name_known("nfs"));
	ck_assert_msg(fixture_run(&f, base) == 0, "%s", f.e.msg);
	ck_assert_uint_eq(probe_count(&f.s.pl, &only), 0);
	all_pvc = probe_count(&f.s.pl, NULL);
	fixture_free(&f);
	yaml = xasprintf("%.*sfilestore: {backend: filesystem, shared_volume: "
	    "{kind: nfs, nfs: {server: nfs.internal, path: /exports/sentry}}}%s",
	    (int)(at - base), base, at + strlen(pvc));
	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	ck_assert_uint_eq(probe_count(&f.s.pl, &only), 1);
	/* Every endpoint (check without --only): the NFS server among them. */
	ck_assert_uint_eq(probe_count(&f.s.pl, NULL), all_pvc + 1);
	fixture_free(&f);
	sl_free(&only);
	free(yaml);
	free(base);
}
END_TEST

/* Each broker of kafka.brokers reports the same cluster's topics: merged,
 * a topic is known once, with what was learnt last. */
static void
add_topic(struct facts *f, const char *name, long partitions)
{
	f->topics = xrealloc(f->topics, (f->ntopics + 1) * sizeof *f->topics);
	f->topics[f->ntopics].name = xstrdup(name);
	f->topics[f->ntopics].partitions = partitions;
	f->topics[f->ntopics++].replication = 3;
}

START_TEST(topics_merge_once_per_topic)
{
	struct facts all, a, b;

	facts_init(&all);
	facts_init(&a);
	facts_init(&b);
	add_topic(&a, "events", 3);
	add_topic(&a, "ingest-events", 1);
	add_topic(&b, "ingest-events", 2);
	add_topic(&b, "taskworker", 6);
	facts_merge(&all, &a);
	facts_merge(&all, &b);
	ck_assert_uint_eq(all.ntopics, 3);
	ck_assert_int_eq(facts_topic(&all, "events")->partitions, 3);
	ck_assert_int_eq(facts_topic(&all, "ingest-events")->partitions, 2);
	ck_assert_int_eq(facts_topic(&all, "taskworker")->partitions, 6);
	ck_assert_uint_eq(a.ntopics + b.ntopics, 0);
	facts_free(&all);
}
END_TEST

Suite *
suite_probe(void)
{
	Suite *s = suite_create("probe");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, failures_are_classified_within_the_deadline);
	tcase_add_test(tc, exchange_times_out_after_connecting);
	tcase_add_test(tc, an_overrunning_probe_is_left_behind_safely);
	tcase_add_test(tc, results_are_reported_with_their_answer);
	tcase_add_test(tc, threads_leave_the_signals_to_the_terminal);
	tcase_add_test(tc, threads_are_pooled);
	tcase_add_test(tc, topics_merge_once_per_topic);
	tcase_add_test(tc, nfs_is_checked_for_nfs_volumes_only);
	suite_add_tcase(s, tc);
	return s;
}
