/*
 * ClickHouse, over its HTTP interface (libcurl): the server's version, the
 * database Snuba uses, and the clusters and Distributed tables the rules
 * judge, where Snuba's migrations stand (migrations_local); then the native
 * port, which Snuba writes through. Every query shares the one deadline.
 */
#include "probe_curl.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


/* Enough of an error reply to name the problem. */
#define EXCERPT_MAX		160

/* ClickHouse's exception codes for a refused login: wrong password,
 * password required, authentication failed (newer servers). */
static const char *const auth_codes[] = {
	"Code: 193,", "Code: 194,", "Code: 516,",
};

static const char auth_fix[] = "check clickhouse.user and clickhouse.password";

struct ch {
	const struct probe_ctx	*c;
	CURL			*h;
	struct curl_slist	*headers;
	struct strbuf		 body;
	char			*url;
	int			 queries;	/* run so far on the handle */
};

static size_t
count(const struct plan *pl)
{
	return pl->clickhouse.host != NULL;
}

static void
describe(const struct plan *pl, size_t i, char **endpoint, char **field)
{
	const struct plan_clickhouse *a = &pl->clickhouse;

	(void)i;
	*endpoint = probe_hostport(a->host, a->http_port);
	*field = xstrdup("clickhouse.host");
}

/* The first line of a reply, shortened, for a message. */
static char *
excerpt(const char *body)
{
	size_t n = strcspn(body, "\r\n");

	return n > EXCERPT_MAX ? xasprintf("%.*s...", EXCERPT_MAX, body) :
	    xstrndup(body, n);
}

static void
http_failed(struct ch *ch, long code, struct probe_result *r)
{
	const char *body = sb_str(&ch->body);
	char *first = excerpt(body);
	int auth = code == 401 || code == 403;

	for (size_t i = 0; i < sizeof auth_codes / sizeof auth_codes[0]; i++)
		auth |= strstr(body, auth_codes[i]) != NULL;
	if (auth)
		probe_fail(r, PF_AUTH, auth_fix, "ClickHouse refused the login "
		    "of user %s: %s", ch->c->pl->clickhouse.user, first);
	else if (strncmp(body, "Code: ", 6) == 0)
		probe_fail(r, PF_PROTOCOL, NULL, "ClickHouse answered HTTP %ld: "
		    "%s", code, first);
	else
		probe_fail(r, PF_PROTOCOL, "check that clickhouse.http_port is "
		    "ClickHouse's HTTP port (8123 by default)", "HTTP %ld, and "
		    "not the reply ClickHouse gives", code);
	free(first);
}

/* Runs one query; its reply (TabSeparated) is left in ch->body and its HTTP
 * status in *code. -1 with r failed when no reply came. */
static int
query_status(struct ch *ch, const char *sql, long *code, struct probe_result *r)
{
	long left = probe_ms_left(ch->c);
	CURLcode rc;

	*code = 0;
	sb_free(&ch->body);
	sb_add(&ch->body, "");
	curl_easy_setopt(ch->h, CURLOPT_TIMEOUT_MS, left > 0 ? left : 1L);
	curl_easy_setopt(ch->h, CURLOPT_POSTFIELDS, sql);
	rc = curl_easy_perform(ch->h);
	/* A later query reuses the connection, whose connect time then reads
	 * as zero: a timeout there is a silent server, not a missing one. */
	if (rc == CURLE_OPERATION_TIMEDOUT && ch->queries > 0) {
		probe_fail(r, PF_REPLY_TIMEOUT, "check that ClickHouse is not "
		    "overloaded", "ClickHouse answered, then stopped: no reply "
		    "within %ld ms", ch->c->timeout_ms);
		return -1;
	}
	ch->queries++;
	if (rc != CURLE_OK) {
		probe_curl_failed(ch->c, r, ch->h, rc, "ClickHouse");
		return -1;
	}
	curl_easy_getinfo(ch->h, CURLINFO_RESPONSE_CODE, code);
	return 0;
}

/* The same, where anything but HTTP 200 is a failure. */
static int
query(struct ch *ch, const char *sql, struct probe_result *r)
{
	long code;

	if (query_status(ch, sql, &code, r) < 0)
		return -1;
	if (code != 200) {
		http_failed(ch, code, r);
		return -1;
	}
	return 0;
}

/* The credentials travel in headers, never in the URL (which proxies and
 * server logs keep); a line break would split the header. */
static int
ch_open(struct ch *ch, const struct probe_ctx *c, struct probe_result *r)
{
	const struct plan_clickhouse *a = &c->pl->clickhouse;
	const char *user = a->user;
	const char *password = plan_secret_value(c->pl, a->password_ref);
	char *hp = probe_hostport(a->host, a->http_port), *line;

	memset(ch, 0, sizeof *ch);
	ch->c = c;
	if (strpbrk(user, "\r\n") != NULL ||
	    (password != NULL && strpbrk(password, "\r\n") != NULL)) {
		free(hp);
		probe_fail(r, PF_SETUP, auth_fix, "the ClickHouse user or "
		    "password holds a line break");
		return -1;
	}
	ch->url = xasprintf("http://%s/", hp);
	free(hp);
	if ((ch->h = probe_curl_new(c, &ch->body, r)) == NULL)
		return -1;
	line = xasprintf("X-ClickHouse-User: %s", user);
	ch->headers = curl_slist_append(ch->headers, line);
	free(line);
	if (password != NULL) {
		line = xasprintf("X-ClickHouse-Key: %s", password);
		ch->headers = curl_slist_append(ch->headers, line);
		free(line);
	}
	curl_easy_setopt(ch->h, CURLOPT_URL, ch->url);
	curl_easy_setopt(ch->h, CURLOPT_HTTPHEADER, ch->headers);
	return 0;
}

static void
ch_close(struct ch *ch)
{
	if (ch->h != NULL)
		curl_easy_cleanup(ch->h);
	curl_slist_free_all(ch->headers);
	sb_free(&ch->body);
	free(ch->url);
}

/* Each line of the reply, with TabSeparated's tab written as `sep`. */
static void
lines_into(const char *body, char sep, struct strlist *out)
{
	struct strlist lines = { 0 };

	sl_split(&lines, body, '\n');
	for (size_t i = 0; i < lines.n; i++) {
		char *tab = strchr(lines.v[i], '\t');

		if (tab != NULL)
			*tab = sep;
		if (!sl_contains(out, lines.v[i]))
			sl_add(out, lines.v[i]);
	}
	sl_free(&lines);
}

static int
read_version(struct ch *ch, struct probe_result *r)
{
	const char *v;
	size_t n;

	if (query(ch, "SELECT version()", r) < 0)
		return -1;
	v = sb_str(&ch->body);
	n = strspn(v, "0123456789.");
	if (n == 0 || !isdigit((unsigned char)v[0]) || (v[n] != '\n' &&
	    v[n] != '\0')) {
		probe_fail(r, PF_PROTOCOL, "check that clickhouse.http_port is "
		    "ClickHouse's HTTP port (8123 by default)", "it did not "
		    "answer SELECT version() as ClickHouse does");
		return -1;
	}
	ch->c->facts->clickhouse_version = xstrndup(v, n);
	return 0;
}

/* What the rules judge: the clusters and the Distributed tables. */
static int
read_layout(struct ch *ch, struct probe_result *r)
{
	struct facts *f = ch->c->facts;

	if (query(ch, "SELECT DISTINCT cluster FROM system.clusters", r) < 0)
		return -1;
	lines_into(sb_str(&ch->body), '\t', &f->clickhouse_clusters);
	if (query(ch, "SELECT database, name FROM system.tables WHERE engine = "
	    "'Distributed'", r) < 0)
		return -1;
	lines_into(sb_str(&ch->body), '.', &f->clickhouse_distributed);
	return 0;
}

/* A string literal of ClickHouse SQL (backslash escapes). */
static void
sql_quote(struct strbuf *sb, const char *s)
{
	sb_addc(sb, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'' || *s == '\\')
			sb_addc(sb, '\\');
		sb_addc(sb, *s);
	}
	sb_addc(sb, '\'');
}

static int
database_exists(struct ch *ch, const char *db, struct probe_result *r)
{
	struct strbuf sql = STRBUF_INIT;
	int rc;

	sb_add(&sql, "SELECT count() FROM system.databases WHERE name = ");
	sql_quote(&sql, db);
	rc = query(ch, sb_str(&sql), r);
	sb_free(&sql);
	if (rc < 0)
		return -1;
	if (strncmp(sb_str(&ch->body), "0\n", 2) == 0) {
		char *fix = xasprintf("create it (CREATE DATABASE %s) or correct "
		    "clickhouse.database", db);

		probe_fail(r, PF_MISSING, fix, "ClickHouse has no database %s",
		    db);
		free(fix);
		return -1;
	}
	return 0;
}

/* An identifier of ClickHouse SQL (backquotes, backslash escapes). */
static void
sql_ident(struct strbuf *sb, const char *s)
{
	sb_addc(sb, '`');
	for (; *s != '\0'; s++) {
		if (*s == '`' || *s == '\\')
			sb_addc(sb, '\\');
		sb_addc(sb, *s);
	}
	sb_addc(sb, '`');
}

/* ClickHouse's UNKNOWN_TABLE: Snuba has not bootstrapped this database. */
static const char unknown_table[] = "Code: 60,";

/* One row of migrations_local: "group\tid\tstatus". Only the completed and
 * the in_progress ones say anything (not_started is a reversed one). */
static void
snuba_row(struct facts *f, char *line)
{
	char *id = strchr(line, '\t'), *status;

	if (id == NULL || (status = strchr(++id, '\t')) == NULL)
		return;
	id[-1] = '\0';
	*status++ = '\0';
	if (strcmp(status, "completed") == 0)
		kv_add(&f->snuba_completed, line, id);
	else if (strcmp(status, "in_progress") == 0)
		kv_add(&f->snuba_in_progress, line, id);
}

/*
 * Where Snuba's migrations stand: its own table, read as Snuba reads it
 * (FINAL, since a status change is a new row of a higher version), in the
 * database Snuba uses; migrations_dist where Snuba runs on a cluster. A
 * missing table is a database Snuba never ran on: a fact, not a failure.
 */
static int
read_snuba(struct ch *ch, const char *db, struct probe_result *r)
{
	const char *cluster = ch->c->pl->clickhouse.cluster;
	struct strbuf sql = STRBUF_INIT;
	struct strlist lines = { 0 };
	struct facts *f = ch->c->facts;
	long code;
	int rc;

	sb_add(&sql, "SELECT `group`, migration_id, status FROM ");
	sql_ident(&sql, db);
	sb_add(&sql, cluster != NULL && *cluster != '\0' ? ".migrations_dist" :
	    ".migrations_local");
	sb_add(&sql, " FINAL");
	rc = query_status(ch, sb_str(&sql), &code, r);
	sb_free(&sql);
	if (rc < 0)
		return -1;
	if (code != 200 && strstr(sb_str(&ch->body), unknown_table) != NULL) {
		f->snuba_history = TABLE_ABSENT;
		return 0;
	}
	if (code != 200) {
		http_failed(ch, code, r);
		return -1;
	}
	sl_split(&lines, sb_str(&ch->body), '\n');
	for (size_t i = 0; i < lines.n; i++)
		snuba_row(f, lines.v[i]);
	sl_free(&lines);
	f->snuba_history = f->snuba_completed.n + f->snuba_in_progress.n > 0 ?
	    TABLE_READ : TABLE_EMPTY;
	return 0;
}

/* What read_snuba found, for the probe's line; owned by the caller. */
static char *
snuba_text(const struct facts *f)
{
	if (f->snuba_history == TABLE_ABSENT)
		return xstrdup("no Snuba migrations table: Snuba has never run "
		    "here");
	if (f->snuba_history == TABLE_EMPTY)
		return xstrdup("no Snuba migration recorded");
	return xasprintf("Snuba migrations: %zu completed, %zu in progress",
	    f->snuba_completed.n, f->snuba_in_progress.n);
}

/* Snuba writes through the native protocol: its port must be open too. */
static int
native_open(const struct probe_ctx *c, struct probe_result *r)
{
	const struct plan_clickhouse *a = &c->pl->clickhouse;
	struct probe_result tmp = { .failure = PF_NONE };
	int fd = net_connect(c, a->host, a->native_port, &tmp);

	if (fd >= 0) {
		net_close(c, fd);
		return 0;
	}
	probe_fail(r, tmp.failure, "check clickhouse.native_port (9000 by "
	    "default), and that ClickHouse's tcp_port listens on an address "
	    "this machine reaches", "HTTP answers, but the native port %ld, "
	    "which Snuba writes through, does not: %s", a->native_port,
	    tmp.detail);
	free(tmp.detail);
	free(tmp.fix);
	return -1;
}

static int
version_ok(const struct probe_ctx *c, struct probe_result *r)
{
	return probe_require_version(c, r, "ClickHouse",
	    c->facts->clickhouse_version, c->pl->profile->requires.clickhouse.min);
}

static void
run(const struct probe_ctx *c, struct probe_result *r)
{
	const char *db = c->pl->clickhouse.database;
	struct ch ch;
	char *snuba;

	/* The migrations before the version's verdict: a server too old
	 * for the release still tells where an upgrade stands. */
	if (ch_open(&ch, c, r) == 0 && read_version(&ch, r) == 0 &&
	    read_layout(&ch, r) == 0 && database_exists(&ch, db, r) == 0 &&
	    read_snuba(&ch, db, r) == 0 && native_open(c, r) == 0 &&
	    version_ok(c, r) == 0) {
		snuba = snuba_text(c->facts);
		probe_ok(r, "ClickHouse %s, database %s, native port %ld open; %s",
		    c->facts->clickhouse_version, db,
		    c->pl->clickhouse.native_port, snuba);
		free(snuba);
	}
	ch_close(&ch);
}

const struct probe_kind probe_clickhouse = {
	"clickhouse", "ClickHouse", count, describe, run
};
