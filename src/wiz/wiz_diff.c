/*
 * What writing would change in one file, as an operator reads it: the
 * lines removed (-) and added (+) with two lines of context around them,
 * found by a longest-common-subsequence over the part between the common
 * head and tail. A file of secrets is never shown.
 */
#include "wiz_run.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fsutil.h"

#define CONTEXT		2
/* Past this many differing lines each way the table would be large; the
 * whole middle is then shown as removed and added. */
#define MAX_MIDDLE	2000

struct side {
	struct strlist	 lines;
	size_t		 from, to;	/* the middle: [from, to) */
};

/* One line of the result: ' ', '-' or '+', and the line. */
static void
emit(struct strlist *out, char mark, const char *line)
{
	char *text = xasprintf("%c %s", mark, line);

	sl_add(out, text);
	free(text);
}

/* The edit script over the middles, as marks: ' ' kept, '-' removed,
 * '+' added, in order. Owned by the caller. */
static char *
script(const struct side *a, const struct side *b, size_t *len)
{
	size_t n = a->to - a->from, m = b->to - b->from, i = 0, j = 0, k = 0;
	char *marks = xmalloc(n + m + 1);
	uint16_t *t;

	if (n > MAX_MIDDLE || m > MAX_MIDDLE) {
		memset(marks, '-', n);
		memset(marks + n, '+', m);
		*len = n + m;
		return marks;
	}
	/* t[i][j]: the common lines of a[i..] and b[j..]. */
	t = xcalloc((n + 1) * (m + 1), sizeof *t);
	for (size_t x = n; x-- > 0;)
		for (size_t y = m; y-- > 0;)
			t[x * (m + 1) + y] = strcmp(a->lines.v[a->from + x],
			    b->lines.v[b->from + y]) == 0 ?
			    (uint16_t)(t[(x + 1) * (m + 1) + y + 1] + 1) :
			    t[(x + 1) * (m + 1) + y] > t[x * (m + 1) + y + 1] ?
			    t[(x + 1) * (m + 1) + y] : t[x * (m + 1) + y + 1];
	while (i < n || j < m) {
		if (i < n && j < m && strcmp(a->lines.v[a->from + i],
		    b->lines.v[b->from + j]) == 0) {
			marks[k++] = ' ';
			i++;
			j++;
		} else if (j == m || (i < n && t[(i + 1) * (m + 1) + j] >=
		    t[i * (m + 1) + j + 1])) {
			marks[k++] = '-';
			i++;
		} else {
			marks[k++] = '+';
			j++;
		}
	}
	free(t);
	*len = k;
	return marks;
}

/* Whether line k of the script is within CONTEXT of a change. */
static int
near_change(const char *marks, size_t len, size_t k)
{
	size_t lo = k > CONTEXT ? k - CONTEXT : 0;
	size_t hi = k + CONTEXT < len ? k + CONTEXT : len - 1;

	for (size_t i = lo; i <= hi; i++)
		if (marks[i] != ' ')
			return 1;
	return 0;
}

/* Every line, the empty ones too (sl_split drops them): a blank line is
 * part of what the file looks like. */
static void
split_lines(const char *text, struct strlist *out)
{
	while (*text != '\0') {
		const char *end = strchr(text, '\n');
		size_t len = end ? (size_t)(end - text) : strlen(text);

		sl_add_owned(out, xstrndup(text, len));
		text += len + (end != NULL);
	}
}

static void
diff_lines(const char *was, const char *now, struct strlist *out)
{
	struct side a = { { 0 }, 0, 0 }, b = { { 0 }, 0, 0 };
	size_t len, i, j, shown_to = 0;
	char *marks;

	split_lines(was, &a.lines);
	split_lines(now, &b.lines);
	a.to = a.lines.n;
	b.to = b.lines.n;
	while (a.from < a.to && b.from < b.to &&
	    strcmp(a.lines.v[a.from], b.lines.v[b.from]) == 0) {
		a.from++;
		b.from++;
	}
	while (a.to > a.from && b.to > b.from &&
	    strcmp(a.lines.v[a.to - 1], b.lines.v[b.to - 1]) == 0) {
		a.to--;
		b.to--;
	}
	marks = script(&a, &b, &len);
	for (size_t k = 0, x = a.from, y = b.from; k < len; k++) {
		i = x;
		j = y;
		x += marks[k] != '+';
		y += marks[k] != '-';
		if (marks[k] == ' ' && !near_change(marks, len, k))
			continue;
		if (out->n > 0 && k > shown_to + 1)
			sl_add(out, "@@");
		shown_to = k;
		emit(out, marks[k], marks[k] == '+' ? b.lines.v[j] :
		    a.lines.v[i]);
	}
	free(marks);
	sl_free(&a.lines);
	sl_free(&b.lines);
}

/* A file only its owner may read: a file of secrets. */
static int
private_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && (st.st_mode & 077) == 0;
}

int
wiz_change_diff(const struct wiz_output *o, size_t i, struct strlist *out,
    struct err *e)
{
	const struct wiz_change *c = &o->v[i];
	const struct outfile *f = outset_find(&o->out, c->path);
	char *path = xasprintf("%s/%s", o->dir, c->path), *was = NULL;
	size_t len;
	int rc = 0;

	/* Secrets are never on the screen, not even as a diff. */
	if ((f != NULL && (f->mode & 077) == 0) ||
	    (f == NULL && private_file(path)))
		rc = err_set(e, ERR_INPUT, "%s holds secrets (mode 0600): its "
		    "changes are not shown; compare it by hand if you must",
		    c->path);
	else if (c->kind != WC_NEW && fs_read_file(path, &was, &len, e) < 0)
		rc = -1;
	if (rc == 0)
		diff_lines(was ? was : "", f ? f->content : "", out);
	free(was);
	free(path);
	return rc;
}
