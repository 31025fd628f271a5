/*
 * Whether the databases stand where one release leaves them (rules.h,
 * rules_reached): asked by an upgrade of the release it starts from, and
 * of the release each hop reaches before the hop counts as done. Sentry's
 * side is the squash boundaries its hard-stop checks look for and, where
 * the release's profile names it (sentry_migration_head, from the tag's
 * migrations_lockfile.txt; not every release has one), the last migration
 * it ships; Snuba's is the last migration of every group (the profile's
 * snuba_migrations).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"

#define STANDING	"upgrade-standing"
#define VERIFIED	"upgrade-hop-verified"

static const char *
rule_of(enum reach mode)
{
	return mode == REACH_STANDING ? STANDING : VERIFIED;
}

/* The boundaries that Sentry `release`'s database must hold and does not
 * ("0642_index_together_release"), appended to `missing`. */
static void
boundaries_missing(const char *release, const struct facts *f,
    struct strlist *missing)
{
	for (size_t i = 0; sentry_boundaries[i].name != NULL; i++) {
		const struct sentry_boundary *b = &sentry_boundaries[i];

		if (b->stop != NULL && version_cmp(b->stop, release) <= 0 &&
		    !boundary_passed(f, i))
			sl_add(missing, b->name);
	}
}

/* The newest boundary crossed that came after `release`, or NULL. */
static const struct sentry_boundary *
boundary_beyond(const char *release, const struct facts *f)
{
	const struct sentry_boundary *newest = NULL;

	for (size_t i = 0; sentry_boundaries[i].name != NULL; i++)
		if (sentry_boundary_crossed(f, &sentry_boundaries[i]))
			newest = &sentry_boundaries[i];
	return newest != NULL && newest->after != NULL &&
	    version_cmp(release, newest->after) <= 0 ? newest : NULL;
}

static void
sentry_unread(const struct plan *pl, const struct facts *f, enum reach mode,
    struct findings *out)
{
	if (f->sentry_history == TABLE_UNKNOWN) {
		if (mode == REACH_VERIFY)
			finding_add(out, VERIFIED, SEV_ERROR, "postgres",
			    "postgres.host", "PostgreSQL's django_migrations could "
			    "not be read: Sentry %s's migrations cannot be "
			    "verified",
			    pl->release);
		return;
	}
	finding_add(out, rule_of(mode), mode == REACH_VERIFY ? SEV_ERROR :
	    SEV_WARNING, "postgres", "postgres.host", "django_migrations is %s "
	    "in database %s: %s", f->sentry_history == TABLE_ABSENT ? "missing" :
	    "empty", pl->postgres.database, mode == REACH_VERIFY ?
	    "`sentry upgrade` (step 4 of the hop's runbook) has not run there" :
	    "Sentry never ran on it, so there is nothing to upgrade (check "
	    "postgres.database; a new deployment is installed with generate)");
}

/* Where django_migrations' newest sentry migration stands against the
 * last one Sentry's release ships. */
enum head_state {
	HEAD_UNKNOWN,	/* the profile names none, or the facts have none */
	HEAD_AT,
	HEAD_BEHIND,
	HEAD_PAST,
};

static enum head_state
head_state(const struct plan *pl, const struct facts *f)
{
	const char *ships = pl->profile->sentry_migration_head;
	const char *has = kv_get(&f->sentry_app_heads, "sentry");
	long at, end;

	if (ships == NULL || has == NULL)
		return HEAD_UNKNOWN;
	at = migration_position(has);
	end = migration_position(ships);
	if (at < 0 || end < 0)
		return HEAD_UNKNOWN;
	return at == end ? HEAD_AT : at < end ? HEAD_BEHIND : HEAD_PAST;
}

/* The head against the release's, once the boundaries agree with it (a
 * boundary missing or beyond is said by the boundary, the one cause
 * named once). 1 if it was said to be behind or past. */
static int
sentry_head(const struct plan *pl, const struct facts *f, enum reach mode,
    struct findings *out)
{
	enum head_state st = head_state(pl, f);
	const char *ships = pl->profile->sentry_migration_head;
	const char *has = kv_get(&f->sentry_app_heads, "sentry");

	if (st == HEAD_BEHIND && mode == REACH_VERIFY)
		finding_add(out, VERIFIED, SEV_ERROR, "postgres", "postgres.host",
		    "django_migrations' newest sentry migration is %s; Sentry %s "
		    "ends at %s: its migrations have not all run (step 4 of the "
		    "hop's runbook)", has, pl->release, ships);
	else if (st == HEAD_BEHIND)
		finding_add(out, STANDING, SEV_ERROR, "postgres", "postgres.host",
		    "the database is behind the answers: django_migrations' newest "
		    "sentry migration is %s; Sentry %s ends at %s, so a hop was not "
		    "finished. Finish that hop, or set sentry.version to the "
		    "release the database runs and plan again", has, pl->release,
		    ships);
	else if (st == HEAD_PAST)
		finding_add(out, rule_of(mode), mode == REACH_STANDING ?
		    SEV_ERROR : SEV_WARNING, "postgres", "postgres.host",
		    "the database is past Sentry %s: django_migrations' newest "
		    "sentry migration is %s; Sentry %s ends at %s%s", pl->release,
		    has, pl->release, ships, mode == REACH_STANDING ? "; a hop was "
		    "done and not verified (upgrade --verify records it) or "
		    "sentry.version is wrong" : "");
	return st == HEAD_BEHIND || st == HEAD_PAST;
}

/* Every boundary in place, none beyond, and the head (if known) at the
 * release's last migration. */
static void
sentry_in_place(const struct plan *pl, const struct facts *f,
    enum reach mode, struct findings *out)
{
	/* Without the release's last migration, the boundaries prove only
	 * that the hard-stop checks pass: say so where it is verified. */
	char *at = head_state(pl, f) == HEAD_AT ? xasprintf(", and stands at "
	    "%s, the last migration Sentry %s ships",
	    pl->profile->sentry_migration_head, pl->release) :
	    pl->profile->sentry_migration_head == NULL && mode == REACH_VERIFY ?
	    xasprintf(" (Sentry %s's last migration is not known: that its "
	    "`sentry upgrade` job ended with exit status 0 is the proof)",
	    pl->release) : xstrdup("");

	finding_add(out, rule_of(mode), SEV_INFO, "postgres", "postgres.host",
	    "django_migrations has every squash boundary that Sentry %s's "
	    "hard-stop checks look for, and none from after it%s", pl->release,
	    at);
	free(at);
}

static void
sentry_reached(const struct plan *pl, const struct facts *f, enum reach mode,
    struct findings *out)
{
	struct strlist missing = { 0 };
	const struct sentry_boundary *beyond;

	if (f->sentry_history != TABLE_READ) {
		sentry_unread(pl, f, mode, out);
		return;
	}
	boundaries_missing(pl->release, f, &missing);
	beyond = boundary_beyond(pl->release, f);
	if (missing.n > 0 && mode == REACH_STANDING)
		finding_add(out, STANDING, SEV_ERROR, "postgres", "postgres.host",
		    "the database is behind the answers: django_migrations has no "
		    "%s, which Sentry %s leaves there; a hop was not finished or "
		    "a hard stop was skipped. Finish that hop, or set "
		    "sentry.version to the release the database runs and plan "
		    "again", missing.v[0], pl->release);
	else if (missing.n > 0)
		finding_add(out, VERIFIED, SEV_ERROR, "postgres", "postgres.host",
		    "django_migrations has no %s, which `sentry upgrade` of Sentry "
		    "%s leaves: its migrations have not all run (step 4 of the "
		    "hop's runbook)", missing.v[0], pl->release);
	else if (beyond != NULL)
		finding_add(out, rule_of(mode), mode == REACH_STANDING ?
		    SEV_ERROR : SEV_WARNING, "postgres", "postgres.host",
		    "the database is past Sentry %s: django_migrations has %s, "
		    "from after Sentry %s%s", pl->release, beyond->name,
		    beyond->after, mode == REACH_STANDING ? "; a hop was done and "
		    "not verified (upgrade --verify records it) or sentry.version "
		    "is wrong" : "");
	else if (!sentry_head(pl, f, mode, out))
		sentry_in_place(pl, f, mode, out);
	sl_free(&missing);
}

/* The groups of pl's release not at its last migration: "events (0021_x)". */
static void
groups_behind(const struct plan *pl, const struct facts *f,
    struct strlist *behind)
{
	const struct kvlist *last = &pl->profile->snuba_migrations;

	for (size_t i = 0; i < last->n; i++)
		if (!snuba_completed(f, last->v[i].key, last->v[i].value))
			sl_add_owned(behind, xasprintf("%s (%s)", last->v[i].key,
			    last->v[i].value));
}

static void
snuba_in_progress(const struct facts *f, struct findings *out)
{
	for (size_t i = 0; i < f->snuba_in_progress.n; i++)
		finding_add(out, VERIFIED, SEV_ERROR, "clickhouse",
		    "clickhouse.host", "Snuba migration %s %s is in progress: "
		    "reverse it (`snuba migrations reverse-in-progress --group "
		    "%s`) and run the hop's snuba migrate job again",
		    f->snuba_in_progress.v[i].key, f->snuba_in_progress.v[i].value,
		    f->snuba_in_progress.v[i].key);
}

static int
snuba_unread(const struct plan *pl, const struct facts *f, enum reach mode,
    struct findings *out)
{
	if (f->snuba_history == TABLE_READ)
		return 0;
	if (mode == REACH_VERIFY)
		finding_add(out, VERIFIED, SEV_ERROR, "clickhouse",
		    "clickhouse.host", "%s: Sentry %s's Snuba migrations cannot be "
		    "verified", f->snuba_history == TABLE_UNKNOWN ? "ClickHouse's "
		    "migrations_local could not be read" : "ClickHouse holds no Snuba "
		    "migration (the hop's snuba migrate job has not run)",
		    pl->release);
	return 1;
}

static void
snuba_reached(const struct plan *pl, const struct facts *f, enum reach mode,
    struct findings *out)
{
	struct strlist behind = { 0 };
	const struct profile *newest;
	int past;
	char *list;

	if (snuba_unread(pl, f, mode, out))
		return;
	if (mode == REACH_VERIFY)
		snuba_in_progress(f, out);
	newest = newest_complete(pl, f);
	past = newest != NULL && version_cmp(newest->release, pl->release) > 0;
	/* A release without a list proves nothing complete; a newer
	 * release's set complete is past it all the same. */
	if (pl->profile->snuba_migrations.n == 0 && !past)
		return;
	groups_behind(pl, f, &behind);
	list = sl_join(&behind, ", ");
	if (behind.n > 0)
		finding_add(out, rule_of(mode), SEV_ERROR, "clickhouse",
		    "clickhouse.host", "%s: %s %s not completed in migrations_local"
		    "%s", mode == REACH_STANDING ? "ClickHouse is behind the "
		    "answers" : "Snuba's migrations have not all run", list,
		    behind.n == 1 ? "is" : "are", mode == REACH_STANDING ?
		    "; finish that hop's snuba migrate job, or set sentry.version "
		    "to the release ClickHouse is at" : " (the hop's snuba migrate "
		    "job)");
	else if (past)
		finding_add(out, rule_of(mode), mode == REACH_STANDING ?
		    SEV_ERROR : SEV_WARNING, "clickhouse", "clickhouse.host",
		    "ClickHouse is past Sentry %s: every Snuba migration of Sentry "
		    "%s is completed%s", pl->release, newest->release,
		    mode == REACH_STANDING ? "; a hop was done and not verified "
		    "(upgrade --verify records it) or sentry.version is wrong" : "");
	else
		finding_add(out, rule_of(mode), SEV_INFO, "clickhouse",
		    "clickhouse.host", "every Snuba group is at Sentry %s's last "
		    "migration (%zu groups)", pl->release,
		    pl->profile->snuba_migrations.n);
	free(list);
	sl_free(&behind);
}

void
rules_reached(const struct plan *pl, const struct facts *facts,
    enum reach mode, struct findings *out)
{
	struct facts none;

	facts_init(&none);
	sentry_reached(pl, facts ? facts : &none, mode, out);
	snuba_reached(pl, facts ? facts : &none, mode, out);
}
