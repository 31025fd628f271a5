/*
 * Kubernetes: where a pod goes (k8s.h): its nodeSelector, tolerations,
 * priority class and the spread of its replicas; and the PriorityClass
 * of the ingest path when the output owns it.
 */
#include <stdlib.h>

#include "k8s.h"

/* The priority of the ingest path's class: far above the default (0) and
 * far below system-cluster-critical (2000000000), as Kubernetes' docs
 * place a site's own classes. */
#define INGEST_PRIORITY	1000000

static void
tolerations(struct ynode *spec, const struct plan_service *s)
{
	struct ynode *seq;

	if (s->ntolerations == 0)
		return;
	seq = yn_set_seq(spec, "tolerations");
	for (size_t i = 0; i < s->ntolerations; i++) {
		const struct plan_toleration *t = &s->tolerations[i];
		struct ynode *m = yn_seq_add(seq, yn_map());

		if (t->key != NULL)
			yn_set_str(m, "key", t->key);
		yn_set_str(m, "operator", t->operator);
		if (t->value != NULL)
			yn_map_set(m, "value", yn_quoted(t->value));
		if (t->effect != NULL)
			yn_set_str(m, "effect", t->effect);
		if (t->seconds != UNSET_INT)
			yn_set_int(m, "tolerationSeconds", t->seconds);
	}
}

static void
spread_over(struct ynode *seq, const struct plan *pl,
    const struct plan_service *s, const char *key)
{
	struct ynode *tsc = yn_seq_add(seq, yn_map());

	yn_set_int(tsc, "maxSkew", 1);
	yn_set_str(tsc, "topologyKey", key);
	yn_set_str(tsc, "whenUnsatisfiable", "ScheduleAnyway");
	yn_map_set(yn_set_map(tsc, "labelSelector"), "matchLabels",
	    k8s_selector(pl, s->name));
}

/*
 * Both spreads are preferences (ScheduleAnyway), never conditions. With
 * DoNotSchedule, the replicas of a lost zone or node could not start
 * elsewhere: its nodes still count as a domain holding none of them,
 * so every other one is already at maxSkew, and they stay Pending just
 * when they are needed. Fewer nodes or zones than replicas, a full or
 * cordoned node, a rolling update's extra pod: each would block it too.
 * The scheduler still places them apart whenever it can. A singleton (one
 * replica by design) has nothing to spread.
 */
static void
spread(struct ynode *spec, const struct plan *pl, const struct plan_service *s)
{
	struct ynode *seq;

	if (s->replicas <= 1 || s->role == ROLE_SINGLETON)
		return;
	seq = yn_set_seq(spec, "topologySpreadConstraints");
	spread_over(seq, pl, s, "kubernetes.io/hostname");
	if (pl->target.zones)
		spread_over(seq, pl, s, "topology.kubernetes.io/zone");
}

void
k8s_place_pod(const struct plan *pl, const struct plan_service *s,
    struct ynode *spec)
{
	if (s->node_selector.n > 0) {
		struct ynode *m = yn_set_map(spec, "nodeSelector");

		for (size_t i = 0; i < s->node_selector.n; i++)
			yn_map_set(m, s->node_selector.v[i].key,
			    yn_quoted(s->node_selector.v[i].value));
	}
	tolerations(spec, s);
	if (s->priority_class != NULL)
		yn_set_str(spec, "priorityClassName", s->priority_class);
	spread(spec, pl, s);
}

int
k8s_owns_priority_class(const struct plan *pl)
{
	int used = 0;

	for (size_t i = 0; i < pl->nservices; i++)
		used |= pl->services[i].priority_class != NULL;
	return pl->target.priority_class_own && used;
}

struct ynode *
k8s_priority_class(const struct plan *pl)
{
	struct ynode *docs, *d, *meta;
	char *text;

	if (!k8s_owns_priority_class(pl))
		return NULL;
	docs = yn_seq();
	d = yn_seq_add(docs, yn_map());
	yn_set_str(d, "apiVersion", "scheduling.k8s.io/v1");
	yn_set_str(d, "kind", "PriorityClass");
	/* Cluster-scoped: a PriorityClass has no namespace. */
	meta = k8s_metadata(pl, pl->target.priority_class, "ingest", NULL);
	yn_map_del(meta, "namespace");
	yn_map_set(d, "metadata", meta);
	yn_set_int(d, "value", INGEST_PRIORITY);
	yn_map_set(d, "globalDefault", yn_bool(0));
	/* The class orders the scheduling queue and the kubelet's evictions;
	 * evicting other teams' pods to make room is a cluster-wide policy,
	 * the platform team's (their own class: target.priority_class). */
	yn_set_str(d, "preemptionPolicy", "Never");
	text = xasprintf("Sentry's ingest path in namespace %s (Relay, nginx, "
	    "the consumers of what Relay writes): scheduled before and evicted "
	    "after the other Sentry pods, so that SDKs' events keep being "
	    "accepted", pl->target.namespace);
	yn_set_str(d, "description", text);
	free(text);
	return docs;
}
