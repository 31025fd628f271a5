/*
 * The plan: one resolved deployment, target-independent, and the only
 * description of it that the outputs read. It joins the answers (with
 * every default applied, once, while it is built), the release profile
 * and the generated keys: the target's settings, one endpoint per piece of
 * middleware, the hosts, every service with its replicas, image, command,
 * environment and mounts, the migration jobs, the Kafka topics, the
 * volumes with their rendered config files, and the secret values.
 *
 * The emitters, runbooks, probes, rules, `explain` and the wizard's output
 * step read a plan, and the profile for facts about the release; none of
 * them reads the answers (make check-layers holds them to it). Every value
 * that is not the profile's default carries its source (an answer's field
 * path or a rule id), which the emitters write out as annotations.
 */
#ifndef SHS_PLAN_H
#define SHS_PLAN_H

#include "err.h"
#include "keys.h"
#include "profile.h"
#include "schema.h"
#include "vars.h"

struct answers;

#define SECRET_OBJECT	"sentry-secrets"	/* the one Secret's name */
/* The user and group the Sentry image runs as: the files of a shared
 * volume must be theirs (an NFS export's root_squash makes root nobody). */
#define SENTRY_UID	999
#define SENTRY_GID	999
/* Kubernetes: the headless Service that names each replica of a
 * stateful-per-replica service, NAME-0.NAME-headless, NAME-1... */
#define PEERS_SUFFIX	"-headless"

struct plan_env {
	char	*name;
	char	*value;		/* a literal value, or NULL ... */
	char	*secret_ref;	/* ... when it comes from SECRET_OBJECT: its entry */
};

struct plan_mount {
	char	*volume;
	char	*path;
	int	 read_only;
};

/* How a volume is provided. */
enum backing {
	BACK_CONFIG,		/* rendered files (ConfigMap, or Secret) */
	BACK_CLAIM,		/* a ReadWriteMany claim */
	BACK_NFS,		/* an NFS export */
	BACK_SSHFS,		/* a folder of one host, over SSH (Swarm) */
	BACK_HOSTPATH,		/* a folder every node mounts, bound (Swarm) */
	BACK_PER_REPLICA,	/* a claim per replica */
	BACK_SCRATCH,		/* per-pod scratch space */
	BACK_SECRET,		/* files taken from SECRET_OBJECT */
};

struct plan_file {
	char	*name;
	char	*content;		/* BACK_CONFIG: the rendered text */
	char	*secret_ref;		/* BACK_SECRET: its entry in SECRET_OBJECT */
	int	 mode;			/* BACK_SECRET: 0, or the file's mode */
};

struct plan_volume {
	char		*name;
	enum backing	 backing;
	char		*size;
	char		*nfs_server;	/* or the sshfs host */
	char		*nfs_path;	/* or the sshfs or hostpath folder */
	char		*ssh_user;	/* sshfs */
	long		 ssh_port;	/* sshfs */
	long		 uid, gid;	/* sshfs: the owner the files show;
					 * hostpath: the folder's owner */
	struct plan_file *files;
	size_t		 nfiles;
	int		 secret;	/* a file holds a secret: use a Secret */
	char		*source;	/* why this backing */
};

/* A change the plan made for a rule the generator can always satisfy. */
struct plan_fix {
	char	*rule;		/* rule id, e.g. "snuba-api-bind" */
	char	*service;	/* NULL when it concerns the whole deployment */
	char	*what;		/* one sentence: what was done, or found */
	int	 changed;	/* 0: the rule already held, nothing was done */
};

/* A secret of the answers that could not be read, in a plan built with
 * PLAN_SECRETS_MAY_FAIL (its value in plan.secrets is ""). */
struct plan_unresolved {
	char	*field;		/* the answer: "postgres.password" */
	char	*why;		/* names the field and the variable or file */
	char	*fix;		/* one line: what makes it readable */
};

/* A toleration of a pod (answers target.tolerations and the service's). */
struct plan_toleration {
	char	*key;		/* NULL: every taint (operator Exists) */
	char	*operator;	/* Equal | Exists */
	char	*value;		/* NULL: none */
	char	*effect;	/* NULL: every effect */
	long	 seconds;	/* NoExecute's tolerationSeconds, or UNSET_INT */
};

/* Who sets a workload's replica count (answers target.autoscaling). */
enum scale {
	SCALE_NONE,		/* spec.replicas, as planned */
	SCALE_HPA,		/* a HorizontalPodAutoscaler on CPU */
	SCALE_KEDA,		/* a KEDA ScaledObject on consumer-group lag */
};

struct plan_service {
	char			*name;
	enum role		 role;
	const struct prof_service *prof;
	char			*image;
	struct strlist		 command;
	struct strlist		 args;
	struct plan_env		*env;
	size_t			 nenv;
	struct plan_mount	*mounts;
	size_t			 nmounts;
	long			 replicas;
	/* What one replica reserves (Kubernetes requests, Swarm
	 * reservations): the profile's figure scaled by the answers' size,
	 * or the answers' own for the service (plan_sizing.c). */
	long			 cpu_millis;
	long			 memory_mib;
	/* The memory a replica may use before the kernel kills it
	 * (Kubernetes limits, Swarm limits); no CPU limit (plan_sizing.c). */
	long			 memory_limit_mib;
	/* Where its pods go (plan_place.c): the nodeSelector (the answers'
	 * service's over target's, by key), the tolerations (target's,
	 * then the service's), and the PriorityClass of the ingest path
	 * (borrowed from pl->target; NULL: none). */
	struct kvlist		 node_selector;
	struct plan_toleration	*tolerations;
	size_t			 ntolerations;
	const char		*priority_class;
	/* Borrowed from the profile: the service's own check, or a
	 * heartbeat the generator added (rule consumer-heartbeat). */
	const struct prof_health *health;
	struct kvlist		 sources;	/* field -> where it came from */
	/* Autoscaling (plan_scale.c): between replicas and max_replicas.
	 * max_replicas is the answer's (or 0) when scale is SCALE_NONE. */
	enum scale		 scale;
	long			 max_replicas;
	/* SCALE_KEDA: borrowed from the profile and from args. */
	const char		*scale_topic;
	const char		*consumer_group;
	/* SCALE_NONE: why not, for explain (static), or NULL. */
	const char		*scale_why;
};

/*
 * Credentials are never copied into the endpoints: a field named *_ref holds
 * the key of the value in plan.secrets ("postgres-password"), or NULL when
 * the answers give none. Manifests refer to that key; only the probes read
 * the value.
 */

/* Where the deployment goes. */
struct plan_target {
	char	*kind;		/* "kubernetes" or "swarm" */
	char	*namespace;	/* Kubernetes */
	char	*stack;		/* Swarm: the prefix of every stack and object */
	char	*deploy_dir;	/* Swarm: `deploy`'s folder on the manager,
				 * relative to the login user's home */
	char	*storage_class;	/* NULL: the cluster's default class */
	char	*ingress_host;	/* NULL: no Ingress */
	char	*ingress_class;	/* NULL: the cluster's default */
	char	*ingress_tls_secret;	/* NULL: no TLS at the Ingress */
	struct kvlist ingress_annotations;	/* the answers', added last */
	char	*registry;	/* NULL: each image's own registry */
	int	 network_policy;	/* NetworkPolicy objects (plan_flows.h) */
	char	*ingress_namespace;	/* where the Ingress controller runs */
	/* target.egress_cidrs and egress_except: what Sentry's outbound
	 * integrations may reach (plan_flows_ends.c); empty: nothing more. */
	struct strlist egress_cidrs;
	struct strlist egress_except;
	int	 zones;		/* nodes carry topology.kubernetes.io/zone */
	/* The ingest path's PriorityClass: target.priority_class, or
	 * NAMESPACE-ingest, which the output creates (priority_class_own). */
	char	*priority_class;
	int	 priority_class_own;
	enum scale autoscaling;	/* target.autoscaling: none, hpa or keda */
};

struct plan_sentry {
	char	*url_prefix;	/* NULL when not given */
	char	*admin_email;	/* NULL when not given */
	long	 retention_days;
	char	*js_sdk_url;	/* the answer; NULL when not given */
	struct strlist disallowed_ips;	/* empty: Sentry's own list */
};

/* A client certificate's keys in plan.secrets, NULL when none is given. */
struct plan_client_cert {
	char	*cert_ref, *key_ref;
};

struct plan_postgres {
	char	*host;
	long	 port;
	char	*database, *user, *sslmode;
	char	*password_ref;
	struct plan_client_cert client;
};

struct plan_redis {
	char	*host;
	long	 port, db;
	int	 tls;
	char	*password_ref;
	struct plan_client_cert client;
};

struct plan_kafka {
	struct strlist	 brokers;	/* HOST:PORT, at least one */
	char		*security_protocol;
	char		*sasl_mechanism;	/* NULL: none */
	char		*username;		/* NULL: none */
	char		*password_ref;
	struct plan_client_cert client;
};

/*
 * Private CAs (answers tls.ca_file). Every container finds the images' own
 * roots and these certificates in one bundle at CA_BUNDLE_PATH, built at
 * start from the Sentry image's bundle (an init container on Kubernetes,
 * deploy.sh on Swarm); client certificates are files in TLS_CLIENT_DIR.
 */
#define CA_BUNDLE_PATH	"/etc/ssl/certs/ca-certificates.crt"
#define TLS_CLIENT_DIR	"/etc/sentry-ha/tls"
/* The config volume that holds the private CAs, and its one file. */
#define CA_VOLUME	"ca-certificates"
#define CA_FILE		"private-ca.crt"

/* GeoIP: GeoLite2 in a shared volume that Sentry and Relay read at
 * GEOIP_DIR, downloaded weekly by geoipupdate or copied in once from the
 * operator's file. */
#define GEOIP_DIR	"/geoip"
#define GEOIP_FILE	"GeoLite2-City.mmdb"
struct plan_geoip {
	char	*account_id;		/* NULL: no download (geoipupdate) */
	char	*license_key_ref;
	char	*database_file;		/* absolute; NULL: none given */
	int	 enabled;		/* Sentry and Relay read the file */
	int	 download_refused;	/* an account, but air-gapped */
};

struct plan_tls {
	char	*ca_file;	/* the answer's file, absolute; NULL: none */
	char	*ca_pem;	/* its certificates, re-encoded, nothing else */
	size_t	 ncerts;
	char	*helper_image;	/* the image whose roots are extended */
};

/*
 * The login and trust of target.registry (answers registry_auth): the live
 * check uses it, Kubernetes pods pull with it (the imagePullSecret in the
 * 0600 secrets file, k8s_secure.c), and on Swarm the manager logs in
 * itself (docker login, the runbook), so no other file holds the password.
 */
#define REGISTRY_PASSWORD_REF	"registry-password"
struct plan_registry {
	char	*username;	/* NULL: anonymous */
	char	*password_ref;	/* REGISTRY_PASSWORD_REF, or NULL */
	char	*ca_file;	/* the answer's file, absolute; NULL: none */
	char	*ca_pem;	/* its certificates, re-encoded, nothing else */
	/* 1: HTTPS, verified; 0: an insecure registry, as Docker says: HTTPS
	 * unverified, or plain HTTP; UNSET_BOOL: 1, except on loopback. */
	int	 tls_verify;
};

struct plan_clickhouse {
	char	*host;
	long	 http_port, native_port;
	char	*database, *user;
	char	*cluster;		/* NULL: none named */
	char	*password_ref;
};

struct plan_smtp {
	char	*host;			/* NULL: no mail */
	long	 port;
	char	*tls;			/* starttls | tls | none */
	char	*username;		/* NULL: no login */
	char	*from;			/* NULL when not given */
	char	*password_ref;
};

struct plan_sshfs {
	char	*host;			/* NULL unless the volume is sshfs */
	long	 port;
	char	*user, *path;
	long	 uid, gid;
	char	*key_source;		/* each node's folder the plugin uses as
					 * ~/.ssh (sshkey.source): "/root/.ssh/" */
};

/* The file store, and the volume that pods share (for files, caches). */
struct plan_filestore {
	char	*backend;		/* filesystem | s3 | gcs */
	char	*s3_bucket, *s3_region;
	char	*s3_endpoint;		/* NULL: AWS */
	char	*s3_access_key_ref, *s3_secret_key_ref;
	char	*gcs_bucket;
	/* S3 or GCS: where profiles go, the answers' own bucket for them
	 * or the file store's (profiles_own 0); NULL for the filesystem. */
	char	*profiles_bucket;
	int	 profiles_own;
	char	*gcs_credentials_file;	/* the answer, for messages */
	char	*gcs_credentials_ref;
	char	*shared_kind;		/* pvc | nfs | sshfs | hostpath; NULL: none */
	char	*shared_size;		/* NULL: each volume's size */
	char	*nfs_server, *nfs_path;
	char	*hostpath;		/* NULL unless the volume is hostpath;
					 * no trailing slash but for "/" */
	struct plan_sshfs sshfs;
};

/* A node reached over SSH (Swarm: by its node name). */
struct plan_host {
	char		*name;
	char		*address;
	long		 port;
	char		*user;
	struct strlist	 roles;		/* manager, and the stack groups */
};

/* A Kafka topic the release uses, and how to create it. */
struct plan_topic {
	char	*name;
	long	 partitions;		/* to create it with: the count it must
					 * keep (fixed), or enough for every
					 * replica of its consumers */
	int	 fixed;			/* it must keep exactly `partitions` */
};

/* The partitions a topic gets unless its consumers need more: as many as
 * a three-broker cluster spreads evenly. */
#define TOPIC_PARTITIONS	3
/* A consumer's replicas unless the answers or the profile say otherwise:
 * one node may fail and every topic is still read. */
#define CONSUMER_REPLICAS	2

/* The longest target.stack on Swarm: STACK-GROUP_SERVICE, Swarm's service
 * name, must stay within 63 characters, and a long service is shortened
 * to its start and a digest (swarm_names.c), which needs room. */
#define SWARM_STACK_MAX		40

struct plan {
	const struct profile	*profile;
	char			*release;
	char			*features;	/* errors-only | feature-complete */
	char			*answers_file;	/* for messages and the runbook */
	struct srcmap		 where;		/* field path -> where the operator
						 * wrote it (a copy) */
	/* The answers set to other than their defaults, by dotted path
	 * (answers_set_paths; owned): what the output must own up to when
	 * it ignores one (rule answer-ignored). */
	struct strlist		 answered;
	struct plan_target	 target;
	struct plan_sentry	 sentry;
	struct plan_postgres	 postgres;
	struct plan_redis	 redis;
	struct plan_kafka	 kafka;
	struct strlist		 zookeeper;	/* HOST:PORT; empty: none */
	struct plan_clickhouse	 clickhouse;
	struct strlist		 memcached;	/* HOST:PORT */
	struct plan_smtp	 smtp;
	struct plan_filestore	 filestore;
	struct plan_tls		 tls;
	struct plan_registry	 registry;	/* target.registry's login */
	struct plan_geoip	 geoip;
	int			 air_gapped;	/* answers air_gapped: true */
	const char		*size;		/* small, medium or large (static) */
	struct plan_host	*hosts;
	size_t			 nhosts;
	struct plan_topic	*topics;
	size_t			 ntopics;
	long			 kafka_replication;	/* min(3, brokers) */
	struct plan_service	*services;
	size_t			 nservices;
	struct plan_service	*migrations;
	size_t			 nmigrations;
	struct plan_volume	*volumes;
	size_t			 nvolumes;
	struct kvlist		 secrets;	/* key -> value */
	struct plan_unresolved	*unresolved;	/* PLAN_SECRETS_MAY_FAIL */
	size_t			 nunresolved;
	struct plan_fix		*fixes;
	size_t			 nfixes;
	struct vars		 vars;
	int			 flags;		/* as given to plan_build */
	char			*secrets_dir;	/* as given to plan_build */
};

/* plan_build() flags. */
#define PLAN_NO_SECRET_VALUES	0x1	/* note which secrets exist, read none */
/* A secret that cannot be read (an unset {env:}, a missing {file:}) is
 * noted in plan.unresolved instead of failing the build: a live check
 * still checks every endpoint whose secrets it has. A {file:} outside
 * --secrets-from still fails: that is a refusal, not a missing secret. */
#define PLAN_SECRETS_MAY_FAIL	0x2

/* How to build a plan. */
struct plan_opts {
	const char	*target;	/* "kubernetes" or "swarm" */
	const char	*assets_dir;	/* holds templates/ */
	int		 flags;
	/* {file:} secrets must lie inside this folder (--secrets-from), for
	 * answers that are not the operator's own; NULL: anywhere. */
	const char	*secrets_dir;
};

/*
 * Builds the plan for opts->target. Reads secrets ({env:}, {file:}; not
 * with PLAN_NO_SECRET_VALUES) and the config templates under
 * opts->assets_dir. Fails (ERR_INPUT) on answers that do not fit the
 * release or the target: unknown service names, a shared volume the release
 * needs but the answers lack, a volume kind the target cannot mount ...
 * each with FILE:LINE:COL. `out` is always left for plan_free(); it holds
 * no pointer into `a`, which may be released first. `p` must outlive it.
 */
int	plan_build(const struct answers *a, const struct profile *p,
	    const struct keys *k, const struct plan_opts *opts, struct plan *out,
	    struct err *e);
void	plan_free(struct plan *pl);

/* Borrowed lookups, NULL when absent. */
const struct plan_service *plan_service(const struct plan *pl, const char *name);
const struct plan_volume *plan_volume(const struct plan *pl, const char *name);
const struct plan_env *plan_env_get(const struct plan_service *s, const char *name);
/* Does each pod keep `volume` for itself: a cache without a shared volume,
 * or a file store folder when the files are in S3 or GCS? */
int	plan_volume_per_pod(const struct plan *pl, const char *volume);
/* The endpoints that may log in with a client certificate (plan_tls.c),
 * ending with section NULL. */
struct plan_client_end {
	const char	*section;	/* "postgres": answers and file names */
	size_t		 offset;	/* of its struct plan_client_cert */
	int		 key_mode;	/* the key file's mode in the container */
};
extern const struct plan_client_end plan_client_ends[];
/* That endpoint's certificate and key refs, borrowed from the plan. */
const struct plan_client_cert *plan_client(const struct plan *pl,
	    const struct plan_client_end *end);
/* Does any endpoint have a client certificate? */
int	plan_has_client_certs(const struct plan *pl);
/* Where a container finds an endpoint's client certificate (key 0) or key
 * (key 1), written into buf; "" when the endpoint has none. */
const char *plan_client_file(const struct plan_client_cert *c,
	    const char *section, int key, char *buf, size_t size);
/* The partitions the runbook creates topic `name` with; 0 if it does not. */
long	plan_topic_partitions(const struct plan *pl, const char *name);

/* plan_scale.c: resolves each service's autoscaling from the answers
 * (after the topics are sized: KEDA's ceiling is bounded by them, and an
 * answered max_replicas of a KEDA consumer raises its topic's partitions).
 * ERR_INPUT for a max_replicas below the service's replicas. */
int	plan_scale_services(struct plan *pl, const struct answers *a,
	    struct err *e);
/* "hpa" for SCALE_HPA ... (static). */
const char *plan_scale_name(enum scale s);
/* Could an autoscaler scale the service (under keda, the widest mode)?
 * Its role decides: the wizard offers a ceiling only then. */
int	plan_can_scale(const struct plan_service *s);
/* One line for explain: "HPA 2..4 on CPU 70%" (owned by the caller). */
char	*plan_scale_text(const struct plan *pl, const struct plan_service *s);
/* The CPU utilisation (of the request) an HPA keeps, and the lag per
 * replica a KEDA trigger aims at. */
#define SCALE_CPU_PERCENT	70
#define SCALE_LAG_THRESHOLD	1000

/* The value of a secret of the plan ("postgres-password"), or NULL; ""
 * for every secret of a plan built with PLAN_NO_SECRET_VALUES. */
const char *plan_secret_value(const struct plan *pl, const char *ref);
/* Is the secret `ref` one that only the live checks read (the registry's
 * password), to be written into no generated file? */
int	plan_secret_check_only(const char *ref);
/* What the services' replicas reserve together (plan_sizing.c), in
 * millicores and MiB. */
void	plan_reserved(const struct plan *pl, long *cpu_millis, long *memory_mib);

/* "FILE:LINE:COL: " where the operator wrote `field`, or "FILE: " (into
 * buf, which is returned). */
const char *plan_where(const struct plan *pl, const char *field, char *buf,
	    size_t size);

/* Can `target` mount a shared volume of `kind` (pvc, nfs, sshfs,
 * hostpath)? When
 * not, *advice (static) says what it can. */
int	plan_can_mount(const char *target, const char *kind, const char **advice);

/*
 * Pins every image of the plan by the digest that the bundle's images.json
 * at `path` records for it (plan_digests.c): "REF@sha256:...". ERR_INPUT,
 * naming each, for an image the bundle does not carry or has no digest for
 * yet; the plan is then as it was for those.
 */
int	plan_pin_digests(struct plan *pl, const char *path, struct err *e);

/* The least memory limit of web with uWSGI workers (plan_sizing.c): its
 * workers at reload-on-rss, and the master. */
long	plan_web_memory_floor(void);
/* Is the service on the ingest path (plan_place.c): Relay, nginx, and the
 * Sentry consumers of the topics Relay writes? */
int	plan_is_ingest(const struct plan_service *s);

/* Does the service run the given image key (e.g. "sentry")? */
int	plan_uses_image(const struct plan_service *s, const char *image_key);

/*
 * The steps of a release that need the Internet (its profile's
 * internet_steps:), each with its offline equivalent. `handled` says
 * whether this deployment already does without the Internet for it;
 * `severity` is how much it matters (0 info, 1 warning) when air_gapped
 * is true and it is not handled.
 */
struct internet_step {
	const char	*id;		/* as profiles name it */
	const char	*need;		/* what reaches out, and where to */
	const char	*offline;	/* the offline equivalent */
	const char	*fix;		/* the answers that turn it on */
	int		 severity;
	int		(*handled)(const struct plan *);
	/* Or NULL: the deployment does not use what the step is for. */
	int		(*unused)(const struct plan *);
};

/* Every step a profile may name, ending with id NULL. */
extern const struct internet_step internet_steps[];
const struct internet_step *internet_step(const char *id);
/* How many of the release's steps are not handled by this deployment. */
size_t	plan_internet_unhandled(const struct plan *pl);

#endif
