#include "xmem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

static void
out_of_memory(size_t n)
{
	fatal("out of memory (%zu bytes)", n);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		out_of_memory(n);
	return p;
}

void *
xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);

	if (p == NULL)
		out_of_memory(count * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		out_of_memory(n);
	return q;
}

void *
xgrow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap ? *cap : 8;

	if (need <= *cap)
		return p;
	while (ncap < need)
		ncap *= 2;
	if (ncap > (size_t)-1 / size)
		out_of_memory((size_t)-1);
	p = xrealloc(p, ncap * size);
	*cap = ncap;
	return p;
}

char *
xstrdup(const char *s)
{
	return s ? xstrndup(s, strlen(s)) : NULL;
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	return sb_take(&sb);
}

void
sb_addn(struct strbuf *sb, const char *s, size_t n)
{
	sb->s = xgrow(sb->s, &sb->cap, sb->len + n + 1, 1);
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
}

void
sb_add(struct strbuf *sb, const char *s)
{
	sb_addn(sb, s, strlen(s));
}

void
sb_addc(struct strbuf *sb, char c)
{
	sb_addn(sb, &c, 1);
}

void
sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	sb->s = xgrow(sb->s, &sb->cap, sb->len + (size_t)n + 1, 1);
	vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void
sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(sb, fmt, ap);
	va_end(ap);
}

void
sb_wrap(struct strbuf *sb, const char *prefix, const char *text, int indent,
    int width)
{
	int col = (int)strlen(prefix), first = 1;

	sb_add(sb, prefix);
	for (;;) {
		size_t word;

		while (*text == ' ' || *text == '\n')
			text++;
		word = strcspn(text, " \n");
		if (word == 0)
			break;
		if (!first && col + 1 + (int)word > width) {
			sb_printf(sb, "\n%*s", indent, "");
			col = indent;
		} else if (!first) {
			sb_addc(sb, ' ');
			col++;
		}
		sb_addn(sb, text, word);
		col += (int)word;
		text += word;
		first = 0;
	}
	sb_addc(sb, '\n');
}

const char *
sb_str(const struct strbuf *sb)
{
	return sb->s ? sb->s : "";
}

char *
sb_take(struct strbuf *sb)
{
	char *s = sb->s ? sb->s : xstrdup("");

	sb->s = NULL;
	sb->len = sb->cap = 0;
	return s;
}

void
sb_free(struct strbuf *sb)
{
	free(sb->s);
	sb->s = NULL;
	sb->len = sb->cap = 0;
}

void
sl_add_owned(struct strlist *l, char *s)
{
	l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n++] = s;
}

void
sl_add(struct strlist *l, const char *s)
{
	sl_add_owned(l, xstrdup(s));
}

int
sl_contains(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

char *
sl_join(const struct strlist *l, const char *sep)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < l->n; i++) {
		if (i)
			sb_add(&sb, sep);
		sb_add(&sb, l->v[i]);
	}
	return sb_take(&sb);
}

void
sl_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

void
sl_copy(struct strlist *l, const struct strlist *from)
{
	for (size_t i = 0; i < from->n; i++)
		sl_add(l, from->v[i]);
}

void
sl_split(struct strlist *l, const char *s, char sep)
{
	while (*s != '\0') {
		const char *end = strchr(s, sep);
		size_t len = end ? (size_t)(end - s) : strlen(s);

		if (len > 0)
			sl_add_owned(l, xstrndup(s, len));
		s += len + (end != NULL);
	}
}
