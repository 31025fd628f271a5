/*
 * ZooKeeper, for the releases whose Kafka still runs on it: every host of
 * zookeeper.hosts answers the four-letter word `srvr` (version and mode).
 * Plain TCP is enough; the server answers and closes the connection.
 */
#include "probe_internal.h"
#include "value_formats.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ZooKeeper 3.5+ answers a word outside 4lw.commands.whitelist with this. */
#define NOT_WHITELISTED	"is not executed because it is not in the whitelist"
/* ... and this while it has no quorum (or has not finished starting). */
#define NOT_SERVING	"not currently serving requests"

static size_t
count(const struct plan *pl)
{
	/* Optional: Sentry never talks to ZooKeeper, only its Kafka does. */
	if (pl->profile->requires.zookeeper != 1)
		return 0;
	return pl->zookeeper.n;
}

static void
describe(const struct plan *pl, size_t i, char **endpoint, char **field)
{
	*endpoint = xstrdup(pl->zookeeper.v[i]);
	*field = xasprintf("zookeeper.hosts[%zu]", i);
}

/* The rest of the line that starts with `key` (copied), or NULL. */
static char *
line_value(const char *reply, const char *key)
{
	size_t klen = strlen(key);

	for (const char *p = reply; p != NULL && *p != '\0';) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);

		if (len >= klen && strncmp(p, key, klen) == 0) {
			p += klen;
			len -= klen;
			while (len > 0 && *p == ' ')
				p++, len--;
			while (len > 0 && (p[len - 1] == '\r' || p[len - 1] == ' '))
				len--;
			return xstrndup(p, len);
		}
		p = eol ? eol + 1 : NULL;
	}
	return NULL;
}

static void
judge(const char *reply, struct probe_result *r)
{
	char *version = line_value(reply, "Zookeeper version:");
	char *mode = line_value(reply, "Mode:");

	if (strstr(reply, NOT_WHITELISTED) != NULL)
		probe_fail(r, PF_PERMISSION, "add srvr to the servers' "
		    "4lw.commands.whitelist (zoo.cfg: 4lw.commands.whitelist=srvr)",
		    "ZooKeeper answers, but does not allow the command srvr");
	else if (strstr(reply, NOT_SERVING) != NULL)
		probe_fail(r, PF_PROTOCOL, "check that a majority of the ensemble "
		    "is up and that the servers reach each other",
		    "ZooKeeper runs but does not serve requests (no quorum)");
	else if (version == NULL || mode == NULL)
		probe_fail(r, PF_PROTOCOL, "check that this port is a ZooKeeper "
		    "server's client port (2181 by default)", "it did not answer "
		    "srvr as ZooKeeper does");
	else {
		/* "3.8.0-${mvngit.commit.id}, built on ...": the release. */
		version[strcspn(version, "-, ")] = '\0';
		probe_ok(r, "ZooKeeper %s, Mode: %s", version, mode);
	}
	free(version);
	free(mode);
}

static void
run(const struct probe_ctx *c, struct probe_result *r)
{
	char *host = NULL, *reply = NULL;
	long port;
	int fd;

	if (parse_hostport(c->pl->zookeeper.v[c->index], &host,
	    &port) < 0) {
		free(host);
		probe_fail(r, PF_SETUP, "write it as HOST:PORT", "not a "
		    "HOST:PORT address");
		return;
	}
	fd = net_connect(c, host, port, r);
	free(host);
	if (fd < 0)
		return;
	/* The server closes the connection after its answer: read to EOF. */
	if (net_exchange(c, fd, "srvr", NULL, &reply, r) == 0) {
		if (reply[0] == '\0')
			probe_fail(r, PF_PROTOCOL, "check that this port is a "
			    "ZooKeeper server's client port (2181 by default)",
			    "it closed the connection without answering srvr");
		else
			judge(reply, r);
	}
	free(reply);
	net_close(c, fd);
}

const struct probe_kind probe_zookeeper = {
	"zookeeper", "ZooKeeper", count, describe, run
};
