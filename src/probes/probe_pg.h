/*
 * Shared by probe_postgres.c (the login) and probe_postgres_state.c (where
 * Sentry's migrations stand); not part of the core's interface.
 */
#ifndef SHS_PROBE_PG_H
#define SHS_PROBE_PG_H

#include <libpq-fe.h>

#include "probe_internal.h"

/* Runs one statement within the deadline: its result (PQclear it), or NULL
 * with r failed. */
PGresult *pg_query(const struct probe_ctx *c, PGconn *conn, const char *sql,
	    struct probe_result *r);
/* Fails r for a statement the server refused (a privilege, or else). */
void	pg_query_failed(const PGresult *res, struct probe_result *r);

/* Over a login that passed: reads django_migrations into the facts
 * (sentry_history, sentry_boundaries) and adds what it found to r's
 * detail. A missing table is a database Sentry never migrated, not a
 * failure. */
void	pg_read_history(const struct probe_ctx *c, PGconn *conn,
	    struct probe_result *r);

#endif
