/* The one-line field editor (edit.h). Widths are terminal columns
 * (wcwidth), so that wide characters keep the cursor where it shows. */
#include "edit.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

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

/* Removes the bytes [from, e->cursor) and puts the cursor at `from`. */
static void
cut_before(struct edit *e, size_t from)
{
	memmove(e->text.s + from, e->text.s + e->cursor,
	    e->text.len - e->cursor + 1);
	e->text.len -= e->cursor - from;
	e->cursor = from;
}

void
edit_kill_line(struct edit *e)
{
	cut_before(e, 0);
}

void
edit_kill_word(struct edit *e)
{
	size_t from = e->cursor;

	while (from > 0 && e->text.s[from - 1] == ' ')
		from--;
	while (from > 0 && e->text.s[from - 1] != ' ')
		from--;
	cut_before(e, from);
}

void
edit_kill_end(struct edit *e)
{
	e->text.len = e->cursor;
	e->text.s[e->cursor] = '\0';
}

/* The columns the character at s takes (1 for what cannot be decoded),
 * and its length in bytes. */
static int
char_cols(const char *s, size_t *len)
{
	mbstate_t st;
	wchar_t wc;
	size_t n;
	int w;

	memset(&st, 0, sizeof st);
	n = mbrtowc(&wc, s, strlen(s), &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*len = 1;
		return 1;
	}
	*len = n;
	w = wcwidth(wc);
	return w < 0 ? 1 : w;
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
	int masked = e->masked && mask != NULL && !refers(s), before = 0, skip = 0, col = 0;
	size_t i, len;

	for (i = 0; i < e->cursor; i += len)
		before += masked ? (char_cols(s + i, &len), 1) : char_cols(s + i, &len);
	/* Scroll so that the cursor stays inside the field. */
	if (before >= width)
		skip = before - width + 1;
	for (i = 0; s[i] != '\0'; i += len) {
		int w = char_cols(s + i, &len);

		if (masked)
			w = 1;
		if (col >= skip && col + w <= skip + width) {
			if (masked)
				sb_add(out, mask);
			else
				sb_addn(out, s + i, len);
		}
		col += w;
	}
	sb_add(out, "");
	*cursor_col = before - skip;
}
