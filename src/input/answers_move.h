/*
 * The answers moved on to another release (answers_move.c), for the hops
 * of an upgrade: sentry.version set to the release, and the services it no
 * longer runs carried to their successor or left out (profile_carry).
 */
#ifndef SHS_ANSWERS_MOVE_H
#define SHS_ANSWERS_MOVE_H

#include <stddef.h>

#include "err.h"
#include "profile.h"
#include "xmem.h"

/*
 * The answers file's text (`name` in messages) at p's release; each carry
 * is noted in `notes` ("services.worker -> services.taskworker"). The
 * operator's own text is edited in place, so that comments and layout
 * stay, and the edited text is read back and compared with what the move
 * must give; where it differs (a flow mapping, no sentry.version to edit),
 * the file is written anew from its tree, headed by a comment that says
 * so, and *kept is 0. Owned by the caller; NULL with e (ERR_INPUT) for
 * text that is not YAML.
 */
char	*answers_moved(const char *text, size_t len, const char *name,
	    const struct profile *p, struct strlist *notes, int *kept,
	    struct err *e);

#endif
