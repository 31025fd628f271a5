#include "outset.h"

#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
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

int
outset_commit(const struct outset *o, const char *final, struct err *e)
{
	static const char note[] = "written by sentry-ha-setup; this folder is "
	    "replaced on every run\n";
	char *staging = NULL, *marker;
	int rc;

	if (stage_dir_create(final, OUTPUT_MARKER, &staging, e) < 0)
		return -1;
	marker = xasprintf("%s/%s", staging, OUTPUT_MARKER);
	rc = fs_write_atomic(marker, note, sizeof note - 1, 0644, e);
	free(marker);
	for (size_t i = 0; rc == 0 && i < o->n; i++)
		rc = write_one(staging, &o->v[i], e);
	if (rc == 0)
		rc = stage_dir_commit(staging, final, e);
	if (rc < 0)
		stage_dir_abort(staging);
	free(staging);
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
