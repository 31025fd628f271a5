/* sentry-ha-setup check: the live checks of every endpoint, then the rules
 * of HA Sentry over the answers and what the checks learnt. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "answers.h"
#include "cli.h"
#include "probe.h"
#include "report.h"
#include "session.h"


static void
usage(const struct cli_opt *opts)
{
	printf("Usage: sentry-ha-setup check [-a FILE] [--offline] [--json] [-v]\n"
	    "                             [--timeout SECONDS] [--only LIST] "
	    "[--jobs N]\n                             [--secrets-from DIR] "
	    "[--accept-new]\n\n"
	    "Contacts every endpoint of the answers with its own client "
	    "library, up to 32 at\nonce, each within the timeout: "
	    "PostgreSQL, Redis, Kafka, ZooKeeper, ClickHouse,\nMemcached, "
	    "SMTP, the file store (S3, GCS or the NFS server), the SSH "
	    "hosts, a\nhostpath share (a container of the Sentry image "
	    "writes a token on one host, the\nothers read it, and it is "
	    "removed) and the registry (every image of the plan).\nIt logs "
	    "in, reads the server's version and what the release needs, and "
	    "says\nwhat is wrong with each endpoint that is not fine. Then "
	    "it checks every rule of\na highly available Sentry over the "
	    "answers and what the servers said: what\nwould break (errors), "
	    "what is risky (warnings), and what the generator does for\nyou "
	    "(info). It writes nothing on this machine, but with "
	    "--accept-new: an SSH\nhost key that no known_hosts holds is "
	    "then added to ~/.ssh/known_hosts, as\nssh's "
	    "StrictHostKeyChecking=accept-new does; a changed key is always "
	    "refused.\n--offline skips the servers and reads no password.\n\n");
	cli_print_options(opts);
	printf("\nExit status: 0 all fine, 1 an endpoint failed or a rule "
	    "reported an error,\n2 invalid answers or usage, 3 I/O failure.\n"
	    "The --json document: {schema: 1, release, target, answers, summary: "
	    "{error,\nwarning, info, failed_probes}, probes: [{service, endpoint, "
	    "field, where,\nstatus, failure, detail, fix, about, elapsed_ms}], "
	    "findings: [{id,\nseverity, subject, field, where, message, title, "
	    "why, fix, source}]}; fields\nthat do not apply are null (probes is "
	    "null with --offline). about: what a\nhost of hosts: said of itself "
	    "({kernel, os, cpus, memory_kib, clock_skew_s,\nclock_uncertainty_s, "
	    "docker_version, docker_api, docker_none, swarm_state,\n"
	    "swarm_manager, node_role, node_availability, node_labels, sshfs_plugin,\n"
	    "docker_root, docker_root_free_kib, sshfs_login, sshfs_login_key,\n"
	    "sshfs_login_said, shared_path, shared_free_kib, shared_total_kib,\n"
	    "shared_failed}, all strings), else null.\n");
}

struct check_opts {
	const char	*answers, *timeout, *only, *jobs, *secrets_from;
	int		 json, offline, verbose, accept_new;
};

/* Parses --timeout, --jobs and --only into `po`. */
static int
probe_options(const struct check_opts *co, struct probe_opts *po,
    struct strlist *only, struct err *e)
{
	char *end;
	long jobs = 0;

	if (cli_parse_timeout(co->timeout, &po->timeout_ms, e) < 0)
		return -1;
	if (co->jobs != NULL) {
		jobs = strtol(co->jobs, &end, 10);
		if (*end != '\0' || jobs < 1 || jobs > 1000)
			return err_set(e, ERR_USAGE, "--jobs %s: expected a number "
			    "from 1 to 1000", co->jobs);
	}
	po->jobs = (int)jobs;
	if (co->only != NULL) {
		sl_split(only, co->only, ',');
		/* An empty list would mean "every check", the opposite of
		 * what --only asked. */
		if (only->n == 0) {
			struct strbuf keys = STRBUF_INIT;

			probe_names(&keys);
			err_set(e, ERR_USAGE, "--only %s: names no check; expected "
			    "some of %s, comma-separated", co->only, sb_str(&keys));
			sb_free(&keys);
			return -1;
		}
		for (size_t i = 0; i < only->n; i++) {
			struct strbuf keys = STRBUF_INIT;

			if (probe_name_known(only->v[i]))
				continue;
			probe_names(&keys);
			err_set(e, ERR_USAGE, "--only: \"%s\" is not one of %s",
			    only->v[i], sb_str(&keys));
			sb_free(&keys);
			return -1;
		}
	}
	po->only = only;
	po->accept_new_host_keys = co->accept_new;
	return cli_check_dir("secrets-from", co->secrets_from, e);
}

static int
without_zookeeper(const struct plan *pl)
{
	return pl->profile->requires.zookeeper != 1;
}

/* The kinds of check as the answers see them: the section that holds their
 * secrets, where the answers name their endpoints, and whether the release
 * does without one (NULL: it never does). */
static const struct check_kind {
	const char	*probe;		/* its --only name */
	const char	*title;
	const char	*secrets;	/* the prefix of its secrets' answers */
	const char	*where;		/* the answers that name its endpoints */
	int		(*unused)(const struct plan *pl);
	const char	*because;	/* why the release does without it */
} check_kinds[] = {
	{ "postgres", "PostgreSQL", "postgres.", "postgres.host", NULL, NULL },
	{ "redis", "Redis", "redis.", "redis.host", NULL, NULL },
	{ "kafka", "Kafka", "kafka.", "kafka.brokers", NULL, NULL },
	{ "zookeeper", "ZooKeeper", NULL, "zookeeper.hosts", without_zookeeper,
	  "its Kafka runs in KRaft mode" },
	{ "clickhouse", "ClickHouse", "clickhouse.", "clickhouse.host", NULL,
	  NULL },
	{ "memcached", "Memcached", NULL, "memcached.hosts", NULL, NULL },
	{ "smtp", "SMTP", "smtp.", "smtp.host", NULL, NULL },
	{ "s3", "S3", "filestore.s3.", "filestore.backend: s3", NULL, NULL },
	{ "gcs", "GCS", "filestore.gcs.", "filestore.backend: gcs", NULL, NULL },
	{ "nfs", "NFS", NULL, "filestore.shared_volume.nfs", NULL, NULL },
	{ "ssh", "SSH", NULL, "hosts, or filestore.shared_volume.sshfs", NULL,
	  NULL },
	{ "share", "Shared folder", NULL, "filestore.shared_volume.hostpath and "
	  "two or more hosts", NULL, NULL },
	{ "registry", "Registry", "registry_auth.", "registry", NULL, NULL },
};

#define NCHECK_KINDS	(sizeof check_kinds / sizeof check_kinds[0])

/* The kind whose endpoints need the secret of answer `field`, or NULL for
 * a secret of no endpoint (sentry.secret_key, geoip.license_key). */
static const struct check_kind *
secret_owner(const char *field)
{
	for (size_t i = 0; i < NCHECK_KINDS; i++)
		if (check_kinds[i].secrets != NULL && strncmp(field,
		    check_kinds[i].secrets, strlen(check_kinds[i].secrets)) == 0)
			return &check_kinds[i];
	return NULL;
}

static const struct check_kind *
check_kind(const char *probe)
{
	for (size_t i = 0; i < NCHECK_KINDS; i++)
		if (strcmp(check_kinds[i].probe, probe) == 0)
			return &check_kinds[i];
	return NULL;
}

/*
 * Why a kind that --only names has no endpoint to check: the release does
 * not use that middleware, or the answers name none (and where they would).
 * When --only leaves nothing at all, also the kinds the answers do have, so
 * that "0 endpoints" is never the whole story.
 */
static void
explain_nothing(const struct plan *pl, const struct strlist *only,
    struct strbuf *out)
{
	struct strlist names = { 0 }, have = { 0 };
	struct strbuf keys = STRBUF_INIT;
	char *list;

	for (size_t i = 0; i < only->n; i++) {
		struct strlist one = { 0 };
		const struct check_kind *k = check_kind(only->v[i]);
		size_t n;

		sl_add(&one, only->v[i]);
		n = probe_count(pl, &one);
		sl_free(&one);
		if (n > 0 || k == NULL)
			continue;
		if (k->unused != NULL && k->unused(pl))
			sb_printf(out, "--only %s: nothing to check: Sentry %s does "
			    "not use %s (%s)\n", k->probe, pl->release, k->title,
			    k->because);
		else
			sb_printf(out, "--only %s: nothing to check: %s names no "
			    "%s endpoint (%s)\n", k->probe, pl->answers_file,
			    k->title, k->where);
	}
	if (probe_count(pl, only) > 0)
		return;
	probe_names(&keys);
	sl_split(&names, sb_str(&keys), ',');
	for (size_t i = 0; i < names.n; i++) {
		struct strlist one = { 0 };
		const char *name = names.v[i] + strspn(names.v[i], " ");

		sl_add(&one, name);
		if (probe_count(pl, &one) > 0)
			sl_add(&have, name);
		sl_free(&one);
	}
	list = sl_join(&have, ", ");
	sb_printf(out, "%s has endpoints of: %s\n", pl->answers_file,
	    have.n ? list : "none");
	free(list);
	sl_free(&have);
	sl_free(&names);
	sb_free(&keys);
}

static int
selected(const struct strlist *only, const char *probe)
{
	return only == NULL || only->n == 0 || sl_contains(only, probe);
}

/*
 * The secrets the answers name but that cannot be read (an unset {env:}, a
 * missing {file:}), for the checks selected: each becomes a failed check
 * of its endpoint in `out`, naming the answer and the variable or file,
 * and its kind goes to `blocked`, not to be contacted without it. A secret
 * of no endpoint fails the check too: generate would refuse it.
 */
static void
unreadable_secrets(const struct plan *pl, const struct strlist *only,
    struct probe_results *out, struct strlist *blocked)
{
	for (size_t i = 0; i < pl->nunresolved; i++) {
		const struct plan_unresolved *u = &pl->unresolved[i];
		const struct check_kind *k = secret_owner(u->field);
		struct probe_result *r;

		if (k != NULL ? !selected(only, k->probe) :
		    only != NULL && only->n > 0)
			continue;
		if (k != NULL && !sl_contains(blocked, k->probe))
			sl_add(blocked, k->probe);
		out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
		r = &out->v[out->n++];
		memset(r, 0, sizeof *r);
		r->service = xstrdup(k ? k->title : "Secret");
		r->endpoint = xstrdup(u->field);
		r->field = xstrdup(u->field);
		r->failure = PF_SETUP;
		r->detail = k ? xasprintf("%s; %s was not contacted without it",
		    u->why, k->title) : xasprintf("%s; generate needs it", u->why);
		r->fix = xstrdup(u->fix);
	}
}

/* The kinds to run: those selected, less the blocked ones. NULL: --only as
 * given (nothing is blocked). */
static const struct strlist *
runnable(const struct strlist *only, const struct strlist *blocked,
    struct strlist *run)
{
	if (blocked->n == 0)
		return only;
	for (size_t i = 0; i < NCHECK_KINDS; i++)
		if (selected(only, check_kinds[i].probe) &&
		    !sl_contains(blocked, check_kinds[i].probe))
			sl_add(run, check_kinds[i].probe);
	return run;
}

/* Moves the results of `from` to the end of `to`. */
static void
move_results(struct probe_results *to, struct probe_results *from)
{
	if (from->n == 0)
		return;
	to->v = xrealloc(to->v, (to->n + from->n) * sizeof *to->v);
	memcpy(to->v + to->n, from->v, from->n * sizeof *from->v);
	to->n += from->n;
	free(from->v);
	from->v = NULL;
	from->n = 0;
}

struct live_printer {
	const struct plan	*pl;
	int			 quiet;	/* --json: nothing until the end */
};

static void
print_result(const struct probe_result *r, void *arg)
{
	const struct live_printer *lp = arg;
	struct strbuf line = STRBUF_INIT;

	if (lp->quiet)
		return;
	report_probe_text(r, lp->pl, &line);
	fputs(sb_str(&line), stdout);
	fflush(stdout);
	sb_free(&line);
}

/* Runs the probes and the rules; the exit status. */
/* The live part: announces the check, says why --only finds nothing,
 * fails the endpoints whose secrets cannot be read and runs the others.
 * -1 with e set when the probes could not run at all. */
static int
run_probes(struct session *s, const struct check_opts *co,
    const struct probe_opts *base, struct probe_results *probes,
    struct facts *facts, struct err *e)
{
	struct live_printer lp = { &s->pl, co->json };
	struct probe_opts po = *base;
	struct probe_results unread = { 0 };
	struct strlist blocked = { 0 }, run = { 0 };
	int rc = 0;

	po.report = print_result;
	po.arg = &lp;
	if (!co->json) {
		size_t n = probe_count(&s->pl, po.only);

		printf("Checking %zu endpoint%s of %s (at most %.3g s each, "
		    "%s):\n", n, n == 1 ? "" : "s", s->pl.answers_file,
		    po.timeout_ms / 1000.0, po.jobs ? "a few at a time" :
		    "all at once");
		fflush(stdout);
	}
	if (po.only != NULL && po.only->n > 0) {
		struct strbuf why = STRBUF_INIT;

		/* With --json, stdout holds the document alone. */
		explain_nothing(&s->pl, po.only, &why);
		fputs(sb_str(&why), co->json ? stderr : stdout);
		sb_free(&why);
	}
	/* One secret that cannot be read fails its own endpoints, not every
	 * check. */
	unreadable_secrets(&s->pl, base->only, &unread, &blocked);
	for (size_t i = 0; i < unread.n; i++)
		print_result(&unread.v[i], &lp);
	po.only = runnable(base->only, &blocked, &run);
	if ((blocked.n == 0 || run.n > 0) &&
	    probe_all(&s->pl, &po, probes, facts, e) < 0)
		rc = -1;
	if (rc == 0)
		move_results(probes, &unread);
	probe_results_free(&unread);
	sl_free(&blocked);
	sl_free(&run);
	if (rc == 0 && !co->json)
		putchar('\n');
	return rc;
}

static int
run_check(struct session *s, const struct check_opts *co,
    const struct probe_opts *base, struct err *e)
{
	struct probe_results probes = { 0 };
	struct findings f = { 0 };
	struct facts facts;
	struct strbuf out = STRBUF_INIT;
	int status, abandoned;

	facts_init(&facts);
	/* So that the rules can name the release the databases are at. */
	facts.releases = &s->releases;
	if (!co->offline && run_probes(s, co, base, &probes, &facts, e) < 0) {
		facts_free(&facts);
		return cli_fail("check", e);
	}
	rules_evaluate(&s->pl, co->offline ? NULL : &facts, &f);
	if (co->json)
		report_json(&f, &s->rules, &s->pl, co->offline ? NULL : &probes,
		    &out);
	else
		report_text(&f, &s->rules, &s->pl, co->verbose ?
		    REPORT_VERBOSE : 0, &out);
	fputs(sb_str(&out), stdout);
	status = findings_count(&f, SEV_ERROR) || probe_failures(&probes) ?
	    EXIT_FINDINGS : EXIT_OK;
	abandoned = probes.abandoned;
	sb_free(&out);
	findings_free(&f);
	facts_free(&facts);
	probe_results_free(&probes);
	if (abandoned) {
		/* A probe overran its deadline and still runs on the plan: end
		 * here rather than free what it reads. */
		fflush(stdout);
		_exit(status);
	}
	return status;
}

int
cmd_check(int argc, char **argv)
{
	struct check_opts co = { .answers = ANSWERS_DEFAULT_PATH };
	struct probe_opts po = { 0 };
	struct strlist only = { 0 };
	int first, status;
	struct session s;
	struct err e;
	char *data;
	const struct cli_opt opts[] = {
		{ "answers", 'a', "FILE", &co.answers, NULL,
		  "the answers file (default: ./sentry-ha.yaml)" },
		{ "offline", 0, NULL, NULL, &co.offline,
		  "only the answers and the release profile, no server" },
		{ "timeout", 't', "SECONDS", &co.timeout, NULL,
		  "each endpoint's deadline (default: 5)" },
		{ "only", 0, "LIST", &co.only, NULL,
		  "these checks only, e.g. postgres,redis" },
		{ "jobs", 'j', "N", &co.jobs, NULL,
		  "at most N endpoints at once (default: 32)" },
		{ "secrets-from", 0, "DIR", &co.secrets_from, NULL,
		  "read {file:} secrets only from below DIR" },
		{ "accept-new", 0, NULL, NULL, &co.accept_new,
		  "trust and record SSH host keys not yet known" },
		{ "json", 0, NULL, NULL, &co.json,
		  "one JSON document on stdout (see below)" },
		{ "verbose", 'v', NULL, NULL, &co.verbose,
		  "say why for every finding" },
		{ NULL, 0, NULL, NULL, NULL, NULL }
	};

	if ((status = cli_begin("check", argc, argv, opts, 0, usage, &first)) >= 0)
		return status;
	err_clear(&e);
	if (probe_options(&co, &po, &only, &e) < 0) {
		sl_free(&only);
		return cli_usage_error("check", &e);
	}
	data = cli_data_dir();
	if (session_open_secrets(&s, data, co.answers, NULL, co.offline ?
	    PLAN_NO_SECRET_VALUES : PLAN_SECRETS_MAY_FAIL, co.secrets_from,
	    &e) < 0) {
		cli_hint_answers(co.answers, data, &e);
		status = cli_fail("check", &e);
	} else {
		status = run_check(&s, &co, &po, &e);
	}
	session_close(&s);
	sl_free(&only);
	free(data);
	return status;
}
