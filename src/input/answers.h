/*
 * The answers file (sentry-ha.yaml): every decision of one deployment, as
 * the operator gave it. Defaults are not filled in here but by the plan
 * (plan.h), which records where each resolved value came from.
 */
#ifndef SHS_ANSWERS_H
#define SHS_ANSWERS_H

#include "err.h"
#include "schema.h"
#include "xmem.h"

#define ANSWERS_SCHEMA		1
#define ANSWERS_DEFAULT_PATH	"sentry-ha.yaml"

struct ans_sentry {
	char	*version;
	char	*features;		/* errors-only | feature-complete */
	char	*url_prefix;
	char	*admin_email;
	long	 retention_days;
	struct secret secret_key;	/* optional: otherwise generated once */
	char	*js_sdk_url;		/* the Loader Script's bundles */
	struct strlist disallowed_ips;	/* SENTRY_DISALLOWED_IPS, CIDRs */
};

/* A Kubernetes toleration (target.tolerations, services.NAME.tolerations). */
struct ans_toleration {
	char	*key;			/* NULL: with Exists, every taint */
	char	*operator;		/* Equal | Exists */
	char	*value;
	char	*effect;		/* NULL: every effect */
	long	 toleration_seconds;	/* NoExecute only; UNSET_INT: forever */
};

struct ans_target {
	char	*kind;			/* kubernetes */
	char	*namespace;
	char	*storage_class;
	char	*ingress_host;
	char	*ingress_class;
	char	*ingress_tls_secret;
	struct kvlist ingress_annotations;
	char	*stack;
	char	*deploy_dir;
	int	 network_policy;	/* NetworkPolicy objects (k8s_netpol.c) */
	char	*ingress_namespace;	/* the Ingress controller's namespace */
	/* With network_policy: what Sentry's outbound integrations may reach
	 * (CIDRs), and the ranges within them they may not (the cluster's pod
	 * and service ranges, say): each a strict part of an egress_cidrs. */
	struct strlist egress_cidrs;
	struct strlist egress_except;
	struct kvlist node_selector;	/* every pod's nodeSelector */
	struct objlist tolerations;	/* of struct ans_toleration */
	int	 zones;			/* nodes carry topology.kubernetes.io/zone */
	char	*priority_class;	/* the ingest path's; NULL: one of ours */
	char	*autoscaling;		/* none | hpa | keda (Kubernetes) */
};

struct ans_postgres {
	char	*host;
	long	 port;
	char	*database;
	char	*user;
	struct secret password;
	char	*sslmode;
	struct secret client_cert;	/* PEM, for servers that ask for one */
	struct secret client_key;
};

struct ans_redis {
	char	*host;
	long	 port;
	struct secret password;
	long	 db;
	int	 tls;
	struct secret client_cert;
	struct secret client_key;
};

struct ans_kafka {
	struct strlist brokers;
	char	*security_protocol;
	char	*sasl_mechanism;
	char	*username;
	struct secret password;
	struct secret client_cert;
	struct secret client_key;
};

/* MaxMind's GeoLite2 database: downloaded weekly with the operator's
 * account, or a copy the operator carried in (database_file). */
struct ans_geoip {
	char	*account_id;
	struct secret license_key;
	char	*database_file;
};

/* Private certificate authorities: one bundle for every TLS connection. */
struct ans_tls {
	char	*ca_file;	/* PEM certificates, relative to the answers */
};

/* The login and trust of the answers' registry, for the live check (the
 * nodes log in to it themselves: docker login, an imagePullSecret). */
struct ans_registry_auth {
	char	*username;		/* NULL: anonymous */
	struct secret password;
	char	*ca_file;	/* PEM certificates, relative to the answers */
	int	 tls_verify;	/* UNSET_BOOL: verified, except on loopback */
};

struct ans_zookeeper {
	struct strlist hosts;
};

struct ans_clickhouse {
	char	*host;
	long	 http_port;
	long	 native_port;
	char	*database;
	char	*user;
	struct secret password;
	char	*cluster;
};

struct ans_memcached {
	struct strlist hosts;
};

struct ans_smtp {
	char	*host;
	long	 port;
	char	*username;
	struct secret password;
	char	*tls;			/* none | starttls | tls */
	char	*from;
};

struct ans_s3 {
	char	*bucket;
	char	*profiles_bucket;	/* NULL: profiles share `bucket` */
	char	*region;
	char	*endpoint;
	struct secret access_key;
	struct secret secret_key;
};

struct ans_gcs {
	char	*bucket;
	char	*profiles_bucket;	/* NULL: profiles share `bucket` */
	char	*credentials_file;
};

struct ans_nfs {
	char	*server;
	char	*path;
};

struct ans_sshfs {
	char	*host;
	long	 port;
	char	*user;
	char	*path;
	long	 uid;
	long	 gid;
	char	*key_source;		/* the plugin's sshkey.source */
};

/* A folder that every Swarm node already mounts at the same path (sshfs
 * from fstab, CephFS, GlusterFS, NFS from fstab): bound into containers. */
struct ans_hostpath {
	char	*path;
};

struct ans_shared_volume {
	char	*kind;			/* pvc | nfs | sshfs | hostpath */
	char	*size;
	struct ans_nfs nfs;
	struct ans_sshfs sshfs;
	struct ans_hostpath hostpath;
};

struct ans_filestore {
	char	*backend;		/* filesystem | s3 | gcs */
	struct ans_s3 s3;
	struct ans_gcs gcs;
	struct ans_shared_volume shared_volume;
};

/* One entry of `services:`; the name is the first member (FT_DICT). */
struct ans_service {
	char	*name;
	long	 replicas;
	char	*cpu;		/* a CPU quantity to reserve per replica, or NULL */
	char	*memory;	/* a memory quantity, or NULL */
	struct kvlist node_selector;	/* over target.node_selector, by key */
	struct objlist tolerations;	/* after target.tolerations */
	long	 max_replicas;	/* autoscaling's ceiling, or UNSET_INT */
};

struct ans_host {
	char	*name;
	char	*address;
	long	 port;
	char	*user;
	struct strlist roles;
};

struct answers {
	long			 schema;
	struct ans_sentry	 sentry;
	struct ans_target	 target;
	char			*registry;
	struct ans_registry_auth registry_auth;
	int			 air_gapped;	/* every Internet step off */
	char			*size;		/* small, medium, large: what the
						 * services reserve; NULL: medium */
	struct ans_postgres	 postgres;
	struct ans_redis	 redis;
	struct ans_kafka	 kafka;
	struct ans_zookeeper	 zookeeper;
	struct ans_clickhouse	 clickhouse;
	struct ans_memcached	 memcached;
	struct ans_smtp		 smtp;
	struct ans_filestore	 filestore;
	struct ans_tls		 tls;
	struct ans_geoip	 geoip;
	struct objlist		 services;	/* of struct ans_service */
	struct objlist		 hosts;		/* of struct ans_host */

	struct srcmap		 where;		/* field path -> file:line:col */
};

/* The field table of the whole file (used by load, save and the tests). */
extern const struct field answers_fields[];

/*
 * Loads and validates `path` into `a` (which the caller later releases with
 * answers_free). Every problem is reported (one line each, with
 * FILE:LINE:COL and the field path); returns -1 if there was any.
 * Checks that need a release profile (service names, the release itself)
 * happen in plan_build().
 */
int	answers_load(const char *path, struct answers *a, struct err *e);
/* The same from text already in memory; `name` is used in messages. */
int	answers_parse(const char *text, size_t len, const char *name,
	    struct answers *a, struct err *e);
/* The same, with the field path of each problem (one per line of `e`, in
 * order) appended to `paths`: the wizard puts each next to its field. */
int	answers_parse_paths(const char *text, size_t len, const char *name,
	    struct answers *a, struct err *e, struct strlist *paths);
void	answers_free(struct answers *a);
/* Is `value` valid for the answer at the dotted `path` ("postgres.port",
 * "services.web.replicas"), the checks across its own fields included (a
 * toleration's operator and value)? -1 with e saying "PATH: what was
 * expected". */
int	answers_check_value(const char *path, const struct ynode *value,
	    struct err *e);

/*
 * Writes the answers to `path` atomically; mode 0600 when any secret is
 * written inline, 0644 otherwise.
 */
int	answers_save(const struct answers *a, const char *path, struct err *e);
/* Does the file hold any secret written inline? */
int	answers_has_inline_secret(const struct answers *a);

/* The definition of the answer at a dotted path ("postgres.port",
 * "services.web.replicas"), or NULL; static. */
const struct field *answers_field(const char *path);
/*
 * A copy of `a` (released with answers_free) in which every answer that was
 * left out has its default from the field table. The positions (`where`)
 * are not copied: they belong to what the operator wrote.
 */
int	answers_resolve(const struct answers *a, struct answers *out,
	    struct err *e);

/* answers_place.c: the placement answers' cross-field checks (tolerations,
 * the priority class); each problem goes to report(ctx, path, message). */
void	answers_check_place(const struct answers *a,
	    void (*report)(void *ctx, const char *path, const char *message),
	    void *ctx);

/* answers_paths.c: appends the dotted path of every answer set to other
 * than its default ("target.zones", "services.web.max_replicas",
 * "hosts[0].roles", "target.tolerations[0].key"), in the order of the
 * field table; the copies belong to `out` (sl_free). */
void	answers_set_paths(const struct answers *a, struct strlist *out);

/* The replicas override for a service, or UNSET_INT. */
long	answers_replicas(const struct answers *a, const char *service);
/* The answers' entry for a service, or NULL; borrowed from `a`. */
const struct ans_service *answers_service(const struct answers *a,
	    const char *service);

/*
 * Reads a secret's value: the text itself, the environment variable, or the
 * file (relative to the answers file's folder; one trailing newline is
 * dropped). *value is owned by the caller. `field` names it in messages.
 */
int	secret_resolve(const struct secret *s, const char *field,
	    const char *base_dir, char **value, struct err *e);

#endif
