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
	int		 offline, json;
	long		 timeout_ms;
};

static void
usage(const struct cli_opt *opts)
{
	printf("Usage: sentry-ha-setup upgrade --to VERSION [-a FILE] [-o DIR] "
	    "[--offline] [--json]\n                               [--timeout "
	    "SECONDS]\n\n"
	    "Plans the upgrade of the deployment the answers describe to Sentry "
	    "VERSION. Sentry\nrefuses to skip a hard stop, so the way is a chain "
	    "of hops, one to each hard\nstop in between and one to VERSION. For "
	    "each hop it plans the same answers at\nthat release (services "
	    "renamed by the release carry their replicas over),\nchecks the "
	    "rules, the gates, over what the servers say (unless --offline):\n"
	    "the ClickHouse and PostgreSQL versions the release accepts, the "
	    "Kafka topics it\nneeds, and every rule of `check`. Then it writes "
	    "DIR/NN-FROM-to-TO/ for each\nhop: that release's complete output, "
	    "CHANGES.md (services added, removed and\nrenamed, images, "
	    "configuration, requirements) and RUNBOOK.md (backups, what\nto stop, "
	    "the migrations, how to verify them, the new services), and\n"
	    "DIR/UPGRADE.md over them. Nothing is written while a gate fails.\n\n");
	cli_print_options(opts);
	printf("\nThe output folder is not the install's (generate replaces that "
	    "one as a whole).\nThe keys file beside the answers must be there: "
	    "an upgrade keeps the secret\nkey the deployment runs with.\n");
	printf("\nExit status: 0 written, 1 a gate failed (nothing written), 2 "
	    "invalid answers,\na downgrade or a release without a profile, 3 I/O "
	    "failure.\n");
}

/* The live facts of the release that runs now; the endpoints that could
 * not be checked are said, not fatal (their gates are then unknown). */
static int
live_facts(const struct session *now, long timeout_ms, struct facts *facts,
    struct err *e)
{
	struct probe_opts po = { .timeout_ms = timeout_ms };
	struct probe_results r = { 0 };
	size_t failed;

	/* The rules say which release the databases are at. */
	facts->releases = &now->releases;
	if (probe_all(&now->pl, &po, &r, facts, e) < 0)
		return -1;
	failed = probe_failures(&r);
	if (failed > 0)
		fprintf(stderr, "sentry-ha-setup: %zu of %zu endpoints could not be "
		    "checked; their gates are unknown (sentry-ha-setup check -a %s "
		    "says why)\n", failed, r.n, now->pl.answers_file);
	probe_results_free(&r);
	return 0;
}

static void
print_text(const struct upgrade *u, const char *dir, int written)
{
	printf("Upgrading Sentry %s to %s: %zu hop%s\n", u->from,
	    u->v[u->n - 1].s.pl.release, u->n, u->n == 1 ? "" : "s");
	for (size_t i = 0; i < u->n; i++) {
		const struct upgrade_hop *h = &u->v[i];
		size_t errors = findings_count(&h->f, SEV_ERROR);
		size_t warnings = findings_count(&h->f, SEV_WARNING);

		printf("  %-24s Sentry %-8s %s %zu error%s, %zu warning%s\n",
		    h->dir, h->s.pl.release, h->s.pl.profile->hard_stop ?
		    "hard stop" : "target   ", errors, errors == 1 ? "" : "s",
		    warnings, warnings == 1 ? "" : "s");
		for (size_t j = 0; j < h->f.n; j++)
			if (h->f.v[j].severity != SEV_INFO)
				printf("      %s %s: %s\n", h->f.v[j].severity ==
				    SEV_ERROR ? "ERROR  " : "WARNING", h->f.v[j].rule,
				    h->f.v[j].message);
	}
	if (written)
		printf("Wrote %s/: read %s/UPGRADE.md, then each hop's RUNBOOK.md "
		    "in order.\n", dir, dir);
}

/* The same JSON quoting as the templates' (tmpl.h). */
static void
print_json(const struct upgrade *u, int written)
{
	struct strbuf j = STRBUF_INIT;

	sb_add(&j, "{\"from\": ");
	quote_json(&j, u->from);
	sb_add(&j, ", \"to\": ");
	quote_json(&j, u->v[u->n - 1].s.pl.release);
	sb_printf(&j, ", \"written\": %s, \"hops\": [", written ? "true" :
	    "false");
	for (size_t i = 0; i < u->n; i++) {
		const struct upgrade_hop *h = &u->v[i];

		sb_printf(&j, "%s{\"folder\": ", i ? ", " : "");
		quote_json(&j, h->dir);
		sb_add(&j, ", \"release\": ");
		quote_json(&j, h->s.pl.release);
		sb_printf(&j, ", \"hard_stop\": %s, \"gates\": [",
		    h->s.pl.profile->hard_stop ? "true" : "false");
		for (size_t k = 0, shown = 0; k < h->f.n; k++) {
			if (h->f.v[k].severity == SEV_INFO)
				continue;
			sb_printf(&j, "%s{\"rule\": ", shown++ ? ", " : "");
			quote_json(&j, h->f.v[k].rule);
			sb_printf(&j, ", \"severity\": \"%s\", \"message\": ",
			    h->f.v[k].severity == SEV_ERROR ? "error" : "warning");
			quote_json(&j, h->f.v[k].message);
			sb_add(&j, "}");
		}
		sb_add(&j, "]}");
	}
	sb_add(&j, "]}\n");
	fputs(sb_str(&j), stdout);
	sb_free(&j);
}

static int
upgrade(const struct upgrade_args *a, struct err *e)
{
	struct session now;
	struct upgrade u = { 0 };
	struct findings gates = { 0 };
	struct outset out = { 0 };
	struct facts facts;
	char *data = cli_data_dir();
	int rc, lock, written = 0, status;

	memset(&now, 0, sizeof now);
	facts_init(&facts);
	rc = deliver_lock(a->answers, &lock, e);
	if (rc == 0)
		rc = session_open(&now, data, a->answers, NULL, 0, e);
	if (rc < 0)
		cli_hint_answers(a->answers, data, e);
	if (rc == 0 && !a->offline)
		rc = live_facts(&now, a->timeout_ms, &facts, e);
	if (rc == 0)
		rc = upgrade_plan(&u, &now, a->answers, a->to, a->offline ? NULL :
		    &facts, e);
	if (rc == 0) {
		upgrade_findings(&u, &gates);
		rc = upgrade_render(&u, &now, &out, e);
	}
	if (rc == 0 && (rc = deliver(&now, &gates, &out, a->out, 0, "fix the "
	    "gates above first", e)) == 0)
		written = 1;
	if (u.n > 0 && a->json)
		print_json(&u, written);
	else if (u.n > 0)
		print_text(&u, a->out, written);
	status = rc == 0 ? EXIT_OK : cli_fail("upgrade", e);
	deliver_unlock(&lock);
	findings_free(&gates);
	outset_free(&out);
	upgrade_free(&u);
	facts_free(&facts);
	session_close(&now);
	free(data);
	return status;
}

int
cmd_upgrade(int argc, char **argv)
{
	struct upgrade_args a = { ANSWERS_DEFAULT_PATH, "sentry-ha-upgrade", NULL,
		NULL, 0, 0, 0 };
	const struct cli_opt opts[] = {
		{ "to", 0, "VERSION", &a.to, NULL,
		  "the release to reach (sentry-ha-setup profiles lists them)" },
		{ "answers", 'a', "FILE", &a.answers, NULL,
		  "the answers file (default: ./sentry-ha.yaml)" },
		{ "output", 'o', "DIR", &a.out, NULL,
		  "the hop folders (default: ./sentry-ha-upgrade)" },
		{ "offline", 0, NULL, NULL, &a.offline,
		  "check no server: the gates of the profiles only" },
		{ "json", 0, NULL, NULL, &a.json,
		  "the chain, the gates and what was written, as JSON" },
		{ "timeout", 't', "SECONDS", &a.timeout, NULL,
		  "each live check's deadline (default: 5)" },
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
	if (cli_parse_timeout(a.timeout, &a.timeout_ms, &e) < 0)
		return cli_usage_error("upgrade", &e);
	return upgrade(&a, &e);
}
