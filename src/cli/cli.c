#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "suggest.h"
#include "xmem.h"

static const struct cli_opt *
find_long(const struct cli_opt *opts, const char *name, size_t len)
{
	for (const struct cli_opt *o = opts; o->name != NULL; o++)
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
	return NULL;
}

static const struct cli_opt *
find_short(const struct cli_opt *opts, char c)
{
	for (const struct cli_opt *o = opts; o->name != NULL; o++)
		if (o->letter == c)
			return o;
	return NULL;
}

static int
unknown_option(const struct cli_opt *opts, const char *arg, struct err *e)
{
	const char *names[64];
	size_t n = 0;
	const char *close;

	for (const struct cli_opt *o = opts; o->name != NULL && n < 63; o++)
		if (o->help != NULL)	/* a hidden option is never suggested */
			names[n++] = o->name;
	names[n] = NULL;
	close = arg[1] == '-' ? suggest(arg + 2, names) : NULL;
	if (close != NULL)
		return err_set(e, ERR_USAGE, "unknown option %s (did you mean "
		    "--%s?)", arg, close);
	return err_set(e, ERR_USAGE, "unknown option %s", arg);
}

static int
take(const struct cli_opt *o, const char *inline_value, int argc, char **argv,
    int *i, struct err *e)
{
	if (o->arg == NULL) {
		if (inline_value != NULL)
			return err_set(e, ERR_USAGE, "--%s takes no value", o->name);
		*o->flag = 1;
		return 0;
	}
	if (inline_value == NULL) {
		if (*i + 1 >= argc)
			return err_set(e, ERR_USAGE, "--%s needs a value (%s)",
			    o->name, o->arg);
		inline_value = argv[++*i];
	}
	/* Every value names a file, a folder or a choice; an empty one is
	 * a shell variable that was not set. */
	if (inline_value[0] == '\0')
		return err_set(e, ERR_USAGE, "--%s: the value is empty, expected "
		    "%s", o->name, o->arg);
	*o->value = inline_value;
	return 0;
}

int
cli_parse(int argc, char **argv, const struct cli_opt *opts, int *help,
    struct err *e)
{
	char **operands = xcalloc((size_t)argc + 1, sizeof *operands);
	int i, n = 0, rc = 0;

	for (i = 1; i < argc && rc == 0; i++) {
		const char *a = argv[i];
		const struct cli_opt *o;

		if (strcmp(a, "--") == 0) {
			while (++i < argc)
				operands[n++] = argv[i];
			break;
		}
		if (a[0] != '-' || a[1] == '\0') {
			operands[n++] = argv[i];	/* options may follow */
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			*help = 1;
		} else if (a[1] == '-') {
			const char *eq = strchr(a + 2, '=');
			size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);

			if ((o = find_long(opts, a + 2, len)) == NULL)
				rc = unknown_option(opts, a, e);
			else
				rc = take(o, eq ? eq + 1 : NULL, argc, argv, &i, e);
		} else if ((o = find_short(opts, a[1])) == NULL) {
			rc = unknown_option(opts, a, e);
		} else {
			rc = take(o, a[2] ? a + 2 : NULL, argc, argv, &i, e);
		}
	}
	/* The operands go last, in their order, as getopt's permutation does. */
	for (int j = 0; rc == 0 && j < n; j++)
		argv[argc - n + j] = operands[j];
	free(operands);
	return rc < 0 ? -1 : argc - n;
}

int
cli_usage_error(const char *cmd, const struct err *e)
{
	cli_report(e);
	fprintf(stderr, "Try: sentry-ha-setup %s --help\n", cmd);
	return EXIT_USAGE;
}

int
cli_fail(const char *cmd, const struct err *e)
{
	/* Wherever a usage error was found (the option parser, the command,
	 * or the core judging a flag's value), it ends the same way. */
	if (e->kind == ERR_USAGE)
		return cli_usage_error(cmd, e);
	return cli_report(e);
}

int
cli_begin(const char *cmd, int argc, char **argv, const struct cli_opt *opts,
    int max_operands, void (*usage)(const struct cli_opt *), int *first)
{
	struct err e;
	int help = 0;

	err_clear(&e);
	*first = cli_parse(argc, argv, opts, &help, &e);
	if (*first >= 0 && help) {
		usage(opts);
		return EXIT_OK;
	}
	if (*first >= 0 && argc - *first > max_operands)
		err_set(&e, ERR_USAGE, "%s: unexpected argument \"%s\"", cmd,
		    argv[*first + max_operands]);
	if (e.kind == ERR_NONE)
		return -1;
	return cli_usage_error(cmd, &e);
}

int
cli_check_dir(const char *opt, const char *dir, struct err *e)
{
	/* Checked before anything is read: a folder that is not there would
	 * otherwise surface later as every file being "outside" it. */
	if (dir == NULL || fs_is_dir(dir))
		return 0;
	return err_set(e, ERR_USAGE, "--%s %s: %s; expected a folder", opt, dir,
	    fs_exists(dir) ? "not a folder" : "no such folder");
}

void
cli_hint_answers(const char *answers, const char *data_dir, struct err *e)
{
	char *demo = xasprintf("%s/assets/demo/sentry-ha.yaml", data_dir);
	char *dir = fs_dirname(answers);
	const char *base = strrchr(answers, '/') ? strrchr(answers, '/') + 1 :
	    answers;

	/* Only the answers themselves missing (ERR_INPUT): a broken
	 * installation is ERR_IO and has its own words. */
	if (e->kind == ERR_INPUT && !fs_exists(answers)) {
		err_append(e, ERR_INPUT, "no answers file there: write one with "
		    "the wizard (sentry-ha-setup wizard -a %s), or name another "
		    "with -a FILE", answers);
		/* The demo reads its Redis password from a file beside it,
		 * so the whole folder goes, unless that would take another
		 * name's place. */
		if (fs_exists(demo) && strcmp(base, "sentry-ha.yaml") == 0)
			err_append(e, ERR_INPUT, "or start from the demo answers: "
			    "cp %s/assets/demo/* %s/", data_dir, dir);
		else if (fs_exists(demo))
			err_append(e, ERR_INPUT, "or start from the demo answers: "
			    "cp %s %s, with the files it reads beside it (%s/"
			    "assets/demo/)", demo, answers, data_dir);
	}
	free(dir);
	free(demo);
}

static void
option_left(const struct cli_opt *o, char *left, size_t size)
{
	if (o->letter)
		snprintf(left, size, "-%c, --%s%s%s", o->letter, o->name,
		    o->arg ? " " : "", o->arg ? o->arg : "");
	else
		snprintf(left, size, "    --%s%s%s", o->name,
		    o->arg ? " " : "", o->arg ? o->arg : "");
}

void
cli_print_options(const struct cli_opt *opts)
{
	char left[64];
	int width = (int)strlen("-h, --help");

	/* One column wide enough for the longest option keeps help aligned. */
	for (const struct cli_opt *o = opts; o->name != NULL; o++) {
		if (o->help == NULL)
			continue;
		option_left(o, left, sizeof left);
		if ((int)strlen(left) > width)
			width = (int)strlen(left);
	}
	printf("Options:\n");
	for (const struct cli_opt *o = opts; o->name != NULL; o++) {
		const char *line = o->help, *nl;

		if (line == NULL)
			continue;
		option_left(o, left, sizeof left);
		printf("  %-*s  ", width, left);
		/* A help of several lines: each one under the first. */
		for (; (nl = strchr(line, '\n')) != NULL; line = nl + 1)
			printf("%.*s\n  %-*s  ", (int)(nl - line), line, width, "");
		printf("%s\n", line);
	}
	printf("  %-*s  %s\n", width, "-h, --help", "show this help");
}

static char *
exe_dir(void)
{
	char buf[4096];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return fs_dirname(buf);
}

char *
cli_data_dir(void)
{
	const char *env = getenv("SENTRY_HA_SETUP_DATA");
	char *dir, *probe;

	if (env != NULL && env[0] != '\0')
		return xstrdup(env);
	/* Run from a source tree (or a build folder inside it), or installed
	 * as PREFIX/bin beside PREFIX/share/sentry-ha-setup wherever PREFIX
	 * is (a package unpacked with dpkg-deb -x into a folder of one's
	 * own). */
	if ((dir = exe_dir()) != NULL) {
		const char *rel[] = { "", "/..", "/../..",
			"/../share/sentry-ha-setup" };

		for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
			probe = xasprintf("%s%s/profiles", dir, rel[i]);
			if (fs_is_dir(probe)) {
				char *found = xasprintf("%s%s", dir, rel[i]);

				free(probe);
				free(dir);
				/* Without "/../..": the folder is shown in hints
				 * for people to type. */
				probe = fs_real_path(found);
				free(found);
				return probe;
			}
			free(probe);
		}
		free(dir);
	}
	return xstrdup(SHS_DATADIR);
}

int
cli_report(const struct err *e)
{
	const char *line = e->msg;

	while (*line != '\0') {
		const char *nl = strchr(line, '\n');
		int n = nl ? (int)(nl - line) : (int)strlen(line);

		fprintf(stderr, "sentry-ha-setup: %.*s\n", n, line);
		line = nl ? nl + 1 : line + n;
	}
	return err_exit_status(e);
}

/* Below a millisecond every check would fail at once, and say something
 * other than "too short"; past five minutes a hung server holds the run. */
#define TIMEOUT_DEFAULT_S	5
#define TIMEOUT_MAX_S		300

int
cli_parse_timeout(const char *text, long *ms, struct err *e)
{
	char *end;
	double s;

	if (text == NULL) {
		*ms = TIMEOUT_DEFAULT_S * 1000;
		return 0;
	}
	s = strtod(text, &end);
	if (*end != '\0' || end == text || !(s >= 0.001) || s > TIMEOUT_MAX_S)
		return err_set(e, ERR_USAGE, "--timeout %s: expected a number of "
		    "seconds from 0.001 to %d", text, TIMEOUT_MAX_S);
	*ms = (long)(s * 1000 + 0.999);
	return 0;
}
