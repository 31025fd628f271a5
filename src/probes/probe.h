/*
 * The live checks: every endpoint of the answers (PostgreSQL, Redis, Kafka,
 * ZooKeeper, ClickHouse, Memcached, SMTP, the file store, SSH hosts) is
 * contacted with its real client library, all at once, each within a
 * deadline. What they learn (server versions, Redis mode, topics, ...)
 * becomes facts for the rule engine (rules.h).
 */
#ifndef SHS_PROBE_H
#define SHS_PROBE_H

#include "err.h"
#include "plan.h"
#include "facts.h"

/* What went wrong, in the operator's terms. PF_NONE: the endpoint is fine. */
enum probe_failure {
	PF_NONE,
	PF_RESOLVE,		/* the name does not resolve */
	PF_REFUSED,		/* connection refused */
	PF_CONNECT_TIMEOUT,	/* no connection within the deadline */
	PF_REPLY_TIMEOUT,	/* connected, but no reply within the deadline */
	PF_TLS,			/* the TLS handshake or certificate failed */
	PF_AUTH,		/* the credentials were refused */
	PF_VERSION,		/* the server is too old or too new */
	PF_MISSING,		/* a database, bucket, topic or path is missing */
	PF_PERMISSION,		/* authenticated, but not allowed */
	PF_PROTOCOL,		/* it answered, but not as that server would */
	PF_HOSTKEY,		/* an SSH host key that known_hosts lacks */
	PF_SETUP,		/* the answers or this machine lack something */
	PF_SKIPPED,		/* not checked from here (says why); not a failure */
};

/* "name does not resolve", "connection refused", ...; static. */
const char *probe_failure_name(enum probe_failure f);

struct probe_result {
	char			*service;	/* "PostgreSQL", "Memcached" */
	char			*endpoint;	/* "pg.internal:5432" */
	char			*field;		/* the answer it checks: "postgres.host" */
	enum probe_failure	 failure;
	char			*detail;	/* what was found, or what went wrong */
	char			*fix;		/* one line, or NULL */
	long			 elapsed_ms;
	/* What was learnt about the machine itself (SSH: a host's OS,
	 * Docker, clock), printable: for people a line or more, each
	 * ending in '\n' (owned, or NULL), for --json pairs (empty when
	 * nothing was learnt). */
	char			*about;
	struct kvlist		 about_pairs;
	/* SSH: failed only because no known_hosts holds the server's key (the
	 * detail shows its fingerprint): checking again with
	 * accept_new_host_keys would trust it. A changed key is not this. */
	int			 host_key_new;
};

struct probe_results {
	struct probe_result	*v;
	size_t			 n;
	int			 abandoned;	/* a probe overran and may still
						 * run: keep the plan it reads */
};

/* Called in the calling thread as each result arrives (the results of a
 * run arrive in the order they complete). */
typedef void probe_report_fn(const struct probe_result *r, void *arg);

struct probe_opts {
	long		 timeout_ms;	/* each probe's deadline */
	int		 jobs;		/* at most this many at once; 0: all */
	const struct strlist *only;	/* probe names to run; NULL or empty: all */
	probe_report_fn	*report;	/* may be NULL */
	void		*arg;
	/* An SSH host key that no known_hosts holds is added to the user's
	 * ~/.ssh/known_hosts and trusted, as OpenSSH's
	 * StrictHostKeyChecking=accept-new does; a changed key is still
	 * refused. */
	int		 accept_new_host_keys;
};

/* How many probes the answers call for (an endpoint each), of the kinds in
 * `only` (NULL or empty: all). */
size_t	probe_count(const struct plan *pl, const struct strlist *only);
/* Is `name` the name of a probe kind ("postgres", "redis", ...)? */
int	probe_name_known(const char *name);
/* Appends the names, comma-separated, for messages. */
void	probe_names(struct strbuf *out);

/*
 * Runs every probe the answers call for. `pl` must have been built with the
 * secret values (not PLAN_NO_SECRET_VALUES). Fills `out` (owned by the
 * caller: probe_results_free) and adds what was learnt to `facts`. Returns
 * -1 only when the checks could not run at all (threads, libraries); a
 * failed endpoint is a result, not an error.
 */
int	probe_all(const struct plan *pl, const struct probe_opts *o,
	    struct probe_results *out, struct facts *facts, struct err *e);
/* Results that are failures (neither fine nor skipped). */
size_t	probe_failures(const struct probe_results *r);
void	probe_results_free(struct probe_results *r);

#endif
