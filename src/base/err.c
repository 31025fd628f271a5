#include "err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
err_clear(struct err *e)
{
	e->kind = ERR_NONE;
	e->nlines = 0;
	e->msg[0] = '\0';
}

static void
vappend(struct err *e, const char *fmt, va_list ap)
{
	size_t used = strlen(e->msg);

	if (used > 0 && used + 1 < sizeof e->msg)
		e->msg[used++] = '\n';
	if (used < sizeof e->msg)
		vsnprintf(e->msg + used, sizeof e->msg - used, fmt, ap);
	e->nlines++;
}

int
err_set(struct err *e, enum err_kind kind, const char *fmt, ...)
{
	va_list ap;

	err_clear(e);
	e->kind = kind;
	va_start(ap, fmt);
	vappend(e, fmt, ap);
	va_end(ap);
	return -1;
}

int
err_append(struct err *e, enum err_kind kind, const char *fmt, ...)
{
	va_list ap;

	if (e->kind == ERR_NONE)
		e->kind = kind;
	va_start(ap, fmt);
	vappend(e, fmt, ap);
	va_end(ap);
	return -1;
}

int
err_prefix(struct err *e, const char *fmt, ...)
{
	char prefix[512], out[ERR_MSG_MAX];
	const char *line = e->msg;
	size_t len = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	out[0] = '\0';
	while (*line != '\0' && len < sizeof out) {
		const char *nl = strchr(line, '\n');
		int n = nl ? (int)(nl - line) : (int)strlen(line);

		len += (size_t)snprintf(out + len, sizeof out - len, "%s%s%.*s",
		    len ? "\n" : "", prefix, n, line);
		line = nl ? nl + 1 : line + n;
	}
	memcpy(e->msg, out, sizeof e->msg);
	e->msg[sizeof e->msg - 1] = '\0';
	return -1;
}

static void (*fatal_hook)(void);

void
fatal_set_hook(void (*hook)(void))
{
	fatal_hook = hook;
}

void
fatal(const char *fmt, ...)
{
	va_list ap;

	if (fatal_hook != NULL)
		fatal_hook();
	fputs("sentry-ha-setup: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

int
err_exit_status(const struct err *e)
{
	/* DESIGN §2: the kinds are the exit statuses' classes. */
	static const int status[] = {
		[ERR_NONE] = 0,
		[ERR_INPUT] = 2,
		[ERR_USAGE] = 2,
		[ERR_IO] = 3,
		[ERR_FINDINGS] = 1,
	};

	/* A kind past the table is a bug; 3 says "not your input". */
	if ((size_t)e->kind >= sizeof status / sizeof status[0])
		return 3;
	return status[e->kind];
}
