/*
 * The files one `generate` run produces, collected in memory first so that
 * nothing is written until everything rendered, then written into a staging
 * folder that replaces the output folder in one step (fsutil.h).
 */
#ifndef SHS_OUTSET_H
#define SHS_OUTSET_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"

#define OUTPUT_MARKER	".sentry-ha-setup"

struct outfile {
	char	*path;		/* relative to the output folder (owned) */
	char	*content;	/* owned */
	size_t	 len;
	mode_t	 mode;
};

struct outset {
	struct outfile	*v;
	size_t		 n, cap;
};

/* Adds a file; takes `content` (NUL-terminated). */
void	outset_add(struct outset *o, const char *path, char *content, mode_t mode);
/* The file at `path`, borrowed from the set, or NULL. */
const struct outfile *outset_find(const struct outset *o, const char *path);
/* Writes every file under `final` (through a staging folder, stage.h) and
 * the marker file, which lists them. Refused (ERR_IO) while `final` holds
 * files that the last run did not write: replacing it would delete them.
 * `final` may end in "/" or be a link to the folder (the link stays). */
int	outset_commit(const struct outset *o, const char *final, struct err *e);
/* Would outset_commit() refuse `final` (not ours, or holding files that
 * are not)? -1 with e then; an I/O failure may still stop the commit. */
int	outset_check(const char *final, struct err *e);
void	outset_free(struct outset *o);

#endif
