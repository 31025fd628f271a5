/*
 * The one error convention of the core.
 *
 *   - A function that can fail returns int: 0 on success, -1 on failure.
 *   - On failure it fills a caller-owned struct err: a kind (which becomes the
 *     exit status) and a message that names where the problem is (FILE:LINE:COL
 *     or a field path such as kafka.brokers[1]) and what was expected.
 *   - A validator that finds several problems appends one line per problem, so
 *     the operator sees all of them at once; the kind is that of the first.
 *   - On success the err is left untouched.
 *
 * Running out of memory is not an error path: xmalloc() and friends call
 * fatal(), because no caller could do anything useful instead.
 */
#ifndef SHS_ERR_H
#define SHS_ERR_H

#include <stdarg.h>
#include <stddef.h>

enum err_kind {
	ERR_NONE = 0,
	ERR_INPUT,	/* bad answers, profile: exit 2, nothing written */
	ERR_USAGE,	/* a command's option or operand is wrong: exit 2, and
			 * the front end points at the command's --help */
	ERR_IO,		/* the file system or environment failed: exit 3 */
	ERR_FINDINGS,	/* a rule reports an error, so nothing was written:
			 * exit 1 (deliver.h) */
};

#define ERR_MSG_MAX 8192

struct err {
	enum err_kind kind;
	size_t nlines;
	char msg[ERR_MSG_MAX];
};

/* Resets to "no error". */
void err_clear(struct err *e);

/* Replaces the message; always returns -1 so callers can `return err_set(...)`. */
int err_set(struct err *e, enum err_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Adds one more line (a further problem found by the same validation). Returns -1. */
int err_append(struct err *e, enum err_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prepends context ("while reading X: ") to every line. Returns -1. */
int err_prefix(struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * The end of the program when it cannot go on (out of memory, a table of
 * the core that contradicts itself): runs the hook, says why on stderr and
 * aborts. The front end that took over the terminal sets the hook once, so
 * that the terminal is given back before the message (ui/term.c); it must
 * not allocate. The one piece of process-wide state the core keeps.
 */
void	fatal_set_hook(void (*hook)(void));
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The process exit status for this error: 1 for findings that block, 2 for
 * input or usage, 3 for I/O, 0 for none. */
int err_exit_status(const struct err *e);

#endif
