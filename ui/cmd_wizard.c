/* sentry-ha-setup wizard: the command line's way into the wizard. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "answers.h"
#include "cli.h"
#include "wizard.h"

static void
usage(const struct cli_opt *opts)
{
	printf("Usage: sentry-ha-setup wizard [-a FILE] [-o DIR]\n\n"
	    "Walks you through the deployment, screen by screen: the release "
	    "and the\norchestrator, each middleware endpoint (tested as you go), "
	    "the file store,\nthe services, every finding of the rules, and "
	    "finally the output. Every\nanswer is saved at once in the answers "
	    "file (mode 0600); run the wizard again\nto resume where you "
	    "stopped, even after a dropped SSH session. Started\nwithout a "
	    "command on a terminal, sentry-ha-setup runs the wizard.\n\n"
	    "Keys: Tab/Shift-Tab and the arrows move, Left/Right change a "
	    "choice, Enter\nconfirms, PgDn/PgUp are a form's Next/Back, Home/End "
	    "its first field and Next,\nEsc goes back, Ctrl-U/W/K erase as in a "
	    "shell, Ctrl-R or F2 shows the password\nbeing typed, F1 or ? shows "
	    "help, F10 or q (outside a field) quits. The keys of\nxterm, PuTTY, "
	    "rxvt and the linux console work whatever TERM says. On the\nServices "
	    "screen, type a name to find a service and -/+ to step its "
	    "replicas;\non the Review, a lists the noted findings; on Write, "
	    "Enter on a file shows its\nchanges.\n\n"
	    "A choice that hides fields, or a release without a service, sets "
	    "their answers\naside in FILE.wizard (mode 0600): choosing back "
	    "brings them back.\nNO_COLOR=1 turns the colours off; a locale that "
	    "is not UTF-8 gets ASCII lines.\n\n"
	    "On answers with their keys file, Welcome also offers Upgrade: the "
	    "hops to a\nnewer release with their gates (Test checks them live), "
	    "Write hops, Backup\ndone and Verify, as `sentry-ha-setup upgrade` "
	    "does.\n\n");
	cli_print_options(opts);
	printf("\nExit status: 0 done or left to resume later, 2 usage, 3 no "
	    "terminal or I/O\nfailure, 130 interrupted (the answers are "
	    "saved).\n");
}

int
cmd_wizard(int argc, char **argv)
{
	const char *answers = ANSWERS_DEFAULT_PATH, *out = "sentry-ha-out";
	const struct cli_opt opts[] = {
		{ "answers", 'a', "FILE", &answers, NULL,
		  "created or resumed (default: ./sentry-ha.yaml)" },
		{ "output", 'o', "DIR", &out, NULL,
		  "the output folder (default: ./sentry-ha-out)" },
		{ NULL, 0, NULL, NULL, NULL, NULL }
	};
	int first, status;
	char *data;

	if ((status = cli_begin("wizard", argc, argv, opts, 0, usage, &first)) >= 0)
		return status;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "sentry-ha-setup: the wizard needs a terminal; "
		    "without one, write the answers file and run generate\n");
		return EXIT_IO;
	}
	data = cli_data_dir();
	status = ui_wizard(data, answers, out);
	free(data);
	return status;
}
