/*
 * The Docker Swarm target: turns a plan into stack files (compose format
 * 3.8), the config and secret files Swarm creates objects from, deploy.sh
 * and the runbook, as an outset (nothing is written here). swarm_emit.c
 * puts the stacks together from swarm_service.c's services, names things
 * through swarm_names.c, and adds swarm_deploy.c's script and
 * runbook_swarm.c's RUNBOOK.md.
 */
#ifndef SHS_SWARM_H
#define SHS_SWARM_H

#include "err.h"
#include "outset.h"
#include "plan.h"

int	swarm_emit(const struct plan *pl, struct outset *out, struct err *e);

#endif
