/* File-system helpers. Every write is atomic: a temporary file or folder is
 * filled and then renamed into place, so a reader never sees half a file. */
#ifndef SHS_FSUTIL_H
#define SHS_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"
#include "xmem.h"

/* Reads a whole file (at most 16 MiB). *text is NUL-terminated and owned by
 * the caller. */
int	fs_read_file(const char *path, char **text, size_t *len, struct err *e);

/* Writes `len` bytes to `path` with `mode` via a temporary file in the same
 * folder, fsync and rename. An existing file is replaced. */
int	fs_write_atomic(const char *path, const void *data, size_t len,
	    mode_t mode, struct err *e);

/* mkdir -p with `mode` for the folders it creates. */
int	fs_make_dirs(const char *path, mode_t mode, struct err *e);

/* Removes a tree (like rm -rf). Missing paths are not an error. */
int	fs_remove_tree(const char *path, struct err *e);

int	fs_exists(const char *path);
/* The names in a folder (not . and ..), appended; none if it cannot be
 * read. */
void	fs_list_dir(const char *path, struct strlist *names);
int	fs_is_dir(const char *path);

/* The folder part of a path ("." when it has none); caller owns the result. */
char	*fs_dirname(const char *path);

/*
 * Output folders: stage_dir_create() makes an empty sibling folder of
 * `final` to fill; stage_dir_commit() swaps it into place (atomically where
 * the kernel allows, with renameat2 RENAME_EXCHANGE) and removes the old
 * content. stage_dir_abort() removes the staging folder.
 * `final` is only ever replaced when it is missing, empty, or carries the
 * marker file `marker` (so a mistyped -o never deletes someone's folder).
 */
int	stage_dir_create(const char *final, const char *marker, char **staging,
	    struct err *e);
int	stage_dir_commit(const char *staging, const char *final, struct err *e);
void	stage_dir_abort(const char *staging);

#endif
