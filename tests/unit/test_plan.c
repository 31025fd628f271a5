/* The plan: answers meet a release profile. */
#define _XOPEN_SOURCE 700	/* realpath */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "xmem.h"

static int
run(struct fixture *f, const char *version, const char *extra)
{
	char *yaml = demo_answers(version, extra);
	int rc = fixture_run(f, yaml);

	free(yaml);
	return rc;
}

static const char *
env_value(const struct plan *pl, const char *service, const char *name)
{
	const struct plan_service *s = plan_service(pl, service);
	const struct plan_env *e;

	ck_assert_msg(s != NULL, "no service %s", service);
	e = plan_env_get(s, name);
	if (e == NULL)
		return NULL;
	return e->secret_ref ? e->secret_ref : e->value;
}

static int
has_mount(const struct plan_service *s, const char *volume, const char *path)
{
	for (size_t i = 0; i < s->nmounts; i++)
		if (strcmp(s->mounts[i].volume, volume) == 0 &&
		    strcmp(s->mounts[i].path, path) == 0)
			return 1;
	return 0;
}

START_TEST(unknown_services_are_named)
{
	struct fixture f;

	ck_assert_int_eq(run(&f, "24.8.0", "services: {wbe: {replicas: 2}}\n"), -1);
	ck_assert_contains(f.e.msg, "test.yaml:11:12: services.wbe: Sentry 24.8.0 "
	    "has no service \"wbe\" (did you mean \"web\"?)");
	fixture_free(&f);
	ck_assert_int_eq(run(&f, "26.8.0", "services: {worker: {replicas: 2}}\n"), -1);
	ck_assert_contains(f.e.msg, "services.worker: Sentry 26.8.0 has no service "
	    "\"worker\": it became taskworker");
	fixture_free(&f);
	ck_assert_int_eq(run(&f, "24.8.0", "services: {sentry-cleanup: {replicas: 2}}\n"), -1);
	ck_assert_contains(f.e.msg, "sentry-cleanup is a scheduled job, it has no replicas");
	fixture_free(&f);
}
END_TEST

/* The demo answers with `insert` placed before `before`. */
static char *
with_inserted(const char *version, const char *before, const char *insert)
{
	char *yaml = demo_answers(version, NULL), *at = strstr(yaml, before), *out;

	ck_assert_ptr_nonnull(at);
	out = xasprintf("%.*s%s%s", (int)(at - yaml), yaml, insert, at);
	free(yaml);
	return out;
}

START_TEST(feature_set_selects_services)
{
	struct fixture full, errors;
	char *yaml = demo_answers("24.8.0", NULL);
	char *eo = with_inserted("24.8.0", "version:", "features: errors-only, ");

	ck_assert_int_eq(fixture_run(&full, yaml), 0);
	ck_assert_msg(fixture_run(&errors, eo) == 0, "%s", errors.e.msg);
	free(eo);
	ck_assert_ptr_nonnull(plan_service(&full.s.pl, "vroom"));
	ck_assert_ptr_null(plan_service(&errors.s.pl, "vroom"));
	ck_assert_ptr_nonnull(plan_service(&errors.s.pl, "snuba-errors-consumer"));
	ck_assert_uint_lt(errors.s.pl.nservices, full.s.pl.nservices);
	ck_assert_ptr_null(plan_volume(&errors.s.pl, "vroom-profiles"));
	fixture_free(&full);
	fixture_free(&errors);
	free(yaml);
}
END_TEST

START_TEST(generator_rules_are_applied)
{
	struct fixture f;

	ck_assert_msg(run(&f, "24.8.0", NULL) == 0, "%s", f.e.msg);
	/* Kubernetes runs Celery as uid 999: no C_FORCE_ROOT (test_secure.c
	 * has Swarm's, which keeps root). */
	ck_assert_ptr_null(env_value(&f.s.pl, "worker", "C_FORCE_ROOT"));
	ck_assert_ptr_null(env_value(&f.s.pl, "cron", "C_FORCE_ROOT"));
	ck_assert_ptr_null(env_value(&f.s.pl, "web", "C_FORCE_ROOT"));
	/* The same config and secret key in every Sentry container. */
	ck_assert_str_eq(env_value(&f.s.pl, "post-process-forwarder-errors",
	    "SENTRY_CONF"), "/etc/sentry");
	ck_assert(has_mount(plan_service(&f.s.pl, "post-process-forwarder-errors"),
	    "sentry-config", "/etc/sentry"));
	ck_assert(has_mount(plan_service(&f.s.pl, "sentry-upgrade"), "sentry-config",
	    "/etc/sentry"));
	ck_assert_str_eq(env_value(&f.s.pl, "web", "SENTRY_SYSTEM_SECRET_KEY"),
	    "secret-key");
	/* Snuba never falls back to 127.0.0.1. */
	ck_assert_str_eq(env_value(&f.s.pl, "snuba-replacer", "CLICKHOUSE_HOST"),
	    "ch.internal");
	ck_assert_str_eq(env_value(&f.s.pl, "snuba-bootstrap", "DEFAULT_BROKERS"),
	    "k1:9092,k2:9092,k3:9092");
	ck_assert_str_eq(env_value(&f.s.pl, "snuba-api", "REDIS_HOST"),
	    "redis.internal");
	ck_assert(sl_contains(&plan_service(&f.s.pl, "snuba-api")->args, "--bind"));
	ck_assert(sl_contains(&plan_service(&f.s.pl, "snuba-api")->args, "0.0.0.0:1218"));
	ck_assert_str_eq(kv_get(&plan_service(&f.s.pl, "snuba-api")->sources, "args"),
	    "rule:snuba-api-bind");
	fixture_free(&f);
}
END_TEST

START_TEST(seed_release_keeps_snuba_entrypoint)
{
	struct fixture f;
	const struct plan_service *api;

	ck_assert_msg(run(&f, "10.1.0", NULL) == 0, "%s", f.e.msg);
	api = plan_service(&f.s.pl, "snuba-api");
	ck_assert_int_eq(api->args.n, 1);
	ck_assert_str_eq(api->args.v[0], "api");
	ck_assert_int_eq(api->command.n, 0);
	/* The release's settings module plus the partition counts. */
	ck_assert_str_eq(env_value(&f.s.pl, "snuba-api", "SNUBA_SETTINGS"),
	    "/etc/snuba/settings.py");
	ck_assert_ptr_nonnull(strstr(plan_volume(&f.s.pl, "snuba-config")->files[0].content,
	    "from snuba.settings_docker import *"));
	ck_assert_ptr_null(plan_service(&f.s.pl, "relay"));
	/* No Relay in Sentry 10: no identity in the Secret either. */
	ck_assert_ptr_null(kv_get(&f.s.pl.secrets, "relay-id"));
	ck_assert_str_eq(vars_get(&f.s.pl.vars, "relay.id")->text, "");
	fixture_free(&f);
}
END_TEST

START_TEST(newest_release_has_no_celery)
{
	struct fixture f;

	ck_assert_msg(run(&f, "26.8.0", NULL) == 0, "%s", f.e.msg);
	ck_assert_ptr_null(plan_service(&f.s.pl, "worker"));
	ck_assert_int_eq(plan_service(&f.s.pl, "taskbroker")->role,
	    ROLE_STATEFUL_PER_REPLICA);
	ck_assert_int_eq(plan_service(&f.s.pl, "taskscheduler")->role, ROLE_SINGLETON);
	ck_assert_ptr_null(env_value(&f.s.pl, "taskworker", "C_FORCE_ROOT"));
	ck_assert_int_eq(plan_volume(&f.s.pl, "taskbroker-data")->backing,
	    BACK_PER_REPLICA);
	fixture_free(&f);
}
END_TEST

START_TEST(replicas_come_from_answers_or_profile)
{
	struct fixture f;

	ck_assert_int_eq(run(&f, "24.8.0", "services: {web: {replicas: 5}, "
	    "events-consumer: {replicas: 0}}\n"), 0);
	ck_assert_int_eq(plan_service(&f.s.pl, "web")->replicas, 5);
	ck_assert_str_eq(kv_get(&plan_service(&f.s.pl, "web")->sources, "replicas"),
	    "answers:services.web.replicas");
	ck_assert_int_eq(plan_service(&f.s.pl, "events-consumer")->replicas, 0);
	ck_assert_int_eq(plan_service(&f.s.pl, "relay")->replicas, 2);
	/* Consumers default to two; singletons stay one. */
	ck_assert_int_eq(plan_service(&f.s.pl, "attachments-consumer")->replicas, 2);
	ck_assert_int_eq(plan_service(&f.s.pl, "snuba-errors-consumer")->replicas, 2);
	ck_assert_int_eq(plan_service(&f.s.pl, "monitors-clock-tick")->replicas, 1);
	ck_assert_int_eq(plan_service(&f.s.pl, "snuba-replacer")->replicas, 1);
	ck_assert_int_eq(plan_service(&f.s.pl, "cron")->replicas, 1);
	ck_assert_ptr_null(kv_get(&plan_service(&f.s.pl, "relay")->sources, "replicas"));
	fixture_free(&f);
}
END_TEST

START_TEST(registry_prefix_rewrites_every_image)
{
	struct fixture f;

	ck_assert_int_eq(run(&f, "26.8.0", "registry: \"registry.internal:5000/mirror/\"\n"), 0);
	ck_assert_str_eq(plan_service(&f.s.pl, "web")->image,
	    "registry.internal:5000/mirror/getsentry/sentry:26.8.0");
	ck_assert_str_eq(plan_service(&f.s.pl, "nginx")->image,
	    "registry.internal:5000/mirror/nginx:1.31.3-alpine");
	ck_assert_str_eq(plan_service(&f.s.pl, "snuba-bootstrap")->image,
	    "registry.internal:5000/mirror/getsentry/snuba:26.8.0");
	ck_assert_str_eq(kv_get(&plan_service(&f.s.pl, "web")->sources, "image"),
	    "answers:registry");
	fixture_free(&f);
}
END_TEST

START_TEST(volumes_follow_the_file_store)
{
	struct fixture f;
	const struct plan_volume *v;

	/* A claim for /data with the filesystem backend. */
	ck_assert_int_eq(run(&f, "24.8.0", NULL), 0);
	ck_assert_int_eq(plan_volume(&f.s.pl, "sentry-data")->backing, BACK_CLAIM);
	fixture_free(&f);
	{
		char *yaml = demo_answers("24.8.0", NULL), *p;
		char *s3;

		p = strstr(yaml, "filestore:");
		s3 = xasprintf("%.*sfilestore: {backend: s3, s3: {bucket: sentry, "
		    "endpoint: \"http://minio:9000\", access_key: AK, secret_key: SK}}\n",
		    (int)(p - yaml), yaml);
		/* S3 and no shared volume: /data and symbolicator's cache are
		 * per pod (the cache with a size), vroom writes to the bucket,
		 * and the cleanups of folders nobody shares are left out. */
		ck_assert_msg(fixture_run(&f, s3) == 0, "%s", f.e.msg);
		v = plan_volume(&f.s.pl, "symbolicator-data");
		ck_assert_int_eq(v->backing, BACK_SCRATCH);
		ck_assert_str_eq(v->size, "20Gi");
		ck_assert_int_eq(plan_volume(&f.s.pl, "vroom-profiles")->backing,
		    BACK_SCRATCH);
		ck_assert_ptr_null(plan_service(&f.s.pl, "symbolicator-cleanup"));
		ck_assert_ptr_null(plan_service(&f.s.pl, "vroom-cleanup"));
		ck_assert_str_eq(env_value(&f.s.pl, "vroom", "SENTRY_BUCKET_PROFILES"),
		    "s3://sentry?region=us-east-1&endpoint=minio:9000&"
		    "s3ForcePathStyle=true&disableSSL=true");
		ck_assert_str_eq(env_value(&f.s.pl, "vroom", "AWS_SECRET_KEY"),
		    "s3-secret-key");
		fixture_free(&f);
		/* On Swarm each node keeps the cache, and cleans it. */
		{
			char *swarm = xasprintf("%s", s3), *k = strstr(swarm,
			    "kind: kubernetes");

			ck_assert_ptr_nonnull(k);
			memcpy(k, "kind: swarm     ", 16);
			ck_assert_msg(fixture_run(&f, swarm) == 0, "%s", f.e.msg);
			ck_assert_ptr_nonnull(plan_service(&f.s.pl,
			    "symbolicator-cleanup"));
			ck_assert_ptr_null(plan_service(&f.s.pl, "vroom-cleanup"));
			fixture_free(&f);
			free(swarm);
		}
		free(s3);
		s3 = xasprintf("%.*sfilestore: {backend: s3, s3: {bucket: sentry, "
		    "access_key: AK, secret_key: SK}, shared_volume: {kind: nfs, "
		    "nfs: {server: nfs.internal, path: /exports/sentry}}}\n",
		    (int)(p - yaml), yaml);
		ck_assert_msg(fixture_run(&f, s3) == 0, "%s", f.e.msg);
		ck_assert_int_eq(plan_volume(&f.s.pl, "sentry-data")->backing,
		    BACK_SCRATCH);
		v = plan_volume(&f.s.pl, "symbolicator-data");
		ck_assert_int_eq(v->backing, BACK_NFS);
		ck_assert_str_eq(v->nfs_server, "nfs.internal");
		ck_assert_str_eq(v->nfs_path, "/exports/sentry/symbolicator-data");
		ck_assert_str_eq(env_value(&f.s.pl, "web", "SENTRY_S3_SECRET_KEY"),
		    "s3-secret-key");
		ck_assert_str_eq(kv_get(&f.s.pl.secrets, "s3-secret-key"), "SK");
		fixture_free(&f);
		free(s3);
		free(yaml);
	}
}
END_TEST

/* Profiles in a bucket of their own: Sentry's profiles store and vroom's
 * URL both name it; without one, both use the file store's bucket. */
START_TEST(profiles_get_their_own_bucket)
{
	static const struct { const char *s3, *vroom; int own; } cases[] = {
		{ "{bucket: files, profiles_bucket: profs, region: eu-west-1}",
		  "s3://profs?region=eu-west-1", 1 },
		{ "{bucket: files, region: eu-west-1}",
		  "s3://files?region=eu-west-1", 0 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *yaml = demo_answers("26.8.0", NULL), *p = strstr(yaml, "filestore:");
		char *s3 = xasprintf("%.*sfilestore: {backend: s3, s3: %s, "
		    "shared_volume: {kind: pvc}}\n", (int)(p - yaml), yaml,
		    cases[i].s3);
		const char *conf;
		struct fixture f;

		ck_assert_msg(fixture_run(&f, s3) == 0, "%s", f.e.msg);
		ck_assert_str_eq(env_value(&f.s.pl, "vroom", "SENTRY_BUCKET_PROFILES"),
		    cases[i].vroom);
		conf = plan_volume(&f.s.pl, "sentry-config")->files[0].content;
		ck_assert_int_eq(strstr(conf, "SENTRY_OPTIONS[\"filestore.profiles-"
		    "options\"][\"bucket_name\"] = \"profs\"") != NULL, cases[i].own);
		fixture_free(&f);
		free(s3);
		free(yaml);
	}
}
END_TEST

static int
has_fix(const struct plan *pl, const char *rule, const char *service)
{
	for (size_t i = 0; i < pl->nfixes; i++)
		if (strcmp(pl->fixes[i].rule, rule) == 0 && (service == NULL ||
		    (pl->fixes[i].service != NULL &&
		    strcmp(pl->fixes[i].service, service) == 0)))
			return 1;
	return 0;
}

/* The repository's root as an absolute path: the answers lie elsewhere. */
static const char *
tls_root(void)
{
	static char root[4096];

	if (root[0] == '\0')
		ck_assert_ptr_nonnull(realpath(test_root(), root));
	return root;
}

/* 26.8.0 answers with tls: and client certificates from tests/data/tls. */
static int
run_tls(struct fixture *f, const char *tls, const char *pg_extra,
    const char *kafka_extra)
{
	char *yaml = demo_answers("26.8.0", tls), *at, *next;
	int rc;

	if (pg_extra != NULL) {
		at = strstr(yaml, "postgres: {");
		next = xasprintf("%.*spostgres: {%s, %s", (int)(at - yaml), yaml,
		    pg_extra, at + 11);
		free(yaml);
		yaml = next;
	}
	if (kafka_extra != NULL) {
		at = strstr(yaml, "kafka: {");
		next = xasprintf("%.*skafka: {%s, %s", (int)(at - yaml), yaml,
		    kafka_extra, at + 8);
		free(yaml);
		yaml = next;
	}
	rc = fixture_run(f, yaml);
	free(yaml);
	return rc;
}

/* A private CA: only its certificates are kept, every container trusts
 * it, and PostgreSQL and Kafka are told where it is when they verify. */
START_TEST(private_ca_is_trusted)
{
	char *tls = xasprintf("tls: {ca_file: %s/tests/data/tls/ca.crt}\n",
	    tls_root());
	char *pg = xasprintf("sslmode: verify-full, client_cert: {file: "
	    "%s/tests/data/tls/client.crt}, client_key: {file: "
	    "%s/tests/data/tls/client.key}", tls_root(), tls_root());
	const char *conf;
	struct fixture f;

	ck_assert_msg(run_tls(&f, tls, pg, "security_protocol: SSL") == 0, "%s",
	    f.e.msg);
	ck_assert_uint_eq(f.s.pl.tls.ncerts, 1);
	ck_assert_ptr_nonnull(strstr(f.s.pl.tls.ca_pem, "-----BEGIN CERTIFICATE-----"));
	ck_assert_str_eq(f.s.pl.tls.helper_image, "ghcr.io/getsentry/sentry:26.8.0");
	ck_assert_str_eq(env_value(&f.s.pl, "web", "SSL_CERT_FILE"), CA_BUNDLE_PATH);
	ck_assert_str_eq(env_value(&f.s.pl, "relay", "REQUESTS_CA_BUNDLE"), CA_BUNDLE_PATH);
	ck_assert_str_eq(env_value(&f.s.pl, "snuba-api", "KAFKA_SSL_CA_PATH"), CA_BUNDLE_PATH);
	/* Kafka has no client certificate here: the setting is left out. */
	ck_assert_ptr_null(env_value(&f.s.pl, "snuba-api", "KAFKA_SSL_CERT_PATH"));
	ck_assert(has_fix(&f.s.pl, "private-ca", "nginx"));
	ck_assert(has_fix(&f.s.pl, "tls-client-certs", "web"));
	ck_assert(!has_fix(&f.s.pl, "tls-client-certs", "relay"));
	ck_assert_ptr_nonnull(plan_volume(&f.s.pl, CA_VOLUME));
	ck_assert_int_eq(plan_volume(&f.s.pl, "tls-client")->files[1].mode, 0400);
	conf = plan_volume(&f.s.pl, "sentry-config")->files[0].content;
	ck_assert_contains(conf, "\"sslrootcert\": \"" CA_BUNDLE_PATH "\"");
	ck_assert_contains(conf, "\"sslkey\": \"/etc/sentry-ha/tls/postgres.key\"");
	ck_assert_contains(conf, "\"ssl.ca.location\": \"" CA_BUNDLE_PATH "\"");
	ck_assert_lacks(conf, "ssl.certificate.location");
	fixture_free(&f);
	/* No verifying sslmode, a PLAINTEXT Kafka: nothing names the CA. */
	ck_assert_msg(run_tls(&f, tls, NULL, NULL) == 0, "%s", f.e.msg);
	conf = plan_volume(&f.s.pl, "sentry-config")->files[0].content;
	ck_assert_lacks(conf, "sslrootcert");
	ck_assert_lacks(conf, "ssl.ca.location");
	ck_assert_ptr_null(env_value(&f.s.pl, "snuba-api", "KAFKA_SSL_CA_PATH"));
	ck_assert_ptr_null(plan_volume(&f.s.pl, "tls-client"));
	fixture_free(&f);
	free(tls);
	free(pg);
}
END_TEST

/* What is not a CA bundle, or a key that is not the certificate's, stops
 * the run with the answer named: nothing secret reaches a ConfigMap. */
START_TEST(bad_certificates_are_refused)
{
	static const struct { const char *ca, *cert, *key, *want; } cases[] = {
		{ "ca.key", NULL, NULL, "tls.ca_file: %s/tests/data/tls/ca.key: it "
		  "holds a private key; give the CA certificates only" },
		{ "README.md", NULL, NULL, "it holds no PEM certificate" },
		{ "ca.crt", "client.crt", "server.key", "postgres.client_key: does "
		  "not belong to the certificate of postgres.client_cert" },
		{ "ca.crt", "client.key", "client.key", "postgres.client_cert: "
		  "expected a PEM certificate" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *tls = xasprintf("tls: {ca_file: %s/tests/data/tls/%s}\n",
		    tls_root(), cases[i].ca), *pg = NULL, *want;
		struct fixture f;

		if (cases[i].cert != NULL)
			pg = xasprintf("sslmode: require, client_cert: {file: "
			    "%s/tests/data/tls/%s}, client_key: {file: "
			    "%s/tests/data/tls/%s}", tls_root(), cases[i].cert,
			    tls_root(), cases[i].key);
		ck_assert_int_eq(run_tls(&f, tls, pg, NULL), -1);
		want = xasprintf(cases[i].want, tls_root());
		ck_assert_contains(f.e.msg, want);
		fixture_free(&f);
		free(want);
		free(tls);
		free(pg);
	}
}
END_TEST

/* GeoIP: geoipupdate and the read-only mounts only when the answers give
 * an account; its licence key only in a Secret. */
START_TEST(geoip_is_wired_when_asked)
{
	struct fixture f;
	const struct plan_volume *v;

	ck_assert_msg(run(&f, "24.8.0", "geoip: {account_id: \"42\", license_key: "
	    "lk-secret}\n") == 0, "%s", f.e.msg);
	ck_assert_ptr_nonnull(plan_service(&f.s.pl, "geoipupdate"));
	ck_assert(has_fix(&f.s.pl, "geoip", "web"));
	ck_assert(has_fix(&f.s.pl, "geoip", "relay"));
	ck_assert(!has_fix(&f.s.pl, "geoip", "snuba-api"));
	v = plan_volume(&f.s.pl, "geoip-config");
	ck_assert_int_eq(v->secret, 1);
	ck_assert_contains(v->files[0].content, "LicenseKey lk-secret");
	ck_assert_contains(plan_volume(&f.s.pl, "sentry-config")->files[0].content,
	    "GEOIP_PATH_MMDB = \"/geoip/GeoLite2-City.mmdb\"");
	ck_assert_contains(plan_volume(&f.s.pl, "relay-config")->files[0].content,
	    "geoip_path: \"/geoip/GeoLite2-City.mmdb\"");
	fixture_free(&f);
	ck_assert_int_eq(run(&f, "24.8.0", NULL), 0);
	ck_assert_ptr_null(plan_service(&f.s.pl, "geoipupdate"));
	ck_assert_ptr_null(plan_volume(&f.s.pl, "geoip"));
	ck_assert_lacks(plan_volume(&f.s.pl, "sentry-config")->files[0].content,
	    "GEOIP_PATH_MMDB");
	fixture_free(&f);
	ck_assert_int_eq(run(&f, "24.8.0", "services: {geoipupdate: {replicas: 1}}\n"), -1);
	ck_assert_contains(f.e.msg, "services.geoipupdate: runs only with geoip: in "
	    "the answers");
	fixture_free(&f);
}
END_TEST

START_TEST(absent_settings_are_left_out)
{
	struct fixture f;

	ck_assert_int_eq(run(&f, "24.8.0", NULL), 0);
	/* No ClickHouse password and no SASL: no such variables at all. */
	ck_assert_ptr_null(env_value(&f.s.pl, "snuba-api", "CLICKHOUSE_PASSWORD"));
	ck_assert_ptr_null(env_value(&f.s.pl, "snuba-api", "KAFKA_SASL_MECHANISM"));
	ck_assert_ptr_null(env_value(&f.s.pl, "web", "SENTRY_KAFKA_PASSWORD"));
	ck_assert_str_eq(env_value(&f.s.pl, "snuba-api", "KAFKA_SECURITY_PROTOCOL"),
	    "PLAINTEXT");
	ck_assert_str_eq(env_value(&f.s.pl, "web", "SENTRY_REDIS_PASSWORD"),
	    "redis-password");
	fixture_free(&f);
}
END_TEST

/* ${secret:KEY|VARIABLE}: the secret when there is one, else the variable. */
START_TEST(secret_or_plain_value)
{
	struct fixture f;
	char *yaml = demo_answers("26.8.0", NULL), *at, *plain;
	const struct plan_env *e;

	ck_assert_int_eq(fixture_run(&f, yaml), 0);
	e = plan_env_get(plan_service(&f.s.pl, "uptime-checker"),
	    "UPTIME_CHECKER_REDIS_HOST");
	ck_assert_str_eq(e->secret_ref, "redis-url");
	ck_assert_str_eq(kv_get(&f.s.pl.secrets, "redis-url"),
	    "redis://:redis-secret@redis.internal:6379/0");
	fixture_free(&f);
	at = strstr(yaml, ", password: \"redis-secret\"");
	plain = xasprintf("%.*s%s", (int)(at - yaml), yaml,
	    at + strlen(", password: \"redis-secret\""));
	ck_assert_int_eq(fixture_run(&f, plain), 0);
	e = plan_env_get(plan_service(&f.s.pl, "uptime-checker"),
	    "UPTIME_CHECKER_REDIS_HOST");
	ck_assert_ptr_null(e->secret_ref);
	ck_assert_str_eq(e->value, "redis://redis.internal:6379/0");
	ck_assert_ptr_null(kv_get(&f.s.pl.secrets, "redis-url"));
	fixture_free(&f);
	free(plain);
	free(yaml);
}
END_TEST

START_TEST(applied_rules_are_recorded)
{
	struct fixture f;
	int seen_bind = 0, seen_kafka = 0;

	ck_assert_int_eq(run(&f, "24.8.0", NULL), 0);
	for (size_t i = 0; i < f.s.pl.nfixes; i++) {
		seen_bind |= strcmp(f.s.pl.fixes[i].rule, "snuba-api-bind") == 0;
		if (strcmp(f.s.pl.fixes[i].rule, "kafka-clusters-default") == 0) {
			seen_kafka = 1;
			ck_assert_contains(f.s.pl.fixes[i].what, "k1:9092,k2:9092,k3:9092");
		}
	}
	ck_assert(seen_bind);
	ck_assert(seen_kafka);
	fixture_free(&f);
}
END_TEST

static const char *
first_arg(const struct plan *pl, const char *service)
{
	const struct plan_service *s = plan_service(pl, service);

	ck_assert_msg(s != NULL && s->args.n > 0, "no args for %s", service);
	return s->args.v[0];
}

/* 24.8.0's rust-consumer has no OpenSSL: with TLS or SCRAM the Python
 * consumer runs instead, with the same arguments; PLAIN keeps it. */
START_TEST(snuba_consumers_fit_the_kafka_security)
{
	static const struct {
		const char *version, *kafka, *want;
	} cases[] = {
		{ "24.8.0", "security_protocol: SASL_SSL, sasl_mechanism: SCRAM-SHA-512, username: u, password: p", "consumer" },
		{ "24.8.0", "security_protocol: SSL", "consumer" },
		{ "24.8.0", "security_protocol: SASL_PLAINTEXT, sasl_mechanism: SCRAM-SHA-256, username: u, password: p", "consumer" },
		{ "24.8.0", "security_protocol: SASL_PLAINTEXT, sasl_mechanism: PLAIN, username: u, password: p", "rust-consumer" },
		{ "24.8.0", "security_protocol: PLAINTEXT", "rust-consumer" },
		{ "26.8.0", "security_protocol: SASL_SSL, sasl_mechanism: SCRAM-SHA-512, username: u, password: p", "rust-consumer" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *from = "kafka: {brokers: [\"k1:9092\", \"k2:9092\", \"k3:9092\"]}";
		char *base = demo_answers(cases[i].version, NULL), *at = strstr(base, from);
		char *yaml = xasprintf("%.*skafka: {brokers: [\"k1:9092\"], %s}%s",
		    (int)(at - base), base, cases[i].kafka, at + strlen(from));
		const struct plan_service *s;
		struct fixture f;

		ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
		ck_assert_str_eq(first_arg(&f.s.pl, "snuba-errors-consumer"), cases[i].want);
		s = plan_service(&f.s.pl, "snuba-errors-consumer");
		ck_assert_str_eq(s->args.v[1], "--storage");
		if (strcmp(cases[i].want, "consumer") == 0)
			ck_assert_str_eq(kv_get(&s->sources, "args"),
			    "rule:snuba-python-consumer, rule:consumer-heartbeat");
		/* Not a consumer: left alone. */
		ck_assert_str_eq(first_arg(&f.s.pl, "snuba-replacer"), "replacer");
		fixture_free(&f);
		free(yaml);
		free(base);
	}
}
END_TEST

static int
count_arg(const struct plan_service *s, const char *arg)
{
	int n = 0;

	for (size_t i = 0; i < s->args.n; i++)
		n += strcmp(s->args.v[i], arg) == 0;
	return n;
}

/* 24.8.0's consumers get the heartbeat option their program has and a
 * file check; services that are not consumers, and 26.8.0's consumers
 * (whose upstream command has it), are left alone. */
START_TEST(consumers_keep_a_heartbeat)
{
	static const struct {
		const char *release, *service, *flag;
		int added;
	} cases[] = {
		{ "24.8.0", "events-consumer", "--healthcheck-file-path", 1 },
		{ "24.8.0", "post-process-forwarder-errors", "--healthcheck-file-path", 1 },
		{ "24.8.0", "snuba-errors-consumer", "--health-check-file", 1 },
		{ "24.8.0", "snuba-subscription-consumer-events", "--health-check-file", 1 },
		{ "24.8.0", "snuba-replacer", "--health-check-file", 0 },
		{ "24.8.0", "worker", "--healthcheck-file-path", 0 },
		{ "24.8.0", "web", "--healthcheck-file-path", 0 },
		{ "26.8.0", "events-consumer", "--healthcheck-file-path", 0 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct plan_service *s;
		struct fixture f;

		ck_assert_msg(run(&f, cases[i].release, "") == 0, "%s", f.e.msg);
		s = plan_service(&f.s.pl, cases[i].service);
		ck_assert_ptr_nonnull(s);
		ck_assert_int_eq(s->health != &s->prof->health, cases[i].added);
		if (cases[i].added) {
			ck_assert_str_eq(s->args.v[s->args.n - 2], cases[i].flag);
			ck_assert_str_eq(s->args.v[s->args.n - 1], "/tmp/health.txt");
			ck_assert_str_eq(s->health->file, "/tmp/health.txt");
			ck_assert_int_eq(s->health->max_age, 120);
			ck_assert_str_eq(kv_get(&s->sources, "health"),
			    "rule:consumer-heartbeat");
		}
		ck_assert_int_eq(count_arg(s, cases[i].flag),
		    cases[i].added || strcmp(cases[i].release, "26.8.0") == 0);
		fixture_free(&f);
	}
}
END_TEST

/* With several taskbrokers, the workers are given each one's own name;
 * with one, the Service's. */
START_TEST(taskworkers_know_every_broker)
{
	struct fixture f;
	const struct plan_service *w;

	ck_assert_msg(run(&f, "26.8.0", "services: {taskbroker: {replicas: 3}}\n")
	    == 0, "%s", f.e.msg);
	w = plan_service(&f.s.pl, "taskworker");
	ck_assert(sl_contains(&w->args, "--rpc-host-list=taskbroker-0."
	    "taskbroker-headless:50051,taskbroker-1.taskbroker-headless:50051,"
	    "taskbroker-2.taskbroker-headless:50051"));
	/* Three brokers share the taskworker topic evenly. */
	for (size_t i = 0; i < f.s.pl.ntopics; i++)
		if (strcmp(f.s.pl.topics[i].name, "taskworker") == 0)
			ck_assert_int_eq(f.s.pl.topics[i].partitions % 3, 0);
	fixture_free(&f);
	ck_assert_msg(run(&f, "26.8.0", "services: {taskbroker: {replicas: 2}}\n")
	    == 0, "%s", f.e.msg);
	for (size_t i = 0; i < f.s.pl.ntopics; i++)
		if (strcmp(f.s.pl.topics[i].name, "taskworker") == 0)
			ck_assert_int_eq(f.s.pl.topics[i].partitions, 4);
	fixture_free(&f);
	ck_assert_msg(run(&f, "26.8.0", NULL) == 0, "%s", f.e.msg);
	w = plan_service(&f.s.pl, "taskworker");
	ck_assert(sl_contains(&w->args, "--rpc-host=taskbroker:50051"));
	fixture_free(&f);
}
END_TEST

/* A live check's plan notes a secret it cannot read, with the answer, the
 * variable and how to set it, instead of failing; generate's still fails. */
START_TEST(unreadable_secret_is_noted_for_a_check)
{
	char *yaml = demo_answers("24.8.0", NULL), *at, *text, *path;
	const char *plain = "password: \"pg-secret\"";
	struct session s;
	struct err e;

	at = strstr(yaml, plain);
	ck_assert_ptr_nonnull(at);
	text = xasprintf("%.*spassword: {env: SHS_UNIT_NEVER_SET}%s",
	    (int)(at - yaml), yaml, at + strlen(plain));
	path = xasprintf("%s/unread.yaml", test_tmp());
	unsetenv("SHS_UNIT_NEVER_SET");
	err_clear(&e);
	ck_assert_int_eq(session_open_text(&s, test_root(), text, path, 0, &e), -1);
	ck_assert_int_eq(e.kind, ERR_INPUT);
	ck_assert_contains(e.msg, "SHS_UNIT_NEVER_SET is not set");
	session_close(&s);
	err_clear(&e);
	ck_assert_msg(session_open_text(&s, test_root(), text, path,
	    PLAN_SECRETS_MAY_FAIL, &e) == 0, "%s", e.msg);
	ck_assert_uint_eq(s.pl.nunresolved, 1);
	ck_assert_str_eq(s.pl.unresolved[0].field, "postgres.password");
	ck_assert_contains(s.pl.unresolved[0].why, "postgres.password: the "
	    "environment variable SHS_UNIT_NEVER_SET is not set");
	ck_assert_contains(s.pl.unresolved[0].fix, "export SHS_UNIT_NEVER_SET=");
	ck_assert_str_eq(plan_secret_value(&s.pl, s.pl.postgres.password_ref), "");
	session_close(&s);
	free(path);
	free(text);
	free(yaml);
}
END_TEST

Suite *
suite_plan(void)
{
	Suite *s = suite_create("plan");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, unknown_services_are_named);
	tcase_add_test(tc, unreadable_secret_is_noted_for_a_check);
	tcase_add_test(tc, feature_set_selects_services);
	tcase_add_test(tc, generator_rules_are_applied);
	tcase_add_test(tc, seed_release_keeps_snuba_entrypoint);
	tcase_add_test(tc, newest_release_has_no_celery);
	tcase_add_test(tc, replicas_come_from_answers_or_profile);
	tcase_add_test(tc, registry_prefix_rewrites_every_image);
	tcase_add_test(tc, volumes_follow_the_file_store);
	tcase_add_test(tc, absent_settings_are_left_out);
	tcase_add_test(tc, secret_or_plain_value);
	tcase_add_test(tc, applied_rules_are_recorded);
	tcase_add_test(tc, snuba_consumers_fit_the_kafka_security);
	tcase_add_test(tc, taskworkers_know_every_broker);
	tcase_add_test(tc, consumers_keep_a_heartbeat);
	tcase_add_test(tc, profiles_get_their_own_bucket);
	tcase_add_test(tc, private_ca_is_trusted);
	tcase_add_test(tc, bad_certificates_are_refused);
	tcase_add_test(tc, geoip_is_wired_when_asked);
	suite_add_tcase(s, tc);
	return s;
}
