#include "outset.h"

#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "stage.h"
#include "xmem.h"

void
outset_add(struct outset *o, const char *path, char *content, mode_t mode)
{
	o->v = xgrow(o->v, &o->cap, o->n + 1, sizeof *o->v);
	o->v[o->n].path = xstrdup(path);
	o->v[o->n].content = content;
	o->v[o->n].len = strlen(content);
	o->v[o->n].mode = mode;
	o->n++;
}

const struct outfile *
outset_find(const struct outset *o, const char *path)
{
	for (size_t i = 0; i < o->n; i++)
		if (strcmp(o->v[i].path, path) == 0)
			return &o->v[i];
	return NULL;
}

static int
write_one(const char *root, const struct outfile *f, struct err *e)
{
	char *path = xasprintf("%s/%s", root, f->path);
	char *dir = fs_dirname(path);
	int rc = fs_make_dirs(dir, 0755, e);

	if (rc == 0)
		rc = fs_write_atomic(path, f->content, f->len, f->mode, e);
	free(dir);
	free(path);
	return rc;
}

/* The marker says whose the folder is, and lists what was written, so
 * that the next run can tell a file someone put there from its own. */
static int
by_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *
marker_text(const struct outset *o)
{
	struct strbuf sb = STRBUF_INIT;
	const char **paths = xcalloc(o->n + 1, sizeof *paths);

	for (size_t i = 0; i < o->n; i++)
		paths[i] = o->v[i].path;
	qsort(paths, o->n, sizeof *paths, by_path);
	sb_add(&sb, "written by sentry-ha-setup; this folder is replaced on "
	    "every run\nfiles:\n");
	for (size_t i = 0; i < o->n; i++)
		sb_printf(&sb, "  %s\n", paths[i]);
	free(paths);
	return sb_take(&sb);
}

/* Files in the folder that the last run did not write, which replacing
 * it would delete. A marker without a list (older runs) knows none. */
static int
check_foreign(const char *final, struct err *e)
{
	char *marker = xasprintf("%s/%s", final, OUTPUT_MARKER), *text = NULL;
	struct strlist files = { 0 }, foreign = { 0 };
	struct strbuf names = STRBUF_INIT;
	struct err ignored;
	size_t len;
	int rc = 0;

	if (fs_is_dir(final) && fs_read_file(marker, &text, &len, &ignored) == 0 &&
	    strstr(text, "\nfiles:\n") != NULL) {
		fs_list_tree(final, &files);
		for (size_t i = 0; i < files.n; i++) {
			char *line = xasprintf("\n  %s\n", files.v[i]);

			if (strcmp(files.v[i], OUTPUT_MARKER) != 0 &&
			    strstr(text, line) == NULL)
				sl_add(&foreign, files.v[i]);
			free(line);
		}
	}
	for (size_t i = 0; i < foreign.n && i < 5; i++)
		sb_printf(&names, "%s%s", i ? ", " : "", foreign.v[i]);
	if (foreign.n > 0)
		rc = err_set(e, ERR_IO, "%s: holds %s that sentry-ha-setup did not "
		    "write (%s%s), which replacing the folder would delete; move "
		    "%s out of it first", final, foreign.n == 1 ? "a file" :
		    "files", sb_str(&names), foreign.n > 5 ? ", ..." : "",
		    foreign.n == 1 ? "it" : "them");
	sb_free(&names);
	sl_free(&foreign);
	sl_free(&files);
	free(text);
	free(marker);
	return rc;
}

int
outset_check(const char *final_arg, struct err *e)
{
	char *final = stage_target(final_arg, e);
	int rc;

	if (final == NULL)
		return -1;
	rc = stage_check(final, OUTPUT_MARKER, e);
	if (rc == 0)
		rc = check_foreign(final, e);
	free(final);
	return rc;
}

int
outset_commit(const struct outset *o, const char *final_arg, struct err *e)
{
	char *final = stage_target(final_arg, e), *marker, *text;
	struct stage st;
	int rc;

	if (final == NULL)
		return -1;
	if (check_foreign(final, e) < 0 ||
	    stage_create(final, OUTPUT_MARKER, &st, e) < 0) {
		free(final);
		return -1;
	}
	marker = xasprintf("%s/%s", st.path, OUTPUT_MARKER);
	text = marker_text(o);
	rc = fs_write_atomic(marker, text, strlen(text), 0644, e);
	free(text);
	free(marker);
	for (size_t i = 0; rc == 0 && i < o->n; i++)
		rc = write_one(st.path, &o->v[i], e);
	if (rc == 0)
		rc = stage_commit(&st, e);
	stage_free(&st);
	free(final);
	return rc;
}

void
outset_free(struct outset *o)
{
	for (size_t i = 0; i < o->n; i++) {
		free(o->v[i].path);
		free(o->v[i].content);
	}
	free(o->v);
	memset(o, 0, sizeof *o);
}
