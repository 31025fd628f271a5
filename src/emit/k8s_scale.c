/*
 * Kubernetes autoscaling (plan_scale.c decides who scales): a
 * HorizontalPodAutoscaler on CPU for the stateless services, a KEDA
 * ScaledObject on consumer-group lag for the consumers, and the
 * TriggerAuthentication with which KEDA logs in to a secured Kafka.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8s.h"
#include "plan_internal.h"
#include "runbook.h"

/* KEDA's own Secret: what the trigger needs that the answers do not hold
 * as secrets (the SASL mode, the user, the private CA). The password and
 * client key stay in SECRET_OBJECT and are referred to there. */
#define KEDA_SECRET	"sentry-keda-kafka"
#define KEDA_AUTH	"sentry-kafka"

static struct ynode *
scale_doc(const struct plan *pl, const struct plan_service *s,
    const char *api, const char *kind)
{
	struct ynode *d = yn_map();
	struct kvlist src = { 0 };
	const char *max = kv_get(&s->sources, "max_replicas");

	kv_add(&src, "autoscaling", "answers:target.autoscaling");
	if (max != NULL)
		kv_add(&src, "max_replicas", max);
	yn_set_str(d, "apiVersion", api);
	yn_set_str(d, "kind", kind);
	yn_map_set(d, "metadata", k8s_metadata(pl, s->name, "autoscaling", &src));
	kv_free(&src);
	return d;
}

static void
target_ref(struct ynode *spec, const struct plan_service *s)
{
	struct ynode *ref = yn_set_map(spec, "scaleTargetRef");

	yn_set_str(ref, "apiVersion", "apps/v1");
	yn_set_str(ref, "kind", "Deployment");
	yn_set_str(ref, "name", s->name);
}

/* CPU at 70% of the request: the 30% left carries the load that keeps
 * arriving while the metrics catch up (15 s) and new pods start, and the
 * request is what the scheduler placed the pod by (plan_sizing.c). */
static struct ynode *
hpa(const struct plan *pl, const struct plan_service *s)
{
	struct ynode *d = scale_doc(pl, s, "autoscaling/v2",
	    "HorizontalPodAutoscaler");
	struct ynode *spec = yn_set_map(d, "spec"), *m, *target;

	target_ref(spec, s);
	yn_set_int(spec, "minReplicas", s->replicas);
	yn_set_int(spec, "maxReplicas", s->max_replicas);
	m = yn_seq_add(yn_set_seq(spec, "metrics"), yn_map());
	yn_set_str(m, "type", "Resource");
	m = yn_set_map(m, "resource");
	yn_set_str(m, "name", "cpu");
	target = yn_set_map(m, "target");
	yn_set_str(target, "type", "Utilization");
	yn_set_int(target, "averageUtilization", SCALE_CPU_PERCENT);
	return d;
}

static int
kafka_secured(const struct plan *pl)
{
	return strcmp(pl->kafka.security_protocol, "PLAINTEXT") != 0;
}

/*
 * lagThreshold is the lag per replica KEDA aims at. Sentry's and Snuba's
 * consumers read and commit in batches, so a lag of a few hundred
 * messages is their normal stride, not a backlog: KEDA's default (10)
 * would add pods on every batch. 1000 scales on a backlog of whole
 * batches. allowIdleConsumers stays false: KEDA then never runs more
 * pods than the topic has partitions.
 */
static struct ynode *
scaled_object(const struct plan *pl, const struct plan_service *s)
{
	struct ynode *d = scale_doc(pl, s, "keda.sh/v1alpha1", "ScaledObject");
	struct ynode *spec = yn_set_map(d, "spec"), *t, *md;
	struct strbuf brokers = STRBUF_INIT;
	char lag[32];

	target_ref(spec, s);
	yn_set_int(spec, "minReplicaCount", s->replicas);
	yn_set_int(spec, "maxReplicaCount", s->max_replicas);
	t = yn_seq_add(yn_set_seq(spec, "triggers"), yn_map());
	yn_set_str(t, "type", "kafka");
	md = yn_set_map(t, "metadata");
	for (size_t i = 0; i < pl->kafka.brokers.n; i++)
		sb_printf(&brokers, "%s%s", i ? "," : "", pl->kafka.brokers.v[i]);
	yn_map_set(md, "bootstrapServers", yn_quoted(sb_str(&brokers)));
	sb_free(&brokers);
	yn_map_set(md, "consumerGroup", yn_quoted(s->consumer_group));
	yn_map_set(md, "topic", yn_quoted(s->scale_topic));
	snprintf(lag, sizeof lag, "%d", SCALE_LAG_THRESHOLD);
	yn_map_set(md, "lagThreshold", yn_quoted(lag));
	yn_map_set(md, "allowIdleConsumers", yn_quoted("false"));
	if (kafka_secured(pl))
		yn_set_str(yn_set_map(t, "authenticationRef"), "name", KEDA_AUTH);
	return d;
}

int
k8s_scale_owns_replicas(const struct plan_service *s)
{
	return s->scale != SCALE_NONE;
}

void
k8s_scale_docs(const struct plan *pl, const struct plan_service *s,
    struct ynode *docs)
{
	if (s->scale == SCALE_HPA)
		yn_seq_add(docs, hpa(pl, s));
	else if (s->scale == SCALE_KEDA)
		yn_seq_add(docs, scaled_object(pl, s));
}

static void
target_entry(struct ynode *refs, const char *param, const char *secret,
    const char *key)
{
	struct ynode *r = yn_seq_add(refs, yn_map());

	yn_set_str(r, "parameter", param);
	yn_set_str(r, "name", secret);
	yn_set_str(r, "key", key);
}

/* KEDA's words for the SASL mechanisms. */
static const char *
keda_sasl(const char *mechanism)
{
	static const struct { const char *kafka, *keda; } map[] = {
		{ "PLAIN", "plaintext" },
		{ "SCRAM-SHA-256", "scram_sha256" },
		{ "SCRAM-SHA-512", "scram_sha512" },
	};

	for (size_t i = 0; mechanism != NULL && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i].kafka, mechanism) == 0)
			return map[i].keda;
	return NULL;
}

/* The Secret of the non-secret trigger settings (KEDA reads every auth
 * parameter from a Secret), and the TriggerAuthentication. */
static void
auth_objects(const struct plan *pl, struct ynode *docs)
{
	const char *proto = pl->kafka.security_protocol;
	const char *sasl = strncmp(proto, "SASL_", 5) == 0 ?
	    keda_sasl(pl->kafka.sasl_mechanism) : NULL;
	int tls = strcmp(proto, "SSL") == 0 || strcmp(proto, "SASL_SSL") == 0;
	struct ynode *sec = yn_map(), *data, *ta = yn_map(), *refs;

	yn_set_str(sec, "apiVersion", "v1");
	yn_set_str(sec, "kind", "Secret");
	yn_map_set(sec, "metadata", k8s_metadata(pl, KEDA_SECRET, "autoscaling",
	    NULL));
	yn_set_str(sec, "type", "Opaque");
	data = yn_set_map(sec, "stringData");
	yn_set_str(ta, "apiVersion", "keda.sh/v1alpha1");
	yn_set_str(ta, "kind", "TriggerAuthentication");
	yn_map_set(ta, "metadata", k8s_metadata(pl, KEDA_AUTH, "autoscaling",
	    NULL));
	refs = yn_set_seq(yn_set_map(ta, "spec"), "secretTargetRef");
	if (sasl != NULL) {
		yn_map_set(data, "sasl", yn_quoted(sasl));
		target_entry(refs, "sasl", KEDA_SECRET, "sasl");
		yn_map_set(data, "username", yn_quoted(pl->kafka.username ?
		    pl->kafka.username : ""));
		target_entry(refs, "username", KEDA_SECRET, "username");
		if (pl->kafka.password_ref != NULL)
			target_entry(refs, "password", SECRET_OBJECT,
			    pl->kafka.password_ref);
	}
	yn_map_set(data, "tls", yn_quoted(tls ? "enable" : "disable"));
	target_entry(refs, "tls", KEDA_SECRET, "tls");
	if (tls && pl->tls.ca_pem != NULL) {
		yn_map_set(data, "ca", yn_block(pl->tls.ca_pem));
		target_entry(refs, "ca", KEDA_SECRET, "ca");
	}
	if (tls && pl->kafka.client.cert_ref != NULL &&
	    pl->kafka.client.key_ref != NULL) {
		target_entry(refs, "cert", SECRET_OBJECT, pl->kafka.client.cert_ref);
		target_entry(refs, "key", SECRET_OBJECT, pl->kafka.client.key_ref);
	}
	yn_seq_add(docs, sec);
	yn_seq_add(docs, ta);
}

struct ynode *
k8s_scale_shared(const struct plan *pl)
{
	struct ynode *docs;
	int keda = 0;

	for (size_t i = 0; i < pl->nservices; i++)
		keda |= pl->services[i].scale == SCALE_KEDA;
	if (!keda || !kafka_secured(pl))
		return NULL;
	docs = yn_seq();
	auth_objects(pl, docs);
	return docs;
}

/* An HPA reads CPU from metrics.k8s.io, a ScaledObject needs KEDA's CRDs
 * (kubectl apply -k fails on an unknown kind). A Deployment applied with
 * spec.replicas before keeps it in its last-applied annotation: applying
 * it without drops it to 1 once (Kubernetes HPA docs, "Migrating
 * Deployments and StatefulSets to horizontal autoscaling"). */
void
runbook_autoscaling(const struct plan *pl, struct strbuf *md)
{
	const char *ns = pl->target.namespace;

	if (pl->target.autoscaling == SCALE_NONE)
		return;
	sb_add(md, "Autoscaling (target.autoscaling): the HorizontalPodAutoscalers "
	    "read CPU from the metrics API, which metrics-server (or another "
	    "metrics.k8s.io provider) must serve");
	if (pl->target.autoscaling == SCALE_KEDA)
		sb_add(md, ", and the ScaledObjects need KEDA 2 installed "
		    "(its CRDs) before `kubectl apply -k`");
	sb_add(md, ":\n\n```sh\nkubectl get apiservice v1beta1.metrics.k8s.io\n");
	if (pl->target.autoscaling == SCALE_KEDA)
		sb_add(md, "kubectl get crd scaledobjects.keda.sh "
		    "triggerauthentications.keda.sh\n");
	sb_printf(md, "```\n\nThe autoscaled Deployments carry no replica count "
	    "(each apply would reset the autoscaler's). If they run already "
	    "with one, remove `spec.replicas` from each one's last applied "
	    "configuration first, or the next apply scales it to 1 until its "
	    "autoscaler catches up:\n\n```sh\nkubectl -n %s apply "
	    "edit-last-applied deployment/NAME\n```\n\n", ns);
}
