/*
 * sentry-ha-setup upgrade: the way from the release the answers run to a
 * newer one, hop by hop through every hard stop, each hop's gates checked
 * against the live servers (unless --offline) and written as a folder of
 * its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "cli.h"
#include "deliver.h"
#include "probe.h"
#include "tmpl.h"
#include "upgrade.h"

struct upgrade_args {
	const char	*answers, *out, *to, *timeout;
	int		 offline, json, backup_done, verify;
	long		 timeout_ms;
};

/* What one run of the command holds. */
struct upgrade_run {
	struct session		 now;
	struct upgrade		 u;
	struct upgrade_state	 st;
	struct facts		 facts;
};

static void
usage(const struct cli_opt *opts)
{
	printf("Usage: sentry-ha-setup upgrade --to VERSION [-a FILE] [-o "
	    "DIR] [--offline]\n       [--json] [--timeout SECONDS] [--backup-done "
	    "| --verify]\n\nPlans the upgrade of the deployment the answers "
	    "describe to Sentry VERSION.\nSentry refuses to skip a hard "
	    "stop, so the way is a chain of hops, one to each\nhard stop "
	    "in between and one to VERSION. For each hop it plans the same "
	    "answers\nat that release (services renamed by the release carry "
	    "their replicas over),\nchecks the rules, the gates, over what "
	    "the servers say (unless --offline):\nwhere the databases stand, "
	    "the ClickHouse and PostgreSQL versions the release\naccepts, "
	    "the Kafka topics it needs, and every rule of `check`. Then "
	    "it writes\nDIR/NN-FROM-to-TO/ for each hop: that release's "
	    "complete output, CHANGES.md\n(services added, removed and renamed, "
	    "images, configuration, requirements) and\nRUNBOOK.md (backups, "
	    "what to stop, the migrations, how to verify them, the new\nservices), "
	    "and DIR/UPGRADE.md over them. Nothing is written while a gate "
	    "fails.\n\n");
	cli_print_options(opts);
	printf("\nThen, hop by hop: take the backups of the first hop's "
	    "RUNBOOK.md step 1 and say\nso with --backup-done; run its steps 2 "
	    "to 4; then --verify reads the databases\nand, when the hop is "
	    "done, records it and moves the answers' sentry.version\non to its "
	    "release (the file before kept as FILE.bak). The next run starts "
	    "from\nthere. What is recorded, with the times, is in FILE.upgrade "
	    "(mode 0600).\n");
	printf("\nThe output folder is not the install's (generate replaces that "
	    "one as a whole).\nThe keys file beside the answers must be there: "
	    "an upgrade keeps the secret\nkey the deployment runs with.\n");
	printf("\nExit status: 0 written (or recorded), 1 a gate failed (nothing "
	    "written) or the\nhop is not verified, 2 invalid answers, a "
	    "downgrade or a release without a\nprofile, 3 I/O failure.\n");
}

/* The live facts of the release that runs now; the endpoints that could
 * not be checked are said, not fatal: their gates are then unknown, and a
 * hop they would verify is not verified. --verify reads only the two
 * databases that hold the migrations. */
static int
live_facts(const struct session *now, long timeout_ms, int verifying,
    struct facts *facts, struct err *e)
{
	struct strlist databases = { 0 };
	struct probe_opts po = { .timeout_ms = timeout_ms, .only = &databases };
	struct probe_results r = { 0 };
	size_t failed;

	if (verifying) {
		sl_add(&databases, "postgres");
		sl_add(&databases, "clickhouse");
	}
	/* The rules say which release the databases are at. */
	facts->releases = &now->releases;
	if (probe_all(&now->pl, &po, &r, facts, e) < 0) {
		sl_free(&databases);
		return -1;
	}
	failed = probe_failures(&r);
	for (size_t i = 0; verifying && i < r.n; i++)
		if (upgrade_unread(&r.v[i], facts))
			fprintf(stderr, "sentry-ha-setup: %s %s: %s\n",
			    r.v[i].service, r.v[i].endpoint, r.v[i].detail);
	if (failed > 0 && !verifying)
		fprintf(stderr, "sentry-ha-setup: %zu of %zu endpoints could not be "
		    "checked; their gates are unknown (sentry-ha-setup check -a %s "
		    "says why)\n", failed, r.n, now->pl.answers_file);
	probe_results_free(&r);
	sl_free(&databases);
	return 0;
}

/* The hops an earlier run verified, oldest first. */
static void
print_done(const struct upgrade_state *st)
{
	for (size_t i = 0; i < st->n; i++)
		if (st->v[i].verified != NULL)
			printf("  done: Sentry %s to %s, backup confirmed %s, verified "
			    "%s\n", st->v[i].from, st->v[i].to, st->v[i].backup_done ?
			    st->v[i].backup_done : "(not recorded)", st->v[i].verified);
}

static void
print_gates(const struct findings *f)
{
	for (size_t j = 0; j < f->n; j++)
		if (f->v[j].severity != SEV_INFO)
			printf("      %s %s: %s\n", f->v[j].severity == SEV_ERROR ?
			    "ERROR  " : "WARNING", f->v[j].rule, f->v[j].message);
}

static void
print_text(struct upgrade_run *r, const char *dir, int written)
{
	const struct upgrade *u = &r->u;
	const char *backup = upgrade_hop_backup(u, &r->st);

	printf("Upgrading Sentry %s to %s: %zu hop%s\n", u->from,
	    u->v[u->n - 1].s.pl.release, u->n, u->n == 1 ? "" : "s");
	print_done(&r->st);
	for (size_t i = 0; i < u->n; i++) {
		const struct upgrade_hop *h = &u->v[i];
		size_t errors = findings_count(&h->f, SEV_ERROR);
		size_t warnings = findings_count(&h->f, SEV_WARNING);

		printf("  %-24s Sentry %-8s %s %zu error%s, %zu warning%s\n",
		    h->dir, h->s.pl.release, h->s.pl.profile->hard_stop ?
		    "hard stop" : "target   ", errors, errors == 1 ? "" : "s",
		    warnings, warnings == 1 ? "" : "s");
		if (i == 0 && backup != NULL)
			printf("      backup confirmed at %s: run RUNBOOK.md steps 2 "
			    "to 4, then --verify (step 5)\n", backup);
		else if (i == 0)
			printf("      next: take the backups (RUNBOOK.md step 1), "
			    "then --backup-done\n");
		print_gates(&h->f);
	}
	if (written)
		printf("Wrote %s/: read %s/UPGRADE.md, then each hop's RUNBOOK.md "
		    "in order.\n", dir, dir);
}

static void
json_record(struct strbuf *j, const struct hop_record *r)
{
	sb_add(j, "{\"from\": ");
	quote_json(j, r->from);
	sb_add(j, ", \"to\": ");
	quote_json(j, r->to);
	sb_add(j, ", \"backup_done\": ");
	quote_json_or_null(j, r->backup_done);
	sb_add(j, ", \"verified\": ");
	quote_json_or_null(j, r->verified);
	sb_add(j, "}");
}

static void
json_findings(struct strbuf *j, const struct findings *f)
{
	sb_add(j, "[");
	for (size_t k = 0, shown = 0; k < f->n; k++) {
		if (f->v[k].severity == SEV_INFO)
			continue;
		sb_printf(j, "%s{\"rule\": ", shown++ ? ", " : "");
		quote_json(j, f->v[k].rule);
		sb_printf(j, ", \"severity\": \"%s\", \"message\": ",
		    severity_names[f->v[k].severity]);
		quote_json(j, f->v[k].message);
		sb_add(j, "}");
	}
	sb_add(j, "]");
}

static void
json_hop(struct strbuf *j, struct upgrade_run *r, size_t i)
{
	static const char *const states[] = {
		[HOP_NEXT] = "next", [HOP_BACKED_UP] = "backed-up",
		[HOP_WAITING] = "waiting",
	};
	const struct upgrade_hop *h = &r->u.v[i];

	sb_printf(j, "%s{\"folder\": ", i ? ", " : "");
	quote_json(j, h->dir);
	sb_add(j, ", \"release\": ");
	quote_json(j, h->s.pl.release);
	sb_printf(j, ", \"hard_stop\": %s, \"state\": \"%s\", \"backup_done\": ",
	    h->s.pl.profile->hard_stop ? "true" : "false",
	    states[upgrade_hop_state(&r->u, &r->st, i)]);
	quote_json_or_null(j, i == 0 ? upgrade_hop_backup(&r->u, &r->st) : NULL);
	sb_add(j, ", \"gates\": ");
	json_findings(j, &h->f);
	sb_add(j, "}");
}

/* The same JSON quoting as the templates' (tmpl.h). `verified`: the
 * findings of --verify, or NULL. */
static void
print_json(struct upgrade_run *r, int written, const struct findings *verified)
{
	struct strbuf j = STRBUF_INIT;
	const struct upgrade *u = &r->u;

	sb_add(&j, "{\"from\": ");
	quote_json(&j, u->from);
	sb_add(&j, ", \"to\": ");
	quote_json(&j, u->v[u->n - 1].s.pl.release);
	sb_printf(&j, ", \"written\": %s, \"done\": [", written ? "true" :
	    "false");
	for (size_t i = 0, shown = 0; i < r->st.n; i++)
		if (r->st.v[i].verified != NULL) {
			sb_add(&j, shown++ ? ", " : "");
			json_record(&j, &r->st.v[i]);
		}
	sb_add(&j, "], \"hops\": [");
	for (size_t i = 0; i < u->n; i++)
		json_hop(&j, r, i);
	sb_add(&j, "]");
	if (verified != NULL) {
		sb_add(&j, ", \"verify\": ");
		json_findings(&j, verified);
	}
	sb_add(&j, "}\n");
	fputs(sb_str(&j), stdout);
	sb_free(&j);
}

/* The answers, the record, the live facts and the plan; what the steps
 * after it need. The gates are the plan's alone: the steps read no
 * server before they must (--verify, once the backup is confirmed). */
static int
open_run(const struct upgrade_args *a, struct upgrade_run *r, const char *data,
    struct err *e)
{
	int gates = !a->offline && !a->backup_done && !a->verify;
	int rc = session_open(&r->now, data, a->answers, NULL, 0, e);

	if (rc < 0)
		cli_hint_answers(a->answers, data, e);
	if (rc == 0)
		rc = upgrade_state_load(&r->st, a->answers, e);
	if (rc == 0 && gates)
		rc = live_facts(&r->now, a->timeout_ms, 0, &r->facts, e);
	if (rc == 0)
		rc = upgrade_plan(&r->u, &r->now, a->answers, a->to, gates ?
		    &r->facts : NULL, 0, e);
	if (rc == 0 && a->verify && (rc = upgrade_may_verify(&r->u, &r->st,
	    e)) == 0)
		rc = live_facts(&r->now, a->timeout_ms, 1, &r->facts, e);
	return rc;
}

/* The hop folders, written unless a gate fails. */
static int
write_hops(const struct upgrade_args *a, struct upgrade_run *r, struct err *e)
{
	struct findings gates = { 0 };
	struct outset out = { 0 };
	int rc;

	upgrade_findings(&r->u, &gates);
	rc = upgrade_render(&r->u, &r->now, &out, e);
	if (rc == 0)
		rc = deliver(&r->now, &gates, &out, a->out, 0, "fix the gates "
		    "above first", e);
	findings_free(&gates);
	outset_free(&out);
	return rc;
}

static int
backup_done(const struct upgrade_args *a, struct upgrade_run *r, struct err *e)
{
	const struct upgrade_hop *h = &r->u.v[0];

	if (upgrade_backup_done(&r->u, &r->st, e) < 0)
		return -1;
	if (!a->json)
		printf("Hop %s: backup confirmed at %s (recorded in %s).\nNext: "
		    "run its RUNBOOK.md steps 2 to 4, then sentry-ha-setup upgrade "
		    "--to %s -a %s --verify (step 5)\n", h->dir, upgrade_hop_backup(&r->u,
		    &r->st), r->st.path, a->to, a->answers);
	return 0;
}

static void
print_verified(const struct upgrade_args *a, const struct upgrade_run *r,
    const struct findings *f, const char *bak, int ok)
{
	const struct upgrade_hop *h = &r->u.v[0];

	printf("Verifying hop %s (Sentry %s to %s) in the live databases:\n",
	    h->dir, r->u.from, h->s.pl.release);
	for (size_t i = 0; i < f->n; i++)
		printf("  %-7s %s\n", f->v[i].severity == SEV_ERROR ? "ERROR" :
		    f->v[i].severity == SEV_WARNING ? "WARNING" : "ok",
		    f->v[i].message);
	if (!ok)
		return;
	printf("Hop %s verified. The answers now run Sentry %s (%s; the file "
	    "before is %s).\n", h->dir, h->s.pl.release, h->answers_kept ?
	    "edited in place" : "written anew", bak);
	if (r->u.n > 1)
		printf("Next: hop %s to %s: sentry-ha-setup upgrade --to %s -a %s "
		    "writes its folder.\n", h->s.pl.release, r->u.v[1].s.pl.release,
		    a->to, a->answers);
	else
		printf("Sentry %s is reached: the upgrade is complete.\n",
		    h->s.pl.release);
}

static int
verify(const struct upgrade_args *a, struct upgrade_run *r, struct err *e)
{
	struct findings f = { 0 };
	char *bak = NULL;
	int rc = upgrade_verify(&r->u, &r->st, a->answers, &r->facts, &f, &bak,
	    e);

	if (a->json)
		print_json(r, 0, &f);
	else if (f.n > 0 || rc == 0)
		print_verified(a, r, &f, bak, rc == 0);
	findings_free(&f);
	free(bak);
	return rc;
}

static int
upgrade(const struct upgrade_args *a, struct err *e)
{
	struct upgrade_run r;
	char *data = cli_data_dir();
	int rc, lock, written = 0, status;

	memset(&r, 0, sizeof r);
	facts_init(&r.facts);
	rc = deliver_lock(a->answers, &lock, e);
	if (rc == 0)
		rc = open_run(a, &r, data, e);
	if (rc == 0 && a->backup_done)
		rc = backup_done(a, &r, e);
	else if (rc == 0 && a->verify)
		rc = verify(a, &r, e);
	else if (rc == 0 && (rc = write_hops(a, &r, e)) == 0)
		written = 1;
	if (r.u.n > 0 && !a->verify && (a->json || !a->backup_done)) {
		if (a->json)
			print_json(&r, written, NULL);
		else
			print_text(&r, a->out, written);
	}
	status = rc == 0 ? EXIT_OK : cli_fail("upgrade", e);
	deliver_unlock(&lock);
	upgrade_free(&r.u);
	upgrade_state_free(&r.st);
	facts_free(&r.facts);
	session_close(&r.now);
	free(data);
	return status;
}

int
cmd_upgrade(int argc, char **argv)
{
	struct upgrade_args a = { ANSWERS_DEFAULT_PATH, "sentry-ha-upgrade", NULL,
		NULL, 0, 0, 0, 0, 0 };
	const struct cli_opt opts[] = {
		{ "to", 0, "VERSION", &a.to, NULL,
		  "the release to reach (`profiles` lists them)" },
		{ "answers", 'a', "FILE", &a.answers, NULL,
		  "the answers file (default: ./sentry-ha.yaml)" },
		{ "output", 'o', "DIR", &a.out, NULL,
		  "the hop folders (default: ./sentry-ha-upgrade)" },
		{ "offline", 0, NULL, NULL, &a.offline,
		  "check no server: the gates of the profiles only" },
		{ "json", 0, NULL, NULL, &a.json,
		  "the chain, its gates and record, what was written: JSON" },
		{ "timeout", 't', "SECONDS", &a.timeout, NULL,
		  "each live check's deadline (default: 5)" },
		{ "backup-done", 0, NULL, NULL, &a.backup_done,
		  "record the first hop's backups as taken (no folder)" },
		{ "verify", 0, NULL, NULL, &a.verify,
		  "read the databases: is the first hop done? (moves on)" },
		{ NULL, 0, NULL, NULL, NULL, NULL }
	};
	struct err e;
	int first, status;

	if ((status = cli_begin("upgrade", argc, argv, opts, 0, usage, &first)) >= 0)
		return status;
	err_clear(&e);
	if (a.to == NULL) {
		err_set(&e, ERR_USAGE, "--to VERSION is required (sentry-ha-setup "
		    "profiles lists the releases)");
		return cli_usage_error("upgrade", &e);
	}
	if (a.backup_done && a.verify)
		err_set(&e, ERR_USAGE, "--backup-done and --verify are two steps: "
		    "give one");
	else if (a.verify && a.offline)
		err_set(&e, ERR_USAGE, "--verify reads the live databases: it cannot "
		    "be --offline");
	if (e.kind != ERR_NONE || cli_parse_timeout(a.timeout, &a.timeout_ms,
	    &e) < 0)
		return cli_usage_error("upgrade", &e);
	return upgrade(&a, &e);
}
