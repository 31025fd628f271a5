/* sentry-ha-setup generate: answers + profile -> manifests and runbook. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "cli.h"
#include "deliver.h"
#include "report.h"
#include "session.h"
#include "targets.h"

struct gen_args {
	const char	*answers;
	const char	*out;
	const char	*target;
	const char	*secrets_from;
	const char	*digests;
	int		 force;
};

static void
usage(const struct cli_opt *opts)
{
	printf("Usage: sentry-ha-setup generate [-a FILE] [-o DIR] "
	    "[--target kubernetes|swarm]\n                                "
	    "[--force] [--secrets-from DIR] [--digests FILE]\n\n"
	    "Writes the manifests, the Sentry configuration files and RUNBOOK.md "
	    "for the\ndeployment described by the answers file. The rules of "
	    "`check` run first: when\none is broken (an error), nothing is "
	    "written unless --force is given. The\noutput folder is replaced as a "
	    "whole, and only once everything rendered.\n\n");
	cli_print_options(opts);
	printf("\nThe answers file and its keys may not lie inside the output "
	    "folder, and files\nthat sentry-ha-setup did not write there are "
	    "never deleted: the run stops\nand names them. The keys are saved "
	    "before the output; two runs at once take\nturns.\n");
	printf("\nExit status: 0 written, 1 refused because of rule errors, 2 "
	    "invalid answers\nor usage, 3 I/O failure or an output folder that "
	    "may not be replaced.\n");
}

static void
summary(const struct session *s, const struct outset *out, const char *dir,
    const struct findings *f)
{
	const struct plan *pl = &s->pl;
	const struct target *t = target_find(pl->target.kind);
	size_t files = 0;

	for (size_t i = 0; i < out->n; i++)
		if (strncmp(out->v[i].path, t->folder, strlen(t->folder)) == 0)
			files++;
	printf("Wrote %s/ for Sentry %s on %s:\n", dir, pl->release, t->title);
	printf("  %-13s %zu files: %zu services, %zu migration jobs, %s\n",
	    t->folder, files, pl->nservices, pl->nmigrations, t->entry_file);
	printf("  RUNBOOK.md    the next steps, in order\n");
	printf("Rules: %zu error%s, %zu warning%s, %zu applied or noted "
	    "(sentry-ha-setup check -a %s)\n", findings_count(f, SEV_ERROR),
	    findings_count(f, SEV_ERROR) == 1 ? "" : "s",
	    findings_count(f, SEV_WARNING),
	    findings_count(f, SEV_WARNING) == 1 ? "" : "s",
	    findings_count(f, SEV_INFO), s->pl.answers_file);
	if (s->k.created) {
		char *made = keys_made_text(s->k.created);

		printf("Generated %s into %s (mode 0600): keep it, later runs "
		    "reuse it.\n", made, s->keys_path);
		free(made);
	}
	printf("Next: read %s/RUNBOOK.md and follow it step by step.\n", dir);
}

/* Prints the errors and warnings (not the applied rules) to stderr. */
static void
print_problems(const struct session *s, const struct findings *f)
{
	struct strbuf text = STRBUF_INIT;

	if (findings_count(f, SEV_ERROR) + findings_count(f, SEV_WARNING) == 0)
		return;
	report_text(f, &s->rules, &s->pl, REPORT_PROBLEMS, &text);
	fputs(sb_str(&text), stderr);
	sb_free(&text);
}

/* Loads, plans, checks and renders everything in memory, then hands it to
 * the gate that writes it (deliver.h): before that, nothing is written.
 * Returns the exit status. */
static int
generate(const struct gen_args *g, struct err *e)
{
	static const char remedy[] = "fix the errors above, or pass --force to "
	    "write anyway";
	struct session s;
	struct findings f = { 0 };
	struct outset out = { 0 };
	char *data = cli_data_dir();
	int rc, status = EXIT_OK, lock;

	memset(&s, 0, sizeof s);
	rc = deliver_lock(g->answers, &lock, e);
	if (rc == 0)
		rc = session_open_secrets(&s, data, g->answers, g->target, 0,
		    g->secrets_from, e);
	if (rc < 0)
		cli_hint_answers(g->answers, data, e);
	if (rc == 0 && g->digests != NULL)
		rc = plan_pin_digests(&s.pl, g->digests, e);
	if (rc == 0) {
		rules_evaluate(&s.pl, NULL, &f);
		print_problems(&s, &f);
		rc = deliver_allowed(&f, g->force, remedy, e);
	}
	if (rc == 0)
		rc = target_find(s.pl.target.kind)->emit(&s.pl, &out, e);
	if (rc == 0)
		rc = deliver(&s, &f, &out, g->out, g->force, remedy, e);
	if (rc == 0)
		summary(&s, &out, g->out, &f);
	else
		status = cli_fail("generate", e);
	deliver_unlock(&lock);
	findings_free(&f);
	session_close(&s);
	outset_free(&out);
	free(data);
	return status;
}

/* The options' values, judged before anything is read: a wrong flag is a
 * usage error whatever the answers say. */
static int
check_flags(const struct gen_args *g, struct err *e)
{
	if (g->target != NULL && target_find(g->target) == NULL)
		return err_set(e, ERR_USAGE, "--target %s: expected %s",
		    g->target, target_names());
	return cli_check_dir("secrets-from", g->secrets_from, e);
}

int
cmd_generate(int argc, char **argv)
{
	struct gen_args g = { ANSWERS_DEFAULT_PATH, "sentry-ha-out", NULL, NULL,
		NULL, 0 };
	struct err e;
	int first, status;
	const struct cli_opt opts[] = {
		{ "answers", 'a', "FILE", &g.answers, NULL,
		  "the answers file (default: ./sentry-ha.yaml)" },
		{ "output", 'o', "DIR", &g.out, NULL,
		  "the output folder (default: ./sentry-ha-out)" },
		{ "target", 0, "kubernetes|swarm", &g.target, NULL,
		  "default: the answers' target.kind" },
		{ "force", 0, NULL, NULL, &g.force,
		  "write even when a rule reports an error" },
		{ "secrets-from", 0, "DIR", &g.secrets_from, NULL,
		  "read {file:} secrets only from below DIR (answers that\n"
		  "are not your own, as in CI)" },
		{ "digests", 0, "FILE", &g.digests, NULL,
		  "pin every image by the digest a bundle's images.json\n"
		  "records (sentry-ha-setup bundle)" },
		{ NULL, 0, NULL, NULL, NULL, NULL }
	};

	if ((status = cli_begin("generate", argc, argv, opts, 0, usage, &first)) >= 0)
		return status;
	err_clear(&e);
	if (check_flags(&g, &e) < 0)
		return cli_usage_error("generate", &e);
	return generate(&g, &e);
}
