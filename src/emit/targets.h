/* The orchestrators this build writes for, as a table. */
#ifndef SHS_TARGETS_H
#define SHS_TARGETS_H

#include "err.h"
#include "outset.h"
#include "plan.h"

struct target {
	const char	*name;		/* as in target.kind and --target */
	const char	*title;		/* for people */
	const char	*folder;	/* its part of the output, "kubernetes/" */
	const char	*entry_file;	/* what applies it, in that folder */
	int		(*emit)(const struct plan *, struct outset *, struct err *);
};

/* The target named `name`, or NULL. */
const struct target *target_find(const char *name);
/* "kubernetes or swarm", for messages (static). */
const char *target_names(void);

#endif
