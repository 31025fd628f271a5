/* sentry-ha-setup generate: answers + profile -> manifests and runbook. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "cli.h"
#include "k8s.h"
#include "keys.h"
#include "outset.h"
#include "plan.h"
#include "profile.h"
#include "suggest.h"

static const char *const targets[] = { "kubernetes", NULL };

struct gen_args {
	const char	*answers;
	const char	*out;
	const char	*target;
};

static void
usage(const struct cli_opt *opts)
{
	printf("Usage: sentry-ha-setup generate [-a FILE] [-o DIR] "
	    "[--target kubernetes]\n\n"
	    "Writes the manifests, the Sentry configuration files and RUNBOOK.md "
	    "for the\ndeployment described by the answers file. The output "
	    "folder is replaced as a\nwhole, and only once everything rendered: "
	    "on any error nothing is written.\n\n");
	cli_print_options(opts);
	printf("\nExit status: 0 written, 2 invalid answers or usage, 3 I/O "
	    "failure.\n");
}

/* The profile the answers ask for, or an error naming the known ones. */
static const struct profile *
pick_profile(const struct catalog *c, const struct answers *a, struct err *e)
{
	const struct profile *p = catalog_find(c, a->sentry.version);
	const char *names[64];
	char where[512], known[512] = "";
	const char *close;
	size_t n = 0;

	if (p != NULL)
		return p;
	for (size_t i = 0; i < c->n && i < 63; i++) {
		names[n++] = c->v[i].release;
		snprintf(known + strlen(known), sizeof known - strlen(known),
		    "%s%s", i ? ", " : "", c->v[i].release);
	}
	names[n] = NULL;
	close = suggest(a->sentry.version, names);
	srcmap_where(&a->where, "sentry.version", where, sizeof where);
	err_set(e, ERR_INPUT, "%ssentry.version: no profile for Sentry \"%s\"%s%s%s; "
	    "known releases: %s (sentry-ha-setup profiles)", where,
	    a->sentry.version, close ? " (did you mean \"" : "", close ? close : "",
	    close ? "\"?)" : "", known);
	return NULL;
}

static int
check_target(const struct gen_args *g, const struct answers *a, struct err *e)
{
	const char *t = g->target ? g->target : a->target.kind;

	for (size_t i = 0; targets[i] != NULL; i++)
		if (strcmp(t, targets[i]) == 0)
			return 0;
	return err_set(e, ERR_INPUT, "--target %s: expected kubernetes", t);
}

static void
summary(const struct plan *pl, const struct outset *out, const char *dir,
    const struct keys *k, const char *keys_path)
{
	size_t manifests = 0;

	for (size_t i = 0; i < out->n; i++)
		if (strncmp(out->v[i].path, "kubernetes/", 11) == 0)
			manifests++;
	printf("Wrote %s/ for Sentry %s on Kubernetes (namespace %s):\n",
	    dir, pl->release, pl->namespace);
	printf("  kubernetes/   %zu files: %zu services, %zu migration jobs, "
	    "kustomization.yaml\n", manifests, pl->nservices, pl->nmigrations);
	printf("  RUNBOOK.md    the next steps, in order\n");
	if (k->created)
		printf("Generated the Sentry secret key%s into %s (mode 0600): keep "
		    "it, later runs reuse it.\n", k->relay_id ? " and the Relay "
		    "identity" : "", keys_path);
	printf("Next: read %s/RUNBOOK.md, then: kubectl apply -f %s/kubernetes/"
	    "namespace.yaml\n", dir, dir);
}

/* Loads, plans and renders everything in memory, then writes the keys (if
 * new) and swaps the output folder in: an error before that writes nothing. */
static int
generate(const struct gen_args *g, struct err *e)
{
	struct catalog cat;
	struct answers a;
	struct keys k = { 0 };
	struct plan pl;
	struct outset out = { 0 };
	char *data = cli_data_dir(), *profiles = xasprintf("%s/profiles", data);
	char *assets = xasprintf("%s/assets", data);
	char *keys_path = keys_path_for(g->answers);
	const struct profile *p = NULL;
	int rc, read_answers = 0, planned = 0;

	rc = catalog_load(profiles, &cat, e);
	if (rc == 0) {
		rc = answers_load(g->answers, &a, e);
		read_answers = 1;
	}
	if (rc == 0)
		rc = check_target(g, &a, e);
	if (rc == 0 && (p = pick_profile(&cat, &a, e)) == NULL)
		rc = -1;
	if (rc == 0)
		rc = keys_load(keys_path, profile_service(p, "relay") != NULL, &k, e);
	if (rc == 0) {
		rc = plan_build(&a, p, &k, assets, &pl, e);
		planned = 1;
	}
	if (rc == 0)
		rc = k8s_emit(&pl, &out, e);
	if (rc == 0 && k.created)
		rc = keys_save(keys_path, &k, e);
	if (rc == 0)
		rc = outset_commit(&out, g->out, e);
	if (rc == 0)
		summary(&pl, &out, g->out, &k, keys_path);
	if (planned)
		plan_free(&pl);
	if (read_answers)
		answers_free(&a);
	catalog_free(&cat);
	outset_free(&out);
	keys_free(&k);
	free(keys_path);
	free(assets);
	free(profiles);
	free(data);
	return rc;
}

int
cmd_generate(int argc, char **argv)
{
	struct gen_args g = { ANSWERS_DEFAULT_PATH, "sentry-ha-out", NULL };
	int help = 0, first;
	struct err e;
	const struct cli_opt opts[] = {
		{ "answers", 'a', "FILE", &g.answers, NULL,
		  "the answers file (default: ./sentry-ha.yaml)" },
		{ "output", 'o', "DIR", &g.out, NULL,
		  "the output folder (default: ./sentry-ha-out)" },
		{ "target", 0, "kubernetes", &g.target, NULL,
		  "the orchestrator (default: the answers' target.kind)" },
		{ NULL, 0, NULL, NULL, NULL, NULL }
	};

	err_clear(&e);
	first = cli_parse(argc, argv, opts, &help, &e);
	if (first < 0) {
		cli_report(&e);
		fprintf(stderr, "Try: sentry-ha-setup generate --help\n");
		return EXIT_USAGE;
	}
	if (help) {
		usage(opts);
		return EXIT_OK;
	}
	if (first < argc) {
		fprintf(stderr, "sentry-ha-setup: generate: unexpected argument "
		    "\"%s\"\nTry: sentry-ha-setup generate --help\n", argv[first]);
		return EXIT_USAGE;
	}
	if (generate(&g, &e) < 0)
		return cli_report(&e);
	return EXIT_OK;
}
