/* The one-line field editor (edit.h). */
#include "edit.h"

#include <stdlib.h>
#include <string.h>

static int
continuation(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

void
edit_load(struct edit *e, const char *path, const char *text, int masked)
{
	edit_free(e);
	sb_add(&e->text, text);
	e->cursor = e->text.len;
	e->path = xstrdup(path);
	e->saved = xstrdup(text);
	e->masked = masked;
}

void
edit_free(struct edit *e)
{
	sb_free(&e->text);
	free(e->path);
	free(e->saved);
	memset(e, 0, sizeof *e);
}

int
edit_changed(const struct edit *e)
{
	return e->saved != NULL && strcmp(sb_str((struct strbuf *)&e->text),
	    e->saved) != 0;
}

void
edit_mark_saved(struct edit *e)
{
	free(e->saved);
	e->saved = xstrdup(sb_str(&e->text));
}

void
edit_revert(struct edit *e)
{
	char *path = xstrdup(e->path), *saved = xstrdup(e->saved);
	int masked = e->masked;

	edit_load(e, path, saved, masked);
	free(path);
	free(saved);
}

void
edit_insert(struct edit *e, const char *utf8)
{
	size_t n = strlen(utf8);
	char *tail = xstrdup(sb_str(&e->text) + e->cursor);

	e->text.len = e->cursor;
	e->text.s[e->cursor] = '\0';
	sb_addn(&e->text, utf8, n);
	sb_add(&e->text, tail);
	e->cursor += n;
	free(tail);
}

void
edit_left(struct edit *e)
{
	while (e->cursor > 0 && continuation(e->text.s[--e->cursor]))
		;
}

void
edit_right(struct edit *e)
{
	if (e->cursor >= e->text.len)
		return;
	while (++e->cursor < e->text.len && continuation(e->text.s[e->cursor]))
		;
}

void
edit_backspace(struct edit *e)
{
	size_t end = e->cursor;

	if (end == 0)
		return;
	edit_left(e);
	memmove(e->text.s + e->cursor, e->text.s + end, e->text.len - end + 1);
	e->text.len -= end - e->cursor;
}

void
edit_delete(struct edit *e)
{
	if (e->cursor < e->text.len) {
		edit_right(e);
		edit_backspace(e);
	}
}

void
edit_home(struct edit *e)
{
	e->cursor = 0;
}

void
edit_end(struct edit *e)
{
	e->cursor = e->text.len;
}

/* Characters (not bytes) in s[0..n). */
static int
chars(const char *s, size_t n)
{
	int c = 0;

	for (size_t i = 0; i < n; i++)
		c += !continuation(s[i]);
	return c;
}

static int
refers(const char *text)
{
	return strncmp(text, "env:", 4) == 0 || strncmp(text, "file:", 5) == 0;
}

void
edit_view(const struct edit *e, int width, const char *mask,
    struct strbuf *out, int *cursor_col)
{
	const char *s = e->text.s ? e->text.s : "";
	int before = chars(s, e->cursor), skip = 0;
	int shown_mask = e->masked && !refers(s);

	/* Scroll so that the cursor stays inside the field. */
	if (before >= width)
		skip = before - width + 1;
	for (int i = 0, c = 0; s[i] != '\0' && c < skip + width; i++) {
		if (continuation(s[i]))
			continue;
		if (c++ < skip)
			continue;
		if (shown_mask) {
			sb_add(out, mask);
		} else {
			int j = i + 1;

			while (continuation(s[j]))
				j++;
			sb_addn(out, s + i, (size_t)(j - i));
		}
	}
	sb_add(out, "");
	*cursor_col = before - skip;
}
