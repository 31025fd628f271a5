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

/* k8s_place.c: the placement of a pod (nodeSelector, tolerations,
 * priorityClassName, topologySpreadConstraints), set into `spec`; and the
 * file's documents of the ingest path's PriorityClass (owned by the
 * caller), or NULL when the output does not create one. */
void		k8s_place_pod(const struct plan *pl, const struct plan_service *s,
		    struct ynode *spec);
struct ynode	*k8s_priority_class(const struct plan *pl);
/* Does the output create that PriorityClass (kubernetes/priorityclass.yaml)? */
int		k8s_owns_priority_class(const struct plan *pl);

/* k8s_trust.c: with private CAs, the init container that builds the pod's
 * CA bundle, its volumes, and the bundle's mount in container `c`. */
void		k8s_trust_pod(const struct plan *pl, struct ynode *spec,
		    struct ynode *c);

/* k8s_netpol.c: with target.network_policy, the NetworkPolicy documents
 * (a sequence, owned by the caller); NULL without it. */
struct ynode	*k8s_netpol_docs(const struct plan *pl);

/* k8s_secure.c: the ServiceAccount every pod runs as, and the Secret of
 * the answers' registry login (registry_auth), which every pod names in
 * imagePullSecrets: in the pod, not the ServiceAccount, so that each
 * manifest says how it pulls and an operator's own account keeps it. */
#define K8S_SERVICE_ACCOUNT	"sentry"
#define K8S_PULL_SECRET		"registry-pull"
/* Service s's pod spec, after its containers: the securityContexts (pod,
 * containers and init containers), the emptyDirs of a read-only root, the
 * ServiceAccount without its token, the pull secret. */
void		k8s_secure_pod(const struct plan *pl,
		    const struct plan_service *s, struct ynode *spec);
/* Appends the ServiceAccount to `docs`. */
void		k8s_secure_account(const struct plan *pl, struct ynode *docs);
/* With a registry login, appends its kubernetes.io/dockerconfigjson
 * Secret to `docs` (the 0600 secrets file only). */
void		k8s_secure_pull_secret(const struct plan *pl, struct ynode *docs);
/* The .dockerconfigjson of the registry login, or NULL without one; owned
 * by the caller, holds the password. */
char		*k8s_pull_config(const struct plan *pl);
/* Labels the Namespace's metadata with the Pod Security level its pods
 * meet, enforced ("restricted" or "baseline"). */
void		k8s_secure_namespace(const struct plan *pl, struct ynode *meta);
/* The level every pod of the plan meets: a static string. */
const char	*k8s_secure_level(const struct plan *pl);
/* The runbook's paragraph on the Pod Security level, the ServiceAccount and
 * the pull secret. */
void		k8s_secure_runbook(const struct plan *pl, struct strbuf *md);
/* One sentence for `explain`: the user, the read-only root and its
 * emptyDirs, the capabilities. Owned by the caller. */
char		*k8s_secure_summary(const struct plan *pl,
		    const struct plan_service *s);
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
