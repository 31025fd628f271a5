/*
 * Rules the generator can always satisfy, applied to the plan. Each fix is
 * recorded (plan->fixes) so the operator is told what was done and why:
 * the rule ids are those of the constraint catalogue (DESIGN §7).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan_internal.h"

/* `apply` returns 1 when it changed the service, 0 when the rule already
 * held (then `held` says why). */
struct fixup {
	const char	*rule;
	int		(*applies)(const struct plan *, const struct plan_service *);
	int		(*apply)(struct plan *, struct plan_service *);
	const char	*what;
	const char	*held;
};

static int
runs_sentry(const struct plan *pl, const struct plan_service *s)
{
	(void)pl;
	return plan_uses_image(s, "sentry");
}

static int
runs_snuba(const struct plan *pl, const struct plan_service *s)
{
	(void)pl;
	return plan_uses_image(s, "snuba");
}

static int
runs_celery(const struct plan *pl, const struct plan_service *s)
{
	(void)pl;
	return s->prof->celery == 1;
}

static int
is_snuba_api(const struct plan *pl, const struct plan_service *s)
{
	return runs_snuba(pl, s) && s->args.n > 0 && strcmp(s->args.v[0], "api") == 0;
}

/* A Kafka that needs OpenSSL in the client: TLS, or a SCRAM login. */
static int
kafka_needs_openssl(const struct plan *pl)
{
	const char *m = pl->kafka.sasl_mechanism;

	return strstr(pl->kafka.security_protocol, "SSL") != NULL ||
	    (m != NULL && strncmp(m, "SCRAM", 5) == 0);
}

static int
is_rust_consumer_without_tls(const struct plan *pl, const struct plan_service *s)
{
	const struct prof_image *im = profile_image(pl->profile, s->prof->image);

	return runs_snuba(pl, s) && s->args.n > 0 &&
	    strcmp(s->args.v[0], "rust-consumer") == 0 && im != NULL &&
	    im->rust_consumer_tls == 0 && kafka_needs_openssl(pl);
}

/* Snuba's Python consumer takes the same arguments and reaches Kafka
 * through confluent-kafka, which has SSL and SASL. */
static int
python_consumer(struct plan *pl, struct plan_service *s)
{
	(void)pl;
	free(s->args.v[0]);
	s->args.v[0] = xstrdup("consumer");
	kv_set(&s->sources, "args", "rule:snuba-python-consumer");
	return 1;
}

/* The profile's heartbeat for a service without a health check, or NULL. */
static const struct prof_heartbeat *
heartbeat_for(const struct plan *pl, const struct plan_service *s)
{
	const struct objlist *all = &pl->profile->heartbeats;

	if (prof_health_kinds(s->health) > 0)
		return NULL;
	for (size_t i = 0; i < all->n; i++) {
		const struct prof_heartbeat *hb = OBJ_AT(all, sizeof *hb, i);
		size_t w = 0;

		if (!plan_uses_image(s, hb->image) || s->args.n < hb->command.n)
			continue;
		while (w < hb->command.n &&
		    strcmp(s->args.v[w], hb->command.v[w]) == 0)
			w++;
		if (w == hb->command.n)
			return hb;
	}
	return NULL;
}

static int
lacks_heartbeat(const struct plan *pl, const struct plan_service *s)
{
	return heartbeat_for(pl, s) != NULL;
}

/* A consumer that hangs keeps its partitions and stops ingestion without
 * exiting; only a heartbeat file tells a stuck one from a quiet one. */
static int
add_heartbeat(struct plan *pl, struct plan_service *s)
{
	const struct prof_heartbeat *hb = heartbeat_for(pl, s);

	sl_add(&s->args, hb->flag);
	sl_add(&s->args, hb->health.file);
	s->health = &hb->health;
	plan_add_source(s, "args", "rule:consumer-heartbeat");
	kv_set(&s->sources, "health", "rule:consumer-heartbeat");
	return 1;
}

/* The stateful service that `--rpc-host=HOST:PORT` at args[i] names with
 * more than one replica (a taskbroker), or NULL. */
static const struct plan_service *
many_brokers(const struct plan *pl, const struct plan_service *s, size_t i)
{
	const char *arg = s->args.v[i], *colon;
	const struct plan_service *b;
	char *host;

	if (strncmp(arg, "--rpc-host=", 11) != 0 ||
	    (colon = strrchr(arg, ':')) == NULL)
		return NULL;
	host = xstrndup(arg + 11, (size_t)(colon - arg - 11));
	b = plan_service(pl, host);
	free(host);
	return b != NULL && b->role == ROLE_STATEFUL_PER_REPLICA &&
	    b->replicas > 1 ? b : NULL;
}

static int
talks_to_many_brokers(const struct plan *pl, const struct plan_service *s)
{
	if (strcmp(pl->target.kind, "kubernetes") != 0)
		return 0;
	for (size_t i = 0; i < s->args.n; i++)
		if (many_brokers(pl, s, i) != NULL)
			return 1;
	return 0;
}

/* Each taskbroker holds its own partitions' tasks: a worker must know
 * every one of them (develop.sentry.dev self-hosted tasks), which the
 * Service's single address would hide. */
static int
broker_list(struct plan *pl, struct plan_service *s)
{
	for (size_t i = 0; i < s->args.n; i++) {
		const struct plan_service *b = many_brokers(pl, s, i);
		const char *port;
		struct strbuf sb = STRBUF_INIT;

		if (b == NULL)
			continue;
		port = strrchr(s->args.v[i], ':') + 1;
		sb_add(&sb, "--rpc-host-list=");
		for (long r = 0; r < b->replicas; r++)
			sb_printf(&sb, "%s%s-%ld.%s" PEERS_SUFFIX ":%s", r ? "," : "",
			    b->name, r, b->name, port);
		free(s->args.v[i]);
		s->args.v[i] = sb_take(&sb);
		kv_set(&s->sources, "args", "rule:taskworker-broker-list");
	}
	return 1;
}

static int
has_private_ca(const struct plan *pl, const struct plan_service *s)
{
	(void)s;
	return pl->tls.ca_pem != NULL;
}

/* Python's requests, botocore and grpc carry their own roots, and Go and
 * OpenSSL honour SSL_CERT_FILE: every one is pointed at the bundle that
 * holds the image's roots and the private CAs. */
static int
trust_private_ca(struct plan *pl, struct plan_service *s)
{
	static const char *const variables[] = { "SSL_CERT_FILE",
		"REQUESTS_CA_BUNDLE", "DEFAULT_CA_BUNDLE",
		"GRPC_DEFAULT_SSL_ROOTS_FILE_PATH_ENV_VAR" };

	(void)pl;
	for (size_t i = 0; i < sizeof variables / sizeof variables[0]; i++) {
		char *field = xasprintf("env.%s", variables[i]);

		plan_set_env(s, variables[i], CA_BUNDLE_PATH, NULL);
		kv_set(&s->sources, field, "rule:private-ca");
		free(field);
	}
	return 1;
}

static int
uses_client_certs(const struct plan *pl, const struct plan_service *s)
{
	return plan_has_client_certs(pl) && (runs_sentry(pl, s) ||
	    runs_snuba(pl, s));
}

static int
mount_client_certs(struct plan *pl, struct plan_service *s)
{
	(void)pl;
	plan_add_mount(s, "tls-client", TLS_CLIENT_DIR, 1);
	kv_set(&s->sources, "mount.tls-client", "rule:tls-client-certs");
	return 1;
}

/* Sentry (GEOIP_PATH_MMDB) and Relay (processing.geoip_path) read the
 * database in the shared volume: kept fresh by geoipupdate, or copied in
 * from the operator's file. */
static int
reads_geoip(const struct plan *pl, const struct plan_service *s)
{
	return pl->geoip.enabled && (runs_sentry(pl, s) ||
	    plan_uses_image(s, "relay")) && s->role != ROLE_JOB;
}

static int
mount_geoip(struct plan *pl, struct plan_service *s)
{
	(void)pl;
	plan_add_mount(s, "geoip", GEOIP_DIR, 1);
	kv_set(&s->sources, "mount.geoip", "rule:geoip");
	return 1;
}

static int
mount_config(struct plan *pl, struct plan_service *s)
{
	(void)pl;
	plan_add_mount(s, "sentry-config", "/etc/sentry", 1);
	plan_set_env(s, "SENTRY_CONF", "/etc/sentry", NULL);
	kv_set(&s->sources, "env.SENTRY_CONF",
	    "rule:config-in-every-sentry-container");
	return 1;
}

static int
share_secret_key(struct plan *pl, struct plan_service *s)
{
	(void)pl;
	plan_set_env(s, "SENTRY_SYSTEM_SECRET_KEY", NULL, "secret-key");
	kv_set(&s->sources, "env.SENTRY_SYSTEM_SECRET_KEY", "rule:secret-key-shared");
	return 1;
}

/* Kubernetes runs an image that can start as its own user as that user
 * (k8s_secure.c), and Celery then starts without it; Swarm keeps the
 * image's root. */
static int
force_root(struct plan *pl, struct plan_service *s)
{
	const struct prof_user *u = profile_user(pl->profile, s->prof->image);

	if (strcmp(pl->target.kind, "kubernetes") == 0 && u != NULL &&
	    u->nonroot == 1)
		return 0;
	plan_set_env(s, "C_FORCE_ROOT", "1", NULL);
	kv_set(&s->sources, "env.C_FORCE_ROOT", "rule:celery-force-root");
	return 1;
}

static int
snuba_defaults(struct plan *pl, struct plan_service *s)
{
	static const struct { const char *env, *var; } table[] = {
		{ "CLICKHOUSE_HOST", "clickhouse.host" },
		{ "REDIS_HOST", "redis.host" },
		{ "DEFAULT_BROKERS", "kafka.bootstrap" },
	};

	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		char *value = var_string(vars_get(&pl->vars, table[i].var));
		char *field = xasprintf("env.%s", table[i].env);

		plan_set_env(s, table[i].env, value, NULL);
		kv_set(&s->sources, field, "rule:snuba-middleware-defaults");
		free(value);
		free(field);
	}
	return 1;
}

/* Snuba's own `api` CLI once served on 127.0.0.1; releases whose CLI has
 * --bind get 0.0.0.0 explicitly, older ones keep the image entrypoint,
 * whose uWSGI listens on 0.0.0.0:1218. */
static int
bind_api(struct plan *pl, struct plan_service *s)
{
	const struct var *how = vars_get(&pl->vars, "cfg.snuba_api_bind");

	int changed = how != NULL && strcmp(how->text, "flag") == 0 &&
	    !sl_contains(&s->args, "--bind");

	if (changed) {
		sl_add(&s->args, "--bind");
		sl_add(&s->args, "0.0.0.0:1218");
		kv_set(&s->sources, "args", "rule:snuba-api-bind");
	}
	sl_free(&s->command);
	return changed;
}

static const struct fixup fixups[] = {
	{ "config-in-every-sentry-container", runs_sentry, mount_config,
	  "mounts the same Sentry configuration at /etc/sentry", NULL },
	{ "secret-key-shared", runs_sentry, share_secret_key,
	  "reads the one Sentry secret key from the Secret", NULL },
	{ "celery-force-root", runs_celery, force_root,
	  "sets C_FORCE_ROOT=1 so Celery starts in a root container, as the "
	  "image runs by default",
	  "runs as the Sentry image's own user, not root (securityContext "
	  "runAsUser), so Celery starts without C_FORCE_ROOT" },
	{ "private-ca", has_private_ca, trust_private_ca,
	  "trusts the answers' CA certificates along with the image's own "
	  "roots (one bundle at " CA_BUNDLE_PATH ")", NULL },
	{ "geoip", reads_geoip, mount_geoip,
	  "reads the GeoLite2 database of the shared volume (" GEOIP_DIR "), "
	  "which geoipupdate downloads or the runbook copies in", NULL },
	{ "tls-client-certs", uses_client_certs, mount_client_certs,
	  "reads the client certificates from " TLS_CLIENT_DIR " (a Secret)",
	  NULL },
	{ "snuba-middleware-defaults", runs_snuba, snuba_defaults,
	  "sets CLICKHOUSE_HOST, REDIS_HOST and DEFAULT_BROKERS (they default "
	  "to 127.0.0.1)", NULL },
	{ "snuba-python-consumer", is_rust_consumer_without_tls, python_consumer,
	  "runs Snuba's Python `consumer` with the same arguments: this "
	  "release's rust-consumer was built without SSL and SCRAM", NULL },
	{ "consumer-heartbeat", lacks_heartbeat, add_heartbeat,
	  "writes a heartbeat file, which its liveness check reads: upstream's "
	  "command for this release keeps none", NULL },
	{ "taskworker-broker-list", talks_to_many_brokers, broker_list,
	  "connects to every taskbroker by name (--rpc-host-list), not to one "
	  "behind the Service", NULL },
	{ "snuba-api-bind", is_snuba_api, bind_api,
	  "listens on 0.0.0.0:1218 (snuba api --bind), not 127.0.0.1",
	  "the image's entrypoint already serves the API on 0.0.0.0:1218" },
};

static void
apply_group(struct plan *pl, struct plan_service *group, size_t n)
{
	for (size_t f = 0; f < sizeof fixups / sizeof fixups[0]; f++) {
		for (size_t i = 0; i < n; i++) {
			if (!fixups[f].applies(pl, &group[i]))
				continue;
			if (fixups[f].apply(pl, &group[i]))
				plan_note(pl, fixups[f].rule, group[i].name,
				    fixups[f].what, 1);
			else
				plan_note(pl, fixups[f].rule, group[i].name,
				    fixups[f].held, 0);
		}
	}
}

void
plan_apply_fixes(struct plan *pl)
{
	char *what;

	apply_group(pl, pl->services, pl->nservices);
	apply_group(pl, pl->migrations, pl->nmigrations);
	what = xasprintf("sentry.conf.py sets KAFKA_CLUSTERS[\"default\"] to %s "
	    "(Sentry's default is localhost:9092)",
	    vars_get(&pl->vars, "kafka.bootstrap")->text);
	plan_note(pl, "kafka-clusters-default", NULL, what, 1);
	free(what);
	if (plan_service(pl, "relay") != NULL)
		plan_note(pl, "relay-internal-ips", NULL, "config.yml trusts the "
		    "generated Relay identity through relay.static_auth, which "
		    "works whatever the container addresses are", 1);
}
