/*
 * The command-line front end: one function per command over the core, and
 * the small option parser and data-folder lookup they share. Commands return
 * the process exit status (DESIGN §2): 0 success, 1 findings, 2 usage or
 * invalid input, 3 I/O or environment.
 */
#ifndef SHS_CLI_H
#define SHS_CLI_H

#include "err.h"

#define EXIT_OK		0
#define EXIT_FINDINGS	1
#define EXIT_USAGE	2
#define EXIT_IO		3

struct cli_opt {
	const char	*name;		/* long name without "--" */
	char		 letter;	/* short option, or 0 */
	const char	*arg;		/* argument name for --help, NULL for a flag */
	const char	**value;	/* where the argument goes */
	int		*flag;		/* set to 1 for a flag */
	const char	*help;		/* NULL: a hidden option, which --help
					 * and the suggestions leave out */
};

/*
 * Parses argv[1..] against `opts` (terminated by a NULL name). Options may
 * come before or after operands; argv is reordered so that the operands
 * come last. Returns the index of the first operand, or -1 with a usage
 * error in `e`. -h and --help set *help.
 */
int	cli_parse(int argc, char **argv, const struct cli_opt *opts, int *help,
	    struct err *e);
/*
 * The start of every command: parses the options, prints the help for
 * --help (through `usage`) and reports a usage error (bad option, more than
 * `max_operands` operands). Returns -1 when the command goes on, with
 * *first the index of its first operand; otherwise the exit status to
 * return at once.
 */
int	cli_begin(const char *cmd, int argc, char **argv,
	    const struct cli_opt *opts, int max_operands,
	    void (*usage)(const struct cli_opt *), int *first);

/* 0 when option --`opt` (NULL: not given) names a folder that exists;
 * otherwise -1 with a usage error in `e`. */
int	cli_check_dir(const char *opt, const char *dir, struct err *e);

/* When `e` says the answers file `answers` could not be read because it
 * does not exist, adds how to make one: the wizard, or the demo answers of
 * `data_dir` (cli_data_dir()). */
void	cli_hint_answers(const char *answers, const char *data_dir,
	    struct err *e);

/* Prints "Options:" lines for `opts`. */
void	cli_print_options(const struct cli_opt *opts);

/* The folder holding profiles/ and assets/ (see README, "Release profiles"):
 * SENTRY_HA_SETUP_DATA, else the source tree the binary is in, else
 * ../share/sentry-ha-setup beside the binary's folder, else the DATADIR
 * it was built for (SHS_DATADIR). Owned by the caller. */
char	*cli_data_dir(void);

/* Prints an error to stderr as "sentry-ha-setup: ..." (each line prefixed)
 * and returns its exit status. */
int	cli_report(const struct err *e);
/* Reports a usage error with the hint to --help; returns EXIT_USAGE. */
int	cli_usage_error(const char *cmd, const struct err *e);
/* The end of command `cmd` on an error: cli_usage_error() for ERR_USAGE
 * (so that every usage error ends with "Try: sentry-ha-setup CMD --help"),
 * cli_report() for the others. Returns the exit status. */
int	cli_fail(const char *cmd, const struct err *e);

/* --timeout SECONDS (NULL: not given, the default of 5 s) as milliseconds,
 * from 0.001 to 300 s; -1 with a usage error otherwise. */
int	cli_parse_timeout(const char *text, long *ms, struct err *e);

int	cmd_generate(int argc, char **argv);
int	cmd_deploy(int argc, char **argv);
/* In ui/cmd_wizard.c: the only command that draws. */
int	cmd_wizard(int argc, char **argv);
int	cmd_check(int argc, char **argv);
int	cmd_explain(int argc, char **argv);
int	cmd_profiles(int argc, char **argv);
int	cmd_upgrade(int argc, char **argv);
int	cmd_bundle(int argc, char **argv);

#endif
