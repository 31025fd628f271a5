/*
 * Moving the answers to another release (answers_move.h). The tree says
 * what the move must give; the text edits keep what the operator wrote
 * around it, and are taken only when the edited text reads back as that
 * tree.
 */
#include "answers_move.h"

#include <stdlib.h>
#include <string.h>

#include "ynode.h"

/* One replacement of text[start, end). */
struct edit {
	size_t	 start, end;
	char	*with;		/* owned */
};

struct edits {
	struct edit	*v;
	size_t		 n;
	int		 impossible;	/* an edit that cannot be made in place */
};

static void
edit_add(struct edits *es, size_t start, size_t end, char *with)
{
	es->v = xrealloc(es->v, (es->n + 1) * sizeof *es->v);
	es->v[es->n++] = (struct edit){ start, end, with };
}

/* The byte offset of 1-based line and character column, or (size_t)-1. */
static size_t
offset_of(const char *text, size_t len, int line, int col)
{
	size_t at = 0;

	if (line < 1 || col < 1)
		return (size_t)-1;
	for (int l = 1; l < line; l++) {
		const char *nl = memchr(text + at, '\n', len - at);

		if (nl == NULL)
			return (size_t)-1;
		at = (size_t)(nl - text) + 1;
	}
	/* Columns count characters: skip UTF-8 continuation bytes. */
	for (int c = 1; c < col && at < len && text[at] != '\n'; c++)
		for (at++; at < len && (text[at] & 0xc0) == 0x80; at++)
			;
	return at < len ? at : (size_t)-1;
}

/* Where the scalar token that starts at `at` ends: its closing quote, or
 * the end of a plain scalar (a comment, a flow separator, the line's end,
 * trailing blanks left out). */
static size_t
token_end(const char *text, size_t len, size_t at)
{
	size_t end = at + 1;

	if (text[at] == '"' || text[at] == '\'') {
		while (end < len && text[end] != text[at] && text[end] != '\n')
			end += text[end] == '\\' && text[at] == '"' ? 2 : 1;
		return end < len ? end + 1 : len;
	}
	/* \r too: a file with CRLF line ends keeps them. */
	while (end < len && !strchr("\r\n#,}]:", text[end]))
		end++;
	while (end > at && (text[end - 1] == ' ' || text[end - 1] == '\t'))
		end--;
	return end;
}

/* The lines of the block mapping entry whose key starts at `at` (column
 * `col`): from its line's start ((size_t)-1 when the key does not begin
 * its line) up to the next line, not blank, indented no deeper than the
 * key. */
static size_t
entry_start(const char *text, size_t at)
{
	size_t start = at;

	while (start > 0 && text[start - 1] == ' ')
		start--;
	return start == 0 || text[start - 1] == '\n' ? start : (size_t)-1;
}

static size_t
entry_end(const char *text, size_t len, size_t at, int col)
{
	const char *nl = memchr(text + at, '\n', len - at);

	while (nl != NULL) {
		size_t line = (size_t)(nl - text) + 1, indent = 0;

		while (line + indent < len && text[line + indent] == ' ')
			indent++;
		/* A comment as shallow as the key is the next entry's; a line
		 * of nothing (CRLF's too) belongs to none. */
		if (line + indent < len && text[line + indent] != '\n' &&
		    text[line + indent] != '\r' && (int)indent < col)
			return line;
		nl = memchr(text + line, '\n', len - line);
	}
	return len;
}

/* sentry.version's value replaced, quoted as it was. */
static void
edit_version(const char *text, size_t len, const struct ynode *doc,
    const char *release, struct edits *es)
{
	const struct ynode *v = yn_path(doc, "sentry.version");
	size_t at;

	if (v == NULL || v->kind != Y_SCALAR ||
	    (at = offset_of(text, len, v->line, v->col)) == (size_t)-1) {
		es->impossible = 1;
		return;
	}
	edit_add(es, at, token_end(text, len, at), text[at] == '"' ||
	    text[at] == '\'' ? xasprintf("%c%s%c", text[at], release, text[at]) :
	    xstrdup(release));
}

/* The key of services.<name> renamed to `to`, or (to NULL) its entry gone. */
static void
edit_service(const char *text, size_t len, const struct ypair *kv,
    const char *to, struct edits *es)
{
	size_t at = offset_of(text, len, kv->line, kv->col), start;

	if (at == (size_t)-1) {
		es->impossible = 1;
	} else if (to != NULL) {
		edit_add(es, at, token_end(text, len, at), xstrdup(to));
	} else if ((start = entry_start(text, at)) == (size_t)-1) {
		es->impossible = 1;
	} else {
		edit_add(es, start, entry_end(text, len, at, kv->col), xstrdup(""));
	}
}

/* The move on the tree `copy` (a copy of `doc`), and the same as edits of
 * the text `doc` was read from. */
static void
move(struct ynode *copy, const struct ynode *doc, const char *text,
    size_t len, const struct profile *p, struct strlist *notes,
    struct edits *es)
{
	struct ynode *sentry = yn_get(copy, "sentry");
	struct ynode *services = yn_get(copy, "services");
	const struct ynode *was = yn_get(doc, "services");

	if (sentry == NULL || sentry->kind != Y_MAP)
		sentry = yn_set_map(copy, "sentry");
	yn_map_put(sentry, "version", yn_quoted(p->release));
	edit_version(text, len, doc, p->release, es);
	for (size_t i = services && services->kind == Y_MAP ? services->n : 0;
	    i-- > 0;) {
		const char *name = services->pairs[i].key, *to;
		enum carry c = profile_carry(p, services, name, &to);

		if (c == CARRY_KEEP)
			continue;
		edit_service(text, len, &was->pairs[i], to, es);
		if (c == CARRY_MOVE) {
			yn_map_put(services, to, yn_copy(services->pairs[i].val));
			sl_add_owned(notes, xasprintf("services.%s -> services.%s",
			    name, to));
		} else {
			sl_add_owned(notes, xasprintf("services.%s: left out (Sentry "
			    "%s has no such service)", name, p->release));
		}
		yn_map_del(services, name);
	}
}

static int
by_start(const void *a, const void *b)
{
	const struct edit *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* The text with the edits made, or NULL when two of them overlap. */
static char *
apply(const char *text, size_t len, struct edits *es)
{
	struct strbuf out = STRBUF_INIT;
	size_t at = 0;

	qsort(es->v, es->n, sizeof *es->v, by_start);
	for (size_t i = 0; i < es->n; i++) {
		if (es->v[i].start < at) {
			sb_free(&out);
			return NULL;
		}
		sb_addn(&out, text + at, es->v[i].start - at);
		sb_add(&out, es->v[i].with);
		at = es->v[i].end;
	}
	sb_addn(&out, text + at, len - at);
	return sb_take(&out);
}

/* The edited text if it reads back as `want`, else NULL. */
static char *
edited(const char *text, size_t len, const char *name, struct edits *es,
    const struct ynode *want)
{
	char *out = es->impossible ? NULL : apply(text, len, es);
	struct ynode *back = NULL;
	struct err ignored;

	if (out != NULL && (yaml_parse(out, strlen(out), name, 0, &back,
	    &ignored) < 0 || !yn_equal(back, want))) {
		free(out);
		out = NULL;
	}
	yn_free(back);
	return out;
}

static char *
rewritten(const struct ynode *want, const char *release, struct err *e)
{
	struct strbuf out = STRBUF_INIT;

	sb_printf(&out, "# Moved on to Sentry %s by sentry-ha-setup upgrade, "
	    "and written anew:\n# the file before, with its comments, is kept "
	    "beside this one (.bak).\n", release);
	if (yaml_emit(want, 0, &out, e) < 0) {
		sb_free(&out);
		return NULL;
	}
	return sb_take(&out);
}

char *
answers_moved(const char *text, size_t len, const char *name,
    const struct profile *p, struct strlist *notes, int *kept, struct err *e)
{
	struct ynode *doc = NULL, *want;
	struct edits es = { 0 };
	char *out;

	if (yaml_parse(text, len, name, 0, &doc, e) < 0)
		return NULL;
	if (doc == NULL || doc->kind != Y_MAP) {
		yn_free(doc);
		err_set(e, ERR_INPUT, "%s: expected a mapping of answers", name);
		return NULL;
	}
	want = yn_copy(doc);
	yn_keep_plain(want);
	move(want, doc, text, len, p, notes, &es);
	out = edited(text, len, name, &es, want);
	*kept = out != NULL;
	if (out == NULL)
		out = rewritten(want, p->release, e);
	for (size_t i = 0; i < es.n; i++)
		free(es.v[i].with);
	free(es.v);
	yn_free(want);
	yn_free(doc);
	return out;
}
