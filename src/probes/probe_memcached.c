/*
 * Memcached, through libmemcached: every host of memcached.hosts answers
 * `version` and `stats`. Sentry shards its cache over the hosts itself, so
 * each one is an endpoint of its own.
 */
#include "probe_internal.h"
#include "value_formats.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmemcached/memcached.h>

static size_t
count(const struct plan *pl)
{
	return pl->memcached.n;
}

static void
describe(const struct plan *pl, size_t i, char **endpoint, char **field)
{
	*endpoint = xstrdup(pl->memcached.v[i]);
	*field = xasprintf("memcached.hosts[%zu]", i);
}

/* The reason is the server instance's (the handle's own is often just
 * "some errors"). Refusals and connect timeouts were told apart by
 * net_connect() before libmemcached started. */
static void
failed(const struct probe_ctx *c, struct probe_result *r, memcached_st *m,
    memcached_return_t rc)
{
	const memcached_instance_st *inst = memcached_server_instance_by_position(m, 0);
	memcached_return_t why = inst ? memcached_server_error_return(inst) : rc;

	if (why == MEMCACHED_SUCCESS)
		why = rc;
	if (why == MEMCACHED_TIMEOUT)
		probe_fail(r, PF_REPLY_TIMEOUT, "check that the port is "
		    "memcached's and that it is not overloaded", "connected, but "
		    "no answer within %ld ms", c->timeout_ms);
	else
		probe_fail(r, PF_PROTOCOL, "check that this port is a memcached "
		    "server's", "it did not answer as memcached does: %s",
		    memcached_strerror(m, why));
}

static void
run(const struct probe_ctx *c, struct probe_result *r)
{
	char *host = NULL, ip[64];
	long port;
	memcached_st *m;
	memcached_stat_st *stats;
	memcached_return_t rc;
	long ms = probe_ms_left(c);

	int fd;

	parse_hostport(c->pl->memcached.v[c->index], &host, &port);
	if (net_resolve(c, host, ip, sizeof ip, r) < 0 ||
	    (fd = net_connect(c, ip, port, r)) < 0) {
		free(host);
		return;
	}
	net_close(c, fd);
	free(host);
	ms = probe_ms_left(c);
	m = memcached_create(NULL);
	/* Each wait (connect, then every reply) is bounded by what is left. */
	memcached_behavior_set(m, MEMCACHED_BEHAVIOR_CONNECT_TIMEOUT, (uint64_t)ms);
	memcached_behavior_set(m, MEMCACHED_BEHAVIOR_POLL_TIMEOUT, (uint64_t)ms);
	memcached_behavior_set(m, MEMCACHED_BEHAVIOR_RETRY_TIMEOUT, 0);
	memcached_server_add(m, ip, (in_port_t)port);
	rc = memcached_version(m);
	if (rc != MEMCACHED_SUCCESS) {
		failed(c, r, m, rc);
		memcached_free(m);
		return;
	}
	stats = memcached_stat(m, NULL, &rc);
	if (rc != MEMCACHED_SUCCESS || stats == NULL)
		failed(c, r, m, rc);
	else
		probe_ok(r, "memcached %s, %llu MiB of cache, %lu open "
		    "connection%s", stats[0].version, stats[0].limit_maxbytes /
		    (1024 * 1024), stats[0].curr_connections,
		    stats[0].curr_connections == 1 ? "" : "s");
	memcached_stat_free(m, stats);
	memcached_free(m);
}

const struct probe_kind probe_memcached = {
	"memcached", "Memcached", count, describe, run
};
