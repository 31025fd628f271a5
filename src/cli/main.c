/* sentry-ha-setup: the command table and the top-level --help. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "suggest.h"

struct command {
	const char	*name;
	int		(*run)(int argc, char **argv);
	const char	*summary;
};

static const struct command commands[] = {
	{ "wizard", cmd_wizard,
	  "the guided way: every decision in order, tested as you go" },
	{ "generate", cmd_generate,
	  "write Kubernetes or Swarm manifests, config files, RUNBOOK.md" },
	{ "check", cmd_check,
	  "test every endpoint, then the rules of HA Sentry" },
	{ "explain", cmd_explain,
	  "explain a rule, or a service of your deployment" },
	{ "deploy", cmd_deploy,
	  "copy the Swarm output to a manager and run its deploy.sh there" },
	{ "bundle", cmd_bundle,
	  "the images and scripts that carry them into an air-gapped mirror" },
	{ "upgrade", cmd_upgrade,
	  "plan an upgrade hop by hop through every hard stop" },
	{ "profiles", cmd_profiles,
	  "list the Sentry releases this build knows" },
};

#define NCOMMANDS	(sizeof commands / sizeof commands[0])

static void
usage(FILE *f)
{
	fprintf(f, "Usage: sentry-ha-setup COMMAND [OPTIONS]\n\n"
	    "Turns one answers file (sentry-ha.yaml) into per-service manifests "
	    "for a highly\navailable Sentry on Kubernetes or Docker Swarm, with "
	    "external PostgreSQL,\nRedis, Kafka, ClickHouse and Memcached."
	    "\n\nCommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nWithout a command, on a terminal, the wizard starts on "
	    "./sentry-ha.yaml.\nRun 'sentry-ha-setup COMMAND --help' for a "
	    "command's "
	    "options.\n  -h, --help     show this help\n"
	    "      --version  show the version\n");
}

int
main(int argc, char **argv)
{
	const char *names[NCOMMANDS + 1];
	const char *close;

	if (argc < 2 && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		/* On a terminal, no command means the guided way. */
		char *wizard[] = { "wizard", NULL };

		return cmd_wizard(1, wizard);
	}
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("sentry-ha-setup %s\n", SHS_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < NCOMMANDS; i++) {
		names[i] = commands[i].name;
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	}
	names[NCOMMANDS] = NULL;
	close = suggest(argv[1], names);
	fprintf(stderr, "sentry-ha-setup: unknown command \"%s\"%s%s%s\n",
	    argv[1], close ? " (did you mean \"" : "", close ? close : "",
	    close ? "\"?)" : "");
	fprintf(stderr, "Try: sentry-ha-setup --help\n");
	return EXIT_USAGE;
}
