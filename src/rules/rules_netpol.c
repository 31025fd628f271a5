/* Rules about the NetworkPolicies (target.network_policy). */
#include "rules_internal.h"

/*
 * The policies let out only the flows the plan knows of: Sentry's own calls
 * to the world (alert notifications, webhooks, Slack, GitHub, Jira,
 * PagerDuty, source files by URL) leave only to target.egress_cidrs, which
 * is empty unless the operator opens it. Air-gapped, there is nothing out
 * there to reach, and the finding would only be noise.
 */
void
check_netpol_egress(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	(void)facts;
	if (!pl->target.network_policy || rule_on_swarm(pl) || pl->air_gapped ||
	    pl->target.egress_cidrs.n > 0)
		return;
	finding_add(out, id, SEV_WARNING, NULL, "target.egress_cidrs",
	    "the NetworkPolicies let nothing of Sentry's own leave the "
	    "namespace: alert notifications, webhooks and integrations (Slack, "
	    "GitHub, Jira, PagerDuty...) fail; list the address ranges they "
	    "may reach in target.egress_cidrs (0.0.0.0/0 with "
	    "target.egress_except for the cluster's ranges, say)");
}
