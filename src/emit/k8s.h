/*
 * The Kubernetes target: turns a plan into manifests (kubernetes/...) and
 * the runbook, as an outset (nothing is written here).
 */
#ifndef SHS_K8S_H
#define SHS_K8S_H

#include "err.h"
#include "outset.h"
#include "plan.h"
#include "ynode.h"

/* k8s_emit.c: every manifest, and the runbook (runbook.c). */
int	k8s_emit(const struct plan *pl, struct outset *out, struct err *e);

/* k8s_pod.c: helpers for k8s_emit.c. Returned nodes are owned by the
 * caller. */
struct ynode	*k8s_metadata(const struct plan *pl, const char *name,
		    const char *component, const struct kvlist *sources);
struct ynode	*k8s_selector(const struct plan *pl, const char *name);
struct ynode	*k8s_pod_spec(const struct plan *pl, const struct plan_service *s,
		    const char *restart_policy);
struct ynode	*k8s_pod_template(const struct plan *pl,
		    const struct plan_service *s, const char *restart_policy);
/* The name of a migration's Job: the service, the release and a digest of
 * what it runs with, so that every changed run is a new Job instead of an
 * edit of a finished one (a Job's template is immutable). Owned by the
 * caller. */
char		*k8s_job_name(const struct plan *pl, const struct plan_service *s);

/* k8s_trust.c: with private CAs, the init container that builds the pod's
 * CA bundle, its volumes, and the bundle's mount in container `c`. */
void		k8s_trust_pod(const struct plan *pl, struct ynode *spec,
		    struct ynode *c);

/* k8s_scale.c: autoscaling. Does an autoscaler own the service's
 * replicas (its workload then sets no spec.replicas)? */
int		k8s_scale_owns_replicas(const struct plan_service *s);
/* Appends the service's HorizontalPodAutoscaler or ScaledObject to docs. */
void		k8s_scale_docs(const struct plan *pl, const struct plan_service *s,
		    struct ynode *docs);
/* KEDA's Secret and TriggerAuthentication for a secured Kafka, or NULL
 * when none is needed; owned by the caller. */
struct ynode	*k8s_scale_shared(const struct plan *pl);

#endif
