/*
 * Redis, through hiredis: logs in as Sentry will (AUTH, SELECT redis.db)
 * and reads INFO server for the version and the mode. Sentry shards over
 * plain servers itself, so a Redis Cluster or a Sentinel is a failure here
 * and a fact for the rule redis-no-cluster-or-sentinel.
 *
 * The connection is net_connect()'s (which tells a refusal from a timeout
 * and bounds the connect by the deadline); hiredis takes over the socket,
 * and each command's wait is bounded by setting the socket's timeouts to
 * what is left of the deadline.
 */
#include "probe_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include <hiredis/hiredis.h>

#include "profile.h"

static size_t
count(const struct plan *pl)
{
	(void)pl;
	return 1;
}

static void
describe(const struct plan *pl, size_t i, char **endpoint, char **field)
{
	(void)i;
	*endpoint = probe_hostport(pl->redis.host, pl->redis.port);
	*field = xstrdup("redis.host");
}

/*
 * Error replies, by their first words. Redis does not translate them, and
 * the codes (NOAUTH, WRONGPASS, NOPERM, DENIED) exist so that clients can
 * match them; the ERR texts are those of Redis 2.x to 7.x.
 */
struct refusal {
	const char		*prefix;
	int			 unneeded;	/* AUTH to a server without a
						 * password */
	enum probe_failure	 failure;
	const char		*what;
	const char		*fix;
};

static const struct refusal refusals[] = {
	{ "NOAUTH", 0, PF_AUTH, "the server requires a password and the answers "
	    "give none", "set redis.password" },
	{ "WRONGPASS", 0, PF_AUTH, "the password was refused", "check "
	    "redis.password" },
	{ "ERR invalid password", 0, PF_AUTH, "the password was refused", "check "
	    "redis.password" },
	{ "ERR AUTH <password> called without any password configured",
	    1, PF_AUTH, "the answers give a password but the server has none",
	    "remove redis.password, or set requirepass on the server" },
	{ "ERR Client sent AUTH, but no password is set", 1, PF_AUTH, "the "
	    "answers give a password but the server has none", "remove "
	    "redis.password, or set requirepass on the server" },
	{ "NOPERM", 0, PF_PERMISSION, "the user may not run the commands Sentry "
	    "needs", "grant the default user every command (ACL SETUSER)" },
	{ "DENIED", 0, PF_PERMISSION, "the server is in protected mode and "
	    "accepts no one from this address", "set a password on the server "
	    "(requirepass) and in redis.password" },
	{ "ERR DB index is out of range", 0, PF_MISSING, "the server has no "
	    "database of that number", "use a redis.db below the server's "
	    "`databases` setting, or raise that setting" },
	{ "ERR invalid DB index", 0, PF_MISSING, "the server has no database of "
	    "that number", "use a redis.db below the server's `databases` "
	    "setting, or raise that setting" },
};

#define NREFUSALS	(sizeof refusals / sizeof refusals[0])

/* A failure class for each mode Sentry cannot use. PF_PROTOCOL, for want
 * of a better one: the server answers, but as something Sentry's client
 * cannot talk to (MOVED redirections, Sentinel's own command set); none of
 * the other classes (version, permission, setup) says that. */
struct bad_mode {
	const char	*mode;		/* INFO's redis_mode */
	const char	*name;		/* for people */
	const char	*fix;
};

static const struct bad_mode bad_modes[] = {
	{ "sentinel", "a Redis Sentinel", "give the address of the Redis "
	    "master itself (`SENTINEL get-master-addr-by-name` on the Sentinel "
	    "names it)" },
	{ "cluster", "a node of a Redis Cluster", "give a standalone Redis "
	    "server: Sentry shards over plain servers itself and cannot use "
	    "Redis Cluster" },
};

/* Sends one command within the deadline: the reply (freeReplyObject it),
 * error replies included, or NULL with r failed. */
static redisReply *
command(const struct probe_ctx *c, redisContext *rc, struct probe_result *r,
    const char *fmt, ...)
{
	long left = probe_ms_left(c);
	struct timeval tv = { left / 1000, (left % 1000) * 1000 };
	redisReply *reply = NULL;
	va_list ap;
	int err = 0;

	/* A zero timeout would mean none at all. */
	if (left > 0 && redisSetTimeout(rc, tv) == REDIS_OK) {
		va_start(ap, fmt);
		reply = redisvCommand(rc, fmt, ap);
		err = errno;
		va_end(ap);
	}
	if (reply != NULL)
		return reply;
	if (left == 0 || probe_ms_left(c) == 0 || (rc->err == REDIS_ERR_IO &&
	    (err == EAGAIN || err == EWOULDBLOCK)))
		probe_fail(r, PF_REPLY_TIMEOUT, "check that the port is Redis's "
		    "and that the server is not overloaded", "connected, but no "
		    "reply within %ld ms", c->timeout_ms);
	else if (rc->err == REDIS_ERR_EOF)
		probe_fail(r, PF_PROTOCOL, "check that this port is Redis's",
		    "the server closed the connection without an answer");
	else
		probe_fail(r, PF_PROTOCOL, "check that this port is Redis's",
		    "it did not answer as Redis does: %s", rc->errstr);
	return NULL;
}

static const struct refusal *
refusal_of(const redisReply *reply)
{
	for (size_t i = 0; i < NREFUSALS; i++)
		if (strncmp(reply->str, refusals[i].prefix,
		    strlen(refusals[i].prefix)) == 0)
			return &refusals[i];
	return NULL;
}

/* Is the reply an error? Then r is failed, in the operator's terms. */
static int
refused(const redisReply *reply, const char *cmd, struct probe_result *r)
{
	const struct refusal *f;

	if (reply->type != REDIS_REPLY_ERROR)
		return 0;
	if ((f = refusal_of(reply)) != NULL)
		probe_fail(r, f->failure, f->fix, "%s (%s: %s)", f->what, cmd,
		    reply->str);
	else
		probe_fail(r, PF_PROTOCOL, NULL, "%s failed: %s", cmd, reply->str);
	return 1;
}

/* The value of `key` in an INFO reply ("key:value\r\n" lines); owned by the
 * caller, or NULL. */
static char *
info_field(const char *info, const char *key)
{
	size_t klen = strlen(key);

	for (const char *p = info; p != NULL && *p != '\0'; ) {
		if (strncmp(p, key, klen) == 0 && p[klen] == ':')
			return xasprintf("%.*s", (int)strcspn(p + klen + 1, "\r\n"),
			    p + klen + 1);
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return NULL;
}

/* Records the mode; fails r for a mode Sentry cannot use, or a version
 * older than the release needs. */
static int
judge(const struct probe_ctx *c, const char *where, const char *version,
    const char *mode, struct probe_result *r)
{
	free(c->facts->redis_mode);
	c->facts->redis_mode = xstrdup(mode);
	for (size_t i = 0; i < sizeof bad_modes / sizeof bad_modes[0]; i++)
		if (strcmp(mode, bad_modes[i].mode) == 0) {
			probe_fail(r, PF_PROTOCOL, bad_modes[i].fix, "%s is %s "
			    "(Redis %s), not a standalone server: Sentry needs a "
			    "standalone Redis", where, bad_modes[i].name, version);
			return -1;
		}
	return probe_require_version(c, r, "Redis", version,
	    c->pl->profile->requires.redis.min);
}

/* INFO server, then the judgement of what it says. */
static int
check_info(const struct probe_ctx *c, redisContext *rc, const char *where,
    char **version, struct probe_result *r)
{
	redisReply *reply = command(c, rc, r, "INFO server");
	char *mode;
	int rv;

	if (reply == NULL)
		return -1;
	if (refused(reply, "INFO", r)) {
		freeReplyObject(reply);
		return -1;
	}
	if (reply->type != REDIS_REPLY_STRING ||
	    (*version = info_field(reply->str, "redis_version")) == NULL) {
		probe_fail(r, PF_PROTOCOL, "check that this port is Redis's",
		    "INFO server did not say which Redis this is");
		freeReplyObject(reply);
		return -1;
	}
	/* Redis before 2.8 had one mode and did not name it. */
	mode = info_field(reply->str, "redis_mode");
	rv = judge(c, where, *version, mode ? mode : "standalone", r);
	free(mode);
	freeReplyObject(reply);
	return rv;
}

/* AUTH, when the answers give a password. A server without one refuses
 * it, but INFO still says what the server is, which matters more: that
 * refusal is left in *unneeded for later. */
static int
authenticate(const struct probe_ctx *c, redisContext *rc,
    const struct refusal **unneeded, struct probe_result *r)
{
	const char *password = plan_secret_value(c->pl, c->pl->redis.password_ref);
	const struct refusal *f;
	redisReply *reply;
	int rv = 0;

	*unneeded = NULL;
	if (password == NULL)
		return 0;
	if ((reply = command(c, rc, r, "AUTH %s", password)) == NULL)
		return -1;
	if (reply->type == REDIS_REPLY_ERROR && (f = refusal_of(reply)) != NULL &&
	    f->unneeded)
		*unneeded = f;
	else if (refused(reply, "AUTH", r))
		rv = -1;
	freeReplyObject(reply);
	return rv;
}

static int
select_db(const struct probe_ctx *c, redisContext *rc, long db,
    struct probe_result *r)
{
	char cmd[32];
	redisReply *reply;
	int rv = 0;

	snprintf(cmd, sizeof cmd, "SELECT %ld", db);
	if ((reply = command(c, rc, r, "SELECT %ld", db)) == NULL)
		return -1;
	if (refused(reply, cmd, r))
		rv = -1;
	freeReplyObject(reply);
	return rv;
}

/* The checks on an open connection, in the order Sentry's client meets
 * them. */
static void
session(const struct probe_ctx *c, redisContext *rc, const char *where,
    struct probe_result *r)
{
	long db = c->pl->redis.db;
	const struct refusal *unneeded;
	char *version = NULL;

	if (authenticate(c, rc, &unneeded, r) < 0 ||
	    check_info(c, rc, where, &version, r) < 0) {
		free(version);
		return;
	}
	if (unneeded != NULL)
		probe_fail(r, unneeded->failure, unneeded->fix, "%s",
		    unneeded->what);
	else if (select_db(c, rc, db, r) == 0)
		probe_ok(r, "Redis %s, standalone; database %ld", version, db);
	free(version);
}

static void
run(const struct probe_ctx *c, struct probe_result *r)
{
	const struct plan_redis *a = &c->pl->redis;
	long port = a->port;
	char *where;
	redisContext *rc;
	int fd;

	/* net_connect looks the name up within the deadline and tries each
	 * of its addresses. */
	if ((fd = net_connect(c, a->host, port, r)) < 0)
		return;
	if (a->tls) {
		net_close(c, fd);
		probe_skip(r, "the port accepts connections; TLS to Redis is not "
		    "checked by this build (hiredis %d.%d has no TLS)",
		    HIREDIS_MAJOR, HIREDIS_MINOR);
		return;
	}
	/* hiredis owns the socket from here (redisFree closes it). */
	if ((rc = redisConnectFd(fd)) == NULL) {
		net_close(c, fd);
		probe_fail(r, PF_SETUP, NULL, "hiredis could not take the "
		    "connection over");
		return;
	}
	where = probe_hostport(a->host, port);
	session(c, rc, where, r);
	free(where);
	probe_release_socket(c, fd);
	redisFree(rc);
}

const struct probe_kind probe_redis = {
	"redis", "Redis", count, describe, run
};
