/* Kubernetes: one file per service, plus namespace, config, secrets,
 * storage, jobs, ingress and the kustomization that lists them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8s.h"
#include "plan_internal.h"
#include "runbook.h"

static struct ynode *
doc(const char *api, const char *kind, struct ynode *meta)
{
	struct ynode *d = yn_map();

	yn_set_str(d, "apiVersion", api);
	yn_set_str(d, "kind", kind);
	yn_map_set(d, "metadata", meta);
	return d;
}

static struct ynode *
service_object(const struct plan *pl, const struct plan_service *s,
    const char *name, int headless)
{
	struct ynode *d = doc("v1", "Service", k8s_metadata(pl, name,
	    role_names[s->role], NULL));
	struct ynode *spec = yn_set_map(d, "spec"), *ports;

	if (headless)
		yn_set_str(spec, "clusterIP", "None");
	yn_map_set(spec, "selector", k8s_selector(pl, s->name));
	ports = yn_set_seq(spec, "ports");
	for (size_t i = 0; i < s->prof->ports.n; i++) {
		const struct prof_port *pp = OBJ_AT(&s->prof->ports, sizeof *pp, i);
		struct ynode *p = yn_seq_add(ports, yn_map());

		yn_set_str(p, "name", pp->name);
		yn_set_int(p, "port", pp->service != UNSET_INT ? pp->service :
		    pp->port);
		yn_set_str(p, "targetPort", pp->name);
		yn_set_str(p, "protocol", "TCP");
	}
	return d;
}

static struct ynode *
pdb_object(const struct plan *pl, const struct plan_service *s)
{
	struct ynode *d = doc("policy/v1", "PodDisruptionBudget",
	    k8s_metadata(pl, s->name, role_names[s->role], NULL));
	struct ynode *spec = yn_set_map(d, "spec");

	yn_set_int(spec, "maxUnavailable", 1);
	yn_map_set(yn_set_map(spec, "selector"), "matchLabels",
	    k8s_selector(pl, s->name));
	return d;
}

/*
 * A claim per replica (the taskbroker's SQLite). It takes the cluster's
 * default storage class, not target.storage_class: that one names the
 * ReadWriteMany class of the shared claims, usually NFS, where SQLite's
 * locking is not safe.
 */
static struct ynode *
claim_template(const struct plan *pl, const struct plan_volume *v)
{
	struct ynode *c = yn_map(), *spec;

	yn_set_str(yn_set_map(c, "metadata"), "name", v->name);
	spec = yn_set_map(c, "spec");
	yn_seq_add(yn_set_seq(spec, "accessModes"), yn_str("ReadWriteOnce"));
	yn_map_set(yn_set_map(yn_set_map(spec, "resources"), "requests"),
	    "storage", yn_quoted(v->size));
	(void)pl;
	return c;
}

static struct ynode *
workload(const struct plan *pl, const struct plan_service *s)
{
	int stateful = s->role == ROLE_STATEFUL_PER_REPLICA;
	struct ynode *d = doc("apps/v1", stateful ? "StatefulSet" : "Deployment",
	    k8s_metadata(pl, s->name, role_names[s->role], &s->sources));
	struct ynode *spec = yn_set_map(d, "spec"), *strategy, *claims = NULL;

	if (stateful) {
		char *headless = xasprintf("%s" PEERS_SUFFIX, s->name);

		yn_set_str(spec, "serviceName", headless);
		yn_set_str(spec, "podManagementPolicy", "Parallel");
		free(headless);
	}
	/* Under an autoscaler, no spec.replicas: every `kubectl apply` would
	 * reset the count it chose (Kubernetes HPA docs, "Migrating
	 * Deployments ... to horizontal autoscaling"); it starts at its
	 * minimum, the replicas. */
	if (!k8s_scale_owns_replicas(s))
		yn_set_int(spec, "replicas", s->replicas);
	yn_set_int(spec, "revisionHistoryLimit", 5);
	yn_map_set(yn_set_map(spec, "selector"), "matchLabels",
	    k8s_selector(pl, s->name));
	if (!stateful) {
		strategy = yn_set_map(spec, "strategy");
		if (s->role == ROLE_SINGLETON) {
			/* Never two at once, not even during a rollout. */
			yn_set_str(strategy, "type", "Recreate");
		} else {
			struct ynode *ru;

			yn_set_str(strategy, "type", "RollingUpdate");
			ru = yn_set_map(strategy, "rollingUpdate");
			yn_set_int(ru, "maxSurge", 1);
			yn_set_int(ru, "maxUnavailable", 0);
		}
	}
	yn_map_set(spec, "template", k8s_pod_template(pl, s, NULL));
	for (size_t i = 0; stateful && i < s->nmounts; i++) {
		const struct plan_volume *v = plan_volume(pl, s->mounts[i].volume);

		if (v == NULL || v->backing != BACK_PER_REPLICA)
			continue;
		if (claims == NULL)
			claims = yn_set_seq(spec, "volumeClaimTemplates");
		yn_seq_add(claims, claim_template(pl, v));
	}
	return d;
}

static struct ynode *
cronjob(const struct plan *pl, const struct plan_service *s)
{
	struct ynode *d = doc("batch/v1", "CronJob", k8s_metadata(pl, s->name,
	    role_names[s->role], &s->sources));
	struct ynode *spec = yn_set_map(d, "spec"), *job, *jspec;

	yn_map_set(spec, "schedule", yn_quoted(s->prof->schedule));
	yn_set_str(spec, "concurrencyPolicy", "Forbid");
	yn_set_int(spec, "startingDeadlineSeconds", 3600);
	yn_set_int(spec, "successfulJobsHistoryLimit", 3);
	yn_set_int(spec, "failedJobsHistoryLimit", 3);
	job = yn_set_map(spec, "jobTemplate");
	yn_map_set(yn_set_map(job, "metadata"), "labels",
	    k8s_selector(pl, s->name));
	jspec = yn_set_map(job, "spec");
	yn_set_int(jspec, "backoffLimit", 2);
	yn_map_set(jspec, "template", k8s_pod_template(pl, s, "OnFailure"));
	return d;
}

static char *
emit_docs(struct ynode *docs, struct err *e)
{
	struct strbuf out = STRBUF_INIT;

	if (yaml_emit(docs, YP_MULTI, &out, e) < 0) {
		sb_free(&out);
		return NULL;
	}
	return sb_take(&out);
}

/* Emits `docs` (a sequence of documents, which it frees) as one file. */
static int
add_file(struct outset *out, struct strlist *resources, const char *path,
    struct ynode *docs, mode_t mode, struct err *e)
{
	char *text = emit_docs(docs, e);

	yn_free(docs);
	if (text == NULL)
		return -1;
	outset_add(out, path, text, mode);
	if (resources != NULL)
		sl_add(resources, path + strlen("kubernetes/"));
	return 0;
}

static int
emit_services(const struct plan *pl, struct outset *out,
    struct strlist *resources, struct err *e)
{
	for (size_t i = 0; i < pl->nservices; i++) {
		const struct plan_service *s = &pl->services[i];
		struct ynode *docs = yn_seq();
		char *path = xasprintf("kubernetes/services/%s.yaml", s->name);
		int rc;

		if (s->role == ROLE_SCHEDULED) {
			yn_seq_add(docs, cronjob(pl, s));
		} else {
			yn_seq_add(docs, workload(pl, s));
			if (s->prof->ports.n > 0)
				yn_seq_add(docs, service_object(pl, s, s->name, 0));
			if (s->role == ROLE_STATEFUL_PER_REPLICA) {
				char *h = xasprintf("%s" PEERS_SUFFIX, s->name);

				yn_seq_add(docs, service_object(pl, s, h, 1));
				free(h);
			}
			if (s->replicas >= 2 && s->role != ROLE_SINGLETON)
				yn_seq_add(docs, pdb_object(pl, s));
			k8s_scale_docs(pl, s, docs);
		}
		rc = add_file(out, resources, path, docs, 0644, e);
		free(path);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int
emit_jobs(const struct plan *pl, struct outset *out, struct err *e)
{
	for (size_t i = 0; i < pl->nmigrations; i++) {
		const struct plan_service *s = &pl->migrations[i];
		char *name = k8s_job_name(pl, s);
		char *path = xasprintf("kubernetes/jobs/%02zu-%s.yaml", i + 1, s->name);
		struct ynode *d = doc("batch/v1", "Job", k8s_metadata(pl, name,
		    "job", &s->sources)), *spec = yn_set_map(d, "spec");
		struct ynode *docs = yn_seq();
		int rc;

		yn_set_int(spec, "backoffLimit", 3);
		/* A week to read its logs; each run has a name of its own. */
		yn_set_int(spec, "ttlSecondsAfterFinished", 7 * 86400);
		yn_map_set(spec, "template", k8s_pod_template(pl, s, "Never"));
		yn_seq_add(docs, d);
		/* Not in kustomization.yaml: a Job's template cannot change, so
		 * `kubectl apply -k` would fail on the next run; the runbook
		 * applies each, in order, and waits for it. */
		rc = add_file(out, NULL, path, docs, 0644, e);
		free(name);
		free(path);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static struct ynode *
files_object(const struct plan *pl, const struct plan_volume *v)
{
	struct ynode *d = doc("v1", v->secret ? "Secret" : "ConfigMap",
	    k8s_metadata(pl, v->name, "config", NULL));
	struct ynode *data;

	if (v->secret)
		yn_set_str(d, "type", "Opaque");
	data = yn_set_map(d, v->secret ? "stringData" : "data");
	for (size_t i = 0; i < v->nfiles; i++)
		yn_map_set(data, v->files[i].name, yn_block(v->files[i].content));
	return d;
}

static struct ynode *
secret_object(const struct plan *pl)
{
	struct ynode *d = doc("v1", "Secret", k8s_metadata(pl, SECRET_OBJECT,
	    "config", NULL));
	struct ynode *data;

	yn_set_str(d, "type", "Opaque");
	data = yn_set_map(d, "stringData");
	for (size_t i = 0; i < pl->secrets.n; i++)
		if (!plan_secret_check_only(pl->secrets.v[i].key))
			yn_map_set(data, pl->secrets.v[i].key,
			    yn_quoted(pl->secrets.v[i].value));
	return d;
}

static struct ynode *
claim_object(const struct plan *pl, const struct plan_volume *v)
{
	struct kvlist src = { 0 };
	struct ynode *d, *spec;
	const char *sc = pl->target.storage_class;

	kv_add(&src, "backing", v->source);
	d = doc("v1", "PersistentVolumeClaim", k8s_metadata(pl, v->name,
	    "storage", &src));
	kv_free(&src);
	spec = yn_set_map(d, "spec");
	yn_seq_add(yn_set_seq(spec, "accessModes"), yn_str("ReadWriteMany"));
	if (sc != NULL)
		yn_set_str(spec, "storageClassName", sc);
	yn_map_set(yn_set_map(yn_set_map(spec, "resources"), "requests"),
	    "storage", yn_quoted(v->size));
	return d;
}

static int
emit_shared(const struct plan *pl, struct outset *out, struct strlist *resources,
    struct err *e)
{
	struct ynode *ns = yn_seq(), *config = yn_seq(), *secrets = yn_seq();
	struct ynode *claims = yn_seq(), *meta = yn_map();

	yn_set_str(meta, "name", pl->target.namespace);
	yn_map_set(meta, "labels", k8s_selector(pl, "sentry"));
	k8s_secure_namespace(pl, meta);
	yn_seq_add(ns, doc("v1", "Namespace", meta));
	k8s_secure_account(pl, ns);
	yn_seq_add(secrets, secret_object(pl));
	k8s_secure_pull_secret(pl, secrets);
	for (size_t i = 0; i < pl->nvolumes; i++) {
		const struct plan_volume *v = &pl->volumes[i];

		if (v->backing == BACK_CONFIG)
			yn_seq_add(v->secret ? secrets : config, files_object(pl, v));
		else if (v->backing == BACK_CLAIM)
			yn_seq_add(claims, claim_object(pl, v));
	}
	if (add_file(out, resources, "kubernetes/namespace.yaml", ns, 0644, e) < 0 ||
	    add_file(out, resources, "kubernetes/secrets.yaml", secrets, 0600, e) < 0 ||
	    add_file(out, resources, "kubernetes/config.yaml", config, 0644, e) < 0) {
		yn_free(claims);
		return -1;
	}
	if (claims->n == 0) {
		yn_free(claims);
		return 0;
	}
	return add_file(out, resources, "kubernetes/storage.yaml", claims, 0644, e);
}

/* The controller must let through what Sentry's own nginx takes: uploads,
 * attachments and replays of up to 100 MB (ingress-nginx stops at 1 MB and
 * answers 413), and Relay's large response headers. Controllers other
 * than ingress-nginx ignore these; the answers' own come last and win. */
static void
ingress_annotations(const struct plan *pl, struct ynode *meta)
{
	static const struct { const char *key, *value; } nginx[] = {
		{ "nginx.ingress.kubernetes.io/proxy-body-size", "100m" },
		{ "nginx.ingress.kubernetes.io/proxy-buffer-size", "32k" },
		{ "nginx.ingress.kubernetes.io/proxy-buffers-number", "16" },
	};
	struct ynode *a = yn_get(meta, "annotations");
	const struct kvlist *own = &pl->target.ingress_annotations;

	if (a == NULL)
		a = yn_set_map(meta, "annotations");
	for (size_t i = 0; i < sizeof nginx / sizeof nginx[0]; i++)
		if (kv_get(own, nginx[i].key) == NULL)
			yn_map_put(a, nginx[i].key, yn_quoted(nginx[i].value));
	for (size_t i = 0; i < own->n; i++)
		yn_map_put(a, own->v[i].key, yn_quoted(own->v[i].value));
}

/* The public entry point: nginx when the release has it, else web. */
static int
emit_ingress(const struct plan *pl, struct outset *out,
    struct strlist *resources, struct err *e)
{
	const char *host = pl->target.ingress_host;
	const struct plan_service *entry = plan_service(pl, "nginx");
	const struct prof_port *port;
	struct kvlist src = { 0 };
	struct ynode *d, *meta, *spec, *rule, *path, *backend;

	if (host == NULL)
		return 0;
	if (entry == NULL)
		entry = plan_service(pl, "web");
	if (entry == NULL || entry->prof->ports.n == 0)
		return 0;
	port = OBJ_AT(&entry->prof->ports, sizeof *port, 0);
	kv_add(&src, "host", "answers:target.ingress_host");
	meta = k8s_metadata(pl, "sentry", "ingress", &src);
	kv_free(&src);
	ingress_annotations(pl, meta);
	d = doc("networking.k8s.io/v1", "Ingress", meta);
	spec = yn_set_map(d, "spec");
	if (pl->target.ingress_class != NULL)
		yn_set_str(spec, "ingressClassName", pl->target.ingress_class);
	if (pl->target.ingress_tls_secret != NULL) {
		struct ynode *tls = yn_seq_add(yn_set_seq(spec, "tls"), yn_map());

		yn_seq_add(yn_set_seq(tls, "hosts"), yn_str(host));
		yn_set_str(tls, "secretName", pl->target.ingress_tls_secret);
	}
	rule = yn_seq_add(yn_set_seq(spec, "rules"), yn_map());
	yn_set_str(rule, "host", host);
	path = yn_seq_add(yn_set_seq(yn_set_map(rule, "http"), "paths"), yn_map());
	yn_set_str(path, "path", "/");
	yn_set_str(path, "pathType", "Prefix");
	backend = yn_set_map(yn_set_map(path, "backend"), "service");
	yn_set_str(backend, "name", entry->name);
	yn_set_str(yn_set_map(backend, "port"), "name", port->name);
	rule = yn_seq();
	yn_seq_add(rule, d);
	return add_file(out, resources, "kubernetes/ingress.yaml", rule, 0644, e);
}

static int
emit_network_policy(const struct plan *pl, struct outset *out,
    struct strlist *resources, struct err *e)
{
	struct ynode *docs = k8s_netpol_docs(pl);

	if (docs == NULL)
		return 0;
	return add_file(out, resources, "kubernetes/network-policy.yaml", docs,
	    0644, e);
}

static int
emit_kustomization(struct outset *out, const struct strlist *resources,
    struct err *e)
{
	struct ynode *k = yn_map(), *docs = yn_seq();

	yn_set_str(k, "apiVersion", "kustomize.config.k8s.io/v1beta1");
	yn_set_str(k, "kind", "Kustomization");
	yn_map_set(k, "resources", yn_strseq(resources));
	yn_seq_add(docs, k);
	return add_file(out, NULL, "kubernetes/kustomization.yaml", docs, 0644, e);
}

int
k8s_emit(const struct plan *pl, struct outset *out, struct err *e)
{
	struct strlist resources = { 0 };
	struct ynode *pc;
	struct ynode *scale;
	int rc;

	rc = emit_shared(pl, out, &resources, e);
	if (rc == 0 && (pc = k8s_priority_class(pl)) != NULL)
		rc = add_file(out, &resources, "kubernetes/priorityclass.yaml",
		    pc, 0644, e);
	if (rc == 0)
		rc = emit_services(pl, out, &resources, e);
	if (rc == 0 && (scale = k8s_scale_shared(pl)) != NULL)
		rc = add_file(out, &resources, "kubernetes/autoscaling.yaml", scale,
		    0600, e);
	if (rc == 0)
		rc = emit_jobs(pl, out, e);
	if (rc == 0)
		rc = emit_ingress(pl, out, &resources, e);
	if (rc == 0)
		rc = emit_network_policy(pl, out, &resources, e);
	if (rc == 0)
		rc = emit_kustomization(out, &resources, e);
	if (rc == 0)
		rc = runbook_k8s(pl, out, e);
	sl_free(&resources);
	return rc;
}
