/*
 * The schema of sentry-ha.yaml, as field tables (see schema.h and DESIGN §3):
 * the one definition of every answer. Each entry gives the key, its type,
 * its checks, its default and what leaving it out means; the choices are
 * listed in the order the wizard offers them, the usual one first.
 */
#include <stddef.h>

#include "answers.h"

#define T(type)	&(const struct table){ type##_fields, sizeof(struct type) }

static const struct int_range port_range = { 1, 65535 };
static const struct int_range replicas_range = { 0, 1000 };
static const struct int_range db_range = { 0, 15 };
static const struct int_range id_range = { 0, 2147483647 };
static const struct int_range retention_range = { 1, 3650 };
static const struct int_range max_replicas_range = { 1, 1000 };
static const struct int_range schema_range = { ANSWERS_SCHEMA, ANSWERS_SCHEMA };

static const char *const kinds[] = { "kubernetes", "swarm", NULL };
static const char *const feature_sets[] = { "feature-complete", "errors-only", NULL };
static const char *const sslmodes[] = { "prefer", "require", "verify-ca",
	"verify-full", "disable", "allow", NULL };
static const char *const kafka_protocols[] = { "PLAINTEXT", "SSL",
	"SASL_PLAINTEXT", "SASL_SSL", NULL };
/* "" is how Helm values say "none"; the wizard offers only the others. */
static const char *const sasl_mechanisms[] = { "PLAIN", "SCRAM-SHA-256",
	"SCRAM-SHA-512", "", NULL };
/* ssl: Sentry's own word for implicit TLS (mail.use-ssl); answers_resolve
 * turns it into tls. */
static const char *const smtp_tls[] = { "starttls", "tls", "ssl", "none", NULL };
static const char *const autoscalers[] = { "none", "hpa", "keda", NULL };
static const char *const backends[] = { "filesystem", "s3", "gcs", NULL };
static const char *const sizes[] = { "small", "medium", "large", NULL };
static const char *const volume_kinds[] = { "pvc", "nfs", "sshfs", "hostpath",
	NULL };
/* The node's Swarm role (manager or worker, Swarm's own words), and the
 * stack groups whose services the host runs (a host with no group role
 * runs any). */
static const char *const host_roles[] = { "manager", "worker", "snuba",
	"sentry", "web", "ingest", NULL };

#define S struct ans_sentry
static const struct field ans_sentry_fields[] = {
	{ "version", FT_STR, offsetof(S, version), NULL, F_REQUIRED | F_NONEMPTY,
	  NULL, NULL },
	{ "features", FT_ENUM, offsetof(S, features), feature_sets, 0,
	  "feature-complete", NULL },
	{ "url_prefix", FT_STR, offsetof(S, url_prefix), NULL, F_URL,
	  NULL, "none: links in mail point at http://web:9000" },
	{ "admin_email", FT_STR, offsetof(S, admin_email), NULL, F_EMAIL,
	  NULL, NULL },
	{ "retention_days", FT_INT, offsetof(S, retention_days), &retention_range, 0,
	  "90", NULL },
	{ "secret_key", FT_SECRET, offsetof(S, secret_key), NULL, 0,
	  NULL, "generated once into NAME.keys.yaml" },
	{ "js_sdk_url", FT_STR, offsetof(S, js_sdk_url), NULL, F_URL,
	  NULL, "the release's: browser.sentry-cdn.com, or none when air-gapped" },
	{ "disallowed_ips", FT_STRLIST, offsetof(S, disallowed_ips), NULL, F_CIDR,
	  NULL, "Sentry's: every private and reserved range (25.9.0+)" },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};
#undef S

static const char *const toleration_operators[] = { "Equal", "Exists", NULL };
static const char *const taint_effects[] = { "NoSchedule", "PreferNoSchedule",
	"NoExecute", NULL };
static const struct int_range seconds_range = { 0, 31536000 };

#define S struct ans_toleration
static const struct field ans_toleration_fields[] = {
	{ "key", FT_STR, offsetof(S, key), NULL, F_LABEL_KEY,
	  NULL, "every taint (operator Exists only)" },
	{ "operator", FT_ENUM, offsetof(S, operator), toleration_operators, 0,
	  "Equal", NULL },
	{ "value", FT_STR, offsetof(S, value), NULL, F_LABEL_VALUE,
	  NULL, "none (operator Exists)" },
	{ "effect", FT_ENUM, offsetof(S, effect), taint_effects, 0,
	  NULL, "every effect" },
	{ "toleration_seconds", FT_INT, offsetof(S, toleration_seconds),
	  &seconds_range, 0, NULL, "forever (NoExecute only)" },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};
#undef S

#define S struct ans_target
static const struct field ans_target_fields[] = {
	{ "kind", FT_ENUM, offsetof(S, kind), kinds, F_REQUIRED,
	  NULL, NULL },
	{ "namespace", FT_STR, offsetof(S, namespace), NULL, F_DNS_LABEL,
	  "sentry", NULL },
	{ "storage_class", FT_STR, offsetof(S, storage_class), NULL, F_DNS_NAME,
	  NULL, "the default" },
	{ "ingress_host", FT_STR, offsetof(S, ingress_host), NULL, F_DNS_NAME,
	  NULL, "none" },
	{ "ingress_class", FT_STR, offsetof(S, ingress_class), NULL, F_DNS_NAME,
	  NULL, "the cluster's default class" },
	{ "ingress_tls_secret", FT_STR, offsetof(S, ingress_tls_secret), NULL,
	  F_DNS_NAME, NULL, "none: TLS ends before the Ingress, or nowhere" },
	{ "ingress_annotations", FT_KV, offsetof(S, ingress_annotations), NULL, 0,
	  NULL, "none but the body size nginx needs" },
	{ "stack", FT_STR, offsetof(S, stack), NULL, F_DNS_LABEL,
	  "sentry", NULL },
	{ "deploy_dir", FT_STR, offsetof(S, deploy_dir), NULL, F_NONEMPTY,
	  "sentry-ha-setup", NULL },
	{ "network_policy", FT_BOOL, offsetof(S, network_policy), NULL, 0,
	  "false", NULL },
	{ "ingress_namespace", FT_STR, offsetof(S, ingress_namespace), NULL,
	  F_DNS_LABEL, "ingress-nginx", NULL },
	/* The operator opens the Internet, not us: none by default. */
	{ "egress_cidrs", FT_STRLIST, offsetof(S, egress_cidrs), NULL, F_CIDR,
	  NULL, "none: Sentry's webhooks, integrations and notifications "
	  "reach nothing outside the flows the plan needs" },
	{ "egress_except", FT_STRLIST, offsetof(S, egress_except), NULL, F_CIDR,
	  NULL, "none: every address of egress_cidrs" },
	{ "node_selector", FT_KV, offsetof(S, node_selector), NULL,
	  F_LABEL_KEY | F_LABEL_VALUE, NULL, "none: any node" },
	{ "tolerations", FT_LIST, offsetof(S, tolerations),
	  T(ans_toleration), 0, NULL, "none" },
	{ "zones", FT_BOOL, offsetof(S, zones), NULL, 0,
	  "false", NULL },
	{ "priority_class", FT_STR, offsetof(S, priority_class), NULL,
	  F_DNS_NAME, NULL, "NAMESPACE-ingest, created by the output" },
	{ "autoscaling", FT_ENUM, offsetof(S, autoscaling), autoscalers, 0,
	  "none", NULL },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};
#undef S

/* A client certificate and its key, where the protocol has them. */
#define CLIENT_CERT_FIELDS \
	{ "client_cert", FT_SECRET, offsetof(S, client_cert), NULL, 0, \
	  NULL, "none" }, \
	{ "client_key", FT_SECRET, offsetof(S, client_key), NULL, 0, \
	  NULL, "none" }

#define S struct ans_postgres
static const struct field ans_postgres_fields[] = {
	{ "host", FT_STR, offsetof(S, host), NULL, F_REQUIRED | F_HOST,
	  NULL, NULL },
	{ "port", FT_INT, offsetof(S, port), &port_range, 0,
	  "5432", NULL },
	{ "database", FT_STR, offsetof(S, database), NULL, F_NONEMPTY,
	  "sentry", NULL },
	{ "user", FT_STR, offsetof(S, user), NULL, F_NONEMPTY,
	  "sentry", NULL },
	{ "password", FT_SECRET, offsetof(S, password), NULL, 0,
	  NULL, "none" },
	{ "sslmode", FT_ENUM, offsetof(S, sslmode), sslmodes, 0,
	  "prefer", NULL },
	CLIENT_CERT_FIELDS,
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};
#undef S

#define S struct ans_redis
static const struct field ans_redis_fields[] = {
	{ "host", FT_STR, offsetof(S, host), NULL, F_REQUIRED | F_HOST,
	  NULL, NULL },
	{ "port", FT_INT, offsetof(S, port), &port_range, 0,
	  "6379", NULL },
	{ "password", FT_SECRET, offsetof(S, password), NULL, 0,
	  NULL, "none" },
	{ "db", FT_INT, offsetof(S, db), &db_range, 0,
	  "0", NULL },
	{ "tls", FT_BOOL, offsetof(S, tls), NULL, 0,
	  "false", NULL },
	CLIENT_CERT_FIELDS,
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};
#undef S

#define S struct ans_kafka
static const struct field ans_kafka_fields[] = {
	{ "brokers", FT_HOSTPORTS, offsetof(S, brokers), NULL, F_REQUIRED | F_NONEMPTY,
	  NULL, "host:9092, ..." },
	{ "security_protocol", FT_ENUM, offsetof(S, security_protocol), kafka_protocols, 0,
	  "PLAINTEXT", NULL },
	{ "sasl_mechanism", FT_ENUM, offsetof(S, sasl_mechanism), sasl_mechanisms, 0,
	  NULL, NULL },
	{ "username", FT_STR, offsetof(S, username), NULL, F_EMPTY_DEFAULT,
	  NULL, NULL },
	{ "password", FT_SECRET, offsetof(S, password), NULL, 0,
	  NULL, NULL },
	CLIENT_CERT_FIELDS,
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};
#undef S

static const struct field ans_zookeeper_fields[] = {
	{ "hosts", FT_HOSTPORTS, offsetof(struct ans_zookeeper, hosts), NULL, F_NONEMPTY,
	  NULL, "host:2181, ..." },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};

#define S struct ans_clickhouse
static const struct field ans_clickhouse_fields[] = {
	{ "host", FT_STR, offsetof(S, host), NULL, F_REQUIRED | F_HOST,
	  NULL, NULL },
	{ "http_port", FT_INT, offsetof(S, http_port), &port_range, 0,
	  "8123", NULL },
	{ "native_port", FT_INT, offsetof(S, native_port), &port_range, 0,
	  "9000", NULL },
	{ "database", FT_STR, offsetof(S, database), NULL, F_NONEMPTY,
	  "default", NULL },
	{ "user", FT_STR, offsetof(S, user), NULL, F_NONEMPTY | F_EMPTY_DEFAULT,
	  "default", NULL },
	{ "password", FT_SECRET, offsetof(S, password), NULL, 0,
	  NULL, "none" },
	{ "cluster", FT_STR, offsetof(S, cluster), NULL, 0,
	  NULL, "none" },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};
#undef S

static const struct field ans_memcached_fields[] = {
	{ "hosts", FT_HOSTPORTS, offsetof(struct ans_memcached, hosts), NULL, F_REQUIRED | F_NONEMPTY,
	  NULL, "host:11211, ..." },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};

#define S struct ans_smtp
static const struct field ans_smtp_fields[] = {
	{ "host", FT_STR, offsetof(S, host), NULL, F_REQUIRED | F_HOST,
	  NULL, "none: no mail" },
	{ "port", FT_INT, offsetof(S, port), &port_range, 0,
	  NULL, "587; 465 with tls, 25 with none" },
	{ "username", FT_STR, offsetof(S, username), NULL, F_EMPTY_DEFAULT,
	  NULL, "none" },
	{ "password", FT_SECRET, offsetof(S, password), NULL, 0,
	  NULL, "none" },
	{ "tls", FT_ENUM, offsetof(S, tls), smtp_tls, 0,
	  "starttls", NULL },
	{ "from", FT_STR, offsetof(S, from), NULL, F_EMAIL,
	  NULL, NULL },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};
#undef S

#define S struct ans_s3
static const struct field ans_s3_fields[] = {
	{ "bucket", FT_STR, offsetof(S, bucket), NULL, F_NONEMPTY,
	  NULL, NULL },
	{ "profiles_bucket", FT_STR, offsetof(S, profiles_bucket), NULL, F_NONEMPTY,
	  NULL, "the bucket above" },
	{ "region", FT_STR, offsetof(S, region), NULL, F_NONEMPTY,
	  "us-east-1", NULL },
	{ "endpoint", FT_STR, offsetof(S, endpoint), NULL, F_URL,
	  NULL, "AWS" },
	{ "access_key", FT_SECRET, offsetof(S, access_key), NULL, 0,
	  NULL, "IAM role" },
	{ "secret_key", FT_SECRET, offsetof(S, secret_key), NULL, 0,
	  NULL, "IAM role" },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};
#undef S

static const struct field ans_gcs_fields[] = {
	{ "bucket", FT_STR, offsetof(struct ans_gcs, bucket), NULL, F_NONEMPTY,
	  NULL, NULL },
	{ "profiles_bucket", FT_STR, offsetof(struct ans_gcs, profiles_bucket), NULL, F_NONEMPTY,
	  NULL, "the bucket above" },
	{ "credentials_file", FT_STR, offsetof(struct ans_gcs, credentials_file), NULL, F_NONEMPTY,
	  NULL, NULL },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};

static const struct field ans_nfs_fields[] = {
	{ "server", FT_STR, offsetof(struct ans_nfs, server), NULL, F_HOST,
	  NULL, NULL },
	{ "path", FT_STR, offsetof(struct ans_nfs, path), NULL, F_ABS_PATH,
	  NULL, NULL },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};

#define S struct ans_sshfs
static const struct field ans_sshfs_fields[] = {
	{ "host", FT_STR, offsetof(S, host), NULL, F_HOST,
	  NULL, NULL },
	{ "port", FT_INT, offsetof(S, port), &port_range, 0,
	  "22", NULL },
	{ "user", FT_STR, offsetof(S, user), NULL, F_USER,
	  "root", NULL },
	{ "path", FT_STR, offsetof(S, path), NULL, F_ABS_PATH,
	  NULL, NULL },
	{ "uid", FT_INT, offsetof(S, uid), &id_range, 0,
	  "999", NULL },
	{ "gid", FT_INT, offsetof(S, gid), &id_range, 0,
	  "999", NULL },
	/* The folder of every node that the vieux/sshfs plugin mounts as its
	 * root's ~/.ssh: its key and known_hosts for the server. */
	{ "key_source", FT_STR, offsetof(S, key_source), NULL, F_ABS_PATH,
	  "/root/.ssh/", NULL },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};
#undef S

/* The mount point itself: each shared volume is a sub-folder of it. */
static const struct field ans_hostpath_fields[] = {
	{ "path", FT_STR, offsetof(struct ans_hostpath, path), NULL, F_ABS_PATH,
	  NULL, NULL },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};

#define S struct ans_shared_volume
static const struct field ans_shared_volume_fields[] = {
	{ "kind", FT_ENUM, offsetof(S, kind), volume_kinds, 0,
	  NULL, NULL },
	{ "size", FT_STR, offsetof(S, size), NULL, F_NONEMPTY,
	  NULL, "the release's size" },
	{ "nfs", FT_MAP, offsetof(S, nfs), T(ans_nfs), 0,
	  NULL, NULL },
	{ "sshfs", FT_MAP, offsetof(S, sshfs), T(ans_sshfs), 0,
	  NULL, NULL },
	{ "hostpath", FT_MAP, offsetof(S, hostpath), T(ans_hostpath), 0,
	  NULL, NULL },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};
#undef S

#define S struct ans_filestore
static const struct field ans_filestore_fields[] = {
	{ "backend", FT_ENUM, offsetof(S, backend), backends, F_REQUIRED,
	  NULL, NULL },
	{ "s3", FT_MAP, offsetof(S, s3), T(ans_s3), 0,
	  NULL, NULL },
	{ "gcs", FT_MAP, offsetof(S, gcs), T(ans_gcs), 0,
	  NULL, NULL },
	{ "shared_volume", FT_MAP, offsetof(S, shared_volume), T(ans_shared_volume), 0,
	  NULL, NULL },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};
#undef S

/* Either database_file, or account_id with license_key (plan_resolve). */
static const struct field ans_geoip_fields[] = {
	{ "account_id", FT_STR, offsetof(struct ans_geoip, account_id), NULL,
	  F_NONEMPTY, NULL, "none: no download (a GeoLite2 file, or no GeoIP)" },
	{ "license_key", FT_SECRET, offsetof(struct ans_geoip, license_key), NULL,
	  0, NULL, "none: with no account, none needed" },
	{ "database_file", FT_STR, offsetof(struct ans_geoip, database_file), NULL,
	  F_NONEMPTY, NULL, "none: downloaded with the account, if any" },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};

static const struct field ans_tls_fields[] = {
	{ "ca_file", FT_STR, offsetof(struct ans_tls, ca_file), NULL, F_NONEMPTY,
	  NULL, "the images' own roots only" },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};

static const struct field ans_service_fields[] = {
	{ "replicas", FT_INT, offsetof(struct ans_service, replicas), &replicas_range, 0,
	  NULL, "the release's default" },
	{ "cpu", FT_STR, offsetof(struct ans_service, cpu), NULL, F_CPU,
	  NULL, "the release's figure, scaled by size" },
	{ "memory", FT_STR, offsetof(struct ans_service, memory), NULL, F_MEMORY,
	  NULL, "the release's figure, scaled by size" },
	{ "node_selector", FT_KV, offsetof(struct ans_service, node_selector),
	  NULL, F_LABEL_KEY | F_LABEL_VALUE, NULL, "target.node_selector" },
	{ "tolerations", FT_LIST, offsetof(struct ans_service, tolerations),
	  T(ans_toleration), 0, NULL, "target.tolerations only" },
	{ "max_replicas", FT_INT, offsetof(struct ans_service, max_replicas),
	  &max_replicas_range, 0,
	  NULL, "twice replicas (a consumer: at most its topic's partitions)" },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};

#define S struct ans_host
static const struct field ans_host_fields[] = {
	{ "name", FT_STR, offsetof(S, name), NULL, F_REQUIRED | F_HOST,
	  NULL, NULL },
	{ "address", FT_STR, offsetof(S, address), NULL, F_REQUIRED | F_HOST,
	  NULL, NULL },
	{ "port", FT_INT, offsetof(S, port), &port_range, 0,
	  "22", NULL },
	{ "user", FT_STR, offsetof(S, user), NULL, F_USER,
	  "root", NULL },
	{ "roles", FT_STRLIST, offsetof(S, roles), host_roles, 0,
	  NULL, NULL },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};
#undef S

/* The registry's login and trust (answers registry:), for the live check. */
#define S struct ans_registry_auth
static const struct field ans_registry_auth_fields[] = {
	{ "username", FT_STR, offsetof(S, username), NULL, F_NONEMPTY,
	  NULL, "anonymous" },
	{ "password", FT_SECRET, offsetof(S, password), NULL, 0,
	  NULL, "none" },
	{ "ca_file", FT_STR, offsetof(S, ca_file), NULL, F_NONEMPTY,
	  NULL, "the system's roots and tls.ca_file" },
	{ "tls_verify", FT_BOOL, offsetof(S, tls_verify), NULL, 0,
	  NULL, "verified, except on loopback (plain HTTP allowed there)" },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};
#undef S

#define S struct answers
const struct field answers_fields[] = {
	{ "schema", FT_INT, offsetof(S, schema), &schema_range, F_REQUIRED,
	  NULL, NULL },
	{ "sentry", FT_MAP, offsetof(S, sentry), T(ans_sentry), F_REQUIRED,
	  NULL, NULL },
	{ "target", FT_MAP, offsetof(S, target), T(ans_target), F_REQUIRED,
	  NULL, NULL },
	{ "registry", FT_STR, offsetof(S, registry), NULL, F_REGISTRY,
	  NULL, "none: public images" },
	{ "registry_auth", FT_MAP, offsetof(S, registry_auth),
	  T(ans_registry_auth), 0, NULL, "anonymous" },
	{ "air_gapped", FT_BOOL, offsetof(S, air_gapped), NULL, 0,
	  "false", NULL },
	{ "size", FT_ENUM, offsetof(S, size), sizes, 0, "medium", NULL },
	{ "postgres", FT_MAP, offsetof(S, postgres), T(ans_postgres), F_REQUIRED,
	  NULL, NULL },
	{ "redis", FT_MAP, offsetof(S, redis), T(ans_redis), F_REQUIRED,
	  NULL, NULL },
	{ "kafka", FT_MAP, offsetof(S, kafka), T(ans_kafka), F_REQUIRED,
	  NULL, NULL },
	{ "zookeeper", FT_MAP, offsetof(S, zookeeper), T(ans_zookeeper), 0,
	  NULL, NULL },
	{ "clickhouse", FT_MAP, offsetof(S, clickhouse), T(ans_clickhouse), F_REQUIRED,
	  NULL, NULL },
	{ "memcached", FT_MAP, offsetof(S, memcached), T(ans_memcached), F_REQUIRED,
	  NULL, NULL },
	{ "smtp", FT_MAP, offsetof(S, smtp), T(ans_smtp), 0,
	  NULL, NULL },
	{ "filestore", FT_MAP, offsetof(S, filestore), T(ans_filestore), F_REQUIRED,
	  NULL, NULL },
	{ "tls", FT_MAP, offsetof(S, tls), T(ans_tls), 0,
	  NULL, NULL },
	{ "geoip", FT_MAP, offsetof(S, geoip), T(ans_geoip), 0,
	  NULL, "no IP geolocation" },
	{ "services", FT_DICT, offsetof(S, services), T(ans_service), 0,
	  NULL, NULL },
	{ "hosts", FT_LIST, offsetof(S, hosts), T(ans_host), 0,
	  NULL, NULL },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};
#undef S
