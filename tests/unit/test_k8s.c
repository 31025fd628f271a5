/* Kubernetes output: what each file says, read back with a YAML parser. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "harness.h"
#include "k8s.h"
#include "xmem.h"
#include "ynode.h"

/* The documents of one emitted file, parsed. */
static struct ynode *
docs_of(const struct fixture *f, const char *path)
{
	const char *text = fixture_file(f, path);
	struct ynode *docs = NULL;
	struct err e;

	ck_assert_msg(text != NULL, "no file %s", path);
	ck_assert_msg(yaml_parse(text, strlen(text), path, YP_MULTI, &docs, &e) == 0,
	    "%s", e.msg);
	return docs;
}

static const struct ynode *
doc_of_kind(const struct ynode *docs, const char *kind)
{
	for (size_t i = 0; i < docs->n; i++) {
		const char *k = yn_path_text(docs->items[i], "kind");

		if (k != NULL && strcmp(k, kind) == 0)
			return docs->items[i];
	}
	return NULL;
}

static const struct ynode *
first_container(const struct ynode *workload)
{
	const struct ynode *spec = yn_path(workload, "spec.template.spec");

	if (spec == NULL)	/* a CronJob */
		spec = yn_path(workload, "spec.jobTemplate.spec.template.spec");
	ck_assert_ptr_nonnull(spec);
	return yn_get(spec, "containers")->items[0];
}

/* "a b c" from a sequence of strings. */
static char *
joined(const struct ynode *seq)
{
	struct strlist l = { 0 };
	char *s;

	for (size_t i = 0; seq != NULL && i < seq->n; i++)
		sl_add(&l, seq->items[i]->text);
	s = sl_join(&l, " ");
	sl_free(&l);
	return s;
}

static const char *
env_of(const struct ynode *container, const char *name)
{
	const struct ynode *env = yn_get(container, "env");

	for (size_t i = 0; env != NULL && i < env->n; i++) {
		if (strcmp(yn_path_text(env->items[i], "name"), name) != 0)
			continue;
		if (yn_get(env->items[i], "value") != NULL)
			return yn_path_text(env->items[i], "value");
		return yn_path_text(env->items[i], "valueFrom.secretKeyRef.key");
	}
	return NULL;
}

static int
mounts_at(const struct ynode *container, const char *path)
{
	const struct ynode *m = yn_get(container, "volumeMounts");

	for (size_t i = 0; m != NULL && i < m->n; i++)
		if (strcmp(yn_path_text(m->items[i], "mountPath"), path) == 0)
			return 1;
	return 0;
}

static void
assert_args(const struct fixture *f, const char *service, const char *kind,
    const char *expect)
{
	char *path = xasprintf("kubernetes/services/%s.yaml", service);
	struct ynode *docs = docs_of(f, path);
	const struct ynode *w = doc_of_kind(docs, kind);
	char *args;

	ck_assert_msg(w != NULL, "%s has no %s", path, kind);
	args = joined(yn_get(first_container(w), "args"));
	ck_assert_str_eq(args, expect);
	free(args);
	yn_free(docs);
	free(path);
}

static void
run(struct fixture *f, const char *version, const char *extra)
{
	char *yaml = demo_answers(version, extra);

	ck_assert_msg(fixture_run(f, yaml) == 0, "%s", f->e.msg);
	free(yaml);
}

START_TEST(seed_release_commands)
{
	struct fixture f;

	run(&f, "10.1.0", NULL);
	assert_args(&f, "snuba-api", "Deployment", "api");
	assert_args(&f, "snuba-consumer", "Deployment",
	    "consumer --auto-offset-reset=latest --max-batch-time-ms 750");
	assert_args(&f, "snuba-replacer", "Deployment",
	    "replacer --auto-offset-reset=latest --max-batch-size 3");
	assert_args(&f, "symbolicator", "Deployment", "run");
	assert_args(&f, "web", "Deployment", "run web");
	assert_args(&f, "cron", "Deployment", "run cron");
	assert_args(&f, "worker", "Deployment", "run worker");
	assert_args(&f, "post-process-forwarder", "Deployment",
	    "run post-process-forwarder --commit-batch-size 1");
	assert_args(&f, "sentry-cleanup", "CronJob", "cleanup --days 90");
	assert_args(&f, "snuba-cleanup", "CronJob", "cleanup --dry-run False");
	ck_assert_ptr_nonnull(fixture_file(&f, "kubernetes/jobs/02-snuba-migrate.yaml"));
	fixture_free(&f);
}
END_TEST

START_TEST(celery_release_services)
{
	struct fixture f;
	struct ynode *docs;
	const struct ynode *d, *c;

	run(&f, "24.8.0", NULL);
	docs = docs_of(&f, "kubernetes/services/cron.yaml");
	d = doc_of_kind(docs, "Deployment");
	ck_assert_str_eq(yn_path_text(d, "spec.replicas"), "1");
	ck_assert_str_eq(yn_path_text(d, "spec.strategy.type"), "Recreate");
	ck_assert_ptr_null(doc_of_kind(docs, "PodDisruptionBudget"));
	c = first_container(d);
	/* The pod runs as uid 999: Celery needs no C_FORCE_ROOT. */
	ck_assert_ptr_null(env_of(c, "C_FORCE_ROOT"));
	ck_assert(mounts_at(c, "/etc/sentry"));
	ck_assert(mounts_at(c, "/data"));
	yn_free(docs);

	docs = docs_of(&f, "kubernetes/services/web.yaml");
	d = doc_of_kind(docs, "Deployment");
	c = first_container(d);
	ck_assert_str_eq(yn_path_text(c, "readinessProbe.httpGet.path"), "/_health/");
	ck_assert_str_eq(env_of(c, "SNUBA"), "http://snuba-api:1218");
	ck_assert_str_eq(env_of(c, "SENTRY_SYSTEM_SECRET_KEY"), "secret-key");
	ck_assert_ptr_nonnull(doc_of_kind(docs, "PodDisruptionBudget"));
	ck_assert_ptr_nonnull(doc_of_kind(docs, "Service"));
	ck_assert_str_eq(yn_get(yn_path(d, "metadata.labels"),
	    "app.kubernetes.io/part-of")->text, "sentry");
	ck_assert_str_eq(yn_get(yn_path(d, "metadata.labels"),
	    "app.kubernetes.io/managed-by")->text, "sentry-ha-setup");
	ck_assert_str_eq(yn_get(yn_path(d, "metadata.annotations"),
	    "sentry-ha-setup/source.env.SENTRY_CONF")->text,
	    "rule:config-in-every-sentry-container");
	yn_free(docs);

	docs = docs_of(&f, "kubernetes/services/snuba-api.yaml");
	c = first_container(doc_of_kind(docs, "Deployment"));
	ck_assert_str_eq(env_of(c, "CLICKHOUSE_HOST"), "ch.internal");
	ck_assert_str_eq(env_of(c, "REDIS_HOST"), "redis.internal");
	ck_assert_str_eq(env_of(c, "DEFAULT_BROKERS"), "k1:9092,k2:9092,k3:9092");
	ck_assert_str_eq(yn_path_text(c, "readinessProbe.httpGet.path"), "/health");
	yn_free(docs);
	assert_args(&f, "snuba-api", "Deployment", "api --bind 0.0.0.0:1218");
	assert_args(&f, "events-consumer", "Deployment",
	    "run consumer ingest-events --consumer-group ingest-consumer "
	    "--healthcheck-file-path /tmp/health.txt");
	docs = docs_of(&f, "kubernetes/services/events-consumer.yaml");
	c = yn_path(first_container(doc_of_kind(docs, "Deployment")),
	    "livenessProbe.exec.command");
	ck_assert_uint_eq(c->n, 3);
	ck_assert_str_eq(c->items[0]->text, "python3");
	ck_assert_ptr_nonnull(strstr(c->items[2]->text,
	    "getmtime('/tmp/health.txt') < 120"));
	yn_free(docs);
	assert_args(&f, "symbolicator-cleanup", "CronJob",
	    "cleanup -c /etc/symbolicator/config.yml");
	docs = docs_of(&f, "kubernetes/jobs/03-sentry-upgrade.yaml");
	c = first_container(doc_of_kind(docs, "Job"));
	/* The release and a digest of what it runs with: 8 hex digits. */
	{
		const char *name = yn_path_text(doc_of_kind(docs, "Job"),
		    "metadata.name");

		ck_assert_int_eq(strncmp(name, "sentry-upgrade-24-8-0-", 22), 0);
		ck_assert_uint_eq(strlen(name), 22 + 8);
		ck_assert_uint_eq(strspn(name + 22, "0123456789abcdef"), 8);
	}
	{
		char *a = joined(yn_get(c, "args"));

		ck_assert_str_eq(a, "upgrade --noinput --create-kafka-topics --lock");
		free(a);
	}
	ck_assert_ptr_null(yn_get(c, "livenessProbe"));
	yn_free(docs);
	fixture_free(&f);
}
END_TEST

START_TEST(taskbroker_release_services)
{
	struct fixture f;
	struct ynode *docs;
	const struct ynode *d, *c;

	run(&f, "26.8.0", "services: {taskbroker: {replicas: 2}}\n");
	docs = docs_of(&f, "kubernetes/services/taskbroker.yaml");
	d = doc_of_kind(docs, "StatefulSet");
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(yn_path_text(d, "spec.serviceName"), "taskbroker-headless");
	ck_assert_str_eq(yn_path_text(yn_path(d, "spec.volumeClaimTemplates")->items[0],
	    "metadata.name"), "taskbroker-data");
	ck_assert_str_eq(yn_path_text(d, "spec.replicas"), "2");
	c = first_container(d);
	ck_assert_str_eq(yn_path_text(c, "livenessProbe.grpc.port"), "50051");
	ck_assert(mounts_at(c, "/opt/sqlite"));
	ck_assert_str_eq(env_of(c, "TASKBROKER_KAFKA_CLUSTERS__DEFAULT__ADDRESS"),
	    "k1:9092,k2:9092,k3:9092");
	yn_free(docs);
	docs = docs_of(&f, "kubernetes/services/taskworker.yaml");
	c = first_container(doc_of_kind(docs, "Deployment"));
	ck_assert_contains(yn_path(c, "livenessProbe.exec.command")->items[2]->text,
	    "/tmp/health.txt");
	ck_assert_ptr_null(env_of(c, "C_FORCE_ROOT"));
	yn_free(docs);
	assert_args(&f, "taskscheduler", "Deployment", "run taskworker-scheduler");
	assert_args(&f, "symbolicator-cleanup", "Deployment",
	    "cleanup -c /etc/symbolicator/config.yml --repeat 1h");
	ck_assert_ptr_nonnull(fixture_file(&f, "kubernetes/jobs/01-snuba-bootstrap.yaml"));
	ck_assert_ptr_null(fixture_file(&f, "kubernetes/jobs/02-snuba-migrate.yaml"));
	fixture_free(&f);
}
END_TEST

/* Every manifest but the Jobs, whose templates cannot change once they
 * exist: `kubectl apply -k` must work on every later run. */
START_TEST(kustomization_lists_every_manifest)
{
	struct fixture f;
	struct ynode *docs;
	const struct ynode *res;
	size_t manifests = 0;

	run(&f, "24.8.0", NULL);
	docs = docs_of(&f, "kubernetes/kustomization.yaml");
	res = yn_get(docs->items[0], "resources");
	for (size_t i = 0; i < f.out.n; i++) {
		const char *p = f.out.v[i].path;
		int listed = 0;

		if (strncmp(p, "kubernetes/", 11) != 0 ||
		    strcmp(p, "kubernetes/kustomization.yaml") == 0)
			continue;
		for (size_t j = 0; j < res->n; j++)
			listed |= strcmp(res->items[j]->text, p + 11) == 0;
		if (strncmp(p, "kubernetes/jobs/", 16) == 0) {
			ck_assert_msg(!listed, "%s is in kustomization.yaml", p);
			continue;
		}
		manifests++;
		ck_assert_msg(listed, "%s is not in kustomization.yaml", p);
	}
	ck_assert_uint_eq(manifests, res->n);
	yn_free(docs);
	fixture_free(&f);
}
END_TEST

/* Passwords full of YAML, shell and Python syntax reach the Secret exactly
 * and nowhere else. */
START_TEST(secrets_are_exact_and_contained)
{
	static const char *const pw[] = {
		"q\"uo'te: #hash &amp *star |pipe \\back",
		"multi\nline\tpass",
		"ünï©ødé-✓-パス",
	};
	/* The same three, written as YAML double-quoted strings. */
	char *yaml = xasprintf(
	    "schema: 1\n"
	    "sentry: {version: \"26.8.0\"}\n"
	    "target: {kind: kubernetes}\n"
	    "postgres: {host: pg}\n"
	    "redis: {host: redis, password: \"multi\\nline\\tpass\"}\n"
	    "kafka: {brokers: [\"k1:9092\"], security_protocol: SASL_SSL,\n"
	    "  sasl_mechanism: SCRAM-SHA-512, username: sentry,\n"
	    "  password: \"q\\\"uo'te: #hash &amp *star |pipe \\\\back\"}\n"
	    "clickhouse: {host: ch, password: \"%s\"}\n"
	    "memcached: {hosts: [\"mc:11211\"]}\n"
	    "filestore: {backend: filesystem, shared_volume: {kind: pvc}}\n", pw[2]);
	struct fixture f;
	struct ynode *docs;
	const struct ynode *data;

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	docs = docs_of(&f, "kubernetes/secrets.yaml");
	data = yn_get(doc_of_kind(docs, "Secret"), "stringData");
	ck_assert_str_eq(yn_path_text(data, "kafka-password"), pw[0]);
	ck_assert_str_eq(yn_path_text(data, "redis-password"), pw[1]);
	ck_assert_str_eq(yn_path_text(data, "clickhouse-password"), pw[2]);
	for (size_t i = 0; i < f.out.n; i++) {
		if (strcmp(f.out.v[i].path, "kubernetes/secrets.yaml") == 0) {
			ck_assert_int_eq(f.out.v[i].mode, 0600);
			continue;
		}
		ck_assert_int_eq(f.out.v[i].mode, 0644);
		for (size_t j = 0; j < 3; j++)
			ck_assert_msg(strstr(f.out.v[i].content, pw[j]) == NULL,
			    "a password leaked into %s", f.out.v[i].path);
		ck_assert_lacks(f.out.v[i].content, "#hash &amp");
		ck_assert_lacks(f.out.v[i].content, "multi\\nline");
		ck_assert_lacks(f.out.v[i].content, f.s.k.secret_key);
		ck_assert_lacks(f.out.v[i].content, f.s.k.relay_secret_key);
	}
	/* Relay's config holds the Kafka password, so it is a Secret too. */
	ck_assert_contains(fixture_file(&f, "kubernetes/secrets.yaml"),
	    "name: relay-config");
	yn_free(docs);
	fixture_free(&f);
	free(yaml);
}
END_TEST

/* A config file that holds a secret (Relay's credentials, a Kafka
 * password) goes to a Secret, never to a ConfigMap. */
START_TEST(config_with_a_secret_becomes_a_secret)
{
	struct fixture f;
	struct ynode *docs;
	const char *secrets;

	run(&f, "24.8.0", NULL);
	secrets = fixture_file(&f, "kubernetes/secrets.yaml");
	docs = docs_of(&f, "kubernetes/secrets.yaml");
	ck_assert_int_eq((int)docs->n, 2);
	ck_assert_contains(secrets, "name: relay-config");
	ck_assert_contains(secrets, "credentials.json");
	ck_assert_contains(secrets, f.s.k.relay_secret_key);
	/* The Redis password reaches Relay inside its config. */
	ck_assert_contains(secrets, "redis://:redis-secret@redis.internal:6379/0");
	ck_assert_lacks(fixture_file(&f, "kubernetes/config.yaml"), "name: relay-config");
	ck_assert_contains(fixture_file(&f, "kubernetes/services/relay.yaml"),
	    "secretName: relay-config");
	ck_assert_lacks(fixture_file(&f, "kubernetes/services/relay.yaml"), "RELAY_");
	/* The ConfigMap names the public key only. */
	ck_assert_contains(fixture_file(&f, "kubernetes/config.yaml"),
	    f.s.k.relay_public_key);
	yn_free(docs);
	fixture_free(&f);
}
END_TEST

START_TEST(same_answers_same_bytes)
{
	struct fixture a, b;
	char *yaml = demo_answers("24.8.0", NULL);

	ck_assert_int_eq(fixture_run(&a, yaml), 0);
	ck_assert_int_eq(fixture_run(&b, yaml), 0);
	ck_assert_uint_eq(a.out.n, b.out.n);
	for (size_t i = 0; i < a.out.n; i++) {
		const char *other = fixture_file(&b, a.out.v[i].path);

		ck_assert_ptr_nonnull(other);
		ck_assert_msg(strcmp(a.out.v[i].content, other) == 0,
		    "%s differs between two runs", a.out.v[i].path);
	}
	fixture_free(&a);
	fixture_free(&b);
	free(yaml);
}
END_TEST

/* The pod template's digest of what `service` reads from ConfigMaps and the
 * Secret, for answers with `from` replaced by `to`; owned by the caller. */
static char *
pod_digest(const char *service, const char *kind, const char *from,
    const char *to)
{
	struct fixture f;
	char *yaml = demo_answers("24.8.0", NULL), *at = strstr(yaml, from);
	char *edited, *path, *digest;
	struct ynode *docs;
	const char *text;

	ck_assert_ptr_nonnull(at);
	edited = xasprintf("%.*s%s%s", (int)(at - yaml), yaml, to,
	    at + strlen(from));
	ck_assert_msg(fixture_run(&f, edited) == 0, "%s", f.e.msg);
	path = xasprintf("kubernetes/services/%s.yaml", service);
	docs = docs_of(&f, path);
	text = yn_path_text(doc_of_kind(docs, kind),
	    "spec.template.metadata.annotations.sentry-ha-setup/config-digest");
	ck_assert_msg(text != NULL, "%s has no config digest", path);
	digest = xstrdup(text);
	yn_free(docs);
	free(path);
	fixture_free(&f);
	free(edited);
	free(yaml);
	return digest;
}

/* Kubernetes does not restart pods for a changed ConfigMap or Secret: the
 * digest in the pod template must change with anything the pods read. */
/* A changed configuration names new migration Jobs; the same one keeps
 * their names. */
START_TEST(changed_config_names_new_jobs)
{
	struct fixture a, b, c;
	char *ja, *jb, *jc;

	run(&a, "24.8.0", NULL);
	run(&b, "24.8.0", NULL);
	run(&c, "24.8.0", "services: {web: {replicas: 3}}\n");
	ja = k8s_job_name(&a.s.pl, plan_service(&a.s.pl, "sentry-upgrade"));
	jb = k8s_job_name(&b.s.pl, plan_service(&b.s.pl, "sentry-upgrade"));
	jc = k8s_job_name(&c.s.pl, plan_service(&c.s.pl, "sentry-upgrade"));
	ck_assert_str_eq(ja, jb);
	/* Replicas of web change no job. */
	ck_assert_str_eq(ja, jc);
	fixture_free(&c);
	free(jc);
	{
		static const char from[] = "postgres: {host: pg.internal";
		char *base = demo_answers("24.8.0", NULL), *at = strstr(base, from);
		char *yaml = xasprintf("%.*spostgres: {host: pg2.internal%s",
		    (int)(at - base), base, at + strlen(from));

		ck_assert_msg(fixture_run(&c, yaml) == 0, "%s", c.e.msg);
		jc = k8s_job_name(&c.s.pl, plan_service(&c.s.pl, "sentry-upgrade"));
		ck_assert_str_ne(ja, jc);
		free(yaml);
		free(base);
	}
	free(ja);
	free(jb);
	free(jc);
	fixture_free(&a);
	fixture_free(&b);
	fixture_free(&c);
}
END_TEST

START_TEST(changed_config_or_secret_rolls_the_pods)
{
	char *web = pod_digest("web", "Deployment", "x", "x");
	char *web_pg = pod_digest("web", "Deployment", "pg-secret", "pg-other");
	char *web_retention = pod_digest("web", "Deployment",
	    "smtp: {host: smtp.internal}", "smtp: {host: mail.internal}");
	char *relay = pod_digest("relay", "Deployment", "x", "x");
	char *relay_redis = pod_digest("relay", "Deployment", "redis-secret",
	    "redis-other");

	ck_assert_str_ne(web, web_pg);
	ck_assert_str_ne(web, web_retention);
	ck_assert_str_ne(relay, relay_redis);
	/* Keyed: the digest is not a plain hash that could test guesses. */
	ck_assert_int_eq((int)strlen(web), 64);
	free(web);
	free(web_pg);
	free(web_retention);
	free(relay);
	free(relay_redis);
}
END_TEST

/* Every container that opens the bucket gets the GCS credentials: vroom
 * keeps profiles there too. */
START_TEST(gcs_credentials_reach_every_bucket_client)
{
	static const char *const clients[] = { "web", "worker", "vroom" };
	char *json = xasprintf("%s/gcs.json", test_tmp());
	/* Relative to the answers file, which the fixture writes beside it. */
	char *extra = xstrdup("filestore: {backend: gcs, gcs: {bucket: b, "
	    "credentials_file: gcs.json}, shared_volume: {kind: pvc}}\n");
	char *yaml = demo_answers("24.8.0", NULL), *at;
	struct fixture f;
	struct err e;

	ck_assert_int_eq(fs_write_atomic(json, "{}\n", 3, 0600, &e), 0);
	at = strstr(yaml, "filestore:");
	*at = '\0';
	at = xasprintf("%s%s", yaml, extra);
	ck_assert_msg(fixture_run(&f, at) == 0, "%s", f.e.msg);
	for (size_t i = 0; i < sizeof clients / sizeof clients[0]; i++) {
		char *path = xasprintf("kubernetes/services/%s.yaml", clients[i]);
		struct ynode *docs = docs_of(&f, path);
		const struct ynode *c = first_container(doc_of_kind(docs,
		    "Deployment"));

		ck_assert_msg(env_of(c, "GOOGLE_APPLICATION_CREDENTIALS") != NULL,
		    "%s lacks GOOGLE_APPLICATION_CREDENTIALS", clients[i]);
		ck_assert_msg(mounts_at(c, "/etc/sentry-gcs"),
		    "%s does not mount the credentials", clients[i]);
		yn_free(docs);
		free(path);
	}
	fixture_free(&f);
	free(at);
	free(yaml);
	free(extra);
	free(json);
}
END_TEST

/* An IPv6 address is written bare where a host is expected and in brackets
 * inside URLs. */
START_TEST(ipv6_hosts_are_bracketed_in_urls)
{
	char *yaml = demo_answers("24.8.0", NULL), *at = strstr(yaml,
	    "redis: {host: redis.internal"), *edited;
	struct fixture f;

	ck_assert_ptr_nonnull(at);
	edited = xasprintf("%.*sredis: {host: \"fd00::5\"%s", (int)(at - yaml),
	    yaml, at + strlen("redis: {host: redis.internal"));
	ck_assert_msg(fixture_run(&f, edited) == 0, "%s", f.e.msg);
	ck_assert_contains(fixture_file(&f, "kubernetes/config.yaml"),
	    "\"host\": \"fd00::5\"");
	ck_assert_contains(fixture_file(&f, "kubernetes/config.yaml"),
	    "\"[fd00::5]\", _REDIS[\"port\"]");
	ck_assert_contains(fixture_file(&f, "kubernetes/secrets.yaml"),
	    "@[fd00::5]:6379/0");
	fixture_free(&f);
	free(edited);
	free(yaml);
}
END_TEST

START_TEST(sentry_config_renders_the_answers)
{
	struct fixture f;
	const char *cfg;

	run(&f, "24.8.0", NULL);
	cfg = fixture_file(&f, "kubernetes/config.yaml");
	ck_assert_contains(cfg, "\"bootstrap.servers\": \"k1:9092,k2:9092,k3:9092\"");
	ck_assert_contains(cfg, "\"HOST\": \"pg.internal\"");
	ck_assert_contains(cfg, "django.core.cache.backends.memcached.PyMemcacheCache");
	ck_assert_contains(cfg, "\"LOCATION\": [\"mc1:11211\"]");
	ck_assert_contains(cfg, "BROKER_URL");
	ck_assert_contains(cfg, "system.url-prefix: \"https://sentry.example.com\"");
	ck_assert_contains(cfg, "relay.static_auth:");
	ck_assert_contains(cfg, f.s.k.relay_public_key);
	/* Upstream's uWSGI settings, which cycle the workers sensibly. */
	ck_assert_contains(cfg, "\"reload-on-rss\": 600,");
	ck_assert_contains(cfg, "\"max-requests-delta\": 500,");
	ck_assert_contains(cfg, "\"thunder-lock\": True,");
	ck_assert_contains(cfg, "\"ignore-sigpipe\": True,");
	ck_assert_lacks(cfg, "pg-secret");
	ck_assert_lacks(cfg, "redis-secret");
	fixture_free(&f);
	run(&f, "26.8.0", NULL);
	cfg = fixture_file(&f, "kubernetes/config.yaml");
	ck_assert_contains(cfg, "sentry.cache.backends.reconnectingmemcache.ReconnectingMemcache");
	ck_assert_contains(cfg, "\"reconnect_age\": 300");
	ck_assert_lacks(cfg, "BROKER_URL");
	ck_assert_contains(cfg, "SENTRY_NODESTORE = \"sentry.nodestore.django.DjangoNodeStorage\"");
	ck_assert_contains(cfg, "kafka_retry_topic: taskworker");
	fixture_free(&f);
	run(&f, "10.1.0", NULL);
	cfg = fixture_file(&f, "kubernetes/config.yaml");
	ck_assert_contains(cfg, "django.core.cache.backends.memcached.MemcachedCache");
	ck_assert_lacks(cfg, "relay.static_auth");
	ck_assert_lacks(cfg, "CSRF_TRUSTED_ORIGINS");
	fixture_free(&f);
}
END_TEST

/* The Ingress: the answers' class, TLS and annotations, and the body size
 * that Sentry's nginx takes by default; nginx passes the client's protocol
 * on, which SECURE_PROXY_SSL_HEADER needs. */
START_TEST(ingress_follows_the_answers)
{
	static const char from[] = "target: {kind: kubernetes, namespace: sentry, "
	    "storage_class: rwx}";
	char *base = demo_answers("26.8.0", NULL), *at = strstr(base, from);
	char *yaml = xasprintf("%.*starget: {kind: kubernetes, namespace: sentry, "
	    "storage_class: rwx, ingress_host: s.example.com, ingress_class: "
	    "nginx-public, ingress_tls_secret: sentry-tls, ingress_annotations: "
	    "{cert-manager.io/cluster-issuer: le, nginx.ingress.kubernetes.io/"
	    "proxy-body-size: 300m}}%s", (int)(at - base), base, at + strlen(from));
	const char *ing, *conf;
	struct fixture f;

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	ing = fixture_file(&f, "kubernetes/ingress.yaml");
	ck_assert_contains(ing, "  ingressClassName: nginx-public\n");
	ck_assert_contains(ing, "  tls:\n  - hosts:\n    - s.example.com\n"
	    "    secretName: sentry-tls\n");
	ck_assert_contains(ing, "cert-manager.io/cluster-issuer: \"le\"");
	/* The answers' own value wins over the default. */
	ck_assert_contains(ing, "nginx.ingress.kubernetes.io/proxy-body-size: \"300m\"");
	ck_assert_lacks(ing, "proxy-body-size: \"100m\"");
	ck_assert_contains(ing, "nginx.ingress.kubernetes.io/proxy-buffer-size: \"32k\"");
	conf = plan_volume(&f.s.pl, "nginx-config")->files[0].content;
	ck_assert_contains(conf, "map $http_x_forwarded_proto $forwarded_proto");
	ck_assert_contains(conf, "proxy_set_header X-Forwarded-Proto $forwarded_proto;");
	ck_assert_contains(conf, "proxy_read_timeout 90s;");
	fixture_free(&f);
	free(yaml);
	/* No class, no TLS: neither is written; the body size still is. */
	yaml = xasprintf("%.*starget: {kind: kubernetes, namespace: sentry, "
	    "ingress_host: s.example.com}%s", (int)(at - base), base,
	    at + strlen(from));
	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	ing = fixture_file(&f, "kubernetes/ingress.yaml");
	ck_assert_lacks(ing, "ingressClassName");
	ck_assert_lacks(ing, "tls:");
	ck_assert_contains(ing, "nginx.ingress.kubernetes.io/proxy-body-size: \"100m\"");
	fixture_free(&f);
	free(yaml);
	free(base);
}
END_TEST

/* Step 1 of the runbook names every server the answers use, Memcached
 * and SMTP among them, and leaves out what they do not use. */
START_TEST(runbook_names_every_server)
{
	struct fixture f;
	char *yaml = demo_answers("24.8.0", NULL), *at, *nosmtp;
	const char *smtp = "smtp: {host: smtp.internal}\n";

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	ck_assert_contains(fixture_file(&f, "RUNBOOK.md"), "The pods must reach: "
	    "PostgreSQL `pg.internal`, Redis `redis.internal`, Kafka "
	    "`k1:9092,k2:9092,k3:9092`, ClickHouse `ch.internal`, Memcached "
	    "`mc1:11211`, SMTP `smtp.internal`.\n");
	fixture_free(&f);
	at = strstr(yaml, smtp);
	ck_assert_ptr_nonnull(at);
	nosmtp = xasprintf("%.*s%s", (int)(at - yaml), yaml, at + strlen(smtp));
	ck_assert_msg(fixture_run(&f, nosmtp) == 0, "%s", f.e.msg);
	ck_assert_contains(fixture_file(&f, "RUNBOOK.md"), "Memcached `mc1:11211`.\n");
	ck_assert_lacks(fixture_file(&f, "RUNBOOK.md"), "SMTP `");
	fixture_free(&f);
	free(nosmtp);
	free(yaml);
}
END_TEST

Suite *
suite_k8s(void)
{
	Suite *s = suite_create("kubernetes");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, seed_release_commands);
	tcase_add_test(tc, runbook_names_every_server);
	tcase_add_test(tc, celery_release_services);
	tcase_add_test(tc, taskbroker_release_services);
	tcase_add_test(tc, kustomization_lists_every_manifest);
	tcase_add_test(tc, secrets_are_exact_and_contained);
	tcase_add_test(tc, config_with_a_secret_becomes_a_secret);
	tcase_add_test(tc, same_answers_same_bytes);
	tcase_add_test(tc, changed_config_or_secret_rolls_the_pods);
	tcase_add_test(tc, changed_config_names_new_jobs);
	tcase_add_test(tc, gcs_credentials_reach_every_bucket_client);
	tcase_add_test(tc, ipv6_hosts_are_bracketed_in_urls);
	tcase_add_test(tc, sentry_config_renders_the_answers);
	tcase_add_test(tc, ingress_follows_the_answers);
	suite_add_tcase(s, tc);
	return s;
}
