/* What the live checks learnt about the servers (facts.c), for the rules. */
#ifndef SHS_FACTS_H
#define SHS_FACTS_H

#include <stddef.h>

#include "kvlist.h"
#include "xmem.h"

struct releases;

/* What the live checks learnt; everything unknown stays unset (NULL, -1). */
struct topic_fact {
	char	*name;
	long	 partitions;
	long	 replication;
};

/* Whether a migrations table was read (facts_init: unknown). */
enum table_state {
	TABLE_UNKNOWN,		/* not checked (offline, or the check failed) */
	TABLE_ABSENT,		/* no such table: never migrated */
	TABLE_EMPTY,		/* the table, without a row */
	TABLE_READ,		/* rows were read */
};

/*
 * A squash boundary of Sentry's migrations (upgrade-facts.md, Table 1 and
 * Note 1): names that `sentry upgrade` of later releases looks for in
 * django_migrations before it migrates ("It looks like you've skipped a
 * hard stop"). In order, oldest first; the table ends with name NULL.
 */
struct sentry_boundary {
	const char	*name;		/* the migration itself */
	const char	*squash;	/* the squash that replaces it, or NULL */
	/* The hard stop whose successors check for it (or a later boundary):
	 * a database without it cannot go past that release. NULL where no
	 * source says which check tests it. */
	const char	*stop;
	/* A release the name certainly came after (the database is newer
	 * than it), or NULL where none is known. */
	const char	*after;
};

extern const struct sentry_boundary sentry_boundaries[];

/* A host's clock against this machine's, as the SSH probe measured it:
 * the host read its clock somewhere within the round trip, so the skew is
 * known only to within half of it. */
struct clock_fact {
	char	*host;		/* owned: the endpoint, "10.0.0.5:22" */
	long	 index;		/* in hosts: */
	double	 skew_s;	/* the host's clock minus ours */
	double	 uncertainty_s;	/* half the round trip, >= 0 */
};

/* The skew past which Kafka, Snuba and TLS misbehave. */
#define CLOCK_SKEW_LIMIT_S	1.0

/* The free space of the shared volume's folder, as a host (hostpath: df
 * there) or the sshfs server (SFTP statvfs) sees it. */
struct space_fact {
	char	*where;		/* owned: the endpoint, "10.0.0.5:22" */
	char	*path;		/* owned: the folder */
	char	*field;		/* owned: the answer it concerns */
	long	 free_kib;	/* what an ordinary user may still write */
	long	 total_kib;	/* the file system's size; 0: unknown */
};

/*
 * Below either floor the share is low. Neither figure is Sentry's (no
 * source gives its uploads' rate): 5 GiB is the least Discourse's setup
 * accepts for a whole install (reference/product-anchors.md) and a few
 * debug files or a day of attachments of a busy project; 5% is where a
 * large share, on which 5 GiB is nothing, is nearly full all the same.
 */
#define SPACE_LOW_KIB		(5L * 1024 * 1024)
#define SPACE_LOW_PERCENT	5

/*
 * Docker's data root holds every image the node pulls and every
 * container's writable layer. Self-hosted asks for 20 GB free on its one
 * host, most of it for those images (README, Requirements); 15% is the
 * kubelet's default hard eviction threshold for the image file system
 * (imagefs.available), where Kubernetes itself stops trusting a node.
 */
#define DOCKER_ROOT_LOW_KIB	(20L * 1024 * 1024)
#define DOCKER_ROOT_LOW_PERCENT	15

/* The vieux/sshfs volume plugin, as `docker plugin ls` has it. */
enum { SSHFS_ABSENT, SSHFS_DISABLED, SSHFS_ENABLED };

/* What a host of hosts: said about itself and its Swarm node, for the
 * rules that weigh it against what the plan pins there. Unknown: NULL,
 * -1. */
struct host_fact {
	char	*host;			/* owned: the endpoint, "10.0.0.5:22" */
	long	 index;			/* in hosts: */
	long	 cpus;
	long	 mem_kib;
	int	 sshfs_plugin;		/* SSHFS_*: only where an engine answered */
	char	*availability;		/* owned: "active", "pause", "drain" */
	char	*docker_root;		/* owned: "/var/lib/docker" */
	long	 docker_root_free_kib, docker_root_total_kib;
};

struct facts {
	char		*postgres_version;	/* "14.11" */
	char		*clickhouse_version;	/* "23.8.11.29" */
	char		*redis_mode;		/* standalone | cluster | sentinel */
	long		 kafka_brokers;		/* brokers in the metadata, or -1 */
	struct topic_fact *topics;
	size_t		 ntopics;
	struct strlist	 clickhouse_clusters;
	struct strlist	 clickhouse_distributed;	/* db.table */
	/* PostgreSQL's django_migrations: the boundary names (name or
	 * squash of sentry_boundaries) it holds for app sentry. */
	enum table_state sentry_history;
	struct strlist	 sentry_boundaries;
	/* And each app's newest numbered migration there (app -> name, one
	 * pair per app): where its chain has got to. A release profile's
	 * sentry_migration_head says where app sentry's ends. */
	struct kvlist	 sentry_app_heads;
	/* ClickHouse's migrations_local (Snuba): group -> migration id, a
	 * pair per completed and per in_progress migration. */
	enum table_state snuba_history;
	struct kvlist	 snuba_completed;
	struct kvlist	 snuba_in_progress;
	/* The clocks of hosts:, one per host reached over SSH. */
	struct clock_fact *clocks;
	size_t		 nclocks;
	/* The shared volume's free space, one per place that measured it. */
	struct space_fact *spaces;
	size_t		 nspaces;
	/* The hosts of hosts: reached over SSH, one each. */
	struct host_fact *hosts;
	size_t		 nhosts;
	/* Not learnt but lent (borrowed, NULL: unknown): the release
	 * profiles, so that the rules can say which release the databases'
	 * migrations match. Merging keeps the destination's. */
	const struct releases *releases;
};

void	facts_init(struct facts *f);
void	facts_free(struct facts *f);
/* The fact about a topic, borrowed from f, or NULL. */
const struct topic_fact *facts_topic(const struct facts *f, const char *name);
/* Moves everything `src` knows into `dst` (which keeps what src does not
 * know) and empties src. */
void	facts_merge(struct facts *dst, struct facts *src);
/* Does django_migrations hold boundary `b` (its name or its squash)? */
int	sentry_boundary_crossed(const struct facts *f,
	    const struct sentry_boundary *b);

/*
 * The skew of a clock read at `remote` ("1764616339.25", as `date
 * +%s.%N` prints it; whole seconds also do) by a host asked at local time
 * `before` and answering by `after` (seconds since the epoch): the reading
 * is taken to be at the middle, give or take half the round trip, or half
 * a second more for whole seconds (which `date +%s` truncates). 0, or -1
 * when `remote` is no time.
 */
int	clock_skew_measure(double before, double after, const char *remote,
	    double *skew, double *uncertainty);
/* Is the skew certainly beyond `limit` seconds, either way, even at the
 * favourable end of its uncertainty? */
int	clock_skew_beyond(double skew, double uncertainty, double limit);

/* Is this free space below SPACE_LOW_KIB, or below SPACE_LOW_PERCENT of a
 * known total? */
int	space_low(long free_kib, long total_kib);
/* Is Docker's data root low: below DOCKER_ROOT_LOW_KIB, or below
 * DOCKER_ROOT_LOW_PERCENT of a known total? */
int	docker_root_low(long free_kib, long total_kib);
/* Appends a copy of `h` (its strings copied). */
void	facts_add_host(struct facts *f, const struct host_fact *h);
/* Appends a space fact (the strings copied). */
void	facts_add_space(struct facts *f, const char *where, const char *path,
	    const char *field, long free_kib, long total_kib);

#endif
