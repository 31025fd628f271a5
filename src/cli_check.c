/* sentry-ha-setup check: the rules of HA Sentry over the answers. */
#include <stdio.h>
#include <stdlib.h>

#include "answers.h"
#include "cli.h"
#include "session.h"

static void
usage(const struct cli_opt *opts)
{
	printf("Usage: sentry-ha-setup check [-a FILE] [--offline] [--json]\n\n"
	    "Checks the answers against every rule of a highly available Sentry "
	    "for the\nchosen release: what would break (errors), what is risky "
	    "(warnings), and what\nthe generator does for you (info). It reads "
	    "no password and writes nothing.\nThis build checks without "
	    "contacting any server (as with --offline).\n\n");
	cli_print_options(opts);
	printf("\nExit status: 0 no errors, 1 at least one error, 2 invalid "
	    "answers or usage,\n3 I/O failure.\n"
	    "The --json document: {schema: 1, release, target, answers, summary: "
	    "{error,\nwarning, info}, findings: [{id, severity, subject, field, "
	    "where, message,\ntitle, why, fix, source}]}; fields that do not apply "
	    "are null.\n");
}

int
cmd_check(int argc, char **argv)
{
	const char *answers = ANSWERS_DEFAULT_PATH;
	int json = 0, offline = 0, verbose = 0, first, status;
	struct session s;
	struct findings f = { 0 };
	struct strbuf out = STRBUF_INIT;
	struct err e;
	char *data;
	const struct cli_opt opts[] = {
		{ "answers", 'a', "FILE", &answers, NULL,
		  "the answers file (default: ./sentry-ha.yaml)" },
		{ "offline", 0, NULL, NULL, &offline,
		  "only the answers and the release profile, no server" },
		{ "json", 0, NULL, NULL, &json,
		  "one JSON document on stdout (see below)" },
		{ "verbose", 'v', NULL, NULL, &verbose,
		  "say why for every finding" },
		{ NULL, 0, NULL, NULL, NULL, NULL }
	};

	if ((status = cli_begin("check", argc, argv, opts, 0, usage, &first)) >= 0)
		return status;
	err_clear(&e);
	data = cli_data_dir();
	if (session_open(&s, data, answers, NULL, PLAN_NO_SECRET_VALUES, &e) < 0) {
		status = cli_report(&e);
	} else {
		rules_evaluate(&s.pl, NULL, &f);
		if (json)
			report_json(&f, &s.rules, &s.pl, &out);
		else
			report_text(&f, &s.rules, &s.pl, verbose ? REPORT_VERBOSE : 0, &out);
		fputs(sb_str(&out), stdout);
		status = findings_count(&f, SEV_ERROR) ? EXIT_FINDINGS : EXIT_OK;
	}
	sb_free(&out);
	findings_free(&f);
	session_close(&s);
	free(data);
	return status;
}
