/*
 * Release profiles (profiles/NAME.yaml): one Sentry release as a deployment sees
 * it, as data. A profile lists images, shared service defaults ("templates",
 * like compose's x-sentry-defaults), the services with their role class,
 * volumes and config files, migrations, Kafka topics and the middleware
 * versions the release needs. Adding a release is adding a file.
 */
#ifndef SHS_PROFILE_H
#define SHS_PROFILE_H

#include "err.h"
#include "schema.h"
#include "xmem.h"
#include "ynode.h"

#define PROFILE_SCHEMA	1

/* The role class of a service drives its HA treatment (DESIGN §4). */
enum role {
	ROLE_NONE = -1,
	ROLE_SINGLETON,
	ROLE_PARTITIONED_CONSUMER,
	ROLE_STATELESS_HTTP,
	ROLE_STATELESS_WORKER,	/* scales freely, serves nothing (workers) */
	ROLE_STATEFUL_PER_REPLICA,
	ROLE_JOB,
	ROLE_SCHEDULED,
};

/* Role names as written in profiles, and what each means for the
 * generated output; both indexed by enum role. */
extern const char *const role_names[];
extern const char *const role_meanings[];
extern const char *const role_meanings_swarm[];	/* the same, on Swarm */
enum role role_from_name(const char *name);

struct prof_port {
	char	*name;
	long	 port;
	long	 service;	/* the Service's port, when not `port` */
};

/* How a container's health is checked: one of http, file, exec, grpc, tcp. */
struct prof_health {
	char		*http;		/* GET path */
	char		*file;		/* heartbeat file the process touches */
	struct strlist	 exec;		/* a command that exits 0 when healthy */
	long		 port;		/* for http and grpc */
	int		 grpc;		/* the gRPC health service on port */
	int		 tcp;		/* the port accepts connections */
	long		 max_age;	/* seconds a heartbeat file may be old */
	long		 start_period;	/* seconds before the first check */
};

/* How many kinds of check `h` gives (http, file, exec, grpc, tcp): 0 for
 * none; a loaded profile has at most one per service. */
int	prof_health_kinds(const struct prof_health *h);

struct prof_resources {
	char	*cpu;
	char	*memory;
};

struct prof_service {
	char			*name;		/* first member: FT_DICT key */
	char			*extends;	/* a template of the profile */
	char			*description;
	char			*image;		/* a key of the profile's images */
	char			*role;
	struct strlist		 entrypoint;	/* replaces the image entrypoint */
	struct strlist		 args;		/* compose's `command` */
	struct objlist		 ports;		/* of struct prof_port */
	struct kvlist		 env;		/* values may use ${variables} */
	struct strlist		 mounts;	/* "VOLUME:/path[:ro]" */
	struct prof_health	 health;
	struct prof_resources	 resources;
	long			 replicas;	/* the default */
	char			*features;	/* only with this feature set */
	char			*schedule;	/* cron expression (scheduled) */
	char			*topic;		/* partitions bound the replicas */
	int			 celery;	/* a Celery process (worker, cron) */
	char			*upstream;	/* upstream's name, if different */
	char			*differs;	/* why HA runs it differently */
	/* Only when the answers ask for it: "geoip" (answers geoip:). */
	char			*when;
	/* Only prunes this cache or file store volume: left out where each
	 * pod has its own copy of it (plan_volume_per_pod). */
	char			*cleans;
};

/* What a generator must know about an image to wrap its entrypoint (Swarm
 * passes secrets as files, and some programs read them from variables). */
struct prof_image {
	char		*name;		/* first member: FT_DICT key (images:) */
	struct strlist	 entrypoint;	/* the image's own ENTRYPOINT */
	struct strlist	 alternative;	/* another ENTRYPOINT the tag may have */
	char		*shell;		/* sh, python or none: what can wrap it */
	char		*python;	/* its Python: "python3", or "python" (2) */
	struct strlist	 healthcheck;	/* an HTTP-free health command, if any */
	int		 rust_consumer_tls;	/* 0: Snuba's rust-consumer was
					 * built without OpenSSL (no SSL, no
					 * SCRAM); UNSET_BOOL: it has it */
};

/* Who an image runs as (profile image_users:, keyed by images:), from its
 * Dockerfile and entrypoint at the release's tag. */
struct prof_user {
	char		*name;		/* first member: FT_DICT key */
	long		 uid, gid;	/* UNSET_INT: not verified */
	int		 nonroot;	/* 1: runs as uid:gid from the start */
	struct strlist	 writes;	/* folders it writes outside volumes */
};

/* A heartbeat the program can keep although upstream's command does not ask
 * for one (profile heartbeats:): a service of `image` whose args begin with
 * `command` and that has no health check gets `flag FILE` appended and
 * `health` as its check. */
struct prof_heartbeat {
	char		*image;		/* a key of images: */
	struct strlist	 command;	/* the first words of the args */
	char		*flag;		/* the option that names the file */
	struct prof_health health;	/* a file check */
};

struct prof_volume {
	char		*name;		/* first member: FT_DICT key */
	char		*kind;		/* config | filestore | shared | cache
					 * | per-replica | scratch; a cache
					 * is shared when a shared volume is
					 * given, else per pod */
	char		*size;
	struct kvlist	 files;		/* file name -> template (config) */
};

struct prof_topic {
	char	*name;
	long	 partitions;		/* required count, e.g. 1 */
};

struct prof_range {
	char	*min;
	char	*max;
};

struct prof_requires {
	struct prof_range	 postgres;
	struct prof_range	 clickhouse;
	struct prof_range	 redis;
	struct prof_range	 kafka;
	struct prof_range	 memcached;
	int			 zookeeper;
};

struct profile {
	long			 schema;
	char			*release;
	char			*title;
	char			*released;
	char			*summary;	/* what is notable, one line */
	int			 hard_stop;
	char			*hard_stop_reason;
	char			*upstream_tag;
	struct kvlist		 images;	/* key -> reference */
	struct objlist		 image_facts;	/* of struct prof_image */
	struct objlist		 image_users;	/* of struct prof_user */
	struct prof_requires	 requires;
	struct kvlist		 config;	/* template knobs, {{cfg.KEY}} */
	struct kvlist		 sentry_features;	/* flag -> "true"/"false" */
	struct kvlist		 sentry_options;	/* option -> a Python literal */
	struct objlist		 topics;	/* of struct prof_topic */
	struct objlist		 heartbeats;	/* of struct prof_heartbeat */
	struct strlist		 internet_steps;	/* of profile_internet_steps */
	struct objlist		 volumes;	/* of struct prof_volume */
	struct objlist		 templates;	/* of struct prof_service */
	struct objlist		 migrations;	/* of struct prof_service, in order */
	struct objlist		 services;	/* of struct prof_service */
	struct kvlist		 omitted;	/* upstream service -> reason */
	struct kvlist		 former;	/* earlier service -> what it became */
	/* Snuba's migration group -> the last migration this release ships
	 * (upgrade-facts.md, Table 2): where a completed upgrade to it
	 * stands in ClickHouse's migrations_local. */
	struct kvlist		 snuba_migrations;
	/* The last migration of Django app sentry this release ships (its
	 * migrations_lockfile.txt at the tag), or NULL where no source
	 * gives it: where a completed upgrade to it stands in PostgreSQL's
	 * django_migrations. */
	char			*sentry_migration_head;
	/* Earlier service -> the service of this release that does its work,
	 * where there is one: answers carried over move its replicas there. */
	struct kvlist		 successors;

	char			*path;
	struct srcmap		 where;
};

/* Where profiles lie on a filesystem file store unless a profile's
 * profiles_dir says otherwise: Sentry's and vroom's alike. */
#define PROFILES_DIR	"/data/profiles"

/* A template knob a profile may set under config: (see profile.c). */
struct knob {
	const char	*name;
	const char	*fallback;	/* when the profile does not set it */
	const char	*meaning;
};

extern const struct knob profile_knobs[];	/* ends with name NULL */

/* The steps that need the Internet a profile may list (internet_steps:);
 * the plan's internet_steps table says what each is. */
extern const char *const profile_internet_steps[];

/* The field table of a profile file. */
extern const struct field profile_fields[];

/*
 * Loads one profile file and checks it: known roles and images, templates
 * that exist, mounts that name declared volumes, one health check kind per
 * service. Services come back with their template merged in.
 */
int	profile_load(const char *path, struct profile *p, struct err *e);
/* The same from text already in memory; `path` names it in messages. */
int	profile_parse(const char *text, size_t len, const char *path,
	    struct profile *p, struct err *e);
void	profile_free(struct profile *p);

/* Borrowed lookups (NULL when absent). */
/* Lookups by name, borrowed from the profile; NULL when absent. */
const struct prof_service *profile_service(const struct profile *p,
	    const char *name);
const struct prof_volume *profile_volume(const struct profile *p,
	    const char *name);
const struct prof_image *profile_image(const struct profile *p, const char *key);
const struct prof_user *profile_user(const struct profile *p, const char *key);
/* profile_users.c: image_users: names images, a non-root image has its
 * uid and gid, writes are absolute folders. Appends to `problems`. */
void	profile_check_users(const struct profile *p, struct err *problems);
size_t	profile_service_count(const struct profile *p, const char *features);

/* What becomes of the answer about service `name` at release p, when the
 * answers' `services` mapping (NULL: none) is carried there: kept (p runs
 * it), moved to *to, its successor (borrowed from p; only when that has no
 * answer of its own), or dropped. The wizard and `upgrade` carry alike. */
enum carry { CARRY_KEEP, CARRY_MOVE, CARRY_DROP };
enum carry profile_carry(const struct profile *p, const struct ynode *services,
	    const char *name, const char **to);

/* A loaded set of profiles, sorted by release (oldest first). */
struct releases {
	struct profile	*v;
	size_t		 n;
	char		*dir;
};

/* Loads every *.yaml of `dir`. */
int	releases_load(const char *dir, struct releases *c, struct err *e);
/* The profile of a release, borrowed from c, or NULL. */
const struct profile *releases_find(const struct releases *c, const char *release);
void	releases_free(struct releases *c);

/* Compares dotted version strings numerically ("24.8.0" < "24.10.1"). */
int	version_cmp(const char *a, const char *b);

#endif
