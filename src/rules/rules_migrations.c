/*
 * Rules about where the live databases stand: Snuba's migrations in
 * ClickHouse (migrations_local) against the releases' snuba_migrations,
 * and Sentry's squash boundaries in django_migrations against the hard
 * stops (facts.h). They say nothing offline, when the facts are unknown.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"

/* The number of a migration id ("0024_add_..." -> 24); -1 for none. */
static long
migration_number(const char *id)
{
	char *end;
	long n = strtol(id, &end, 10);

	return end != id && *end == '_' ? n : -1;
}

/* A squash stands for the migrations it replaces: a database that holds
 * it alone (created from it, nothing applied since) is at its last one. */
long
migration_position(const char *name)
{
	static const char squashed[] = "_squashed_";
	char *end;
	long n = strtol(name, &end, 10);

	if (end == name || *end != '_')
		return -1;
	if (strncmp(end, squashed, sizeof squashed - 1) == 0 &&
	    migration_number(end + sizeof squashed - 1) >= 0)
		return migration_number(end + sizeof squashed - 1);
	return n;
}

int
snuba_completed(const struct facts *f, const char *group, const char *id)
{
	for (size_t i = 0; i < f->snuba_completed.n; i++)
		if (strcmp(f->snuba_completed.v[i].key, group) == 0 &&
		    strcmp(f->snuba_completed.v[i].value, id) == 0)
			return 1;
	return 0;
}

/* The newest completed migration of `group` (by number), borrowed, or
 * NULL. */
static const char *
completed_head(const struct facts *f, const char *group)
{
	const char *head = NULL;

	for (size_t i = 0; i < f->snuba_completed.n; i++) {
		const struct kv *m = &f->snuba_completed.v[i];

		if (strcmp(m->key, group) == 0 && (head == NULL ||
		    migration_number(m->value) > migration_number(head)))
			head = m->value;
	}
	return head;
}

int
snuba_set_complete(const struct profile *p, const struct facts *f)
{
	for (size_t i = 0; i < p->snuba_migrations.n; i++)
		if (!snuba_completed(f, p->snuba_migrations.v[i].key,
		    p->snuba_migrations.v[i].value))
			return 0;
	return p->snuba_migrations.n > 0;
}

const struct profile *
newest_complete(const struct plan *pl, const struct facts *f)
{
	const struct releases *rs = f->releases;

	if (rs == NULL)
		return snuba_set_complete(pl->profile, f) ? pl->profile : NULL;
	for (size_t i = rs->n; i-- > 0; )
		if (snuba_set_complete(&rs->v[i], f))
			return &rs->v[i];
	return NULL;
}

/* The groups of `p` with a completed migration past p's last ("events
 * (0030_...)"), and those not at p's last. Groups p does not run say
 * nothing: an older release may have run them (spans, sessions). */
static void
compare_groups(const struct profile *p, const struct facts *f,
    struct strlist *beyond, struct strlist *behind)
{
	for (size_t i = 0; i < p->snuba_migrations.n; i++) {
		const struct kv *g = &p->snuba_migrations.v[i];
		const char *head = completed_head(f, g->key);

		if (head != NULL && migration_number(head) >
		    migration_number(g->value))
			sl_add_owned(beyond, xasprintf("%s (%s)", g->key, head));
		else if (!snuba_completed(f, g->key, g->value))
			sl_add(behind, g->key);
	}
}

void
check_snuba_in_progress(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	(void)pl;
	for (size_t i = 0; i < facts->snuba_in_progress.n; i++) {
		const struct kv *m = &facts->snuba_in_progress.v[i];

		finding_add(out, id, SEV_ERROR, "clickhouse", "clickhouse.host",
		    "Snuba migration %s %s is in progress (a migrate that stopped "
		    "part way): `snuba migrations migrate` refuses to run until it "
		    "is reversed with `snuba migrations reverse-in-progress "
		    "--group %s`", m->key, m->value, m->key);
	}
}

/* No table, or no row: Snuba never ran here. */
static void
snuba_fresh(const char *id, const struct plan *pl, struct findings *out)
{
	finding_add(out, id, SEV_INFO, "clickhouse", "clickhouse.host", "database "
	    "%s holds no Snuba migration: Snuba has never run against it (a "
	    "fresh install); snuba-bootstrap creates its tables at Sentry %s",
	    pl->clickhouse.database, pl->release);
}

/* Where the answers' release has not been migrated yet, or partly beyond. */
static void
snuba_compared(const char *id, const struct plan *pl,
    const struct profile *newest, const struct strlist *beyond,
    const struct strlist *behind, struct findings *out)
{
	char *up = sl_join(beyond, ", "), *down = sl_join(behind, ", ");
	char *upto = newest ? xasprintf("; complete up to Sentry %s",
	    newest->release) : xstrdup("");

	if (beyond->n > 0 && behind->n > 0)
		finding_add(out, id, SEV_WARNING, "clickhouse", "clickhouse.host",
		    "ClickHouse is partly beyond Sentry %s, in %s, and not yet at "
		    "it in %s%s: a newer Snuba ran here, or a migration stopped "
		    "part way", pl->release, up, down, upto);
	else if (beyond->n > 0)
		finding_add(out, id, SEV_WARNING, "clickhouse", "clickhouse.host",
		    "ClickHouse is partly beyond Sentry %s: %s %s newer "
		    "migrations than the answers' release runs", pl->release, up,
		    beyond->n == 1 ? "has" : "have");
	else if (behind->n > 0)
		finding_add(out, id, newest ? SEV_INFO : SEV_WARNING, "clickhouse",
		    "clickhouse.host", "Sentry %s has not been migrated yet in "
		    "ClickHouse: %s not at its last migration%s (%s)", pl->release,
		    down, upto, newest ? "an upgrade in progress: the migrate job "
		    "runs them" : "the state of no release: a migration that "
		    "stopped part way, or a fresh install under way");
	else
		finding_add(out, id, SEV_INFO, "clickhouse", "clickhouse.host",
		    "ClickHouse's Snuba migrations are those of Sentry %s: every "
		    "group at its last migration", pl->release);
	free(up);
	free(down);
	free(upto);
}

void
check_snuba_state(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	const struct profile *newest;
	struct strlist beyond = { 0 }, behind = { 0 };

	if (facts->snuba_history == TABLE_UNKNOWN)
		return;
	if (facts->snuba_history != TABLE_READ) {
		snuba_fresh(id, pl, out);
		return;
	}
	newest = newest_complete(pl, facts);
	if (newest != NULL && version_cmp(newest->release, pl->release) > 0) {
		finding_add(out, id, SEV_WARNING, "clickhouse", "clickhouse.host",
		    "the databases are newer than the answers (at least %s): "
		    "ClickHouse has completed every Snuba migration of Sentry %s, "
		    "and the answers are at %s; check sentry.version",
		    newest->release, newest->release, pl->release);
		return;
	}
	/* A release whose profile lists no migrations cannot be compared. */
	if (pl->profile->snuba_migrations.n == 0)
		return;
	compare_groups(pl->profile, facts, &beyond, &behind);
	snuba_compared(id, pl, newest, &beyond, &behind, out);
	sl_free(&beyond);
	sl_free(&behind);
}

int
boundary_passed(const struct facts *f, size_t i)
{
	for (; sentry_boundaries[i].name != NULL; i++)
		if (sentry_boundary_crossed(f, &sentry_boundaries[i]))
			return 1;
	return 0;
}

/* Sentry's migrations form one chain: a migration recorded by its own name
 * was applied after the boundary before it (by that name or its squash).
 * Without it the records are not the database's history. */
static void
boundary_gaps(const char *id, const struct facts *f, struct findings *out)
{
	for (size_t i = 1; sentry_boundaries[i].name != NULL; i++) {
		const struct sentry_boundary *b = &sentry_boundaries[i];
		const struct sentry_boundary *before = &sentry_boundaries[i - 1];

		if (!sl_contains(&f->sentry_boundaries, b->name) ||
		    sentry_boundary_crossed(f, before))
			continue;
		finding_add(out, id, SEV_WARNING, "postgres", "postgres.host",
		    "django_migrations records %s but not %s%s%s, which comes "
		    "before it: the records are incomplete (edited, or restored "
		    "in part), and the hard-stop check reads only the records",
		    b->name, before->name, before->squash ? " nor " : "",
		    before->squash ? before->squash : "");
	}
}

/* The hard stops before the answers' release that the database has not
 * passed: `sentry upgrade` of the release refuses it. 1 if any. */
static int
boundary_behind(const char *id, const struct plan *pl, const struct facts *f,
    struct findings *out)
{
	struct strlist stops = { 0 };
	const char *first = NULL;
	char *list;

	for (size_t i = 0; sentry_boundaries[i].name != NULL; i++) {
		const struct sentry_boundary *b = &sentry_boundaries[i];

		if (b->stop == NULL || version_cmp(b->stop, pl->release) >= 0 ||
		    boundary_passed(f, i))
			continue;
		if (first == NULL)
			first = b->name;
		sl_add(&stops, b->stop);
	}
	if (stops.n == 0)
		return 0;
	list = sl_join(&stops, ", then ");
	finding_add(out, id, SEV_WARNING, "postgres", "postgres.host", "the "
	    "database has not passed the %s hard stop (django_migrations has no "
	    "%s): upgrading straight to Sentry %s would fail with \"It looks "
	    "like you've skipped a hard stop\"; upgrade through %s first",
	    stops.v[0], first, pl->release, list);
	free(list);
	sl_free(&stops);
	return 1;
}

/* The newest boundary crossed, if it is known to be newer than the answers'
 * release. 1 if so. */
static int
boundary_ahead(const char *id, const struct plan *pl, const struct facts *f,
    struct findings *out)
{
	const struct sentry_boundary *newest = NULL;

	for (size_t i = 0; sentry_boundaries[i].name != NULL; i++)
		if (sentry_boundary_crossed(f, &sentry_boundaries[i]))
			newest = &sentry_boundaries[i];
	if (newest == NULL || newest->after == NULL ||
	    version_cmp(pl->release, newest->after) > 0)
		return 0;
	finding_add(out, id, SEV_WARNING, "postgres", "postgres.host", "the "
	    "database is newer than the answers: django_migrations has %s, a "
	    "migration from after Sentry %s, and the answers are at %s; check "
	    "sentry.version", newest->name, newest->after, pl->release);
	return 1;
}

/* Which boundaries are crossed, and what the newest proves. */
static void
boundary_summary(const char *id, const struct facts *f, struct findings *out)
{
	struct strlist in = { 0 }, notyet = { 0 };
	const struct sentry_boundary *newest = NULL;
	char *a, *b, *proves;

	for (size_t i = 0; sentry_boundaries[i].name != NULL; i++) {
		const struct sentry_boundary *s = &sentry_boundaries[i];

		if (sentry_boundary_crossed(f, s)) {
			sl_add_owned(&in, xasprintf("%.4s", s->name));
			newest = s;
		} else if (boundary_passed(f, i))
			sl_add_owned(&in, xasprintf("%.4s (by a later boundary)",
			    s->name));
		else
			sl_add_owned(&notyet, xasprintf("%.4s", s->name));
	}
	a = sl_join(&in, ", ");
	b = sl_join(&notyet, ", ");
	proves = newest == NULL ? xstrdup("before every squash boundary") :
	    newest->stop ? xasprintf("it passes the hard-stop check of the "
	    "releases after %s", newest->stop) : xasprintf("past %s, which no "
	    "known hard-stop check tests", newest->name);
	finding_add(out, id, SEV_INFO, "postgres", "postgres.host",
	    "django_migrations has crossed %s (%s)%s%s", in.n ? a : "none",
	    proves, notyet.n ? "; not yet " : "", b);
	free(a);
	free(b);
	free(proves);
	sl_free(&in);
	sl_free(&notyet);
}

void
check_sentry_boundary(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	int warned;

	if (facts->sentry_history == TABLE_UNKNOWN)
		return;
	if (facts->sentry_history != TABLE_READ) {
		finding_add(out, id, SEV_INFO, "postgres", "postgres.host",
		    "Sentry has never migrated database %s (django_migrations is "
		    "%s): a fresh install, which skips the hard-stop check; "
		    "`sentry upgrade` of %s creates every table",
		    pl->postgres.database, facts->sentry_history == TABLE_ABSENT ?
		    "missing" : "empty", pl->release);
		return;
	}
	boundary_gaps(id, facts, out);
	warned = boundary_behind(id, pl, facts, out);
	warned |= boundary_ahead(id, pl, facts, out);
	if (!warned)
		boundary_summary(id, facts, out);
}
