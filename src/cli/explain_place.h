/* `explain SERVICE`: where its pods go and what they may use. */
#ifndef SHS_EXPLAIN_PLACE_H
#define SHS_EXPLAIN_PLACE_H

#include "plan.h"
#include "xmem.h"

/* Appends the service's "placement" block (on Kubernetes plans: node
 * selector, tolerations, spread keys, priority class) and its
 * "resources" line (requests and limits) to `out`, as explain prints
 * them. */
void	explain_placement(const struct plan *pl, const struct plan_service *s,
	    struct strbuf *out);

#endif
