/* Shared by the rules_*.c files; not part of the core's interface. */
#ifndef SHS_RULES_INTERNAL_H
#define SHS_RULES_INTERNAL_H

#include "rules.h"

/* A rule's check; `id` is the rule's own id, for its findings. */
typedef void rule_check(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out);

/* Adds a finding; the message is formatted. */
void	finding_add(struct findings *out, const char *rule, enum severity sev,
	    const char *subject, const char *field, const char *fmt, ...)
	    __attribute__((format(printf, 6, 7)));

/* Is the plan for Docker Swarm (rules_swarm.c)? */
int	rule_on_swarm(const struct plan *pl);
/* A size for a message: "4.0 GiB", or "8 MiB" under one GiB
 * (rules_middleware.c). */
void	rule_size_text(char *buf, size_t size, long kib);

/* Replicas of a service of the plan, or -1 when the plan has no such one. */
long	replicas_of(const struct plan *pl, const char *service);

/* Where the databases stand (rules_migrations.c). Has ClickHouse completed
 * Snuba migration `id` of `group`? Has it completed the last migration of
 * every group `p` runs (a profile without snuba_migrations proves nothing;
 * Snuba runs a group's migrations in order, so the last one stands for the
 * group)? Has django_migrations passed sentry_boundaries[i]: it, or a
 * later one, is there (a later squash alone is a database created after
 * the earlier boundary)? */
int	snuba_completed(const struct facts *f, const char *group, const char *id);
int	snuba_set_complete(const struct profile *p, const struct facts *f);
int	boundary_passed(const struct facts *f, size_t i);
/* Where Django migration `name` stands in its app's chain: its number
 * ("0219_x": 219), or for a squash the number of the last migration it
 * replaces ("0001_squashed_0904_x": 904); -1 for a name without one. */
long	migration_position(const char *name);
/* The newest release whose whole set ClickHouse has completed, or NULL.
 * Without the profiles (facts that lend none) only pl's is known. */
const struct profile *newest_complete(const struct plan *pl,
	    const struct facts *f);

/* The checks, one per rule id (rules_services.c, rules_middleware.c,
 * rules_applied.c, rules_migrations.c). */
rule_check check_worker_needs_cron, check_cron_singleton,
    check_taskscheduler_singleton, check_singleton_replicas,
    check_taskworker_needs_taskbroker, check_taskbroker_partitions,
    check_consumer_partitions, check_clock_tick, check_clickhouse_distributed,
    check_shared_filestore, check_symbolicator_data, check_redis_mode,
    check_postgres_version, check_clickhouse_version, check_kafka_replication,
    check_memcached_class, check_air_gap, check_url_prefix,
    check_external_cleanup, check_applied,
    check_swarm_secret_files, check_swarm_sshfs_uid, check_swarm_images,
    check_swarm_volume_change, check_swarm_group_one_host,
    check_middleware_credentials, check_clock_skew, check_shared_space,
    check_taskbroker_single_point, check_geoip, check_snuba_in_progress,
    check_snuba_state, check_sentry_boundary, check_sshfs_plugin,
    check_node_available, check_docker_root_space, check_host_capacity;
/* rules_scale.c */
rule_check check_scale_partitions, check_scale_singleton;
/* rules_netpol.c */
rule_check check_netpol_egress;
/* rules_ignored.c */
rule_check check_answers_ignored;

#endif
