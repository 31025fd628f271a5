/* Rules about autoscaling (target.autoscaling, services.NAME.max_replicas). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"

static char *
max_field(const char *service)
{
	return xasprintf("services.%s.max_replicas", service);
}

/* The partitions a KEDA consumer's topic has: the live count when the
 * check read it, else what the runbook creates it with. */
static long
partitions_of(const struct plan *pl, const struct facts *facts,
    const char *topic, int *live)
{
	const struct topic_fact *t = facts_topic(facts, topic);

	*live = t != NULL;
	return t != NULL ? t->partitions : plan_topic_partitions(pl, topic);
}

/* A partition is read by one member of a consumer group: a ceiling above
 * the partitions promises throughput that the extra pods cannot give
 * (KEDA itself stops at the partitions). */
void
check_scale_partitions(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	for (size_t i = 0; i < pl->nservices; i++) {
		const struct plan_service *s = &pl->services[i];
		long parts;
		int live;
		char *field;

		if (s->scale != SCALE_KEDA)
			continue;
		parts = partitions_of(pl, facts, s->scale_topic, &live);
		if (parts <= 0 || s->max_replicas <= parts)
			continue;
		field = max_field(s->name);
		finding_add(out, id, SEV_ERROR, s->name, field, "%s may scale to "
		    "%ld replicas but topic %s %s %ld partition%s: %ld would "
		    "idle; lower %s to %ld%s", s->name, s->max_replicas,
		    s->scale_topic, live ? "has" : "must keep", parts,
		    parts == 1 ? "" : "s", s->max_replicas - parts, field, parts,
		    live ? ", or add partitions to the topic" : "");
		free(field);
	}
}

/* max_replicas on a service that no autoscaler may scale. */
void
check_scale_singleton(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	(void)facts;
	for (size_t i = 0; pl->target.autoscaling != SCALE_NONE &&
	    i < pl->nservices; i++) {
		const struct plan_service *s = &pl->services[i];
		char *field;

		/* A stateless service that is not scaled has a ceiling at
		 * its replicas, or none of them: that is no role's doing. */
		if (s->scale != SCALE_NONE || s->scale_why == NULL ||
		    kv_get(&s->sources, "max_replicas") == NULL ||
		    s->role == ROLE_STATELESS_HTTP ||
		    s->role == ROLE_STATELESS_WORKER)
			continue;
		field = max_field(s->name);
		finding_add(out, id, SEV_ERROR, s->name, field, "%s is %s and is "
		    "not autoscaled (%s): remove %s", s->name,
		    role_names[s->role], s->scale_why, field);
		free(field);
	}
}
