/* Kubernetes: metadata, pod templates, containers and probes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "digest.h"
#include "k8s.h"
#include "plan_internal.h"
#include "quantity.h"

#define ANNOTATION_PREFIX	"sentry-ha-setup/"

struct ynode *
k8s_selector(const struct plan *pl, const char *name)
{
	struct ynode *m = yn_map();

	yn_set_str(m, "app.kubernetes.io/name", name);
	yn_set_str(m, "app.kubernetes.io/instance", pl->target.namespace);
	return m;
}

static struct ynode *
labels(const struct plan *pl, const char *name, const char *component)
{
	struct ynode *m = k8s_selector(pl, name);

	if (component != NULL)
		yn_set_str(m, "app.kubernetes.io/component", component);
	yn_set_str(m, "app.kubernetes.io/part-of", "sentry");
	yn_map_set(m, "app.kubernetes.io/version", yn_quoted(pl->release));
	yn_set_str(m, "app.kubernetes.io/managed-by", "sentry-ha-setup");
	return m;
}

struct ynode *
k8s_metadata(const struct plan *pl, const char *name, const char *component,
    const struct kvlist *sources)
{
	struct ynode *meta = yn_map(), *ann;

	yn_set_str(meta, "name", name);
	yn_set_str(meta, "namespace", pl->target.namespace);
	yn_map_set(meta, "labels", labels(pl, name, component));
	if (sources != NULL && sources->n > 0) {
		ann = yn_set_map(meta, "annotations");
		for (size_t i = 0; i < sources->n; i++) {
			char *key = xasprintf(ANNOTATION_PREFIX "source.%s",
			    sources->v[i].key);

			yn_set_str(ann, key, sources->v[i].value);
			free(key);
		}
	}
	return meta;
}

char *
k8s_job_name(const struct plan *pl, const struct plan_service *s)
{
	struct ynode *t = k8s_pod_template(pl, s, "Never");
	struct strbuf text = STRBUF_INIT;
	struct err e;
	char *digest, *name;

	/* The template carries the digest of the configuration and secrets
	 * too: any change of what the job runs with is a new name. */
	yaml_emit(t, 0, &text, &e);
	digest = digest8(sb_str(&text), text.len);
	name = xasprintf("%s-%s-%s", s->name, pl->release, digest);
	for (char *p = name; *p != '\0'; p++)
		if (*p == '.')
			*p = '-';
	free(digest);
	sb_free(&text);
	yn_free(t);
	return name;
}

static struct ynode *
env_list(const struct plan_service *s)
{
	struct ynode *seq = yn_seq();

	for (size_t i = 0; i < s->nenv; i++) {
		struct ynode *e = yn_seq_add(seq, yn_map()), *ref;

		yn_set_str(e, "name", s->env[i].name);
		if (s->env[i].secret_ref == NULL) {
			yn_map_set(e, "value", yn_quoted(s->env[i].value));
			continue;
		}
		ref = yn_set_map(yn_set_map(e, "valueFrom"), "secretKeyRef");
		yn_set_str(ref, "name", SECRET_OBJECT);
		yn_set_str(ref, "key", s->env[i].secret_ref);
	}
	return seq;
}

/* A heartbeat file younger than max_age seconds. Python is in every image
 * that writes such files, a shell is not. */
static struct ynode *
file_check(const struct prof_health *h)
{
	struct ynode *cmd = yn_seq();
	char *script = xasprintf("import os, sys, time; sys.exit(0 if time.time() - "
	    "os.path.getmtime('%s') < %ld else 1)", h->file,
	    h->max_age != UNSET_INT ? h->max_age : 180);

	yn_seq_add(cmd, yn_str("python3"));
	yn_seq_add(cmd, yn_str("-c"));
	yn_seq_add(cmd, yn_quoted(script));
	free(script);
	return cmd;
}

/* The probe action ("httpGet", "exec", ...) for a health check, or NULL. */
static struct ynode *
probe_action(const struct prof_health *h, const char *http_path)
{
	struct ynode *probe = yn_map(), *act;

	if (h->http != NULL) {
		act = yn_set_map(probe, "httpGet");
		yn_set_str(act, "path", http_path ? http_path : h->http);
		yn_set_int(act, "port", h->port);
	} else if (h->file != NULL) {
		yn_map_set(yn_set_map(probe, "exec"), "command", file_check(h));
	} else if (h->exec.n > 0) {
		yn_map_set(yn_set_map(probe, "exec"), "command", yn_strseq(&h->exec));
	} else if (h->grpc == 1) {
		yn_set_int(yn_set_map(probe, "grpc"), "port", h->port);
	} else if (h->tcp == 1) {
		yn_set_int(yn_set_map(probe, "tcpSocket"), "port", h->port);
	} else {
		yn_free(probe);
		return NULL;
	}
	return probe;
}

static void
add_probes(struct ynode *c, const struct plan_service *s)
{
	const struct prof_health *h = s->health;
	long start = h->start_period != UNSET_INT ? h->start_period : 60;
	struct ynode *p;

	/* Relay is ready only once it has authenticated with Sentry; being
	 * alive is a weaker test that must not restart it meanwhile. */
	int relay = h->http != NULL && strstr(h->http, "/healthcheck/ready/") != NULL;

	if ((p = probe_action(h, NULL)) != NULL) {
		yn_set_int(p, "periodSeconds", 10);
		yn_set_int(p, "failureThreshold", (start + 9) / 10);
		yn_map_set(c, "startupProbe", p);
	}
	if (h->http != NULL || h->grpc == 1 || h->tcp == 1) {
		p = probe_action(h, NULL);
		yn_set_int(p, "periodSeconds", 10);
		yn_set_int(p, "failureThreshold", 3);
		yn_map_set(c, "readinessProbe", p);
	}
	if ((p = probe_action(h, relay ? "/api/relay/healthcheck/live/" : NULL))
	    != NULL) {
		yn_set_int(p, "periodSeconds", h->file != NULL ? 60 : 30);
		yn_set_int(p, "timeoutSeconds", 10);
		yn_set_int(p, "failureThreshold", 3);
		yn_map_set(c, "livenessProbe", p);
	}
}

static struct ynode *
container(const struct plan_service *s)
{
	struct ynode *c = yn_map(), *seq, *req;
	char q[32];

	yn_set_str(c, "name", s->name);
	yn_set_str(c, "image", s->image);
	yn_set_str(c, "imagePullPolicy", "IfNotPresent");
	if (s->command.n > 0)
		yn_map_set(c, "command", yn_strseq(&s->command));
	if (s->args.n > 0)
		yn_map_set(c, "args", yn_strseq(&s->args));
	if (s->prof->ports.n > 0) {
		seq = yn_set_seq(c, "ports");
		for (size_t i = 0; i < s->prof->ports.n; i++) {
			const struct prof_port *pp = OBJ_AT(&s->prof->ports,
			    sizeof *pp, i);
			struct ynode *m = yn_seq_add(seq, yn_map());

			yn_set_str(m, "name", pp->name);
			yn_set_int(m, "containerPort", pp->port);
			yn_set_str(m, "protocol", "TCP");
		}
	}
	if (s->nenv > 0)
		yn_map_set(c, "env", env_list(s));
	if (s->nmounts > 0) {
		seq = yn_set_seq(c, "volumeMounts");
		for (size_t i = 0; i < s->nmounts; i++) {
			struct ynode *m = yn_seq_add(seq, yn_map());

			yn_set_str(m, "name", s->mounts[i].volume);
			yn_set_str(m, "mountPath", s->mounts[i].path);
			if (s->mounts[i].read_only)
				yn_map_set(m, "readOnly", yn_bool(1));
		}
	}
	req = yn_set_map(yn_set_map(c, "resources"), "requests");
	cpu_quantity(s->cpu_millis, q, sizeof q);
	yn_map_set(req, "cpu", yn_quoted(q));
	memory_quantity(s->memory_mib, q, sizeof q);
	yn_map_set(req, "memory", yn_quoted(q));
	/* Memory only: no CPU limit (plan_sizing.c says why). */
	memory_quantity(s->memory_limit_mib, q, sizeof q);
	yn_map_set(yn_set_map(yn_get(c, "resources"), "limits"), "memory",
	    yn_quoted(q));
	/* A run-to-completion container is judged by its exit status. */
	if (s->role != ROLE_JOB && s->role != ROLE_SCHEDULED)
		add_probes(c, s);
	return c;
}

static struct ynode *
pod_volume(const struct plan *pl, const struct plan_volume *v)
{
	struct ynode *m = yn_map(), *src, *items;

	yn_set_str(m, "name", v->name);
	switch (v->backing) {
	case BACK_CONFIG:
		if (v->secret)
			yn_set_str(yn_set_map(m, "secret"), "secretName", v->name);
		else
			yn_set_str(yn_set_map(m, "configMap"), "name", v->name);
		break;
	case BACK_CLAIM:
		yn_set_str(yn_set_map(m, "persistentVolumeClaim"), "claimName",
		    v->name);
		break;
	case BACK_NFS:
		src = yn_set_map(m, "nfs");
		yn_set_str(src, "server", v->nfs_server);
		yn_set_str(src, "path", v->nfs_path);
		break;
	case BACK_SECRET:
		src = yn_set_map(m, "secret");
		yn_set_str(src, "secretName", SECRET_OBJECT);
		items = yn_set_seq(src, "items");
		for (size_t i = 0; i < v->nfiles; i++) {
			struct ynode *it = yn_seq_add(items, yn_map());

			yn_set_str(it, "key", v->files[i].secret_ref);
			yn_set_str(it, "path", v->files[i].name);
			if (v->files[i].mode != 0)
				yn_set_int(it, "mode", v->files[i].mode);
		}
		break;
	case BACK_SCRATCH:
	case BACK_PER_REPLICA:
	case BACK_SSHFS:	/* never planned for Kubernetes */
	case BACK_HOSTPATH:
		src = yn_set_map(m, "emptyDir");
		/* A cache's size: the kubelet evicts a pod whose cache
		 * outgrows it, and the new pod starts empty. */
		if (v->backing == BACK_SCRATCH && v->size != NULL)
			yn_map_set(src, "sizeLimit", yn_str(v->size));
		break;
	}
	(void)pl;
	return m;
}

struct ynode *
k8s_pod_spec(const struct plan *pl, const struct plan_service *s,
    const char *restart_policy)
{
	struct ynode *spec = yn_map(), *vols = NULL, *c;

	if (restart_policy != NULL)
		yn_set_str(spec, "restartPolicy", restart_policy);
	/* Consumers and workers get time to finish and commit what they hold
	 * (install.sh stops with -t 60 for the same reason). */
	yn_set_int(spec, "terminationGracePeriodSeconds",
	    plan_uses_image(s, "sentry") || plan_uses_image(s, "snuba") ? 60 : 30);
	k8s_place_pod(pl, s, spec);
	c = yn_seq_add(yn_set_seq(spec, "containers"), container(s));
	for (size_t i = 0; i < s->nmounts; i++) {
		const struct plan_volume *v = plan_volume(pl, s->mounts[i].volume);

		if (v == NULL || (v->backing == BACK_PER_REPLICA &&
		    s->role == ROLE_STATEFUL_PER_REPLICA))
			continue;
		if (vols == NULL)
			vols = yn_set_seq(spec, "volumes");
		yn_seq_add(vols, pod_volume(pl, v));
	}
	k8s_trust_pod(pl, spec, c);
	k8s_secure_pod(pl, s, spec);
	return spec;
}

/* Appends one named value to the text the digest is taken over. */
static void
digest_add(struct strbuf *sb, const char *name, const char *value)
{
	if (value == NULL)
		value = "";
	/* The NUL bytes keep "ab"+"c" apart from "a"+"bc". */
	sb_addn(sb, name, strlen(name) + 1);
	sb_addn(sb, value, strlen(value) + 1);
}

/*
 * A digest of everything a pod reads at start-up from ConfigMaps and the
 * Secret: its config files and the secret values in its environment. It
 * goes into the pod template, so that `kubectl apply` rolls the pods when
 * one of them changes (Kubernetes does not, for a changed ConfigMap or
 * Secret). It is keyed with the Sentry secret key, so that it tells
 * nothing about a password to someone who can read the manifests.
 */
static char *
config_digest(const struct plan *pl, const struct plan_service *s)
{
	const char *key = kv_get(&pl->secrets, "secret-key");
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	struct strbuf text = STRBUF_INIT, hex = STRBUF_INIT;

	for (size_t i = 0; i < s->nmounts; i++) {
		const struct plan_volume *v = plan_volume(pl, s->mounts[i].volume);

		for (size_t j = 0; v != NULL && j < v->nfiles; j++) {
			if (v->backing == BACK_CONFIG)
				digest_add(&text, v->files[j].name,
				    v->files[j].content);
			else if (v->backing == BACK_SECRET)
				digest_add(&text, v->files[j].name,
				    kv_get(&pl->secrets, v->files[j].secret_ref));
		}
	}
	for (size_t i = 0; i < s->nenv; i++)
		if (s->env[i].secret_ref != NULL)
			digest_add(&text, s->env[i].name,
			    kv_get(&pl->secrets, s->env[i].secret_ref));
	if (pl->tls.ca_pem != NULL)
		digest_add(&text, CA_FILE, pl->tls.ca_pem);
	if (text.len == 0) {
		sb_free(&text);
		return NULL;
	}
	if (key == NULL)
		key = "";
	HMAC(EVP_sha256(), key, (int)strlen(key), (unsigned char *)text.s,
	    text.len, md, &len);
	OPENSSL_cleanse(text.s, text.len);
	sb_free(&text);
	for (unsigned int i = 0; i < len; i++)
		sb_printf(&hex, "%02x", md[i]);
	return sb_take(&hex);
}

struct ynode *
k8s_pod_template(const struct plan *pl, const struct plan_service *s,
    const char *restart_policy)
{
	struct ynode *tpl = yn_map(), *meta = yn_set_map(tpl, "metadata");
	char *digest = config_digest(pl, s);

	yn_map_set(meta, "labels", labels(pl, s->name, role_names[s->role]));
	if (digest != NULL) {
		yn_set_str(yn_set_map(meta, "annotations"),
		    ANNOTATION_PREFIX "config-digest", digest);
		free(digest);
	}
	yn_map_set(tpl, "spec", k8s_pod_spec(pl, s, restart_policy));
	return tpl;
}
