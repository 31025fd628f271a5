/*
 * Output folders that change as a whole (stage.c). stage_create() makes an
 * empty staging folder beside `final` (mode 0700, locked while it is being
 * filled); stage_commit() swaps it into place in one rename (with
 * renameat2 RENAME_EXCHANGE where the kernel allows) and syncs the parent
 * folder; stage_free() removes the staging folder, which after a commit
 * holds what was there before. A run that was killed leaves a staging
 * folder behind; the next one removes it, and never one that a live run
 * still holds.
 *
 * `final` is only ever replaced when it is missing, empty, or carries the
 * file `marker` (so a mistyped -o never deletes someone's folder).
 */
#ifndef SHS_STAGE_H
#define SHS_STAGE_H

#include "err.h"

struct stage {
	char	*final;		/* the output folder (resolved) */
	char	*path;		/* the staging folder */
	int	 lock;		/* held on the staging folder, or -1 */
};

/* The folder `final` names: without trailing slashes, through a link (the
 * link stays, its target is replaced). Owned by the caller; NULL with e
 * for a link to nothing. */
char	*stage_target(const char *final, struct err *e);
/* Could `final` be replaced? It must be missing, empty or carry `marker`
 * (-1 with e, ERR_IO, when not). stage_create() checks it too. */
int	stage_check(const char *final, const char *marker, struct err *e);
int	stage_create(const char *final, const char *marker, struct stage *st,
	    struct err *e);
int	stage_commit(struct stage *st, struct err *e);
void	stage_free(struct stage *st);

#endif
