/*
 * PostgreSQL, through libpq: logs in as Sentry will (host, port, database,
 * user, password, sslmode), reads the server's version and checks that the
 * user may create tables in schema public, which Sentry's migrations do.
 * Then it reads where Sentry's migrations stand (probe_postgres_state.c).
 * libpq is driven asynchronously (PQconnectPoll, PQsendQuery) so that every
 * wait is a poll() bounded by the probe's deadline: libpq's own
 * connect_timeout covers only the blocking calls.
 */
#include "probe_internal.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "fsutil.h"
#include "probe_pg.h"
#include "profile.h"

struct pg_target {
	char		 ip[64];
	const char	*host, *database, *user, *sslmode;
	long		 port;
	char		*where;		/* "host:port", for messages */
	const char	*rootcert;	/* the private CAs' file, or NULL */
	char		*tls_dir;	/* a 0700 folder with the client pair */
	char		*cert, *key;	/* files in it, or NULL */
};

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
	*endpoint = probe_hostport(pl->postgres.host, pl->postgres.port);
	*field = xstrdup("postgres.host");
}

/*
 * What the server said when it turned the login down. libpq passes on a
 * startup error only as text (it keeps the SQLSTATE to itself), so the
 * server's reasons are matched on wordings PostgreSQL has not changed since
 * 9.x. A server whose lc_messages is not English falls through to the
 * class of the stage the login failed in (refusal_by_stage). libpq's own
 * words are in this process's locale, which is C.
 */
enum subject { SUBJ_NONE, SUBJ_USER, SUBJ_DATABASE };

struct refusal {
	const char		*text;		/* %s: the user or the database */
	enum subject		 subject;
	enum probe_failure	 failure;
	const char		*fix;
};

static const struct refusal refusals[] = {
	{ "password authentication failed for user \"%s\"", SUBJ_USER, PF_AUTH,
	    "check postgres.password, and that it is the role's password "
	    "(ALTER ROLE ... PASSWORD ...)" },
	{ "role \"%s\" does not exist", SUBJ_USER, PF_AUTH, "create the role "
	    "(CREATE ROLE ... LOGIN PASSWORD ...), or correct postgres.user" },
	{ "database \"%s\" does not exist", SUBJ_DATABASE, PF_MISSING, "create "
	    "the database, owned by postgres.user (CREATE DATABASE ... OWNER "
	    "...), or correct postgres.database" },
	{ "permission denied for database \"%s\"", SUBJ_DATABASE, PF_PERMISSION,
	    "GRANT CONNECT ON DATABASE postgres.database TO postgres.user" },
	{ "no password supplied", SUBJ_NONE, PF_AUTH, "set postgres.password: "
	    "the server asks for one" },
	{ "no pg_hba.conf entry", SUBJ_NONE, PF_AUTH, "add a line for this "
	    "host, database and user to the server's pg_hba.conf" },
	{ "too many clients already", SUBJ_NONE, PF_PERMISSION, "raise "
	    "max_connections on the server, or close idle connections" },
	{ "too many connections for", SUBJ_NONE, PF_PERMISSION, "raise the "
	    "connection limit of the role or database (ALTER ROLE ... "
	    "CONNECTION LIMIT)" },
	{ "server does not support SSL", SUBJ_NONE, PF_TLS, "turn ssl on in "
	    "the server's postgresql.conf, or set postgres.sslmode to prefer" },
	{ "server closed the connection unexpectedly", SUBJ_NONE, PF_PROTOCOL,
	    "check that this port is PostgreSQL's" },
	{ "expected authentication request", SUBJ_NONE, PF_PROTOCOL,
	    "check that this port is PostgreSQL's" },
	{ "invalid response to SSL negotiation", SUBJ_NONE, PF_PROTOCOL,
	    "check that this port is PostgreSQL's" },
};

#define NREFUSALS	(sizeof refusals / sizeof refusals[0])

/* The reason of the last attempt, without libpq's "connection to server
 * at ... failed: " and the server's "FATAL:  "; owned by the caller. */
static char *
pg_reason(const PGconn *conn)
{
	const char *msg = PQerrorMessage(conn), *p, *at;
	size_t n;

	for (p = msg; (at = strstr(p, "connection to server")) != NULL; )
		p = at + 1;
	if (p != msg && (at = strstr(p, "failed: ")) != NULL)
		msg = at + strlen("failed: ");
	if (strncmp(msg, "FATAL:  ", 8) == 0)
		msg += 8;
	n = strcspn(msg, "\n");
	return n > 0 ? xasprintf("%.*s", (int)n, msg) : xstrdup("no reason given");
}

static const struct refusal *
refusal_find(const char *reason, const struct pg_target *t)
{
	for (size_t i = 0; i < NREFUSALS; i++) {
		const struct refusal *f = &refusals[i];
		char *text = xasprintf(f->text, f->subject == SUBJ_USER ? t->user :
		    f->subject == SUBJ_DATABASE ? t->database : "");
		int hit = strstr(reason, text) != NULL;

		free(text);
		if (hit)
			return f;
	}
	return NULL;
}

/* No known wording: the stage the login failed in decides. */
static void
refusal_by_stage(ConnStatusType stage, const char *reason,
    const struct pg_target *t, struct probe_result *r)
{
	char refused[128];

	if (stage == CONNECTION_NEEDED || stage == CONNECTION_STARTED) {
		/* libpq wrote strerror(), in the same locale as this one. */
		if (strerror_r(ECONNREFUSED, refused, sizeof refused) == 0 &&
		    strstr(reason, refused) != NULL)
			probe_fail(r, PF_REFUSED, "check the port, and that the "
			    "server listens on an address this machine reaches",
			    "%s refused the connection", t->where);
		else
			probe_fail(r, PF_REFUSED, "check the address and the "
			    "network route", "cannot connect to %s: %s", t->where,
			    reason);
	} else if (stage == CONNECTION_SSL_STARTUP ||
	    stage == CONNECTION_GSS_STARTUP) {
		probe_fail(r, PF_TLS, "check postgres.sslmode against the "
		    "server's ssl settings and certificate", "the TLS handshake "
		    "with %s failed: %s", t->where, reason);
	} else {
		probe_fail(r, PF_AUTH, "check postgres.user, postgres.password and "
		    "the server's pg_hba.conf", "the server turned the login "
		    "down: %s", reason);
	}
}

static void
connect_failed(ConnStatusType stage, const PGconn *conn,
    const struct pg_target *t, struct probe_result *r)
{
	char *reason = pg_reason(conn);
	const struct refusal *f = refusal_find(reason, t);

	if (PQconnectionNeedsPassword(conn))
		probe_fail(r, PF_AUTH, "set postgres.password: the server asks "
		    "for one", "the server asks for a password and the answers "
		    "give none (%s)", reason);
	else if (f != NULL)
		probe_fail(r, f->failure, f->fix, "%s", reason);
	else
		refusal_by_stage(stage, reason, t, r);
	free(reason);
}

static void
timed_out(const struct probe_ctx *c, ConnStatusType stage,
    const struct pg_target *t, struct probe_result *r)
{
	if (stage == CONNECTION_NEEDED || stage == CONNECTION_STARTED)
		probe_fail(r, PF_CONNECT_TIMEOUT, "check the address, and that no "
		    "firewall drops the packets", "no connection to %s within "
		    "%ld ms", t->where, c->timeout_ms);
	else
		probe_fail(r, PF_REPLY_TIMEOUT, "check that the port is "
		    "PostgreSQL's and that the server is not overloaded",
		    "connected to %s, but no reply within %ld ms", t->where,
		    c->timeout_ms);
}

static PGconn *
pg_start(const struct pg_target *t, const char *password)
{
	char port[16];
	/* GSS encryption off: looking for Kerberos credentials is outside any
	 * deadline, and Sentry logs in with a password. The TLS files last:
	 * libpq stops at the first NULL key, and they are often not given. */
	const char *keys[] = { "host", "hostaddr", "port", "dbname",
	    "user", "sslmode", "application_name", "gssencmode", "password",
	    NULL, NULL, NULL, NULL };
	const char *values[] = { t->host, t->ip, port, t->database,
	    t->user, t->sslmode, "sentry-ha-setup", "disable", password, NULL,
	    NULL, NULL, NULL };
	size_t n = 9;

	if (t->rootcert != NULL) {
		keys[n] = "sslrootcert";
		values[n++] = t->rootcert;
	}
	if (t->cert != NULL) {
		keys[n] = "sslcert";
		values[n++] = t->cert;
		keys[n] = "sslkey";
		values[n++] = t->key;
	}
	snprintf(port, sizeof port, "%ld", t->port);
	return PQconnectStartParams(keys, values, 0);
}

static int
write_secret(const char *path, const char *text, struct err *e)
{
	return fs_write_atomic(path, text, strlen(text), 0600, e);
}

/* libpq reads a client certificate from files only: the pair goes into a
 * fresh 0700 folder (the key 0600, as libpq demands) for this login. */
static int
client_files(const struct probe_ctx *c, struct pg_target *t,
    struct probe_result *r)
{
	const struct plan_client_cert *cc = &c->pl->postgres.client;
	struct err e;

	if (cc->cert_ref == NULL)
		return 0;
	t->tls_dir = fs_private_dir("sentry-ha-setup-pg", &e);
	if (t->tls_dir != NULL) {
		t->cert = xasprintf("%s/client.crt", t->tls_dir);
		t->key = xasprintf("%s/client.key", t->tls_dir);
	}
	if (t->tls_dir == NULL || write_secret(t->cert, plan_secret_value(c->pl,
	    cc->cert_ref), &e) < 0 || write_secret(t->key,
	    plan_secret_value(c->pl, cc->key_ref), &e) < 0) {
		probe_fail(r, PF_SETUP, NULL, "cannot write the client "
		    "certificate for libpq: %s", e.msg);
		return -1;
	}
	return 0;
}

static void
remove_client_files(struct pg_target *t)
{
	if (t->cert != NULL)
		unlink(t->cert);
	if (t->key != NULL)
		unlink(t->key);
	if (t->tls_dir != NULL)
		rmdir(t->tls_dir);
	free(t->cert);
	free(t->key);
	free(t->tls_dir);
}

/* Logs in within the deadline: 0, or -1 with r failed. */
static int
pg_connect(const struct probe_ctx *c, PGconn *conn, const struct pg_target *t,
    struct probe_result *r)
{
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;
	ConnStatusType stage = CONNECTION_NEEDED;

	if (conn == NULL) {
		probe_fail(r, PF_SETUP, NULL, "libpq could not start a connection");
		return -1;
	}
	while (PQstatus(conn) != CONNECTION_BAD && st != PGRES_POLLING_OK &&
	    st != PGRES_POLLING_FAILED) {
		int ready;

		stage = PQstatus(conn);
		ready = net_wait(c, PQsocket(conn), st == PGRES_POLLING_READING ?
		    POLLIN : POLLOUT);
		if (ready <= 0) {
			timed_out(c, stage, t, r);
			return -1;
		}
		st = PQconnectPoll(conn);
	}
	if (PQstatus(conn) != CONNECTION_OK) {
		connect_failed(stage, conn, t, r);
		return -1;
	}
	/* From here no libpq call may block, PQfinish's goodbye included. */
	if (PQsetnonblocking(conn, 1) != 0) {
		probe_fail(r, PF_SETUP, NULL, "libpq cannot use the connection "
		    "without blocking");
		return -1;
	}
	return 0;
}

PGresult *
pg_query(const struct probe_ctx *c, PGconn *conn, const char *sql,
    struct probe_result *r)
{
	int fd = PQsocket(conn), flushed;
	PGresult *first = NULL, *res;

	if (!PQsendQuery(conn, sql))
		goto broken;
	/* Non-blocking, a query too long for the socket's buffer is sent
	 * as the server reads it; its replies are read meanwhile. */
	while ((flushed = PQflush(conn)) == 1) {
		if (net_wait(c, fd, POLLIN | POLLOUT) <= 0)
			goto timeout;
		if (!PQconsumeInput(conn))
			goto broken;
	}
	if (flushed < 0)
		goto broken;
	for (;;) {
		while (PQisBusy(conn)) {
			if (net_wait(c, fd, POLLIN) <= 0)
				goto timeout;
			if (!PQconsumeInput(conn))
				goto broken;
		}
		if ((res = PQgetResult(conn)) == NULL)
			break;
		if (first == NULL)
			first = res;
		else
			PQclear(res);
	}
	if (first != NULL)
		return first;
broken:
	probe_fail(r, PF_PROTOCOL, NULL, "the connection broke: %s",
	    PQerrorMessage(conn));
	PQclear(first);
	return NULL;
timeout:
	probe_fail(r, PF_REPLY_TIMEOUT, "check that the server is not "
	    "overloaded", "logged in, but no answer to a query within %ld ms",
	    c->timeout_ms);
	PQclear(first);
	return NULL;
}

/* "15.20", or "9.6.24" before PostgreSQL 10; owned by the caller. */
static char *
pg_version(const PGconn *conn)
{
	int v = PQserverVersion(conn);

	if (v >= 100000)
		return xasprintf("%d.%d", v / 10000, v % 10000);
	return xasprintf("%d.%d.%d", v / 10000, v / 100 % 100, v % 100);
}

/* Is the server at least what the release needs? Records the version. */
static int
check_version(const struct probe_ctx *c, const PGconn *conn,
    struct probe_result *r)
{
	free(c->facts->postgres_version);
	c->facts->postgres_version = pg_version(conn);
	return probe_require_version(c, r, "PostgreSQL",
	    c->facts->postgres_version, c->pl->profile->requires.postgres.min);
}

/* Sentry's migrations create their tables in schema public. The CASE
 * because has_schema_privilege() raises an error for a missing schema. */
static const char create_sql[] =
    "SELECT CASE WHEN to_regnamespace('public') IS NULL THEN NULL "
    "ELSE has_schema_privilege(current_user, 'public', 'CREATE') END";

void
pg_query_failed(const PGresult *res, struct probe_result *r)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);

	/* SQLSTATE class 42501: insufficient_privilege. */
	if (state != NULL && strcmp(state, "42501") == 0)
		probe_fail(r, PF_PERMISSION, "grant postgres.user the privileges "
		    "Sentry needs on its database", "the user may not read what "
		    "it needs: %s", msg ? msg : state);
	else
		probe_fail(r, PF_PROTOCOL, NULL, "the server could not answer a "
		    "query: %s", msg ? msg : PQresStatus(PQresultStatus(res)));
}

static void
check_create(const struct probe_ctx *c, PGconn *conn,
    const struct pg_target *t, struct probe_result *r)
{
	PGresult *res = pg_query(c, conn, create_sql, r);
	const char *version = c->facts->postgres_version;
	char *fix;

	if (res == NULL)
		return;
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
		pg_query_failed(res, r);
	else if (PQgetisnull(res, 0, 0))
		probe_fail(r, PF_MISSING, "create schema public in the database, "
		    "owned by postgres.user", "database \"%s\" has no schema "
		    "public, where Sentry creates its tables", t->database);
	else if (strcmp(PQgetvalue(res, 0, 0), "t") == 0)
		probe_ok(r, "PostgreSQL %s%s; database \"%s\"; user \"%s\" may "
		    "create tables", version, PQsslInUse(conn) ? " over TLS" : "",
		    t->database, t->user);
	else {
		fix = xasprintf("as the database's owner or a superuser, in "
		    "database \"%s\": GRANT CREATE ON SCHEMA public TO \"%s\"; or "
		    "make \"%s\" the database's owner", t->database, t->user,
		    t->user);
		probe_fail(r, PF_PERMISSION, fix, "user \"%s\" may not create "
		    "tables in schema public of database \"%s\"%s, so Sentry's "
		    "migrations would fail", t->user, t->database,
		    version_cmp(version, "15") >= 0 ? " (since PostgreSQL 15 "
		    "only the database's owner may, unless granted)" : "");
		free(fix);
	}
	PQclear(res);
}

static void
run(const struct probe_ctx *c, struct probe_result *r)
{
	const struct plan_postgres *p = &c->pl->postgres;
	struct pg_target t = {
		.host = p->host,
		.database = p->database,
		.user = p->user,
		.sslmode = p->sslmode,
		.port = p->port,
		/* As the containers: the CAs where the sslmode verifies. */
		.rootcert = strncmp(p->sslmode, "verify-", 7) == 0 ?
		    c->pl->tls.ca_file : NULL,
	};
	PGconn *conn;

	/* libpq would look the name up itself, with no deadline; `host`
	 * still goes with the address, for the certificate's name. */
	if (net_resolve(c, p->host, t.ip, sizeof t.ip, r) < 0)
		return;
	if (client_files(c, &t, r) < 0) {
		remove_client_files(&t);
		return;
	}
	t.where = probe_hostport(p->host, t.port);
	conn = pg_start(&t, plan_secret_value(c->pl, p->password_ref));
	if (pg_connect(c, conn, &t, r) == 0 && check_version(c, conn, r) == 0)
		check_create(c, conn, &t, r);
	/* Only over a login that passed: a failure says more than the state. */
	if (r->failure == PF_NONE && r->detail != NULL)
		pg_read_history(c, conn, r);
	PQfinish(conn);
	remove_client_files(&t);
	free(t.where);
}

const struct probe_kind probe_postgres = {
	"postgres", "PostgreSQL", count, describe, run
};
