/*
 * The wizard's last step: render the output in memory, tell what it
 * changes in the folder that is there now, then write it (wiz_run.h).
 */
#include "wiz_run.h"

#include <stdlib.h>
#include <string.h>

#include "deliver.h"
#include "fsutil.h"
#include "targets.h"

static int
by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
sorted_lines(const char *text, struct strlist *out)
{
	sl_split(out, text, '\n');
	qsort(out->v, out->n, sizeof *out->v, by_text);
}

/* Lines only in `now` (added) and only in `was` (removed), counted as
 * multisets: a summary ("+3 -1"), not a patch. */
static void
count_changes(const char *was, const char *now, struct wiz_change *c)
{
	struct strlist a = { 0 }, b = { 0 };
	size_t i = 0, j = 0;

	sorted_lines(was, &a);
	sorted_lines(now, &b);
	while (i < a.n || j < b.n) {
		int cmp = i == a.n ? 1 : j == b.n ? -1 : strcmp(a.v[i], b.v[j]);

		if (cmp == 0) {
			i++;
			j++;
		} else if (cmp < 0) {
			c->removed++;
			i++;
		} else {
			c->added++;
			j++;
		}
	}
	sl_free(&a);
	sl_free(&b);
}

static void
add_change(struct wiz_output *o, const char *path, enum wiz_change_kind kind)
{
	o->v = xrealloc(o->v, (o->n + 1) * sizeof *o->v);
	memset(&o->v[o->n], 0, sizeof o->v[o->n]);
	o->v[o->n].path = xstrdup(path);
	o->v[o->n].kind = kind;
	o->n++;
}

/* The files under dir, relative to it (the marker left out). */
static void
existing_files(const char *dir, struct strlist *out)
{
	struct strlist all = { 0 };

	fs_list_tree(dir, &all);
	for (size_t i = 0; i < all.n; i++)
		if (strcmp(all.v[i], OUTPUT_MARKER) != 0)
			sl_add(out, all.v[i]);
	sl_free(&all);
}

/* Removed first, then changed, then new, then the same: what the
 * operator should look at comes first; by path within each. */
static int
by_change(const void *a, const void *b)
{
	static const int rank[] = { [WC_REMOVED] = 0, [WC_CHANGED] = 1,
		[WC_NEW] = 2, [WC_SAME] = 3 };
	const struct wiz_change *x = a, *y = b;

	if (rank[x->kind] != rank[y->kind])
		return rank[x->kind] - rank[y->kind];
	return strcmp(x->path, y->path);
}

static void
compare(struct wiz_output *o)
{
	struct strlist old = { 0 };
	struct err e;

	if (fs_is_dir(o->dir))
		existing_files(o->dir, &old);
	for (size_t i = 0; i < o->out.n; i++) {
		const struct outfile *f = &o->out.v[i];
		char *path = xasprintf("%s/%s", o->dir, f->path), *text = NULL;
		size_t len;

		if (!sl_contains(&old, f->path)) {
			add_change(o, f->path, WC_NEW);
		} else if (fs_read_file(path, &text, &len, &e) == 0 &&
		    len == f->len && memcmp(text, f->content, len) == 0) {
			add_change(o, f->path, WC_SAME);
		} else {
			add_change(o, f->path, WC_CHANGED);
			count_changes(text ? text : "", f->content, &o->v[o->n - 1]);
		}
		free(text);
		free(path);
	}
	for (size_t i = 0; i < old.n; i++)
		if (outset_find(&o->out, old.v[i]) == NULL)
			add_change(o, old.v[i], WC_REMOVED);
	sl_free(&old);
	if (o->n > 1)
		qsort(o->v, o->n, sizeof *o->v, by_change);
}

int
wiz_prepare_output(const struct wiz *w, const char *dir, struct wiz_output *o,
    struct err *e)
{
	char *marker = xasprintf("%s/%s", dir, OUTPUT_MARKER);
	int rc;

	memset(o, 0, sizeof *o);
	o->dir = xstrdup(dir);
	o->foreign = fs_is_dir(dir) && !fs_exists(marker);
	free(marker);
	rc = session_open(&o->s, w->data_dir, w->path, NULL, 0, e);
	if (rc == 0) {
		rules_evaluate(&o->s.pl, NULL, &o->f);
		rc = target_find(o->s.pl.target.kind)->emit(&o->s.pl, &o->out, e);
	}
	if (rc == 0)
		compare(o);
	return rc;
}

int
wiz_write_output(struct wiz_output *o, struct err *e)
{
	int lock, rc = deliver_lock(o->s.pl.answers_file, &lock, e);

	/* Keys this output was rendered with, made while no keys file was
	 * there, must not replace the ones another run saved meanwhile. */
	if (rc == 0 && (o->s.k.created & KEYS_MADE_SECRET) &&
	    fs_exists(o->s.keys_path))
		rc = err_set(e, ERR_IO, "%s was written by another run since this "
		    "output was prepared; go back and write again, so that the "
		    "output uses its keys", o->s.keys_path);
	if (rc == 0)
		rc = deliver(&o->s, &o->f, &o->out, o->dir, 0, "fix the errors "
		    "that Review lists first", e);
	deliver_unlock(&lock);
	return rc;
}

void
wiz_output_free(struct wiz_output *o)
{
	for (size_t i = 0; i < o->n; i++)
		free(o->v[i].path);
	free(o->v);
	findings_free(&o->f);
	session_close(&o->s);
	outset_free(&o->out);
	free(o->dir);
	memset(o, 0, sizeof *o);
}
