/*
 * The one way a rendered output reaches the disk, for `generate` and the
 * wizard's Write alike: while a rule reports an error nothing is written
 * (unless forced), then the output folder is swapped in as a whole and the
 * keys of a first run are saved beside the answers.
 */
#ifndef SHS_DELIVER_H
#define SHS_DELIVER_H

#include "err.h"
#include "outset.h"
#include "rules.h"
#include "session.h"

/* May an output with these findings be written? -1 with e (ERR_FINDINGS:
 * "nothing written: REMEDY") when a rule reports an error and !force. */
int	deliver_allowed(const struct findings *f, int force, const char *remedy,
	    struct err *e);

/*
 * Checks deliver_allowed(), then writes `out` into `dir` and, when the
 * session made new keys, saves them. `remedy` says how the caller's user
 * gets past a refusal ("pass --force", "go back to Review").
 */
int	deliver(const struct session *s, const struct findings *f,
	    const struct outset *out, const char *dir, int force,
	    const char *remedy, struct err *e);

#endif
