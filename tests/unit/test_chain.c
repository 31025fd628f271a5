/*
 * Upgrades hop by hop (src/input/chain.c, hop_diff.c): the chain through
 * every hard stop between two releases, its refusals, and what a hop
 * changes, over the shipped profiles.
 */
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "harness.h"

static void
load(struct releases *rs)
{
	char *dir = xasprintf("%s/profiles", test_root());
	struct err e;

	ck_assert_msg(releases_load(dir, rs, &e) == 0, "%s", e.msg);
	free(dir);
}

/* The releases a chain reaches, "A B C". */
static char *
reached(const struct chain *c)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < c->n; i++)
		sb_printf(&sb, "%s%s", i ? " " : "", c->v[i].to->release);
	sb_add(&sb, "");
	return sb_take(&sb);
}

/* Every hard stop between the two releases is a hop, in order; each hop
 * starts where the last one ended. */
START_TEST(the_chain_stops_at_every_hard_stop)
{
	struct releases rs;
	struct chain c;
	struct err e;
	char *hops, *want = NULL;
	struct strbuf stops = STRBUF_INIT;

	load(&rs);
	for (size_t i = 0; i < rs.n; i++)
		if (rs.v[i].hard_stop && version_cmp(rs.v[i].release, "10.1.0") > 0 &&
		    version_cmp(rs.v[i].release, "26.8.0") < 0)
			sb_printf(&stops, "%s ", rs.v[i].release);
	sb_add(&stops, "26.8.0");
	want = sb_take(&stops);
	ck_assert_msg(chain_build(&rs, "10.1.0", "26.8.0", &c, &e) == 0, "%s",
	    e.msg);
	hops = reached(&c);
	ck_assert_str_eq(hops, want);
	/* The eight hops of issue 13, from the seed deployment on. */
	ck_assert_str_eq(hops, "21.6.3 23.6.2 23.11.0 24.8.0 25.5.1 26.5.1 26.7.0 "
	    "26.8.0");
	ck_assert_str_eq(c.v[0].from, "10.1.0");
	for (size_t i = 1; i < c.n; i++)
		ck_assert_str_eq(c.v[i].from, c.v[i - 1].to->release);
	free(hops);
	free(want);
	chain_free(&c);
	/* From a release without a profile, and straight to a hard stop. */
	ck_assert_int_eq(chain_build(&rs, "23.9.1", "24.8.0", &c, &e), 0);
	ck_assert_uint_ge(c.n, 1);
	ck_assert_str_eq(c.v[c.n - 1].to->release, "24.8.0");
	chain_free(&c);
	releases_free(&rs);
}
END_TEST

START_TEST(the_chain_refuses_what_cannot_be)
{
	static const struct {
		const char	*from, *to, *expect;
	} cases[] = {
		{ "26.8.0", "24.8.0", "cannot be downgraded" },
		{ "24.8.0", "24.8.0", "nothing to upgrade" },
		{ "24.8.0", "99.1.0", "no profile for Sentry 99.1.0 (the profiles "
		  "are 10.1.0, " },
		{ "24.8.0", "25.1.0", "no profile for Sentry 25.1.0" },
	};
	struct releases rs;

	load(&rs);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct chain c;
		struct err e;

		err_clear(&e);
		ck_assert_int_eq(chain_build(&rs, cases[i].from, cases[i].to, &c,
		    &e), -1);
		ck_assert_int_eq(e.kind, ERR_USAGE);
		ck_assert_contains(e.msg, cases[i].expect);
		ck_assert_uint_eq(c.n, 0);
		chain_free(&c);
	}
	releases_free(&rs);
}
END_TEST

static int
has(const struct strlist *l, const char *text)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], text) == 0)
			return 1;
	return 0;
}

/* 24.8.0 to 26.8.0: Celery's worker and cron carry over to their
 * successors, taskbroker is new, the memcached backend and the
 * PostgreSQL minimum change. */
START_TEST(a_hop_says_what_it_changes)
{
	struct releases rs;
	struct hop_diff d;
	struct strbuf text = STRBUF_INIT;

	load(&rs);
	hop_diff(releases_find(&rs, "24.8.0"), releases_find(&rs, "26.8.0"), &d);
	ck_assert(has(&d.renamed, "worker -> taskworker"));
	ck_assert(has(&d.renamed, "cron -> taskscheduler"));
	ck_assert(has(&d.added, "taskbroker"));
	ck_assert(!has(&d.added, "web"));
	ck_assert(has(&d.requires, "PostgreSQL: any version -> 14 or later"));
	ck_assert_uint_ge(d.knobs.n, 1);
	ck_assert_uint_ge(d.images.n, 1);
	hop_diff_text(&d, &text);
	ck_assert_contains(sb_str(&text), "### Services renamed");
	ck_assert_contains(sb_str(&text), "- `worker -> taskworker`\n");
	ck_assert_contains(sb_str(&text), "### Middleware requirements");
	hop_diff_free(&d);
	sb_free(&text);
	/* The same release: nothing. */
	hop_diff(releases_find(&rs, "26.8.0"), releases_find(&rs, "26.8.0"), &d);
	hop_diff_text(&d, &text);
	ck_assert_str_eq(sb_str(&text), "");
	hop_diff_free(&d);
	sb_free(&text);
	releases_free(&rs);
}
END_TEST

/* One decision for the wizard and `upgrade`: kept, carried to the
 * successor unless that has an answer of its own, or dropped. */
START_TEST(a_service_answer_is_carried_once)
{
	struct releases rs;
	const struct profile *p;
	struct ynode *services = yn_map();
	const char *to;

	load(&rs);
	p = releases_find(&rs, "26.8.0");
	ck_assert_int_eq(profile_carry(p, services, "web", &to), CARRY_KEEP);
	ck_assert_ptr_null(to);
	ck_assert_int_eq(profile_carry(p, services, "worker", &to), CARRY_MOVE);
	ck_assert_str_eq(to, "taskworker");
	ck_assert_int_eq(profile_carry(p, NULL, "cron", &to), CARRY_MOVE);
	ck_assert_str_eq(to, "taskscheduler");
	yn_set_map(services, "taskworker");
	ck_assert_int_eq(profile_carry(p, services, "worker", &to), CARRY_DROP);
	ck_assert_ptr_null(to);
	ck_assert_int_eq(profile_carry(p, services, "no-such", &to), CARRY_DROP);
	yn_free(services);
	releases_free(&rs);
}
END_TEST

Suite *
suite_chain(void)
{
	Suite *s = suite_create("chain");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, the_chain_stops_at_every_hard_stop);
	tcase_add_test(tc, the_chain_refuses_what_cannot_be);
	tcase_add_test(tc, a_hop_says_what_it_changes);
	tcase_add_test(tc, a_service_answer_is_carried_once);
	suite_add_tcase(s, tc);
	return s;
}
