/* Rules about the middleware and the stores behind Sentry. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"

/* Redis Sentinel's well-known port: a sign the answers name a Sentinel. */
#define SENTINEL_PORT	26379

void
check_clickhouse_distributed(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	const char *cluster = pl->clickhouse.cluster;

	if (cluster != NULL)
		finding_add(out, id, SEV_ERROR, "clickhouse", "clickhouse.cluster",
		    "the answers name ClickHouse cluster \"%s\"; Snuba supports "
		    "one single-node ClickHouse only", cluster);
	if (facts->clickhouse_distributed.n > 0) {
		char *tables = sl_join(&facts->clickhouse_distributed, ", ");

		finding_add(out, id, SEV_ERROR, "clickhouse", "clickhouse.host",
		    "ClickHouse holds Distributed tables (%s), which self-hosted "
		    "Sentry does not support", tables);
		free(tables);
	}
}

void
check_redis_mode(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	const char *mode = facts->redis_mode;

	if (mode != NULL && strcmp(mode, "standalone") != 0)
		finding_add(out, id, SEV_ERROR, "redis", "redis.host", "redis.host "
		    "is a Redis %s; Sentry needs a standalone server", mode);
	else if (mode == NULL && pl->redis.port == SENTINEL_PORT)
		finding_add(out, id, SEV_WARNING, "redis", "redis.port", "port %d "
		    "is Redis Sentinel's; Sentry cannot use Sentinel, give the "
		    "server's address", SENTINEL_PORT);
}

static void
version_range(const char *id, const char *what, const char *field,
    const char *have, const struct prof_range *need, struct findings *out)
{
	if (have == NULL)
		return;
	if (need->min != NULL && version_cmp(have, need->min) < 0)
		finding_add(out, id, SEV_ERROR, what, field, "%s %s is older than "
		    "the %s this release needs", what, have, need->min);
	else if (need->max != NULL && version_cmp(have, need->max) > 0)
		finding_add(out, id, SEV_WARNING, what, field, "%s %s is newer than "
		    "%s, the newest this release was tested with", what, have,
		    need->max);
}

void
check_postgres_version(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	version_range(id, "PostgreSQL", "postgres.host", facts->postgres_version,
	    &pl->profile->requires.postgres, out);
}

void
check_clickhouse_version(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	version_range(id, "ClickHouse", "clickhouse.host",
	    facts->clickhouse_version, &pl->profile->requires.clickhouse, out);
}

void
check_kafka_replication(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	size_t answered = pl->kafka.brokers.n;
	long brokers = facts->kafka_brokers >= 0 ? facts->kafka_brokers :
	    (long)answered;
	struct strlist thin = { 0 };

	if (brokers < 3) {
		finding_add(out, id, SEV_WARNING, "kafka", "kafka.brokers", "%ld "
		    "Kafka broker%s: a broker failure loses or stops every topic; "
		    "use three or more", brokers, brokers == 1 ? "" : "s");
		return;
	}
	for (size_t i = 0; i < facts->ntopics; i++)
		if (facts->topics[i].replication >= 1 &&
		    facts->topics[i].replication < 3)
			sl_add(&thin, facts->topics[i].name);
	if (thin.n > 0) {
		char *names = sl_join(&thin, ", ");

		finding_add(out, id, SEV_WARNING, "kafka", "kafka.brokers", "topics "
		    "with fewer than 3 replicas on a %ld-broker cluster: %s",
		    brokers, names);
		free(names);
	}
	sl_free(&thin);
}

void
check_memcached_class(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	(void)facts;
	finding_add(out, id, SEV_INFO, NULL, NULL, "sentry.conf.py uses %s, the "
	    "class Sentry %s expects", vars_get(&pl->vars,
	    "cfg.memcached_backend")->text, pl->release);
}

/*
 * How each kind of program is told where Kafka is and how to log in to it;
 * one row per environment convention the profiles use. Sentry itself
 * (sentry.conf.py) and Relay (config.yml) get the settings in their
 * config files and are not listed.
 */
static const struct kafka_client {
	const char	*brokers;	/* names the brokers */
	const char	*protocol;	/* security.protocol */
	const char	*password;	/* the SASL password */
} kafka_clients[] = {
	{ "DEFAULT_BROKERS", "KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_PASSWORD" },
	{ "SENTRY_KAFKA_BROKERS_PROFILING", "SENTRY_KAFKA_SECURITY_PROTOCOL",
	  "SENTRY_KAFKA_SASL_PASSWORD" },
	/* The taskbroker before its config file (26.5.x). */
	{ "TASKBROKER_KAFKA_CLUSTER", "TASKBROKER_KAFKA_SECURITY_PROTOCOL",
	  "TASKBROKER_KAFKA_SASL_PASSWORD" },
	{ "TASKBROKER_KAFKA_CLUSTERS__DEFAULT__ADDRESS",
	  "TASKBROKER_KAFKA_CLUSTERS__DEFAULT__SECURITY_PROTOCOL",
	  "TASKBROKER_KAFKA_CLUSTERS__DEFAULT__SASL_PASSWORD" },
	{ "UPTIME_CHECKER_RESULTS_KAFKA_CLUSTER",
	  "UPTIME_CHECKER_KAFKA_SECURITY_PROTOCOL",
	  "UPTIME_CHECKER_KAFKA_SASL_PASSWORD" },
	{ "KAFKA_BOOTSTRAP_SERVERS", "KAFKA_SECURITY_PROTOCOL",
	  "KAFKA_SASL_PASSWORD" },
};

/* What the service cannot be told, or NULL when it gets every setting. */
static const char *
missing_kafka_setting(const struct plan_service *s, int tls, int sasl)
{
	for (size_t i = 0; i < sizeof kafka_clients / sizeof kafka_clients[0];
	    i++) {
		const struct kafka_client *c = &kafka_clients[i];

		if (plan_env_get(s, c->brokers) == NULL)
			continue;
		if ((tls || sasl) && plan_env_get(s, c->protocol) == NULL)
			return "the security protocol";
		if (sasl && plan_env_get(s, c->password) == NULL)
			return "a SASL password";
	}
	return NULL;
}

static int
is_optional_feature(const struct plan_service *s)
{
	return s->prof != NULL && s->prof->features != NULL &&
	    strcmp(s->prof->features, "feature-complete") == 0;
}

/*
 * Credentials that the answers give but some program of the release has no
 * way to receive: it would connect without them and fail, over and over.
 * Profiling and other feature-complete extras only lose their feature, so
 * they are warnings.
 */
/* One finding for all the services in `names`, if any. */
static void
credential_finding(const char *id, enum severity sev, const char *subject,
    const char *field, const struct strlist *names, const char *what,
    struct findings *out)
{
	char *list;

	if (names->n == 0)
		return;
	list = sl_join(names, ", ");
	finding_add(out, id, sev, subject, field, "%s: %s", list, what);
	free(list);
}

void
check_middleware_credentials(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	const char *proto = pl->kafka.security_protocol;
	int sasl = strncmp(proto, "SASL_", 5) == 0;
	int tls = strcmp(proto, "SSL") == 0 || strcmp(proto, "SASL_SSL") == 0;
	int ch_password = pl->clickhouse.password_ref != NULL;
	int redis_tls = pl->redis.tls;
	/* [0]: core services (errors), [1]: feature-complete extras. */
	struct strlist kafka[2] = { { 0 }, { 0 } }, clickhouse[2] = { { 0 }, { 0 } };
	struct strlist redis[2] = { { 0 }, { 0 } };
	char *what;

	(void)facts;
	for (size_t i = 0; i < pl->nservices + pl->nmigrations; i++) {
		const struct plan_service *s = i < pl->nservices ?
		    &pl->services[i] : &pl->migrations[i - pl->nservices];
		int extra = is_optional_feature(s);

		if (missing_kafka_setting(s, tls, sasl) != NULL)
			sl_add(&kafka[extra], s->name);
		if (ch_password && plan_env_get(s, "CLICKHOUSE_HOST") != NULL &&
		    plan_env_get(s, "CLICKHOUSE_PASSWORD") == NULL)
			sl_add(&clickhouse[extra], s->name);
		if (redis_tls && plan_env_get(s, "REDIS_HOST") != NULL &&
		    plan_env_get(s, "REDIS_SSL") == NULL)
			sl_add(&redis[extra], s->name);
	}
	what = xasprintf("no setting for Kafka's %s in Sentry %s; without it, "
	    "no connection to Kafka over %s", sasl ? "SASL login" :
	    "security protocol", pl->release, proto);
	for (int extra = 0; extra < 2; extra++) {
		enum severity sev = extra ? SEV_WARNING : SEV_ERROR;

		credential_finding(id, sev, "kafka", "kafka.security_protocol",
		    &kafka[extra], what, out);
		credential_finding(id, sev, "clickhouse", "clickhouse.password",
		    &clickhouse[extra], "no setting for the ClickHouse password; "
		    "they log in without it and are refused", out);
		credential_finding(id, sev, "redis", "redis.tls", &redis[extra],
		    "no setting for TLS to Redis; they connect in plain text "
		    "and are refused", out);
		sl_free(&kafka[extra]);
		sl_free(&clickhouse[extra]);
		sl_free(&redis[extra]);
	}
	free(what);
}

void
rule_size_text(char *buf, size_t size, long kib)
{
	if (kib >= 1024 * 1024)
		snprintf(buf, size, "%.1f GiB", (double)kib / (1024 * 1024));
	else
		snprintf(buf, size, "%ld MiB", kib / 1024);
}

/* Uploads, debug files and Symbolicator's cache all land on the shared
 * volume: a full one fails uploads on every node at once (facts.h says
 * where the floors come from). */
void
check_shared_space(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	(void)pl;
	for (size_t i = 0; i < facts->nspaces; i++) {
		const struct space_fact *s = &facts->spaces[i];
		char avail[32], total[48] = "";

		if (!space_low(s->free_kib, s->total_kib))
			continue;
		rule_size_text(avail, sizeof avail, s->free_kib);
		if (s->total_kib > 0) {
			char all[32];

			rule_size_text(all, sizeof all, s->total_kib);
			snprintf(total, sizeof total, " (%.0f%% of %s)", 100.0 *
			    (double)s->free_kib / (double)s->total_kib, all);
		}
		finding_add(out, id, SEV_WARNING, "ssh", s->field, "the shared "
		    "path %s has %s free%s as %s sees it; below %ld GiB or %d%% "
		    "uploads soon fail", s->path, avail, total, s->where,
		    SPACE_LOW_KIB / (1024 * 1024), SPACE_LOW_PERCENT);
	}
}

/* Kafka's and Snuba's timestamps and TLS's validity periods assume the
 * nodes agree on the time: only a skew beyond doubt is reported. */
void
check_clock_skew(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	(void)pl;
	for (size_t i = 0; i < facts->nclocks; i++) {
		const struct clock_fact *c = &facts->clocks[i];
		char field[64];

		if (!clock_skew_beyond(c->skew_s, c->uncertainty_s,
		    CLOCK_SKEW_LIMIT_S))
			continue;
		snprintf(field, sizeof field, "hosts[%ld].address", c->index);
		finding_add(out, id, SEV_WARNING, "ssh", field, "the clock of %s "
		    "is %.1f s %s this machine's (give or take %.1f s); more than "
		    "%.0f s upsets Kafka, Snuba and TLS", c->host, c->skew_s < 0 ?
		    -c->skew_s : c->skew_s, c->skew_s < 0 ? "behind" : "ahead of",
		    c->uncertainty_s, CLOCK_SKEW_LIMIT_S);
	}
}
