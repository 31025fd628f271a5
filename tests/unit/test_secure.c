/* Kubernetes pods locked down (k8s_secure.c): the securityContext of every
 * container of every release, the ServiceAccount, the pull secret. */
#define _XOPEN_SOURCE 700	/* realpath */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "fsutil.h"
#include "harness.h"
#include "k8s.h"
#include "xmem.h"
#include "ynode.h"

#define PULL_LOGIN	"registry: \"registry.internal:5000/sentry\"\n" \
			"registry_auth: {username: puller, password: \"s3cr3t-Pull\"}\n"

static struct ynode *
parse_docs(const char *path, const char *text)
{
	struct ynode *docs = NULL;
	struct err e;

	ck_assert_msg(yaml_parse(text, strlen(text), path, YP_MULTI, &docs, &e) == 0,
	    "%s", e.msg);
	return docs;
}

static const struct ynode *
pod_spec_of(const struct ynode *doc)
{
	const struct ynode *spec = yn_path(doc, "spec.template.spec");

	return spec != NULL ? spec : yn_path(doc, "spec.jobTemplate.spec.template.spec");
}

/* The service or migration a container runs (containers are named so). */
static const struct plan_service *
service_named(const struct plan *pl, const char *name)
{
	for (size_t i = 0; i < pl->nmigrations; i++)
		if (strcmp(pl->migrations[i].name, name) == 0)
			return &pl->migrations[i];
	return plan_service(pl, name);
}

static int
has_item(const struct ynode *seq, const char *text)
{
	for (size_t i = 0; seq != NULL && i < seq->n; i++)
		if (seq->items[i]->text != NULL && strcmp(seq->items[i]->text, text) == 0)
			return 1;
	return 0;
}

/* `folder` is mounted in c from an emptyDir of the pod. */
static int
empty_dir_at(const struct ynode *spec, const struct ynode *c, const char *folder)
{
	const struct ynode *mounts = yn_get(c, "volumeMounts"), *vols = yn_get(spec, "volumes");

	for (size_t i = 0; mounts != NULL && i < mounts->n; i++) {
		const char *name = yn_path_text(mounts->items[i], "name");

		if (strcmp(yn_path_text(mounts->items[i], "mountPath"), folder) != 0)
			continue;
		for (size_t j = 0; vols != NULL && j < vols->n; j++)
			if (strcmp(yn_path_text(vols->items[j], "name"), name) == 0)
				return yn_get(vols->items[j], "emptyDir") != NULL;
	}
	return 0;
}

static void
check_container(const struct plan *pl, const struct ynode *spec,
    const struct ynode *c, const struct prof_user *u, const char *where)
{
	const struct ynode *sc = yn_get(c, "securityContext");
	char want[32];

	ck_assert_msg(sc != NULL, "%s: no securityContext", where);
	ck_assert_str_eq(yn_path_text(sc, "allowPrivilegeEscalation"), "false");
	if (u == NULL || u->nonroot != 1) {
		/* Starts as root and steps down itself: keeps its user. */
		ck_assert_msg(yn_get(sc, "runAsUser") == NULL, "%s", where);
		return;
	}
	ck_assert_msg(strcmp(yn_path_text(sc, "runAsNonRoot"), "true") == 0, "%s", where);
	snprintf(want, sizeof want, "%ld", u->uid);
	ck_assert_msg(strcmp(yn_path_text(sc, "runAsUser"), want) == 0,
	    "%s: runAsUser %s, expected %s", where, yn_path_text(sc, "runAsUser"), want);
	snprintf(want, sizeof want, "%ld", u->gid);
	ck_assert_str_eq(yn_path_text(sc, "runAsGroup"), want);
	ck_assert_str_eq(yn_path_text(sc, "readOnlyRootFilesystem"), "true");
	ck_assert_msg(has_item(yn_path(sc, "capabilities.drop"), "ALL"), "%s", where);
	ck_assert_ptr_null(yn_path(sc, "capabilities.add"));
	for (size_t i = 0; i < u->writes.n; i++)
		ck_assert_msg(empty_dir_at(spec, c, u->writes.v[i]),
		    "%s: no emptyDir at %s", where, u->writes.v[i]);
	(void)pl;
}

/* Every pod of one file; returns how many containers it checked. */
static size_t
check_file(const struct plan *pl, const struct outfile *o)
{
	struct ynode *docs = parse_docs(o->path, o->content);
	size_t n = 0;

	for (size_t d = 0; d < docs->n; d++) {
		const struct ynode *spec = pod_spec_of(docs->items[d]), *cs, *inits;

		if (spec == NULL)
			continue;
		ck_assert_str_eq(yn_path_text(spec, "serviceAccountName"), K8S_SERVICE_ACCOUNT);
		ck_assert_str_eq(yn_path_text(spec, "automountServiceAccountToken"), "false");
		ck_assert_str_eq(yn_path_text(spec, "securityContext.seccompProfile.type"),
		    "RuntimeDefault");
		ck_assert_ptr_null(yn_get(spec, "imagePullSecrets"));
		cs = yn_get(spec, "containers");
		for (size_t i = 0; i < cs->n; i++, n++) {
			const char *name = yn_path_text(cs->items[i], "name");
			const struct plan_service *s = service_named(pl, name);
			char where[300];

			ck_assert_msg(s != NULL, "%s: container %s is no service", o->path, name);
			snprintf(where, sizeof where, "%s %s: %s", pl->release, o->path, name);
			check_container(pl, spec, cs->items[i],
			    profile_user(pl->profile, s->prof->image), where);
		}
		inits = yn_get(spec, "initContainers");
		for (size_t i = 0; inits != NULL && i < inits->n; i++)
			check_container(pl, spec, inits->items[i],
			    profile_user(pl->profile, "sentry"), o->path);
	}
	yn_free(docs);
	return n;
}

static const char *const releases[] = { "10.1.0", "21.6.3", "23.6.2", "23.11.0",
	"24.8.0", "25.5.1", "26.5.1", "26.7.0", "26.8.0" };

START_TEST(every_container_is_locked_down)
{
	struct fixture f;
	/* With private CAs every pod has an init container too. */
	char root[PATH_MAX];
	char *tls;

	ck_assert_ptr_nonnull(realpath(test_root(), root));
	tls = xasprintf("tls: {ca_file: %s/tests/data/tls/ca.crt}\n", root);
	char *yaml;
	size_t containers = 0;

	yaml = demo_answers(releases[_i], tls);
	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s: %s", releases[_i], f.e.msg);
	for (size_t i = 0; i < f.out.n; i++)
		if (strncmp(f.out.v[i].path, "kubernetes/services/", 20) == 0 ||
		    strncmp(f.out.v[i].path, "kubernetes/jobs/", 16) == 0)
			containers += check_file(&f.s.pl, &f.out.v[i]);
	/* Each service and migration has its pod: none went unchecked. */
	ck_assert_uint_eq(containers, f.s.pl.nservices + f.s.pl.nmigrations);
	fixture_free(&f);
	free(yaml);
	free(tls);
}
END_TEST

static const struct ynode *
doc_named(const struct ynode *docs, const char *kind, const char *name)
{
	for (size_t i = 0; i < docs->n; i++)
		if (strcmp(yn_path_text(docs->items[i], "kind"), kind) == 0 &&
		    strcmp(yn_path_text(docs->items[i], "metadata.name"), name) == 0)
			return docs->items[i];
	return NULL;
}

/* The base64 `b64` decoded, as a string; owned by the caller. */
static char *
unbase64(const char *b64)
{
	size_t n = strlen(b64);
	unsigned char *out = xmalloc(n + 1);
	int len = EVP_DecodeBlock(out, (const unsigned char *)b64, (int)n);

	ck_assert_int_ge(len, 0);
	while (n > 0 && b64[--n] == '=')
		len--;
	out[len] = '\0';
	return (char *)out;
}

/* How many pods the output has; each names the pull secret, and only it. */
static size_t
pods_pulling(const struct fixture *f)
{
	size_t pods = 0;

	for (size_t i = 0; i < f->out.n; i++) {
		struct ynode *w;

		if (strncmp(f->out.v[i].path, "kubernetes/services/", 20) != 0 &&
		    strncmp(f->out.v[i].path, "kubernetes/jobs/", 16) != 0)
			continue;
		w = parse_docs(f->out.v[i].path, f->out.v[i].content);
		for (size_t j = 0; j < w->n; j++) {
			const struct ynode *spec = pod_spec_of(w->items[j]), *ps;

			if (spec == NULL)
				continue;
			ps = yn_get(spec, "imagePullSecrets");
			ck_assert_msg(ps != NULL && ps->n == 1, "%s", f->out.v[i].path);
			ck_assert_str_eq(yn_path_text(ps->items[0], "name"), K8S_PULL_SECRET);
			pods++;
		}
		yn_free(w);
	}
	return pods;
}

START_TEST(pull_secret_carries_the_login)
{
	struct fixture f;
	char *yaml = demo_answers("26.8.0", PULL_LOGIN);
	const struct outfile *o;
	struct ynode *docs, *cfg = NULL;
	const struct ynode *d;
	const char *json, *auth;
	char *login;
	struct err e;

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	o = outset_find(&f.out, "kubernetes/secrets.yaml");
	ck_assert_int_eq(o->mode, 0600);
	docs = parse_docs(o->path, o->content);
	d = doc_named(docs, "Secret", K8S_PULL_SECRET);
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(yn_path_text(d, "type"), "kubernetes.io/dockerconfigjson");
	json = yn_get(yn_get(d, "stringData"), ".dockerconfigjson")->text;
	ck_assert_ptr_nonnull(json);
	/* JSON is YAML: read it back as a mapping. */
	ck_assert_msg(yaml_parse(json, strlen(json), "dockerconfigjson", 0, &cfg, &e) == 0,
	    "%s", e.msg);
	auth = yn_path_text(yn_get(yn_get(cfg, "auths"), "registry.internal:5000"), "auth");
	ck_assert_ptr_nonnull(auth);
	login = unbase64(auth);
	ck_assert_str_eq(login, "puller:s3cr3t-Pull");
	ck_assert_uint_eq(yn_get(cfg, "auths")->n, 1);
	/* The password, plain or encoded, is in no other file. */
	for (size_t i = 0; i < f.out.n; i++) {
		const struct outfile *x = &f.out.v[i];

		if (x->mode == 0600)
			continue;
		ck_assert_msg(strstr(x->content, "s3cr3t-Pull") == NULL, "%s", x->path);
		ck_assert_msg(strstr(x->content, auth) == NULL, "%s", x->path);
	}
	/* Every pod pulls with it. */
	ck_assert_uint_ge(pods_pulling(&f), f.s.pl.nservices);
	free(login);
	yn_free(cfg);
	yn_free(docs);
	fixture_free(&f);
	free(yaml);
}
END_TEST

START_TEST(no_login_no_pull_secret)
{
	struct fixture f;
	char *yaml = demo_answers("26.8.0", "registry: \"registry.internal:5000/sentry\"\n");
	struct ynode *docs;

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	docs = parse_docs("secrets", fixture_file(&f, "kubernetes/secrets.yaml"));
	ck_assert_ptr_null(doc_named(docs, "Secret", K8S_PULL_SECRET));
	ck_assert_ptr_null(k8s_pull_config(&f.s.pl));
	for (size_t i = 0; i < f.out.n; i++)
		ck_assert_lacks(f.out.v[i].content, "imagePullSecrets");
	yn_free(docs);
	fixture_free(&f);
	free(yaml);
}
END_TEST

/* The ServiceAccount, without its token, and the level the Namespace
 * enforces: restricted where every image starts as its own user. */
START_TEST(service_account_and_namespace_level)
{
	static const struct { const char *release, *level; } cases[] = {
		{ "26.8.0", "restricted" }, { "24.8.0", "restricted" },
		{ "21.6.3", "baseline" }, { "10.1.0", "baseline" },
	};
	struct fixture f;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *yaml = demo_answers(cases[i].release, NULL);
		struct ynode *docs;
		const struct ynode *sa, *ns;

		ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
		docs = parse_docs("ns", fixture_file(&f, "kubernetes/namespace.yaml"));
		sa = doc_named(docs, "ServiceAccount", K8S_SERVICE_ACCOUNT);
		ck_assert_ptr_nonnull(sa);
		ck_assert_str_eq(yn_path_text(sa, "metadata.namespace"), "sentry");
		ck_assert_str_eq(yn_path_text(sa, "automountServiceAccountToken"), "false");
		ns = doc_named(docs, "Namespace", "sentry");
		ck_assert_str_eq(yn_get(yn_path(ns, "metadata.labels"),
		    "pod-security.kubernetes.io/enforce")->text, cases[i].level);
		ck_assert_str_eq(k8s_secure_level(&f.s.pl), cases[i].level);
		{
			char *said = xasprintf("Pod Security Standard **%s**",
			    cases[i].level);

			ck_assert_contains(fixture_file(&f, "RUNBOOK.md"), said);
			free(said);
		}
		if (strcmp(cases[i].level, "baseline") == 0)
			ck_assert_contains(fixture_file(&f, "RUNBOOK.md"),
			    "Not restricted: `snuba-api`");
		yn_free(docs);
		fixture_free(&f);
		free(yaml);
	}
}
END_TEST

/* An nfs volume is no "restricted" volume type. */
START_TEST(nfs_volume_keeps_baseline)
{
	struct fixture f;
	char *pvc = demo_answers("26.8.0", NULL), *p = strstr(pvc, "{kind: pvc}");
	char *yaml, *summary;

	ck_assert_ptr_nonnull(p);
	yaml = xasprintf("%.*s{kind: nfs, nfs: {server: nfs.internal, path: /x}}%s",
	    (int)(p - pvc), pvc, p + strlen("{kind: pvc}"));
	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	ck_assert_str_eq(k8s_secure_level(&f.s.pl), "baseline");
	summary = k8s_secure_summary(&f.s.pl, plan_service(&f.s.pl, "web"));
	ck_assert_contains(summary, "baseline: an nfs volume");
	free(summary);
	fixture_free(&f);
	free(yaml);
	free(pvc);
}
END_TEST

/* Celery: no C_FORCE_ROOT where the pod runs as uid 999, still on Swarm. */
START_TEST(celery_root_only_on_swarm)
{
	struct fixture f;
	char *yaml = demo_answers("24.8.0", NULL), *k = strstr(yaml, "kind: kubernetes");
	char *swarm;
	const struct plan_service *w;

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	w = plan_service(&f.s.pl, "worker");
	ck_assert_ptr_null(plan_env_get(w, "C_FORCE_ROOT"));
	fixture_free(&f);
	memcpy(k, "kind: swarm     ", 16);
	k = strstr(yaml, "{kind: pvc}");
	swarm = xasprintf("%.*s{kind: nfs, nfs: {server: nfs.internal, path: /x}}%s",
	    (int)(k - yaml), yaml, k + strlen("{kind: pvc}"));
	ck_assert_msg(fixture_run(&f, swarm) == 0, "%s", f.e.msg);
	w = plan_service(&f.s.pl, "worker");
	ck_assert_ptr_nonnull(plan_env_get(w, "C_FORCE_ROOT"));
	ck_assert_str_eq(plan_env_get(w, "C_FORCE_ROOT")->value, "1");
	ck_assert_str_eq(plan_env_get(plan_service(&f.s.pl, "cron"), "C_FORCE_ROOT")->value, "1");
	fixture_free(&f);
	free(swarm);
	free(yaml);
}
END_TEST

START_TEST(explain_says_who_runs_it)
{
	struct fixture f;
	char *yaml = demo_answers("26.8.0", NULL), *text;

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	text = k8s_secure_summary(&f.s.pl, plan_service(&f.s.pl, "snuba-api"));
	ck_assert_str_eq(text, "runs as 1000:1000 (runAsNonRoot), read-only root "
	    "file system with emptyDirs at /tmp; all capabilities dropped, no "
	    "privilege escalation, seccomp RuntimeDefault, no ServiceAccount "
	    "token (Pod Security restricted)");
	free(text);
	text = k8s_secure_summary(&f.s.pl, plan_service(&f.s.pl, "nginx"));
	ck_assert_contains(text, "runs as 101:101");
	ck_assert_contains(text, "emptyDirs at /tmp, /var/cache/nginx");
	free(text);
	fixture_free(&f);
	free(yaml);
	yaml = demo_answers("10.1.0", NULL);
	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	text = k8s_secure_summary(&f.s.pl, plan_service(&f.s.pl, "snuba-api"));
	ck_assert_contains(text, "root: the image steps down itself (gosu)");
	free(text);
	fixture_free(&f);
	free(yaml);
}
END_TEST

/* nginx listens on 8080, which its Service publishes as 80. */
START_TEST(nginx_listens_unprivileged)
{
	struct fixture f;
	char *yaml = demo_answers("26.8.0", NULL);
	struct ynode *docs;
	const struct ynode *svc, *port, *c;

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	docs = parse_docs("nginx", fixture_file(&f, "kubernetes/services/nginx.yaml"));
	svc = doc_named(docs, "Service", "nginx");
	port = yn_path(svc, "spec.ports")->items[0];
	ck_assert_str_eq(yn_path_text(port, "port"), "80");
	ck_assert_str_eq(yn_path_text(port, "targetPort"), "http");
	c = yn_get(pod_spec_of(doc_named(docs, "Deployment", "nginx")), "containers")->items[0];
	ck_assert_str_eq(yn_path_text(yn_get(c, "ports")->items[0], "containerPort"), "8080");
	ck_assert_contains(fixture_file(&f, "kubernetes/config.yaml"), "listen 8080;");
	ck_assert_contains(fixture_file(&f, "kubernetes/config.yaml"), "pid /tmp/nginx.pid;");
	yn_free(docs);
	fixture_free(&f);
	free(yaml);
}
END_TEST

/* image_users: entries are complete, or the profile is refused. */
START_TEST(profile_users_are_checked)
{
	static const struct { const char *from, *to, *error; } cases[] = {
		{ "sentry: {uid: 999, gid: 999, nonroot: true",
		  "sentry: {nonroot: true",
		  "image_users.sentry: nonroot: true needs uid: and gid:" },
		{ "sentry: {uid: 999, gid: 999, nonroot: true, writes: [/tmp]}",
		  "sentry: {uid: 999, gid: 999, nonroot: true, writes: [tmp]}",
		  "image_users.sentry.writes[0]: expected an absolute folder" },
		{ "sentry: {uid: 999,", "sentry: {uid: 0,", "image_users.sentry.uid" },
		{ "sentry: {uid: 999, gid: 999, nonroot: true",
		  "sentry: {uid: 999, gid: 999, nonroot: maybe", "image_users.sentry.nonroot" },
		{ "  geoipupdate: {uid: 999,", "  geoip: {uid: 999,",
		  "image_users.geoip: not a key of images:" },
	};
	char *path = xasprintf("%s/profiles/26.8.0.yaml", test_root());
	char *text = NULL;
	size_t len;
	struct err e;

	ck_assert_int_eq(fs_read_file(path, &text, &len, &e), 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *at = strstr(text, cases[i].from);
		char *bad;
		struct profile p;

		ck_assert_msg(at != NULL, "%s", cases[i].from);
		bad = xasprintf("%.*s%s%s", (int)(at - text), text, cases[i].to,
		    at + strlen(cases[i].from));
		ck_assert_int_eq(profile_parse(bad, strlen(bad), path, &p, &e), -1);
		ck_assert_contains(e.msg, cases[i].error);
		profile_free(&p);
		free(bad);
	}
	free(text);
	free(path);
}
END_TEST

/* A claim several images mount keeps the Sentry image's group. */
START_TEST(shared_claims_keep_sentrys_group)
{
	static const struct { const char *file, *group; } cases[] = {
		{ "kubernetes/services/vroom.yaml", "999" },	/* the file store */
		{ "kubernetes/services/web.yaml", "999" },
		{ "kubernetes/services/taskbroker.yaml", "1000" },	/* its own */
		{ "kubernetes/services/snuba-api.yaml", "1000" },
	};
	struct fixture f;
	char *yaml = demo_answers("26.8.0", NULL);

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ynode *docs = parse_docs(cases[i].file,
		    fixture_file(&f, cases[i].file));
		const struct ynode *spec = NULL;

		for (size_t d = 0; spec == NULL && d < docs->n; d++)
			spec = pod_spec_of(docs->items[d]);
		ck_assert_ptr_nonnull(spec);
		ck_assert_msg(strcmp(yn_path_text(spec, "securityContext.fsGroup"),
		    cases[i].group) == 0, "%s: fsGroup %s", cases[i].file,
		    yn_path_text(spec, "securityContext.fsGroup"));
		yn_free(docs);
	}
	fixture_free(&f);
	free(yaml);
}
END_TEST

Suite *
suite_secure(void)
{
	Suite *s = suite_create("secure");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, every_container_is_locked_down, 0,
	    (int)(sizeof releases / sizeof releases[0]));
	tcase_add_test(tc, pull_secret_carries_the_login);
	tcase_add_test(tc, no_login_no_pull_secret);
	tcase_add_test(tc, service_account_and_namespace_level);
	tcase_add_test(tc, nfs_volume_keeps_baseline);
	tcase_add_test(tc, celery_root_only_on_swarm);
	tcase_add_test(tc, explain_says_who_runs_it);
	tcase_add_test(tc, nginx_listens_unprivileged);
	tcase_add_test(tc, profile_users_are_checked);
	tcase_add_test(tc, shared_claims_keep_sentrys_group);
	suite_add_tcase(s, tc);
	return s;
}
