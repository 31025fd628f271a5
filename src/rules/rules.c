/* The rule table, evaluation order, findings and facts. */
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"

const char *const severity_names[] = { "info", "warning", "error" };

/* Rules whose condition the generator always satisfies share one check,
 * which reports what plan_apply_fixes() did for the rule. */
static const struct {
	const char	*id;
	rule_check	*check;
} rules[] = {
	{ "worker-needs-cron", check_worker_needs_cron },
	{ "cron-singleton", check_cron_singleton },
	{ "taskscheduler-singleton", check_taskscheduler_singleton },
	{ "taskbroker-single-point", check_taskbroker_single_point },
	{ "singleton-replicas", check_singleton_replicas },
	{ "taskworker-needs-taskbroker", check_taskworker_needs_taskbroker },
	{ "taskbroker-partitions", check_taskbroker_partitions },
	{ "clickhouse-no-distributed", check_clickhouse_distributed },
	{ "shared-filestore", check_shared_filestore },
	{ "symbolicator-shared-data", check_symbolicator_data },
	{ "snuba-api-bind", check_applied },
	{ "snuba-python-consumer", check_applied },
	{ "consumer-heartbeat", check_applied },
	{ "private-ca", check_applied },
	{ "tls-client-certs", check_applied },
	{ "geoip", check_geoip },
	{ "taskworker-broker-list", check_applied },
	{ "snuba-middleware-defaults", check_applied },
	{ "kafka-clusters-default", check_applied },
	{ "config-in-every-sentry-container", check_applied },
	{ "celery-force-root", check_applied },
	{ "consumer-partitions", check_consumer_partitions },
	{ "monitors-clock-tick-single-partition", check_clock_tick },
	{ "secret-key-shared", check_applied },
	{ "relay-internal-ips", check_applied },
	{ "redis-no-cluster-or-sentinel", check_redis_mode },
	{ "postgres-min-version", check_postgres_version },
	{ "clickhouse-version-range", check_clickhouse_version },
	{ "kafka-replication", check_kafka_replication },
	{ "snuba-migration-in-progress", check_snuba_in_progress },
	{ "snuba-state", check_snuba_state },
	{ "sentry-migration-boundary", check_sentry_boundary },
	{ "host-clock-skew", check_clock_skew },
	{ "shared-volume-free-space", check_shared_space },
	{ "docker-root-free-space", check_docker_root_space },
	{ "swarm-sshfs-plugin", check_sshfs_plugin },
	{ "swarm-node-available", check_node_available },
	{ "swarm-host-capacity", check_host_capacity },
	/* Asked by an upgrade only, of one release (rules_reached.c). */
	{ "upgrade-standing", NULL },
	{ "upgrade-hop-verified", NULL },
	{ "memcached-backend-class", check_memcached_class },
	{ "air-gap-internet-steps", check_air_gap },
	{ "url-prefix", check_url_prefix },
	{ "filestore-external-cleanup", check_external_cleanup },
	{ "middleware-credentials", check_middleware_credentials },
	{ "swarm-secret-files", check_swarm_secret_files },
	{ "swarm-sshfs-uid", check_swarm_sshfs_uid },
	{ "swarm-images-from-registry", check_swarm_images },
	{ "swarm-volume-change-needs-stack-rm", check_swarm_volume_change },
	{ "swarm-group-one-host", check_swarm_group_one_host },
	{ "autoscaling-max-partitions", check_scale_partitions },
	{ "autoscaling-singleton", check_scale_singleton },
	{ "network-policy-egress", check_netpol_egress },
	{ "answer-ignored", check_answers_ignored },
};

#define NRULES	(sizeof rules / sizeof rules[0])

size_t
rule_count(void)
{
	return NRULES;
}

const char *
rule_id(size_t i)
{
	return i < NRULES ? rules[i].id : NULL;
}

void
finding_add(struct findings *out, const char *rule, enum severity sev,
    const char *subject, const char *field, const char *fmt, ...)
{
	struct finding *fd;
	struct strbuf msg = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(&msg, fmt, ap);
	va_end(ap);
	out->v = xgrow(out->v, &out->cap, out->n + 1, sizeof *out->v);
	fd = &out->v[out->n++];
	fd->rule = rule;
	fd->severity = sev;
	fd->subject = xstrdup(subject);
	fd->field = xstrdup(field);
	fd->message = sb_take(&msg);
	fd->order = out->n;
}

long
replicas_of(const struct plan *pl, const char *service)
{
	for (size_t i = 0; i < pl->nservices; i++)
		if (strcmp(pl->services[i].name, service) == 0)
			return pl->services[i].replicas;
	return -1;
}

static int
rank(const struct finding *f)
{
	size_t i;

	for (i = 0; i < NRULES; i++)
		if (strcmp(rules[i].id, f->rule) == 0)
			break;
	return (int)(SEV_ERROR - f->severity) * 1000 + (int)i;
}

static int
by_severity(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;

	if (rank(x) != rank(y))
		return rank(x) - rank(y);
	return x->order < y->order ? -1 : x->order > y->order;
}

void
rules_evaluate(const struct plan *pl, const struct facts *facts,
    struct findings *out)
{
	struct facts none;

	facts_init(&none);
	for (size_t i = 0; i < NRULES; i++)
		if (rules[i].check != NULL)
			rules[i].check(rules[i].id, pl, facts ? facts : &none, out);
	findings_sort(out);
}

void
findings_sort(struct findings *f)
{
	qsort(f->v, f->n, sizeof *f->v, by_severity);
}

size_t
findings_count(const struct findings *f, enum severity s)
{
	size_t n = 0;

	for (size_t i = 0; i < f->n; i++)
		n += f->v[i].severity == s;
	return n;
}

void
findings_free(struct findings *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].subject);
		free(f->v[i].field);
		free(f->v[i].message);
	}
	free(f->v);
	memset(f, 0, sizeof *f);
}
