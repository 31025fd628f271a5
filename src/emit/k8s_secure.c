/*
 * Kubernetes: every pod as locked down as its image allows. The facts come
 * from the profile (image_users:): an image that can start as its own user
 * gets the Pod Security Standards' "restricted" settings, a read-only root
 * and an emptyDir for each folder it writes; one that must start as root
 * (it steps down itself, with gosu) keeps the image's user and
 * capabilities, and the namespace then enforces "baseline" only. Every pod
 * runs as the one ServiceAccount, without its token (no container talks
 * to the API server), and pulls with the answers' registry login.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "k8s.h"
#include "plan_internal.h"

/* The image a helper init container runs (k8s_trust.c: the Sentry image). */
#define HELPER_IMAGE	"sentry"

static const struct prof_user *
user_of(const struct plan *pl, const char *image_key)
{
	const struct prof_user *u = profile_user(pl->profile, image_key);

	return u != NULL && u->nonroot == 1 ? u : NULL;
}

/* An nfs volume is no volume type "restricted" allows (a claim on an NFS
 * class is); an image that must start as root is not either. */
static int
pod_restricted(const struct plan *pl, const struct plan_service *s)
{
	if (user_of(pl, s->prof->image) == NULL)
		return 0;
	if (pl->tls.ca_pem != NULL && user_of(pl, HELPER_IMAGE) == NULL)
		return 0;
	for (size_t i = 0; i < s->nmounts; i++) {
		const struct plan_volume *v = plan_volume(pl, s->mounts[i].volume);

		if (v != NULL && v->backing == BACK_NFS)
			return 0;
	}
	return 1;
}

const char *
k8s_secure_level(const struct plan *pl)
{
	for (size_t i = 0; i < pl->nservices; i++)
		if (!pod_restricted(pl, &pl->services[i]))
			return "baseline";
	for (size_t i = 0; i < pl->nmigrations; i++)
		if (!pod_restricted(pl, &pl->migrations[i]))
			return "baseline";
	return "restricted";
}

/* "/var/cache/nginx" -> "rw-var-cache-nginx": a volume name (DNS label). */
static char *
scratch_name(const char *folder)
{
	char *name = xasprintf("rw-%s", folder + 1);

	for (char *p = name; *p != '\0'; p++)
		if (*p == '/' || *p == '_' || *p == '.')
			*p = '-';
		else if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if (strlen(name) > 63)
		name[63] = '\0';
	return name;
}

static int
mounted_at(const struct ynode *c, const char *path)
{
	const struct ynode *mounts = yn_get(c, "volumeMounts");

	for (size_t i = 0; mounts != NULL && i < mounts->n; i++) {
		const char *p = yn_path_text(mounts->items[i], "mountPath");

		if (p != NULL && strcmp(p, path) == 0)
			return 1;
	}
	return 0;
}

/* An emptyDir for each folder the image writes outside its volumes, so
 * that its root file system can be read-only. */
static void
scratch_folders(struct ynode *spec, struct ynode *c, const struct prof_user *u)
{
	for (size_t i = 0; i < u->writes.n; i++) {
		const char *folder = u->writes.v[i];
		char *name;
		struct ynode *seq, *m;

		if (mounted_at(c, folder))
			continue;
		name = scratch_name(folder);
		if ((seq = yn_get(c, "volumeMounts")) == NULL)
			seq = yn_set_seq(c, "volumeMounts");
		m = yn_seq_add(seq, yn_map());
		yn_set_str(m, "name", name);
		yn_set_str(m, "mountPath", folder);
		if ((seq = yn_get(spec, "volumes")) == NULL)
			seq = yn_set_seq(spec, "volumes");
		m = yn_seq_add(seq, yn_map());
		yn_set_str(m, "name", name);
		yn_set_map(m, "emptyDir");
		free(name);
	}
}

/* A container's securityContext: `u` NULL for an image that must start as
 * root, which keeps the image's user and capabilities (gosu needs them). */
static void
secure_container(struct ynode *spec, struct ynode *c, const struct prof_user *u)
{
	struct ynode *sc = yn_set_map(c, "securityContext");

	yn_map_set(sc, "allowPrivilegeEscalation", yn_bool(0));
	if (u == NULL)
		return;
	yn_map_set(sc, "runAsNonRoot", yn_bool(1));
	yn_set_int(sc, "runAsUser", u->uid);
	yn_set_int(sc, "runAsGroup", u->gid);
	yn_map_set(sc, "readOnlyRootFilesystem", yn_bool(1));
	yn_seq_add(yn_set_seq(yn_set_map(sc, "capabilities"), "drop"),
	    yn_str("ALL"));
	scratch_folders(spec, c, u);
}

/* The group the kubelet gives a pod's volumes. A claim that several images
 * mount (the file store, GeoIP) keeps the Sentry image's group, whose files
 * it holds: another group would have every pod of another image change
 * them over (vroom and relay mount them too); else the image's own. */
static long
fs_group(const struct plan *pl, const struct plan_service *s,
    const struct prof_user *u)
{
	for (size_t i = 0; i < s->nmounts; i++) {
		const struct plan_volume *v = plan_volume(pl, s->mounts[i].volume);

		if (v != NULL && v->backing == BACK_CLAIM)
			return SENTRY_GID;
	}
	return u->gid;
}

static void
pull_secret_ref(const struct plan *pl, struct ynode *spec)
{
	if (pl->registry.username == NULL)
		return;
	yn_set_str(yn_seq_add(yn_set_seq(spec, "imagePullSecrets"), yn_map()),
	    "name", K8S_PULL_SECRET);
}

void
k8s_secure_pod(const struct plan *pl, const struct plan_service *s,
    struct ynode *spec)
{
	const struct prof_user *u = user_of(pl, s->prof->image);
	const struct prof_user *helper = user_of(pl, HELPER_IMAGE);
	struct ynode *sc, *inits = yn_get(spec, "initContainers");
	struct ynode *cs = yn_get(spec, "containers");

	yn_set_str(spec, "serviceAccountName", K8S_SERVICE_ACCOUNT);
	yn_map_set(spec, "automountServiceAccountToken", yn_bool(0));
	pull_secret_ref(pl, spec);
	sc = yn_set_map(spec, "securityContext");
	if (u != NULL && (inits == NULL || helper != NULL))
		yn_map_set(sc, "runAsNonRoot", yn_bool(1));
	if (u != NULL) {
		yn_set_int(sc, "fsGroup", fs_group(pl, s, u));
		yn_set_str(sc, "fsGroupChangePolicy", "OnRootMismatch");
	}
	yn_set_str(yn_set_map(sc, "seccompProfile"), "type", "RuntimeDefault");
	for (size_t i = 0; cs != NULL && i < cs->n; i++)
		secure_container(spec, cs->items[i], u);
	for (size_t i = 0; inits != NULL && i < inits->n; i++)
		secure_container(spec, inits->items[i], helper);
}

void
k8s_secure_account(const struct plan *pl, struct ynode *docs)
{
	struct ynode *d = yn_seq_add(docs, yn_map());

	yn_set_str(d, "apiVersion", "v1");
	yn_set_str(d, "kind", "ServiceAccount");
	yn_map_set(d, "metadata", k8s_metadata(pl, K8S_SERVICE_ACCOUNT,
	    "security", NULL));
	/* No pod calls the API server; a pod that needs to must say so. */
	yn_map_set(d, "automountServiceAccountToken", yn_bool(0));
}

void
k8s_secure_namespace(const struct plan *pl, struct ynode *meta)
{
	struct ynode *labels = yn_get(meta, "labels");
	const char *level = k8s_secure_level(pl);

	if (labels == NULL)
		labels = yn_set_map(meta, "labels");
	yn_set_str(labels, "pod-security.kubernetes.io/enforce", level);
	yn_set_str(labels, "pod-security.kubernetes.io/warn", "restricted");
}

/* The registry's host: the answers' prefix up to its first "/"
 * ("registry.internal:5000/sentry" -> "registry.internal:5000"). Owned by
 * the caller. */
static char *
registry_host(const char *prefix)
{
	size_t n = strcspn(prefix, "/");

	return xstrndup(prefix, n);
}

char *
k8s_pull_config(const struct plan *pl)
{
	const char *password = kv_get(&pl->secrets, pl->registry.password_ref);
	char *login, *b64, *host, *json;
	size_t n;

	if (pl->registry.username == NULL || pl->target.registry == NULL)
		return NULL;
	login = xasprintf("%s:%s", pl->registry.username,
	    password != NULL ? password : "");
	n = strlen(login);
	b64 = xmalloc(4 * ((n + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)b64, (const unsigned char *)login,
	    (int)n);
	host = registry_host(pl->target.registry);
	/* The host is a validated image reference prefix and base64 needs
	 * no escaping, so the JSON is built as text. */
	json = xasprintf("{\"auths\":{\"%s\":{\"auth\":\"%s\"}}}", host, b64);
	OPENSSL_cleanse(login, n);
	OPENSSL_cleanse(b64, strlen(b64));
	free(login);
	free(b64);
	free(host);
	return json;
}

void
k8s_secure_pull_secret(const struct plan *pl, struct ynode *docs)
{
	char *json = k8s_pull_config(pl);
	struct ynode *d;

	if (json == NULL)
		return;
	d = yn_seq_add(docs, yn_map());
	yn_set_str(d, "apiVersion", "v1");
	yn_set_str(d, "kind", "Secret");
	yn_map_set(d, "metadata", k8s_metadata(pl, K8S_PULL_SECRET,
	    "security", NULL));
	yn_set_str(d, "type", "kubernetes.io/dockerconfigjson");
	yn_map_set(yn_set_map(d, "stringData"), ".dockerconfigjson",
	    yn_quoted(json));
	OPENSSL_cleanse(json, strlen(json));
	free(json);
}

char *
k8s_secure_summary(const struct plan *pl, const struct plan_service *s)
{
	const struct prof_user *u = user_of(pl, s->prof->image);
	struct strbuf sb = STRBUF_INIT;

	if (u == NULL)
		return xstrdup("starts as the image's user, root: the image steps "
		    "down itself (gosu) and keeps its capabilities; no privilege "
		    "escalation, seccomp RuntimeDefault (Pod Security baseline)");
	sb_printf(&sb, "runs as %ld:%ld (runAsNonRoot), read-only root file "
	    "system", u->uid, u->gid);
	for (size_t i = 0; i < u->writes.n; i++)
		sb_printf(&sb, "%s%s", i == 0 ? " with emptyDirs at " : ", ",
		    u->writes.v[i]);
	sb_printf(&sb, "; all capabilities dropped, no privilege escalation, "
	    "seccomp RuntimeDefault, no ServiceAccount token (Pod Security %s)",
	    pod_restricted(pl, s) ? "restricted" : "baseline: an nfs volume");
	return sb_take(&sb);
}

void
k8s_secure_runbook(const struct plan *pl, struct strbuf *md)
{
	const char *level = k8s_secure_level(pl);

	sb_printf(md, "The namespace enforces the Pod Security Standard "
	    "**%s** (label `pod-security.kubernetes.io/enforce`; the API server "
	    "refuses any pod that breaks it). ", level);
	if (strcmp(level, "baseline") == 0) {
		size_t n = 0;

		sb_add(md, "Not restricted:");
		for (size_t i = 0; i < pl->nservices + pl->nmigrations; i++) {
			const struct plan_service *s = i < pl->nservices ?
			    &pl->services[i] : &pl->migrations[i - pl->nservices];

			if (!pod_restricted(pl, s))
				sb_printf(md, "%s `%s`", n++ ? "," : "", s->name);
		}
		sb_add(md, " (an image that must start as root, or an nfs "
		    "volume). ");
	}
	sb_printf(md, "Every pod runs as the ServiceAccount `%s`, without its "
	    "API token", K8S_SERVICE_ACCOUNT);
	if (pl->registry.username != NULL)
		sb_printf(md, ", and pulls with the Secret `%s` (registry_auth, in "
		    "`kubernetes/secrets.yaml`)", K8S_PULL_SECRET);
	sb_add(md, ".\n\n");
}
