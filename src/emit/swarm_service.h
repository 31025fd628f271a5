/* One service of a Swarm stack file (swarm_service.c). */
#ifndef SHS_SWARM_SERVICE_H
#define SHS_SWARM_SERVICE_H

#include "plan.h"
#include "ynode.h"

/* How Swarm can hand the secrets a service needs in its environment to a
 * program that only reads variables: by wrapping the image's entrypoint. */
enum wrap_need {
	WRAP_NONE,		/* no secret in the environment, nothing scheduled */
	WRAP_POSSIBLE,		/* the image has sh or Python to wrap with */
	WRAP_IMPOSSIBLE,	/* it has neither, or its entrypoint is unknown */
};

enum wrap_need swarm_wrap_need(const struct plan *pl, const struct plan_service *s);

/* The top-level objects the services of one stack file use. */
struct swarm_uses {
	struct strlist	 configs;	/* config-volume file keys */
	struct strlist	 secrets;	/* secret names (SECRET_OBJECT's) and
					 * secret config-volume file keys */
	struct strlist	 volumes;	/* plan volume names */
};

/* Does `s` run one task on every node (mode global) rather than replicas? */
int	swarm_on_every_node(const struct plan *pl, const struct plan_service *s);
/* Does an update stop `s`'s old task before it starts the new one? The
 * others start the new one first, so a node briefly holds both. */
int	swarm_stop_first(const struct plan_service *s);

/* The service `s` of a stack file (a replicated-job when `job`), noting in
 * `uses` what it needs; the node is owned by the caller. */
struct ynode *swarm_service(const struct plan *pl, const struct plan_service *s,
	    int job, struct swarm_uses *uses);

#endif
