/*
 * The one way a rendered output reaches the disk, for `generate` and the
 * wizard's Write alike: while a rule reports an error nothing is written
 * (unless forced); the keys of a first run are saved beside the answers,
 * durably, and only then is the output folder swapped in as a whole. A run
 * that writes holds deliver_lock() from before it reads the keys until the
 * output is in place, so that two runs never make two sets of keys.
 */
#ifndef SHS_DELIVER_H
#define SHS_DELIVER_H

#include "err.h"
#include "outset.h"
#include "rules.h"
#include "session.h"

/* Locks the folder of the answers (and so of their keys), waiting a while
 * for another run; *fd holds the lock until deliver_unlock(). */
int	deliver_lock(const char *answers_path, int *fd, struct err *e);
void	deliver_unlock(int *fd);

/* May an output with these findings be written? -1 with e (ERR_FINDINGS:
 * "nothing written: REMEDY") when a rule reports an error and !force. */
int	deliver_allowed(const struct findings *f, int force, const char *remedy,
	    struct err *e);

/*
 * Checks deliver_allowed() and that neither the answers nor the keys file
 * lies inside `dir`, saves the keys when the session made new ones, then
 * writes `out` into `dir`. `remedy` says how the caller's user gets past a
 * refusal ("pass --force", "go back to Review").
 */
int	deliver(const struct session *s, const struct findings *f,
	    const struct outset *out, const char *dir, int force,
	    const char *remedy, struct err *e);

#endif
