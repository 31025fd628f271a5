/*
 * An upgrade planned hop by hop (upgrade.c): the chain through every hard
 * stop from the release the answers run to the target, each hop's plan
 * from the same answers at the hop's release (services carried over to
 * their successors), its gates (the rules, over the live facts when
 * there are some) and what it changes; rendered as one folder per hop
 * with that release's complete output, CHANGES.md and RUNBOOK.md.
 */
#ifndef SHS_UPGRADE_H
#define SHS_UPGRADE_H

#include "chain.h"
#include "facts.h"
#include "outset.h"
#include "session.h"

struct upgrade_hop {
	char		*dir;		/* "01-10.1.0-to-21.6.3" (owned) */
	struct session	 s;		/* the answers at the hop's release */
	struct findings	 f;		/* its gates */
	struct hop_diff	 diff;		/* against the release before */
	struct strlist	 carried;	/* "services.worker -> taskworker" */
};

struct upgrade {
	char		*from;		/* the release the answers run (owned) */
	struct upgrade_hop *v;		/* owned, n of them, in order */
	size_t		 n;
};

/*
 * Plans the upgrade of the deployment of `now` (a session over
 * `answers_path`) to `to`, with the rules over `facts` (NULL: offline).
 * -1 with e for a chain that cannot be (ERR_USAGE: a downgrade, no
 * profile) or answers that cannot be planned at a hop; upgrade_free()
 * always.
 */
int	upgrade_plan(struct upgrade *u, const struct session *now,
	    const char *answers_path, const char *to, const struct facts *facts,
	    struct err *e);
/* Every hop's folder, and UPGRADE.md over them, into out. */
int	upgrade_render(const struct upgrade *u, const struct session *now,
	    struct outset *out, struct err *e);
/* All the hops' gates together, for the delivery gate (deliver.h). */
void	upgrade_findings(const struct upgrade *u, struct findings *out);
void	upgrade_free(struct upgrade *u);

#endif
