/*
 * Output folders that change as a whole (stage.h): a staging folder beside
 * the output is filled, then swapped in with one rename.
 */
#define _GNU_SOURCE	/* renameat2, flock */
#include "stage.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "xmem.h"

static int
dir_is_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	int empty = 1;

	if (d == NULL)
		return 0;
	while (empty && (de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			empty = 0;
	closedir(d);
	return empty;
}

char *
stage_target(const char *final, struct err *e)
{
	size_t len = strlen(final);
	char *path, *real;

	/* "out/" from tab completion is "out". */
	while (len > 1 && final[len - 1] == '/')
		len--;
	path = xstrndup(final, len);
	real = fs_resolve_link(path, e);
	free(path);
	return real;
}

int
stage_check(const char *final, const char *marker, struct err *e)
{
	char *mark;
	int ours;

	if (!fs_exists(final))
		return 0;
	if (!fs_is_dir(final))
		return err_set(e, ERR_IO, "%s: exists and is not a folder; choose "
		    "another output folder with -o", final);
	mark = xasprintf("%s/%s", final, marker);
	ours = fs_exists(mark) || dir_is_empty(final);
	free(mark);
	if (!ours)
		return err_set(e, ERR_IO, "%s: exists and was not written by "
		    "sentry-ha-setup (no %s in it); choose another output folder "
		    "with -o, or empty it first", final, marker);
	return 0;
}

int
stage_create(const char *final, const char *marker, struct stage *st,
    struct err *e)
{
	char *parent;

	memset(st, 0, sizeof *st);
	st->lock = -1;
	if (stage_check(final, marker, e) < 0)
		return -1;
	parent = fs_dirname(final);
	if (fs_make_dirs(parent, 0755, e) < 0) {
		free(parent);
		return -1;
	}
	free(parent);
	/* What killed runs left: the new output half-written, or the old one
	 * half-removed, both with copies of the secrets. */
	fs_clean_leftovers(final, ".new-");
	st->final = xstrdup(final);
	st->path = xasprintf("%s.new-XXXXXX", final);
	/* mkdtemp makes it 0700, which it stays while it holds the secrets
	 * and nothing else. */
	if (mkdtemp(st->path) == NULL) {
		int saved = errno;

		stage_free(st);
		return err_set(e, ERR_IO, "%s: cannot create a staging folder "
		    "beside it: %s", final, strerror(saved));
	}
	/* Held until the end: a later run removes only unlocked leftovers. */
	st->lock = open(st->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (st->lock >= 0)
		flock(st->lock, LOCK_EX);
	return 0;
}

static int
swap_in(const struct stage *st, struct err *e)
{
	char *old;
	int rc = 0;

	if (!fs_exists(st->final)) {
		if (rename(st->path, st->final) < 0)
			return err_set(e, ERR_IO, "%s: cannot move the new output "
			    "into place: %s", st->final, strerror(errno));
		return 0;
	}
	/* Both exist: swap them in one step; the staging name then holds
	 * what was there, which stage_free() removes. */
	if (renameat2(AT_FDCWD, st->path, AT_FDCWD, st->final,
	    RENAME_EXCHANGE) == 0)
		return 0;
	/* File systems without RENAME_EXCHANGE: move aside, move in. */
	old = xasprintf("%s.new-old%03ld", st->final, (long)getpid() % 1000);
	if (rename(st->final, old) < 0) {
		rc = err_set(e, ERR_IO, "%s: cannot replace: %s", st->final,
		    strerror(errno));
	} else if (rename(st->path, st->final) < 0) {
		rc = err_set(e, ERR_IO, "%s: cannot replace: %s", st->final,
		    strerror(errno));
		rename(old, st->final);
	} else if (rename(old, st->path) < 0) {
		rc = fs_remove_tree(old, e);
	}
	free(old);
	return rc;
}

int
stage_commit(struct stage *st, struct err *e)
{
	char *parent = fs_dirname(st->final);
	int rc = 0;

	if (chmod(st->path, 0755) < 0)
		rc = err_set(e, ERR_IO, "%s: %s", st->path, strerror(errno));
	if (rc == 0)
		rc = swap_in(st, e);
	/* The renames last only once the folder that holds them is synced. */
	if (rc == 0)
		rc = fs_sync_dir(parent, e);
	free(parent);
	return rc;
}

void
stage_free(struct stage *st)
{
	struct err ignored;

	if (st->path != NULL)
		fs_remove_tree(st->path, &ignored);
	if (st->lock >= 0)
		close(st->lock);
	free(st->path);
	free(st->final);
	memset(st, 0, sizeof *st);
	st->lock = -1;
}
