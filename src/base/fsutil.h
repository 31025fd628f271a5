/* File-system helpers. Every write is atomic: a temporary file is filled and
 * then renamed into place, so a reader never sees half a file (stage.h does
 * the same for whole folders). Reads take regular files only. */
#ifndef SHS_FSUTIL_H
#define SHS_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"
#include "xmem.h"

/* Reads a whole file (at most 16 MiB). *text is NUL-terminated and owned by
 * the caller. */
int	fs_read_file(const char *path, char **text, size_t *len, struct err *e);

/*
 * Writes `len` bytes to `path` with `mode` via a temporary file in the same
 * folder (locked while it is written), fsync, rename, and a sync of the
 * folder. An existing file is replaced; a link is followed, so that the
 * file it points at is replaced and the link stays. Temporary files that a
 * killed run left beside `path` are removed first.
 */
int	fs_write_atomic(const char *path, const void *data, size_t len,
	    mode_t mode, struct err *e);
/* A copy of a file's `text` kept beside it before it is replaced: NAME.bak,
 * else NAME.bak.2, ... (never over an earlier copy), mode 0600. The name
 * used goes to *name (owned by the caller; an earlier one is freed). */
int	fs_keep_copy(const char *path, const char *text, size_t len, char **name,
	    struct err *e);
/* fsync of a folder, so that the renames in it survive a power loss. */
int	fs_sync_dir(const char *path, struct err *e);
/* `path`, or the file it links to (a link to nothing is an error); owned by
 * the caller, NULL with e. */
char	*fs_resolve_link(const char *path, struct err *e);
/* `path` with every link, "." and ".." resolved, or a copy of `path` when
 * it cannot be; owned by the caller. */
char	*fs_real_path(const char *path);
/* Removes NAME`suffix`XXXXXX entries beside `path` that no live run holds
 * locked (what killed runs left). */
void	fs_clean_leftovers(const char *path, const char *suffix);

/* A new folder only this user may enter (0700), under $TMPDIR or /tmp,
 * named PREFIX-XXXXXX; owned by the caller, NULL with e. */
char	*fs_private_dir(const char *prefix, struct err *e);

/* mkdir -p with `mode` for the folders it creates. */
int	fs_make_dirs(const char *path, mode_t mode, struct err *e);

/* Removes a tree (like rm -rf). Missing paths are not an error. */
int	fs_remove_tree(const char *path, struct err *e);

int	fs_exists(const char *path);
/* The names in a folder (not . and ..), appended; none if it cannot be
 * read. */
void	fs_list_dir(const char *path, struct strlist *names);
/* Everything but the folders below `dir`, as paths relative to it,
 * appended; links are listed, not followed. */
void	fs_list_tree(const char *dir, struct strlist *files);
int	fs_is_dir(const char *path);

/* An exclusive lock on `path` (a file or a folder), waited for at most
 * `wait_ms`; *fd holds it until closed. */
int	fs_lock(const char *path, long wait_ms, int *fd, struct err *e);
/* Is the file `path` (which need not exist) inside folder `dir`, links
 * resolved? */
int	fs_is_inside(const char *path, const char *dir);

/* Does the existing file `path`, every link resolved, lie below `dir`? */
int	fs_is_within(const char *path, const char *dir);

/* The folder part of a path ("." when it has none); caller owns the result. */
char	*fs_dirname(const char *path);

#endif
