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
	const char *cluster = pl->answers->clickhouse.cluster;

	if (cluster != NULL && cluster[0] != '\0')
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
	else if (mode == NULL && pl->answers->redis.port == SENTINEL_PORT)
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
	size_t answered = pl->answers->kafka.brokers.n;
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

void
check_zookeeper_hosts(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	(void)facts;
	if (pl->profile->requires.zookeeper == 1 &&
	    pl->answers->zookeeper.hosts.n == 0)
		finding_add(out, id, SEV_WARNING, "zookeeper", "zookeeper.hosts",
		    "Sentry %s's Kafka runs with ZooKeeper, and the answers do not "
		    "say where it is", pl->release);
}
