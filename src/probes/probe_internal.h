/*
 * Shared by the probe_*.c files; not part of the core's interface.
 *
 * A probe runs in its own thread. It reads the plan (never writes it),
 * fills its own result and its own facts, and must give up by its deadline:
 * every wait is bounded by probe_ms_left(). At that deadline the runner
 * (probe.c) shuts down the probe's socket (net_connect registers it), so
 * that a server that drips or floods cannot keep a library's blocking reads
 * going; a moment later, at --timeout itself, it reports any probe still
 * running as timed out and leaves its thread behind, so that a call that
 * cannot be interrupted (a DNS lookup, say) delays nothing but itself.
 */
#ifndef SHS_PROBE_INTERNAL_H
#define SHS_PROBE_INTERNAL_H

#include <time.h>

#include "probe.h"

struct probe_guard;

struct probe_ctx {
	const struct plan	*pl;
	struct probe_guard	*guard;		/* the runner's, for the socket */
	size_t			 index;		/* which instance (host i, ...) */
	struct timespec		 deadline;	/* CLOCK_MONOTONIC */
	long			 timeout_ms;
	struct facts		*facts;		/* this probe's own; merged later */
	int			 accept_new_host_keys;	/* probe_opts' */
};

/* How many instances of a probe the answers call for (0: not needed), and
 * the probe itself. The runner has set r->service, r->endpoint and r->field
 * from the table (probe_describe_fn) before run() is called. */
typedef size_t	probe_count_fn(const struct plan *pl);
typedef void	probe_describe_fn(const struct plan *pl, size_t index,
		    char **endpoint, char **field);
typedef void	probe_run_fn(const struct probe_ctx *c, struct probe_result *r);

struct probe_kind {
	const char		*name;		/* for --only: "postgres" */
	const char		*service;	/* for people: "PostgreSQL" */
	probe_count_fn		*count;
	probe_describe_fn	*describe;
	probe_run_fn		*run;
};

/* probe_all() over the given kinds (the tests bring their own). */
int	probe_run_kinds(const struct plan *pl, const struct probe_kind *const *list,
	    size_t nlist, const struct probe_opts *o, struct probe_results *out,
	    struct facts *facts, struct err *e);

/* The probes, one per file (probe_postgres.c, ...). */
extern const struct probe_kind probe_postgres, probe_redis, probe_memcached,
    probe_kafka, probe_zookeeper, probe_clickhouse, probe_smtp, probe_s3,
    probe_gcs, probe_nfs, probe_ssh, probe_registry, probe_share;

/* Results. probe_ok() sets what was found; probe_fail() the failure, what
 * went wrong and the fix (one line, may be NULL). The last call wins. */
void	probe_ok(struct probe_result *r, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	probe_fail(struct probe_result *r, enum probe_failure f, const char *fix,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Not checked from here, and why (not a failure: `check` still passes). */
void	probe_skip(struct probe_result *r, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* 0 when `have` is at least the release's `min` (NULL: no minimum), else
 * -1 with r failed as PF_VERSION ("PostgreSQL 13.4 is older than 14, ..."). */
int	probe_require_version(const struct probe_ctx *c, struct probe_result *r,
	    const char *product, const char *have, const char *min);

/* Milliseconds until the deadline (0 once it has passed). */
long	probe_ms_left(const struct probe_ctx *c);

/* The socket the runner shuts down at the deadline (net_connect sets it):
 * a probe that hands it to a library that closes it (hiredis) releases it
 * first; net_close() does both for the others. */
void	probe_hold_socket(const struct probe_ctx *c, int fd);
void	probe_release_socket(const struct probe_ctx *c, int fd);
void	net_close(const struct probe_ctx *c, int fd);

/* "host:port", with an IPv6 host in brackets; owned by the caller. */
char	*probe_hostport(const char *host, long port);

/*
 * Plain TCP within the deadline (net.c): resolves `host`, connects, and
 * returns the connected socket (blocking mode, held for the runner), or -1
 * with r failed as PF_RESOLVE, PF_REFUSED or PF_CONNECT_TIMEOUT.
 */
int	net_connect(const struct probe_ctx *c, const char *host, long port,
	    struct probe_result *r);
/* The first address of `host` as text (for libraries that would look the
 * name up with no deadline), or -1 with r failed as PF_RESOLVE. */
int	net_resolve(const struct probe_ctx *c, const char *host, char *ip,
	    size_t size, struct probe_result *r);
/* poll() for `events` until the deadline: >0 ready, 0 timed out, <0 error. */
int	net_wait(const struct probe_ctx *c, int fd, short events);
/* Sends all of `data`, then reads until `done` (may be NULL: until EOF)
 * finds the reply complete, all within the deadline. *reply is owned by the
 * caller. -1 with r failed (PF_REPLY_TIMEOUT, ...). */
int	net_exchange(const struct probe_ctx *c, int fd, const char *data,
	    int (*done)(const char *reply, size_t len), char **reply,
	    struct probe_result *r);

#endif
