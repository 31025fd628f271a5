/* The schema of profiles/NAME.yaml, as field tables (see schema.h). */
#include <stddef.h>

#include "profile.h"

#define T(type)	&(const struct table){ type##_fields, sizeof(struct type) }
#define END	{ NULL, 0, 0, NULL, 0, NULL, NULL }

static const struct int_range port_range = { 1, 65535 };
static const struct int_range count_range = { 0, 1000 };
static const struct int_range seconds_range = { 1, 86400 };
static const struct int_range schema_range = { PROFILE_SCHEMA, PROFILE_SCHEMA };

static const char *const feature_sets[] = { "errors-only", "feature-complete", NULL };
/* What a service may depend on beyond the feature set (plan_enabled). */
static const char *const conditions[] = { "geoip", NULL };
/* images: pulled from the public registries; geoip: geoipupdate downloads
 * GeoLite2; beacon: Sentry reports to sentry.io; js_sdk_loader: the Loader
 * Script sends browsers to browser.sentry-cdn.com; symbol_sources:
 * Symbolicator fetches from Microsoft, NuGet...; air_gap_setting: the
 * release has SENTRY_AIR_GAP; private_ips: the release refuses outgoing
 * requests to private addresses (SENTRY_DISALLOWED_IPS). */
const char *const profile_internet_steps[] = { "images", "geoip", "beacon",
	"js_sdk_loader", "symbol_sources", "air_gap_setting", "private_ips",
	NULL };
static const char *const volume_kinds[] = { "config", "filestore", "shared",
	"cache", "per-replica", "scratch", NULL };

static const struct field prof_port_fields[] = {
	{ "name", FT_STR, offsetof(struct prof_port, name), NULL, F_REQUIRED | F_DNS_LABEL, NULL, NULL },
	{ "port", FT_INT, offsetof(struct prof_port, port), &port_range, F_REQUIRED, NULL, NULL },
	{ "service", FT_INT, offsetof(struct prof_port, service), &port_range, 0, NULL, NULL },
	END
};

#define S struct prof_health
static const struct field prof_health_fields[] = {
	{ "http", FT_STR, offsetof(S, http), NULL, F_NONEMPTY, NULL, NULL },
	{ "file", FT_STR, offsetof(S, file), NULL, F_NONEMPTY, NULL, NULL },
	{ "exec", FT_ARGV, offsetof(S, exec), NULL, F_NONEMPTY, NULL, NULL },
	{ "grpc", FT_BOOL, offsetof(S, grpc), NULL, 0, NULL, NULL },
	{ "tcp", FT_BOOL, offsetof(S, tcp), NULL, 0, NULL, NULL },
	{ "port", FT_INT, offsetof(S, port), &port_range, 0, NULL, NULL },
	{ "max_age", FT_INT, offsetof(S, max_age), &seconds_range, 0, NULL, NULL },
	{ "start_period", FT_INT, offsetof(S, start_period), &seconds_range, 0, NULL, NULL },
	END
};
#undef S

static const struct field prof_resources_fields[] = {
	{ "cpu", FT_STR, offsetof(struct prof_resources, cpu), NULL, F_NONEMPTY, NULL, NULL },
	{ "memory", FT_STR, offsetof(struct prof_resources, memory), NULL, F_NONEMPTY, NULL, NULL },
	END
};

#define S struct prof_service
static const struct field prof_service_fields[] = {
	{ "extends", FT_STR, offsetof(S, extends), NULL, F_NONEMPTY, NULL, NULL },
	{ "description", FT_STR, offsetof(S, description), NULL, 0, NULL, NULL },
	{ "image", FT_STR, offsetof(S, image), NULL, F_NONEMPTY, NULL, NULL },
	{ "role", FT_STR, offsetof(S, role), NULL, F_NONEMPTY, NULL, NULL },
	{ "entrypoint", FT_ARGV, offsetof(S, entrypoint), NULL, 0, NULL, NULL },
	{ "args", FT_ARGV, offsetof(S, args), NULL, 0, NULL, NULL },
	{ "ports", FT_LIST, offsetof(S, ports), T(prof_port), 0, NULL, NULL },
	{ "env", FT_KV, offsetof(S, env), NULL, 0, NULL, NULL },
	{ "mounts", FT_STRLIST, offsetof(S, mounts), NULL, 0, NULL, NULL },
	{ "health", FT_MAP, offsetof(S, health), T(prof_health), 0, NULL, NULL },
	{ "resources", FT_MAP, offsetof(S, resources), T(prof_resources), 0, NULL, NULL },
	{ "replicas", FT_INT, offsetof(S, replicas), &count_range, 0, NULL, NULL },
	{ "features", FT_ENUM, offsetof(S, features), feature_sets, 0, NULL, NULL },
	{ "schedule", FT_STR, offsetof(S, schedule), NULL, F_NONEMPTY, NULL, NULL },
	{ "topic", FT_STR, offsetof(S, topic), NULL, F_NONEMPTY, NULL, NULL },
	{ "celery", FT_BOOL, offsetof(S, celery), NULL, 0, NULL, NULL },
	{ "upstream", FT_STR, offsetof(S, upstream), NULL, F_NONEMPTY, NULL, NULL },
	{ "differs", FT_STR, offsetof(S, differs), NULL, F_NONEMPTY, NULL, NULL },
	{ "cleans", FT_STR, offsetof(S, cleans), NULL, F_NONEMPTY, NULL, NULL },
	{ "when", FT_ENUM, offsetof(S, when), conditions, 0, NULL, NULL },
	END
};
#undef S

static const char *const shells[] = { "sh", "python", "none", NULL };

#define S struct prof_image
static const struct field prof_image_fields[] = {
	{ "entrypoint", FT_ARGV, offsetof(S, entrypoint), NULL, F_NONEMPTY, NULL, NULL },
	{ "alternative", FT_ARGV, offsetof(S, alternative), NULL, F_NONEMPTY, NULL, NULL },
	{ "shell", FT_ENUM, offsetof(S, shell), shells, F_REQUIRED, NULL, NULL },
	{ "python", FT_STR, offsetof(S, python), NULL, F_NONEMPTY, NULL, NULL },
	{ "healthcheck", FT_ARGV, offsetof(S, healthcheck), NULL, F_NONEMPTY, NULL, NULL },
	{ "rust_consumer_tls", FT_BOOL, offsetof(S, rust_consumer_tls), NULL, 0, NULL, NULL },
	END
};
#undef S

static const struct int_range id_range = { 1, 2147483646 };

#define S struct prof_user
static const struct field prof_user_fields[] = {
	{ "uid", FT_INT, offsetof(S, uid), &id_range, 0, NULL, NULL },
	{ "gid", FT_INT, offsetof(S, gid), &id_range, 0, NULL, NULL },
	{ "nonroot", FT_BOOL, offsetof(S, nonroot), NULL, F_REQUIRED, NULL, NULL },
	{ "writes", FT_STRLIST, offsetof(S, writes), NULL, 0, NULL, NULL },
	END
};
#undef S

#define S struct prof_heartbeat
static const struct field prof_heartbeat_fields[] = {
	{ "image", FT_STR, offsetof(S, image), NULL, F_REQUIRED | F_NONEMPTY, NULL, NULL },
	{ "command", FT_ARGV, offsetof(S, command), NULL, F_REQUIRED | F_NONEMPTY, NULL, NULL },
	{ "flag", FT_STR, offsetof(S, flag), NULL, F_REQUIRED | F_NONEMPTY, NULL, NULL },
	{ "health", FT_MAP, offsetof(S, health), T(prof_health), F_REQUIRED, NULL, NULL },
	END
};
#undef S

static const struct field prof_volume_fields[] = {
	{ "kind", FT_ENUM, offsetof(struct prof_volume, kind), volume_kinds, F_REQUIRED, NULL, NULL },
	{ "size", FT_STR, offsetof(struct prof_volume, size), NULL, F_NONEMPTY, NULL, NULL },
	{ "files", FT_KV, offsetof(struct prof_volume, files), NULL, 0, NULL, NULL },
	END
};

static const struct field prof_topic_fields[] = {
	{ "name", FT_STR, offsetof(struct prof_topic, name), NULL, F_REQUIRED | F_NONEMPTY, NULL, NULL },
	{ "partitions", FT_INT, offsetof(struct prof_topic, partitions), &count_range, 0, NULL, NULL },
	END
};

static const struct field prof_range_fields[] = {
	{ "min", FT_STR, offsetof(struct prof_range, min), NULL, F_NONEMPTY, NULL, NULL },
	{ "max", FT_STR, offsetof(struct prof_range, max), NULL, F_NONEMPTY, NULL, NULL },
	END
};

#define S struct prof_requires
static const struct field prof_requires_fields[] = {
	{ "postgres", FT_MAP, offsetof(S, postgres), T(prof_range), 0, NULL, NULL },
	{ "clickhouse", FT_MAP, offsetof(S, clickhouse), T(prof_range), 0, NULL, NULL },
	{ "redis", FT_MAP, offsetof(S, redis), T(prof_range), 0, NULL, NULL },
	{ "kafka", FT_MAP, offsetof(S, kafka), T(prof_range), 0, NULL, NULL },
	{ "memcached", FT_MAP, offsetof(S, memcached), T(prof_range), 0, NULL, NULL },
	{ "zookeeper", FT_BOOL, offsetof(S, zookeeper), NULL, 0, NULL, NULL },
	END
};
#undef S

#define S struct profile
const struct field profile_fields[] = {
	{ "schema", FT_INT, offsetof(S, schema), &schema_range, F_REQUIRED, NULL, NULL },
	{ "release", FT_STR, offsetof(S, release), NULL, F_REQUIRED | F_NONEMPTY, NULL, NULL },
	{ "title", FT_STR, offsetof(S, title), NULL, F_NONEMPTY, NULL, NULL },
	{ "released", FT_STR, offsetof(S, released), NULL, F_NONEMPTY, NULL, NULL },
	{ "summary", FT_STR, offsetof(S, summary), NULL, F_REQUIRED | F_NONEMPTY, NULL, NULL },
	{ "hard_stop", FT_BOOL, offsetof(S, hard_stop), NULL, F_REQUIRED, NULL, NULL },
	{ "hard_stop_reason", FT_STR, offsetof(S, hard_stop_reason), NULL, F_NONEMPTY, NULL, NULL },
	{ "upstream_tag", FT_STR, offsetof(S, upstream_tag), NULL, F_NONEMPTY, NULL, NULL },
	{ "images", FT_KV, offsetof(S, images), NULL, F_REQUIRED, NULL, NULL },
	{ "image_facts", FT_DICT, offsetof(S, image_facts), T(prof_image), 0, NULL, NULL },
	{ "image_users", FT_DICT, offsetof(S, image_users), T(prof_user), 0, NULL, NULL },
	{ "requires", FT_MAP, offsetof(S, requires), T(prof_requires), 0, NULL, NULL },
	{ "config", FT_KV, offsetof(S, config), NULL, 0, NULL, NULL },
	{ "sentry_features", FT_KV, offsetof(S, sentry_features), NULL, 0, NULL, NULL },
	{ "sentry_options", FT_KV, offsetof(S, sentry_options), NULL, 0, NULL, NULL },
	{ "topics", FT_LIST, offsetof(S, topics), T(prof_topic), 0, NULL, NULL },
	{ "heartbeats", FT_LIST, offsetof(S, heartbeats), T(prof_heartbeat), 0, NULL, NULL },
	{ "internet_steps", FT_STRLIST, offsetof(S, internet_steps), profile_internet_steps, 0, NULL, NULL },
	{ "volumes", FT_DICT, offsetof(S, volumes), T(prof_volume), 0, NULL, NULL },
	{ "templates", FT_DICT, offsetof(S, templates), T(prof_service), 0, NULL, NULL },
	{ "migrations", FT_DICT, offsetof(S, migrations), T(prof_service), 0, NULL, NULL },
	{ "services", FT_DICT, offsetof(S, services), T(prof_service), F_REQUIRED, NULL, NULL },
	{ "omitted", FT_KV, offsetof(S, omitted), NULL, 0, NULL, NULL },
	{ "former", FT_KV, offsetof(S, former), NULL, 0, NULL, NULL },
	{ "successors", FT_KV, offsetof(S, successors), NULL, 0, NULL, NULL },
	{ "snuba_migrations", FT_KV, offsetof(S, snuba_migrations), NULL, 0, NULL, NULL },
	{ "sentry_migration_head", FT_STR, offsetof(S, sentry_migration_head), NULL, F_NONEMPTY, NULL, NULL },
	END
};
#undef S
