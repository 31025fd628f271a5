/*
 * A small NetworkPolicy evaluator for the tests (networking.k8s.io/v1
 * semantics), independent of the emitter: a connection is allowed when
 * the sender's egress AND the receiver's ingress allow it. A pod that no
 * policy of its namespace selects for a direction is open in that
 * direction; once one selects it, only what some rule of one of them
 * allows passes.
 */
#ifndef SHS_NETPOL_EVAL_H
#define SHS_NETPOL_EVAL_H

#include "ynode.h"

/* One end of a connection: a pod (ns and labels), or an address outside
 * the cluster (ns NULL). `ip` is the pod's or the address's IP. */
struct np_end {
	const char		*ns;
	const struct ynode	*labels;	/* a map; NULL outside */
	const char		*ip;
};

/*
 * Is a TCP or UDP connection from `src` to `dst` on `port` allowed by the
 * NetworkPolicy documents in `docs` (a sequence; other kinds are skipped)?
 * A selector or rule the evaluator does not know (matchExpressions, a
 * named port) fails the test that asked, through *unknown, set to the
 * first such field.
 */
int	np_allowed(const struct ynode *docs, const struct np_end *src,
	    const struct np_end *dst, long port, const char *protocol,
	    const char **unknown);

#endif
