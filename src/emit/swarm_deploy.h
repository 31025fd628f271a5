/* deploy.sh of the Swarm output (swarm_deploy.c). */
#ifndef SHS_SWARM_DEPLOY_H
#define SHS_SWARM_DEPLOY_H

#include "plan.h"
#include "swarm_names.h"

/* The script that deploys `f` in order, creating the objects of `creates`
 * ("secret NAME secrets/FILE" lines) first, and refuses when the volume
 * definitions (their digest) changed under a running deployment. Owned by
 * the caller. */
char	*swarm_deploy_script(const struct plan *pl, const struct swarm_files *f,
	    const struct strlist *creates, const char *volumes_digest);

#endif
