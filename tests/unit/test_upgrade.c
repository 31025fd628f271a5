/*
 * What an upgrade writes back (src/input/answers_move.c,
 * src/app/upgrade_state.c): the answers moved on to a release with the
 * operator's comments kept, or written anew when an edit in place would
 * not read back right; and the record of each hop's backup and
 * verification, read back as written and refused when it is not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "answers_move.h"
#include "fsutil.h"
#include "harness.h"
#include "upgrade_state.h"
#include "ynode.h"

static const char hand_written[] =
    "# Our Sentry: ask ops before changing it.\n"
    "sentry:\n"
    "  version: \"25.5.1\"   # the hop before\n"
    "  url: https://sentry.example.org\n"
    "services:\n"
    "  # The web tier takes the load.\n"
    "  web: {replicas: 3}\n"
    "  worker:\n"
    "    replicas: 4   # four Celery workers\n"
    "  # cron is a singleton.\n"
    "  cron:\n"
    "    replicas: 1\n"
    "\n"
    "  events-consumer:\n"
    "    replicas: 2\n"
    "target:\n"
    "  kind: kubernetes\n";

static const struct profile *
profile_of(struct releases *rs, const char *release)
{
	char *dir = xasprintf("%s/profiles", test_root());
	struct err e;
	const struct profile *p;

	ck_assert_msg(releases_load(dir, rs, &e) == 0, "%s", e.msg);
	free(dir);
	p = releases_find(rs, release);
	ck_assert_ptr_nonnull(p);
	return p;
}

static struct ynode *
parsed(const char *text)
{
	struct ynode *doc = NULL;
	struct err e;

	ck_assert_msg(yaml_parse(text, strlen(text), "moved", 0, &doc, &e) == 0,
	    "%s", e.msg);
	return doc;
}

/* 26.8.0 has no worker nor cron: their answers move to taskworker and
 * taskscheduler, in place, and every comment stays where it was. */
START_TEST(the_answers_move_with_their_comments)
{
	struct releases rs;
	const struct profile *p = profile_of(&rs, "26.8.0");
	struct strlist notes = { 0 };
	struct err e;
	int kept = -1;
	char *out = answers_moved(hand_written, strlen(hand_written), "a.yaml", p,
	    &notes, &kept, &e);
	struct ynode *doc;

	ck_assert_msg(out != NULL, "%s", e.msg);
	ck_assert_int_eq(kept, 1);
	ck_assert_contains(out, "# Our Sentry: ask ops before changing it.\n");
	ck_assert_contains(out, "  version: \"26.8.0\"   # the hop before\n");
	ck_assert_contains(out, "  taskworker:\n    replicas: 4   # four Celery "
	    "workers\n");
	ck_assert_contains(out, "  # cron is a singleton.\n  taskscheduler:\n");
	ck_assert_contains(out, "  # The web tier takes the load.\n");
	ck_assert_lacks(out, "worker:\n    replicas: 4\n");
	ck_assert_uint_eq(notes.n, 2);
	ck_assert_str_eq(notes.v[0], "services.cron -> services.taskscheduler");
	ck_assert_str_eq(notes.v[1], "services.worker -> services.taskworker");
	doc = parsed(out);
	ck_assert_str_eq(yn_path_text(doc, "sentry.version"), "26.8.0");
	ck_assert_str_eq(yn_path_text(doc, "services.taskworker.replicas"), "4");
	ck_assert_ptr_null(yn_path(doc, "services.worker"));
	yn_free(doc);
	sl_free(&notes);
	free(out);
	releases_free(&rs);
}
END_TEST

/* A service the release does not run, with no successor free to take
 * it, goes with its lines, up to the next entry and its comment. */
START_TEST(a_dropped_service_takes_its_lines)
{
	static const char text[] =
	    "sentry:\n  version: 25.5.1\n"
	    "services:\n"
	    "  taskworker:\n    replicas: 2\n"
	    "  worker:\n    replicas: 4\n    # deeper: the worker's own\n\n"
	    "  # the next one's\n"
	    "  web:\n    replicas: 3\n";
	struct releases rs;
	const struct profile *p = profile_of(&rs, "26.8.0");
	struct strlist notes = { 0 };
	struct err e;
	int kept = -1;
	char *out = answers_moved(text, strlen(text), "a.yaml", p, &notes, &kept,
	    &e);

	ck_assert_msg(out != NULL, "%s", e.msg);
	ck_assert_int_eq(kept, 1);
	ck_assert_str_eq(out, "sentry:\n  version: 26.8.0\n"
	    "services:\n"
	    "  taskworker:\n    replicas: 2\n"
	    "  # the next one's\n"
	    "  web:\n    replicas: 3\n");
	ck_assert_str_eq(notes.v[0], "services.worker: left out (Sentry 26.8.0 "
	    "has no such service)");
	sl_free(&notes);
	free(out);
	releases_free(&rs);
}
END_TEST

/* CRLF line ends stay CRLF, the edited line's too. */
START_TEST(crlf_stays_crlf)
{
	static const char text[] = "sentry:\r\n  version: 25.5.1\r\n"
	    "services:\r\n  taskworker:\r\n    replicas: 2\r\n"
	    "  worker:\r\n    replicas: 4\r\n\r\n  web:\r\n    replicas: 3\r\n";
	struct releases rs;
	const struct profile *p = profile_of(&rs, "26.8.0");
	struct strlist notes = { 0 };
	struct err e;
	int kept = -1;
	char *out = answers_moved(text, strlen(text), "a.yaml", p, &notes, &kept,
	    &e);

	ck_assert_msg(out != NULL, "%s", e.msg);
	ck_assert_int_eq(kept, 1);
	ck_assert_str_eq(out, "sentry:\r\n  version: 26.8.0\r\n"
	    "services:\r\n  taskworker:\r\n    replicas: 2\r\n"
	    "  web:\r\n    replicas: 3\r\n");
	sl_free(&notes);
	free(out);
	releases_free(&rs);
}
END_TEST

/* Where an edit in place cannot be made, the file is written anew from
 * its tree, and says so; what it says is the same. */
START_TEST(what_cannot_be_edited_is_written_anew)
{
	static const char *const texts[] = {
		/* a flow mapping: the dropped entry is not lines of its own */
		"sentry: {version: \"25.5.1\"}\nservices: {taskworker: {replicas: "
		    "4}, worker: {replicas: 2}}\npostgres:\n  port: 5432\n",
		/* no sentry.version to edit */
		"services:\n  worker:\n    replicas: 4\npostgres:\n  port: 5432\n",
	};
	struct releases rs;
	const struct profile *p = profile_of(&rs, "26.8.0");

	for (size_t i = 0; i < 2; i++) {
		struct strlist notes = { 0 };
		struct err e;
		int kept = -1;
		char *out = answers_moved(texts[i], strlen(texts[i]), "a.yaml", p,
		    &notes, &kept, &e);
		struct ynode *doc;

		ck_assert_msg(out != NULL, "%s", e.msg);
		ck_assert_int_eq(kept, 0);
		ck_assert_contains(out, "# Moved on to Sentry 26.8.0 by "
		    "sentry-ha-setup upgrade, and written anew");
		/* A port written plain stays a number. */
		ck_assert_contains(out, "port: 5432\n");
		doc = parsed(out);
		ck_assert_str_eq(yn_path_text(doc, "sentry.version"), "26.8.0");
		ck_assert_str_eq(yn_path_text(doc, "services.taskworker.replicas"),
		    "4");
		yn_free(doc);
		sl_free(&notes);
		free(out);
	}
	releases_free(&rs);
}
END_TEST

START_TEST(text_that_is_not_answers_is_refused)
{
	struct releases rs;
	const struct profile *p = profile_of(&rs, "26.8.0");
	struct strlist notes = { 0 };
	struct err e;
	int kept;

	ck_assert_ptr_null(answers_moved("- a\n- b\n", 8, "a.yaml", p, &notes,
	    &kept, &e));
	ck_assert_contains(e.msg, "a.yaml: expected a mapping of answers");
	ck_assert_ptr_null(answers_moved("a: [\n", 5, "a.yaml", p, &notes, &kept,
	    &e));
	ck_assert_contains(e.msg, "a.yaml:");
	releases_free(&rs);
}
END_TEST

static char *
answers_path(const char *name)
{
	return xasprintf("%s/%s", test_tmp(), name);
}

/* What is recorded is read back, in a file only its owner reads. */
START_TEST(the_record_reads_back)
{
	char *answers = answers_path("state.yaml");
	struct upgrade_state s, back;
	struct hop_record *r;
	struct stat sb;
	struct err e;
	char *now = upgrade_time_now();

	ck_assert_int_eq(upgrade_state_load(&s, answers, &e), 0);
	ck_assert_uint_eq(s.n, 0);
	ck_assert_ptr_null(upgrade_state_hop(&s, "10.1.0", "21.6.3", 0));
	r = upgrade_state_hop(&s, "10.1.0", "21.6.3", 1);
	r->backup_done = xstrdup(now);
	r->verified = xstrdup(now);
	upgrade_state_hop(&s, "21.6.3", "23.6.2", 1)->backup_done = xstrdup(now);
	ck_assert_msg(upgrade_state_save(&s, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(stat(s.path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	ck_assert_msg(upgrade_state_load(&back, answers, &e) == 0, "%s", e.msg);
	ck_assert_uint_eq(back.n, 2);
	ck_assert_str_eq(back.v[0].verified, now);
	ck_assert_str_eq(back.v[1].from, "21.6.3");
	ck_assert_ptr_null(back.v[1].verified);
	ck_assert_ptr_eq(upgrade_state_hop(&back, "21.6.3", "23.6.2", 1),
	    &back.v[1]);
	/* "2026-12-01T15:02:11Z" */
	ck_assert_uint_eq(strlen(now), 20);
	ck_assert_int_eq(now[10], 'T');
	ck_assert_int_eq(now[19], 'Z');
	upgrade_state_free(&s);
	upgrade_state_free(&back);
	free(now);
	free(answers);
}
END_TEST

/* A record that is not one is refused with where, and nothing leaks. */
START_TEST(a_foreign_record_is_refused)
{
	static const struct {
		const char *text, *says;
	} bad[] = {
		{ "hops: 3\n", "state2.yaml.upgrade:1: expected a mapping with a "
		  "list `hops:`" },
		{ "hops:\n  - from: 10.1.0\n", "state2.yaml.upgrade:2: a hop needs "
		  "from and to" },
		{ "hops:\n  - from: 10.1.0\n    to: 21.6.3\n    when: now\n",
		  "state2.yaml.upgrade:4: when: expected one of from, to" },
		{ "hops:\n  - [a]\n", "state2.yaml.upgrade:2: a hop must be a "
		  "mapping" },
	};
	char *answers = answers_path("state2.yaml");
	char *path = xasprintf("%s.upgrade", answers);

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct upgrade_state s;
		struct err e;

		ck_assert_int_eq(fs_write_atomic(path, bad[i].text,
		    strlen(bad[i].text), 0600, &e), 0);
		ck_assert_int_eq(upgrade_state_load(&s, answers, &e), -1);
		ck_assert_int_eq(e.kind, ERR_INPUT);
		ck_assert_contains(e.msg, bad[i].says);
		upgrade_state_free(&s);
	}
	free(path);
	free(answers);
}
END_TEST

Suite *
suite_upgrade(void)
{
	Suite *s = suite_create("upgrade");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, the_answers_move_with_their_comments);
	tcase_add_test(tc, a_dropped_service_takes_its_lines);
	tcase_add_test(tc, crlf_stays_crlf);
	tcase_add_test(tc, what_cannot_be_edited_is_written_anew);
	tcase_add_test(tc, text_that_is_not_answers_is_refused);
	tcase_add_test(tc, the_record_reads_back);
	tcase_add_test(tc, a_foreign_record_is_refused);
	suite_add_tcase(s, tc);
	return s;
}
