/*
 * The rules on where the live databases stand (rules_migrations.c), over
 * constructed facts: Snuba's migrations in ClickHouse against the profiles'
 * snuba_migrations, and Sentry's squash boundaries in django_migrations
 * against the hard stops. Each case says what must be said, or what must
 * not be.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "rules.h"
#include "rules_internal.h"
#include "xmem.h"

/* Every migration of `release`'s set completed, as a finished migrate of
 * that release leaves ClickHouse. */
static void
complete(struct facts *f, const struct releases *rs, const char *release)
{
	const struct profile *p = releases_find(rs, release);

	ck_assert_ptr_nonnull(p);
	ck_assert_uint_gt(p->snuba_migrations.n, 0);
	f->snuba_history = TABLE_READ;
	for (size_t i = 0; i < p->snuba_migrations.n; i++)
		kv_add(&f->snuba_completed, p->snuba_migrations.v[i].key,
		    p->snuba_migrations.v[i].value);
}

static void
history(struct facts *f, const char *const *names)
{
	f->sentry_history = TABLE_READ;
	for (; *names != NULL; names++)
		sl_add(&f->sentry_boundaries, *names);
}

#define FACTS(fn)	static void fn(struct facts *f, const struct releases *rs)

FACTS(ch_248) { complete(f, rs, "24.8.0"); }
FACTS(ch_268) { complete(f, rs, "24.8.0"); complete(f, rs, "26.8.0"); }
FACTS(ch_248_events30)
{
	complete(f, rs, "24.8.0");
	kv_add(&f->snuba_completed, "events",
	    "0030_add_group_first_seen_column_to_errors");
}
FACTS(ch_248_stuck)
{
	complete(f, rs, "24.8.0");
	kv_add(&f->snuba_in_progress, "events", "0025_add_replay_id_column");
}
FACTS(ch_some)
{
	(void)rs;
	f->snuba_history = TABLE_READ;
	kv_add(&f->snuba_completed, "system", "0001_migrations");
	kv_add(&f->snuba_completed, "events", "0001_events_initial");
}
FACTS(ch_absent) { (void)rs; f->snuba_history = TABLE_ABSENT; }
FACTS(ch_empty) { (void)rs; f->snuba_history = TABLE_EMPTY; }

FACTS(pg_0484)
{
	static const char *const n[] = { "0200_release_indices",
	    "0001_squashed_0484_break_org_member_user_fk", NULL };
	(void)rs;
	history(f, n);
}
FACTS(pg_0642)
{
	static const char *const n[] = { "0001_squashed_0484_break_org_member_user_fk",
	    "0642_index_together_release", NULL };
	(void)rs;
	history(f, n);
}
FACTS(pg_0904)
{
	static const char *const n[] = { "0200_release_indices",
	    "0484_break_org_member_user_fk", "0642_index_together_release",
	    "0904_onboarding_task_project_id_idx", NULL };
	(void)rs;
	history(f, n);
}
FACTS(pg_squash0904)
{
	static const char *const n[] = {
	    "0001_squashed_0904_onboarding_task_project_id_idx", NULL };
	(void)rs;
	history(f, n);
}
FACTS(pg_gap)
{
	static const char *const n[] = { "0200_release_indices",
	    "0484_break_org_member_user_fk",
	    "0904_onboarding_task_project_id_idx", NULL };
	(void)rs;
	history(f, n);
}
FACTS(pg_none)
{
	static const char *const n[] = { NULL };
	(void)rs;
	history(f, n);
}
FACTS(pg_absent) { (void)rs; f->sentry_history = TABLE_ABSENT; }
FACTS(pg_0200)
{
	static const char *const n[] = { "0200_release_indices", NULL };
	(void)rs;
	history(f, n);
}
/* What a finished hop to 26.8.0 leaves: no head is known for it. */
FACTS(at_268) { pg_0904(f, rs); ch_268(f, rs); }
/* What a finished hop to 21.6.3 leaves. */
FACTS(at_2163) { pg_0200(f, rs); complete(f, rs, "21.6.3"); }
/* The same with django_migrations' newest sentry migration read too: at
 * 21.6.3's last (profiles/21.6.3.yaml), short of it, and past it (short
 * of 0484, so that no boundary says so first). */
FACTS(head_2163)
{
	at_2163(f, rs);
	kv_add(&f->sentry_app_heads, "contenttypes", "0002_remove_content_type_name");
	kv_add(&f->sentry_app_heads, "sentry", "0219_exporteddatablob_remove_blob_fk");
}
FACTS(head_0210)
{
	at_2163(f, rs);
	kv_add(&f->sentry_app_heads, "sentry", "0210_x");
}
FACTS(head_0230)
{
	at_2163(f, rs);
	kv_add(&f->sentry_app_heads, "sentry", "0230_x");
}
/* Past 21.6.3 by a boundary and by the head: one cause, said once. */
FACTS(head_0500)
{
	pg_0484(f, rs);
	complete(f, rs, "21.6.3");
	kv_add(&f->sentry_app_heads, "sentry", "0500_x");
}
/* Behind 21.6.3's stop, and so behind its head. */
FACTS(head_0100)
{
	pg_none(f, rs);
	complete(f, rs, "21.6.3");
	kv_add(&f->sentry_app_heads, "sentry", "0100_x");
}
/* Past 24.8.0's boundary only: no profile names 24.8.0's head. */
FACTS(head_0750)
{
	pg_0642(f, rs);
	complete(f, rs, "24.8.0");
	kv_add(&f->sentry_app_heads, "sentry", "0750_x");
}

struct mig_case {
	const char	*name;
	const char	*release;	/* the answers' */
	void		(*facts)(struct facts *, const struct releases *);
	const char	*rule;
	enum severity	 severity;
	const char	*words;		/* NULL: no finding of that severity */
	/* rules_evaluate(), or rules_reached() of the answers' release. */
	enum { EVALUATE, STANDING, VERIFY } how;
};

#define E	EVALUATE

static const struct mig_case cases[] = {
	{ "same release", "24.8.0", ch_248, "snuba-state", SEV_INFO,
	  "are those of Sentry 24.8.0: every group at its last migration", E },
	{ "same release", "24.8.0", ch_248, "snuba-state", SEV_WARNING, NULL, E },
	{ "same release", "24.8.0", ch_248, "snuba-migration-in-progress",
	  SEV_ERROR, NULL, E },
	{ "answers ahead", "26.8.0", ch_248, "snuba-state", SEV_INFO,
	  "Sentry 26.8.0 has not been migrated yet in ClickHouse: events, "
	  "outcomes, functions, replays, generic_metrics, search_issues, "
	  "events_analytics_platform, profile_chunks not at its last migration; "
	  "complete up to Sentry 24.8.0 (an upgrade in progress", E },
	{ "databases ahead", "24.8.0", ch_268, "snuba-state", SEV_WARNING,
	  "the databases are newer than the answers (at least 26.8.0)", E },
	{ "databases ahead", "26.8.0", ch_268, "snuba-state", SEV_WARNING, NULL, E },
	{ "databases ahead", "26.8.0", ch_268, "snuba-state", SEV_INFO,
	  "are those of Sentry 26.8.0", E },
	{ "partly beyond", "24.8.0", ch_248_events30, "snuba-state", SEV_WARNING,
	  "partly beyond Sentry 24.8.0: events "
	  "(0030_add_group_first_seen_column_to_errors) has newer migrations", E },
	{ "partly beyond", "26.8.0", ch_248_events30, "snuba-state", SEV_INFO,
	  "Sentry 26.8.0 has not been migrated yet in ClickHouse: outcomes,", E },
	{ "stuck", "24.8.0", ch_248_stuck, "snuba-migration-in-progress",
	  SEV_ERROR, "Snuba migration events 0025_add_replay_id_column is in "
	  "progress", E },
	{ "stuck", "24.8.0", ch_248_stuck, "snuba-migration-in-progress",
	  SEV_ERROR, "snuba migrations reverse-in-progress --group events", E },
	{ "no release", "24.8.0", ch_some, "snuba-state", SEV_WARNING,
	  "the state of no release", E },
	{ "fresh", "24.8.0", ch_absent, "snuba-state", SEV_INFO,
	  "database default holds no Snuba migration: Snuba has never run", E },
	{ "fresh", "26.8.0", ch_empty, "snuba-state", SEV_INFO,
	  "fresh install", E },
	{ "no snuba set", "10.1.0", ch_248, "snuba-state", SEV_WARNING,
	  "newer than the answers (at least 24.8.0)", E },
	{ "offline", "26.8.0", NULL, "snuba-state", SEV_INFO, NULL, E },
	{ "offline", "26.8.0", NULL, "sentry-migration-boundary", SEV_INFO, NULL, E },

	{ "before 24.8.0's stop", "26.8.0", pg_0484, "sentry-migration-boundary",
	  SEV_WARNING, "the database has not passed the 24.8.0 hard stop "
	  "(django_migrations has no 0642_index_together_release): upgrading "
	  "straight to Sentry 26.8.0 would fail with \"It looks like you've "
	  "skipped a hard stop\"; upgrade through 24.8.0, then 25.5.1 first", E },
	{ "before 24.8.0's stop", "24.8.0", pg_0484, "sentry-migration-boundary",
	  SEV_WARNING, NULL, E },
	{ "before 24.8.0's stop", "24.8.0", pg_0484, "sentry-migration-boundary",
	  SEV_INFO, "crossed 0200, 0484 (past 0484_break_org_member_user_fk, "
	  "which no known hard-stop check tests); not yet 0642, 0904", E },
	{ "past 24.8.0's stop", "26.8.0", pg_0642, "sentry-migration-boundary",
	  SEV_WARNING, "has not passed the 25.5.1 hard stop (django_migrations "
	  "has no 0904_onboarding_task_project_id_idx)", E },
	{ "past 24.8.0's stop", "24.8.0", pg_0642, "sentry-migration-boundary",
	  SEV_INFO, "crossed 0200 (by a later boundary), 0484, 0642 (it passes "
	  "the hard-stop check of the releases after 24.8.0); not yet 0904", E },
	{ "at 0904", "26.8.0", pg_0904, "sentry-migration-boundary", SEV_INFO,
	  "crossed 0200, 0484, 0642, 0904 (it passes the hard-stop check of the "
	  "releases after 25.5.1)", E },
	{ "at 0904", "26.8.0", pg_0904, "sentry-migration-boundary", SEV_WARNING,
	  NULL, E },
	{ "at 0904", "24.8.0", pg_0904, "sentry-migration-boundary", SEV_WARNING,
	  "the database is newer than the answers: django_migrations has "
	  "0904_onboarding_task_project_id_idx, a migration from after Sentry "
	  "24.8.0", E },
	{ "squash only", "26.8.0", pg_squash0904, "sentry-migration-boundary",
	  SEV_WARNING, NULL, E },
	{ "squash only", "26.8.0", pg_squash0904, "sentry-migration-boundary",
	  SEV_INFO, "crossed 0200 (by a later boundary), 0484 (by a later boundary), "
	  "0642 (by a later boundary), 0904 (it passes", E },
	{ "gap", "26.8.0", pg_gap, "sentry-migration-boundary", SEV_WARNING,
	  "django_migrations records 0904_onboarding_task_project_id_idx but "
	  "not 0642_index_together_release, which comes before it: the records "
	  "are incomplete", E },
	{ "no boundary", "26.8.0", pg_none, "sentry-migration-boundary",
	  SEV_WARNING, "has not passed the 21.6.3 hard stop (django_migrations "
	  "has no 0200_release_indices)", E },
	{ "no boundary", "10.1.0", pg_none, "sentry-migration-boundary",
	  SEV_WARNING, NULL, E },
	{ "no boundary", "10.1.0", pg_none, "sentry-migration-boundary",
	  SEV_INFO, "crossed none (before every squash boundary)", E },
	{ "ahead of 10.1.0", "10.1.0", pg_0484, "sentry-migration-boundary",
	  SEV_WARNING, "newer than the answers: django_migrations has "
	  "0484_break_org_member_user_fk", E },
	{ "fresh", "26.8.0", pg_absent, "sentry-migration-boundary", SEV_INFO,
	  "Sentry has never migrated database sentry (django_migrations is "
	  "missing): a fresh install", E },
	{ "fresh", "26.8.0", pg_absent, "sentry-migration-boundary", SEV_WARNING,
	  NULL, E },

	/* A hop verified: what it leaves, and each way it falls short. */
	{ "hop done", "21.6.3", at_2163, "upgrade-hop-verified", SEV_ERROR,
	  NULL, VERIFY },
	{ "hop done", "21.6.3", at_2163, "upgrade-hop-verified", SEV_INFO,
	  "django_migrations has every squash boundary that Sentry 21.6.3's "
	  "hard-stop checks look for, and none from after it", VERIFY },
	{ "hop done", "21.6.3", at_2163, "upgrade-hop-verified", SEV_INFO,
	  "every Snuba group is at Sentry 21.6.3's last migration (6 groups)",
	  VERIFY },
	{ "no head known", "26.8.0", at_268, "upgrade-hop-verified", SEV_INFO,
	  "and none from after it (Sentry 26.8.0's last migration is not known: "
	  "that its `sentry upgrade` job ended with exit status 0 is the proof)",
	  VERIFY },
	{ "no head known", "26.8.0", at_268, "upgrade-hop-verified", SEV_ERROR,
	  NULL, VERIFY },
	{ "no sentry upgrade", "21.6.3", pg_none, "upgrade-hop-verified",
	  SEV_ERROR, "django_migrations has no 0200_release_indices, which "
	  "`sentry upgrade` of Sentry 21.6.3 leaves", VERIFY },
	{ "no sentry upgrade", "24.8.0", pg_0484, "upgrade-hop-verified",
	  SEV_ERROR, "no 0642_index_together_release", VERIFY },
	{ "never migrated", "24.8.0", pg_absent, "upgrade-hop-verified",
	  SEV_ERROR, "django_migrations is missing in database sentry: `sentry "
	  "upgrade` (step 4 of the hop's runbook) has not run there", VERIFY },
	{ "stuck", "24.8.0", ch_248_stuck, "upgrade-hop-verified", SEV_ERROR,
	  "Snuba migration events 0025_add_replay_id_column is in progress",
	  VERIFY },
	{ "snuba behind", "26.8.0", ch_248, "upgrade-hop-verified", SEV_ERROR,
	  "Snuba's migrations have not all run: events (", VERIFY },
	{ "snuba never ran", "24.8.0", ch_empty, "upgrade-hop-verified",
	  SEV_ERROR, "ClickHouse holds no Snuba migration", VERIFY },
	{ "unseen", "24.8.0", NULL, "upgrade-hop-verified", SEV_ERROR,
	  "PostgreSQL's django_migrations could not be read", VERIFY },
	{ "unseen", "24.8.0", NULL, "upgrade-hop-verified", SEV_ERROR,
	  "ClickHouse's migrations_local could not be read", VERIFY },
	{ "past it", "24.8.0", pg_0904, "upgrade-hop-verified", SEV_WARNING,
	  "the database is past Sentry 24.8.0: django_migrations has "
	  "0904_onboarding_task_project_id_idx", VERIFY },
	{ "at the head", "21.6.3", head_2163, "upgrade-hop-verified", SEV_INFO,
	  "django_migrations has every squash boundary that Sentry 21.6.3's "
	  "hard-stop checks look for, and none from after it, and stands at "
	  "0219_exporteddatablob_remove_blob_fk, the last migration Sentry "
	  "21.6.3 ships", VERIFY },
	{ "at the head", "21.6.3", head_2163, "upgrade-hop-verified", SEV_ERROR,
	  NULL, VERIFY },
	{ "at the head", "21.6.3", head_2163, "upgrade-hop-verified",
	  SEV_WARNING, NULL, VERIFY },
	{ "short of the head", "21.6.3", head_0210, "upgrade-hop-verified",
	  SEV_ERROR, "django_migrations' newest sentry migration is 0210_x; "
	  "Sentry 21.6.3 ends at 0219_exporteddatablob_remove_blob_fk: its "
	  "migrations have not all run (step 4 of the hop's runbook)", VERIFY },
	{ "past the head", "21.6.3", head_0230, "upgrade-hop-verified",
	  SEV_WARNING, "the database is past Sentry 21.6.3: django_migrations' "
	  "newest sentry migration is 0230_x; Sentry 21.6.3 ends at "
	  "0219_exporteddatablob_remove_blob_fk", VERIFY },
	{ "past the head", "21.6.3", head_0230, "upgrade-hop-verified",
	  SEV_ERROR, NULL, VERIFY },
	{ "no head known", "24.8.0", head_0750, "upgrade-hop-verified",
	  SEV_WARNING, NULL, VERIFY },

	/* Where an upgrade starts: the answers' release, or refused. */
	{ "standing", "21.6.3", at_2163, "upgrade-standing", SEV_ERROR, NULL,
	  STANDING },
	{ "skipped stop", "24.8.0", pg_0484, "upgrade-standing", SEV_ERROR,
	  "the database is behind the answers: django_migrations has no "
	  "0642_index_together_release, which Sentry 24.8.0 leaves there", STANDING },
	{ "unverified hop", "24.8.0", pg_0904, "upgrade-standing", SEV_ERROR,
	  "a hop was done and not verified", STANDING },
	{ "unverified hop", "24.8.0", ch_268, "upgrade-standing", SEV_ERROR,
	  "ClickHouse is past Sentry 24.8.0: every Snuba migration of Sentry "
	  "26.8.0 is completed", STANDING },
	{ "snuba behind", "26.8.0", ch_248, "upgrade-standing", SEV_ERROR,
	  "ClickHouse is behind the answers", STANDING },
	{ "offline", "24.8.0", NULL, "upgrade-standing", SEV_ERROR, NULL,
	  STANDING },
	{ "offline", "24.8.0", NULL, "upgrade-standing", SEV_WARNING, NULL,
	  STANDING },
	{ "before every stop", "10.1.0", pg_none, "upgrade-standing", SEV_ERROR,
	  NULL, STANDING },
	{ "never migrated", "10.1.0", pg_absent, "upgrade-standing", SEV_WARNING,
	  "Sentry never ran on it, so there is nothing to upgrade", STANDING },
	{ "at the head", "21.6.3", head_2163, "upgrade-standing", SEV_ERROR,
	  NULL, STANDING },
	{ "short of the head", "21.6.3", head_0210, "upgrade-standing",
	  SEV_ERROR, "the database is behind the answers: django_migrations' "
	  "newest sentry migration is 0210_x; Sentry 21.6.3 ends at "
	  "0219_exporteddatablob_remove_blob_fk, so a hop was not finished. "
	  "Finish that hop, or set sentry.version", STANDING },
	{ "past the head", "21.6.3", head_0230, "upgrade-standing", SEV_ERROR,
	  "the database is past Sentry 21.6.3: django_migrations' newest "
	  "sentry migration is 0230_x; Sentry 21.6.3 ends at "
	  "0219_exporteddatablob_remove_blob_fk; a hop was done and not "
	  "verified (upgrade --verify records it) or sentry.version is wrong",
	  STANDING },
	{ "past the head", "21.6.3", head_0230, "upgrade-standing",
	  SEV_WARNING, NULL, STANDING },
};

START_TEST(migration_case)
{
	const struct mig_case *c = &cases[_i];
	char *yaml = demo_answers(c->release, NULL);
	struct fixture f;
	struct findings found = { 0 };
	struct facts facts;
	int hit = 0;
	struct strbuf said = STRBUF_INIT;

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s: %s", c->name, f.e.msg);
	facts_init(&facts);
	facts.releases = &f.s.releases;
	if (c->facts != NULL)
		c->facts(&facts, &f.s.releases);
	if (c->how == EVALUATE)
		rules_evaluate(&f.s.pl, &facts, &found);
	else
		rules_reached(&f.s.pl, &facts, c->how == STANDING ?
		    REACH_STANDING : REACH_VERIFY, &found);
	for (size_t i = 0; i < found.n; i++) {
		if (strcmp(found.v[i].rule, c->rule) != 0 ||
		    found.v[i].severity != c->severity)
			continue;
		sb_printf(&said, "  %s\n", found.v[i].message);
		hit |= c->words == NULL || strstr(found.v[i].message,
		    c->words) != NULL;
	}
	if (c->words != NULL)
		ck_assert_msg(hit, "%s at %s: no %s %s finding saying \"%s\"; "
		    "said:\n%s", c->name, c->release, severity_names[c->severity],
		    c->rule, c->words, sb_str(&said));
	else
		ck_assert_msg(!hit, "%s at %s: %s should give no %s, but said:\n%s",
		    c->name, c->release, c->rule, severity_names[c->severity],
		    sb_str(&said));
	sb_free(&said);
	findings_free(&found);
	facts_free(&facts);
	fixture_free(&f);
	free(yaml);
}
END_TEST

/* Without the profiles lent, only the answers' release is known: a newer
 * complete set cannot be named, and nothing is claimed about it. */
START_TEST(without_releases_only_the_answers)
{
	char *yaml = demo_answers("24.8.0", NULL);
	struct fixture f;
	struct findings found = { 0 };
	struct facts facts;

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	facts_init(&facts);
	ch_268(&facts, &f.s.releases);
	rules_evaluate(&f.s.pl, &facts, &found);
	for (size_t i = 0; i < found.n; i++)
		if (strcmp(found.v[i].rule, "snuba-state") == 0)
			ck_assert_contains(found.v[i].message, "partly beyond "
			    "Sentry 24.8.0: events (0030_");
	findings_free(&found);
	facts_free(&facts);
	fixture_free(&f);
	free(yaml);
}
END_TEST

/* One cause, said once: where a boundary says that the database is behind
 * or past the release, the newest migration does not say it again; and of
 * a release whose profile names no last migration (24.8.0) nothing is
 * said about it. Each case gives one finding about PostgreSQL. */
static const struct {
	const char	*release;
	void		(*facts)(struct facts *, const struct releases *);
	enum reach	 mode;
	const char	*words;
} said_once[] = {
	{ "21.6.3", head_0500, REACH_STANDING, "the database is past Sentry "
	  "21.6.3: django_migrations has 0484_break_org_member_user_fk, from "
	  "after Sentry 21.6.3; a hop was done" },
	{ "21.6.3", head_0500, REACH_VERIFY, "the database is past Sentry "
	  "21.6.3: django_migrations has 0484_break_org_member_user_fk" },
	{ "21.6.3", head_0100, REACH_STANDING, "the database is behind the "
	  "answers: django_migrations has no 0200_release_indices" },
	{ "21.6.3", head_0100, REACH_VERIFY, "django_migrations has no "
	  "0200_release_indices, which `sentry upgrade` of Sentry 21.6.3 leaves" },
	{ "24.8.0", head_0750, REACH_VERIFY, "django_migrations has every "
	  "squash boundary that Sentry 24.8.0's hard-stop checks look for, and "
	  "none from after it" },
};

START_TEST(one_cause_said_once)
{
	char *yaml = demo_answers(said_once[_i].release, NULL);
	struct fixture f;
	struct findings found = { 0 };
	struct facts facts;
	const struct finding *pg = NULL;
	size_t n = 0;

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	facts_init(&facts);
	facts.releases = &f.s.releases;
	said_once[_i].facts(&facts, &f.s.releases);
	rules_reached(&f.s.pl, &facts, said_once[_i].mode, &found);
	for (size_t i = 0; i < found.n; i++)
		if (found.v[i].subject && strcmp(found.v[i].subject, "postgres") == 0) {
			pg = &found.v[i];
			n++;
		}
	ck_assert_uint_eq(n, 1);
	ck_assert_contains(pg->message, said_once[_i].words);
	ck_assert_ptr_null(strstr(pg->message, "newest sentry migration"));
	ck_assert_ptr_null(strstr(pg->message, "stands at"));
	findings_free(&found);
	facts_free(&facts);
	fixture_free(&f);
	free(yaml);
}
END_TEST

/* A migration's place in its app's chain: a squash stands for the last
 * migration it replaces. */
START_TEST(migration_positions)
{
	ck_assert_int_eq(migration_position("0219_exporteddatablob_remove_blob_fk"),
	    219);
	ck_assert_int_eq(migration_position(
	    "0001_squashed_0904_onboarding_task_project_id_idx"), 904);
	ck_assert_int_eq(migration_position("0001_squashed_x"), 1);
	ck_assert_int_eq(migration_position("0001_initial"), 1);
	ck_assert_int_eq(migration_position("initial"), -1);
	ck_assert_int_eq(migration_position("12"), -1);
}
END_TEST

/* What a server said is made printable when the facts are merged. */
START_TEST(merge_keeps_the_history)
{
	struct facts all, one;

	facts_init(&all);
	facts_init(&one);
	one.snuba_history = TABLE_READ;
	kv_add(&one.snuba_in_progress, "events", "0025_\x1b[2Jx");
	one.sentry_history = TABLE_ABSENT;
	kv_add(&one.sentry_app_heads, "sentry", "0210_\x1b[2Jx");
	facts_merge(&all, &one);
	ck_assert_int_eq(all.snuba_history, TABLE_READ);
	ck_assert_int_eq(all.sentry_history, TABLE_ABSENT);
	ck_assert_str_eq(all.snuba_in_progress.v[0].value, "0025_\\x1b[2Jx");
	ck_assert_str_eq(kv_get(&all.sentry_app_heads, "sentry"), "0210_\\x1b[2Jx");
	/* A second reading of an app's head replaces the first. */
	facts_init(&one);
	kv_add(&one.sentry_app_heads, "sentry", "0219_y");
	facts_merge(&all, &one);
	ck_assert_uint_eq(all.sentry_app_heads.n, 1);
	ck_assert_str_eq(kv_get(&all.sentry_app_heads, "sentry"), "0219_y");
	facts_free(&all);
}
END_TEST

Suite *
suite_migrations(void)
{
	Suite *s = suite_create("migrations");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, migration_case, 0,
	    (int)(sizeof cases / sizeof cases[0]));
	tcase_add_test(tc, without_releases_only_the_answers);
	tcase_add_loop_test(tc, one_cause_said_once, 0,
	    (int)(sizeof said_once / sizeof said_once[0]));
	tcase_add_test(tc, migration_positions);
	tcase_add_test(tc, merge_keeps_the_history);
	suite_add_tcase(s, tc);
	return s;
}
