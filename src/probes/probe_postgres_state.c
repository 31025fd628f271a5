/*
 * Where Sentry's migrations stand in PostgreSQL: which squash boundaries
 * (facts.h, sentry_boundaries) django_migrations holds for app sentry,
 * which are what `sentry upgrade` itself checks before it migrates; and
 * each app's newest migration, which the releases whose profile names
 * their last one (sentry_migration_head) are compared with.
 */
#include <stdlib.h>
#include <string.h>

#include "probe_pg.h"

/* SQLSTATE 42P01, undefined_table: Sentry never ran here. Its own
 * _check_history() takes it the same way. */
#define UNDEFINED_TABLE	"42P01"

/* The boundary query: every name and squash of the table, as literals (the
 * names are ours, and hold no quote). Owned by the caller. */
static char *
boundary_sql(void)
{
	struct strbuf sql = STRBUF_INIT;
	const char *sep = "";

	sb_add(&sql, "SELECT app, name FROM django_migrations WHERE app = "
	    "'sentry' AND name IN (");
	for (const struct sentry_boundary *b = sentry_boundaries; b->name; b++) {
		sb_printf(&sql, "%s'%s'", sep, b->name);
		sep = ", ";
		if (b->squash != NULL)
			sb_printf(&sql, ", '%s'", b->squash);
	}
	sb_add(&sql, ")");
	return sb_take(&sql);
}

/* What was found, for the probe's line: "django_migrations past 0200,
 * 0642", by each boundary's number. Owned by the caller. */
static char *
history_text(const struct facts *f)
{
	struct strbuf sb = STRBUF_INIT;
	const char *sep = "";

	if (f->sentry_history == TABLE_ABSENT)
		return xstrdup("no django_migrations table: Sentry has never "
		    "migrated this database");
	if (f->sentry_history == TABLE_EMPTY)
		return xstrdup("django_migrations is empty: Sentry has never "
		    "migrated this database");
	sb_add(&sb, "django_migrations ");
	for (const struct sentry_boundary *b = sentry_boundaries; b->name; b++)
		if (sentry_boundary_crossed(f, b)) {
			sb_printf(&sb, "%s%.4s", *sep ? sep : "past ", b->name);
			sep = ", ";
		}
	if (*sep == '\0')
		sb_add(&sb, "at no squash boundary (before 0200)");
	/* Only app sentry's: the other apps' heads no rule reads. */
	if (kv_get(&f->sentry_app_heads, "sentry") != NULL)
		sb_printf(&sb, "; newest sentry migration %s",
		    kv_get(&f->sentry_app_heads, "sentry"));
	return sb_take(&sb);
}

/* Is there a row at all? -1 with r failed; else the state so far. */
static int
count_rows(const struct probe_ctx *c, PGconn *conn, struct probe_result *r,
    enum table_state *state)
{
	PGresult *res = pg_query(c, conn, "SELECT count(*) FROM django_migrations",
	    r);
	const char *code;
	int rc = 0;

	if (res == NULL)
		return -1;
	code = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (code != NULL && strcmp(code, UNDEFINED_TABLE) == 0)
		*state = TABLE_ABSENT;
	else if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		pg_query_failed(res, r);
		rc = -1;
	} else
		*state = strcmp(PQgetvalue(res, 0, 0), "0") == 0 ? TABLE_EMPTY :
		    TABLE_READ;
	PQclear(res);
	return rc;
}

/* A row of (app, name) into the facts. */
typedef void pair_fn(struct facts *f, const char *app, const char *name);

/* Runs `sql`, which returns two columns, and hands each row to `take`;
 * -1 with r failed. */
static int
each_pair(const struct probe_ctx *c, PGconn *conn, const char *sql,
    pair_fn *take, struct probe_result *r)
{
	PGresult *res = pg_query(c, conn, sql, r);
	int rc = 0;

	if (res == NULL)
		return -1;
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQnfields(res) != 2) {
		pg_query_failed(res, r);
		rc = -1;
	}
	for (int i = 0; rc == 0 && i < PQntuples(res); i++)
		take(c->facts, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1));
	PQclear(res);
	return rc;
}

static void
take_boundary(struct facts *f, const char *app, const char *name)
{
	(void)app;
	if (!sl_contains(&f->sentry_boundaries, name))
		sl_add(&f->sentry_boundaries, name);
}

static int
read_boundaries(const struct probe_ctx *c, PGconn *conn,
    struct probe_result *r)
{
	char *sql = boundary_sql();
	int rc = each_pair(c, conn, sql, take_boundary, r);

	free(sql);
	return rc;
}

static void
take_head(struct facts *f, const char *app, const char *name)
{
	kv_set(&f->sentry_app_heads, app, name);
}

/*
 * Each app's newest migration. Django numbers an app's migrations NNNN_
 * in order, so the greatest name is the newest (two of one number, as
 * sentry's two 0021 files that 0022_merge joins, stand at one place and
 * either will do).
 * Byte order (COLLATE "C"), so that no locale's collation decides. A
 * squash is named for its first number (0001_squashed_0904_...) and sorts
 * low, which is right: a database with anything after it holds that
 * too, and the rules read a squash alone by the number it ends at.
 * Names without a number (none of Sentry's) say nothing of an order.
 */
static int
read_heads(const struct probe_ctx *c, PGconn *conn, struct probe_result *r)
{
	return each_pair(c, conn, "SELECT app, max(name COLLATE \"C\") FROM "
	    "django_migrations WHERE name ~ '^[0-9]{4}_' GROUP BY app ORDER BY "
	    "app", take_head, r);
}

void
pg_read_history(const struct probe_ctx *c, PGconn *conn, struct probe_result *r)
{
	enum table_state state = TABLE_UNKNOWN;
	char *found, *was;

	if (count_rows(c, conn, r, &state) < 0 ||
	    (state == TABLE_READ && (read_boundaries(c, conn, r) < 0 ||
	    read_heads(c, conn, r) < 0))) {
		/* A half-read history proves nothing. */
		sl_free(&c->facts->sentry_boundaries);
		kv_free(&c->facts->sentry_app_heads);
		return;
	}
	c->facts->sentry_history = state;
	found = history_text(c->facts);
	was = r->detail ? xstrdup(r->detail) : xstrdup("");
	probe_ok(r, "%s; %s", was, found);
	free(was);
	free(found);
}
