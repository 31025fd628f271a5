/*
 * Every release profile against upstream's compose file at its tag: each
 * Sentry application service runs with the same command (and schedule), or
 * the profile says why HA runs it differently (differs:, omitted:, or a rule
 * of the generator that changed it).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "harness.h"
#include "xmem.h"
#include "ynode.h"

/* Bundled middleware: not Sentry application services. */
static const char *const middleware[] = {
	"postgres", "redis", "kafka", "zookeeper", "clickhouse", "memcached",
	"smtp", "pgbouncer", "seaweedfs", "geoipupdate", "nginx", NULL
};

/* Compose variables in commands, with the values the test answers give. */
static const struct { const char *name, *value; } compose_vars[] = {
	{ "$SENTRY_EVENT_RETENTION_DAYS", "90" },
	{ "$SENTRY_TASKWORKER_CONCURRENCY", "4" },
};

static int
is_middleware(const char *name)
{
	for (size_t i = 0; middleware[i] != NULL; i++)
		if (strcmp(middleware[i], name) == 0)
			return 1;
	return 0;
}

/* Upstream's command as one line with compose variables expanded. */
static char *
upstream_command(const struct ynode *cmd)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p;
	char *text;

	if (cmd == NULL || (cmd->kind == Y_SCALAR && !cmd->quoted &&
	    strcmp(cmd->text, "null") == 0))
		return NULL;
	if (cmd->kind == Y_SEQ) {
		struct strlist l = { 0 };

		for (size_t i = 0; i < cmd->n; i++)
			sl_add(&l, cmd->items[i]->text);
		text = sl_join(&l, " ");
		sl_free(&l);
	} else {
		size_t len = strlen(cmd->text);

		/* Cron lines are written quoted inside the YAML string. */
		if (len >= 2 && cmd->text[0] == '"' && cmd->text[len - 1] == '"')
			text = xstrndup(cmd->text + 1, len - 2);
		else
			text = xstrdup(cmd->text);
	}
	for (p = text; *p != '\0';) {
		size_t i;

		if (strncmp(p, "${", 2) == 0 && strstr(p, ":-") != NULL) {
			const char *dflt = strstr(p, ":-") + 2, *end = strchr(dflt, '}');

			sb_addn(&sb, dflt, (size_t)(end - dflt));
			p = end + 1;
			continue;
		}
		for (i = 0; i < sizeof compose_vars / sizeof compose_vars[0]; i++) {
			size_t n = strlen(compose_vars[i].name);

			if (strncmp(p, compose_vars[i].name, n) == 0) {
				sb_add(&sb, compose_vars[i].value);
				p += n;
				break;
			}
		}
		if (i == sizeof compose_vars / sizeof compose_vars[0])
			sb_addc(&sb, *p++);
	}
	free(text);
	return sb_take(&sb);
}

/* Splits "MIN HOUR DOM MON DOW [gosu USER] rest" into schedule and rest. */
static int
split_cron(const char *line, char **schedule, const char **rest)
{
	const char *p = line;

	for (int field = 0; field < 5; field++) {
		size_t n = strcspn(p, " ");

		if (n == 0 || strspn(p, "0123456789*/,-") != n)
			return 0;
		p += n;
		if (*p != ' ')
			return 0;
		p++;
	}
	*schedule = xstrndup(line, (size_t)(p - line - 1));
	if (strncmp(p, "gosu ", 5) == 0) {
		p += 5;
		p += strcspn(p, " ");
		p += *p == ' ';
	}
	*rest = p;
	return 1;
}

/* The args as the profile gives them: without the heartbeat option the
 * generator appends where upstream's command keeps none (two words). */
static char *
profile_args(const struct plan_service *s)
{
	struct strlist l = { 0 };
	size_t n = s->args.n;
	char *text;

	if (s->health != &s->prof->health && n >= 2)
		n -= 2;
	for (size_t i = 0; i < n; i++)
		sl_add(&l, s->args.v[i]);
	text = sl_join(&l, " ");
	sl_free(&l);
	return text;
}

static int
commands_match(const struct plan_service *s, const char *upstream)
{
	char *args = profile_args(s), *entry = sl_join(&s->command, " ");
	char *full = s->command.n ? xasprintf("%s %s", entry, args) : xstrdup(args);
	const char *after_binary = strchr(upstream, ' ');
	int same = strcmp(full, upstream) == 0 || (s->command.n == 0 &&
	    after_binary != NULL && strcmp(args, after_binary + 1) == 0);

	free(args);
	free(entry);
	free(full);
	return same;
}

static const struct plan_service *
ours(const struct plan *pl, const char *upstream_name)
{
	for (size_t i = 0; i < pl->nservices; i++) {
		const struct plan_service *s = &pl->services[i];

		if (strcmp(s->name, upstream_name) == 0 || (s->prof->upstream &&
		    strcmp(s->prof->upstream, upstream_name) == 0))
			return s;
	}
	return NULL;
}

static int
feature_complete_only(const struct ynode *svc)
{
	const struct ynode *p = yn_get(svc, "profiles");

	if (p == NULL || p->kind != Y_SEQ)
		return 0;
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->items[i]->text, "feature-complete") == 0)
			return 1;
	return 0;
}

/* Appends the problems of one upstream service to `problems`. */
static void
compare_service(const struct plan *pl, const char *name, const struct ynode *svc,
    struct strbuf *problems)
{
	const struct plan_service *s = ours(pl, name);
	char *cmd = upstream_command(yn_get(svc, "command")), *schedule = NULL;
	const char *rest = cmd;
	const char *args_source;

	if (s == NULL) {
		if (kv_get(&pl->profile->omitted, name) == NULL)
			sb_printf(problems, "%s: upstream service %s is missing and "
			    "not listed under omitted:\n", pl->release, name);
		free(cmd);
		return;
	}
	if (feature_complete_only(svc) != (s->prof->features != NULL))
		sb_printf(problems, "%s: %s: upstream %s feature-complete only\n",
		    pl->release, name, feature_complete_only(svc) ? "is" : "is not");
	args_source = kv_get(&s->sources, "args");
	if (s->prof->differs != NULL || (args_source != NULL &&
	    strncmp(args_source, "rule:", 5) == 0 && cmd == NULL)) {
		free(cmd);
		return;
	}
	if (cmd != NULL && split_cron(cmd, &schedule, &rest) &&
	    (s->prof->schedule == NULL || strcmp(schedule, s->prof->schedule) != 0))
		sb_printf(problems, "%s: %s: upstream runs at \"%s\", the profile "
		    "at \"%s\"\n", pl->release, name, schedule,
		    s->prof->schedule ? s->prof->schedule : "(not scheduled)");
	if (cmd == NULL ? s->args.n != 0 : !commands_match(s, rest)) {
		char *mine = sl_join(&s->args, " ");

		sb_printf(problems, "%s: %s: upstream runs \"%s\", the profile "
		    "\"%s\" with no differs: reason\n", pl->release, name,
		    cmd ? rest : "(image default)", mine);
		free(mine);
	}
	free(schedule);
	free(cmd);
}

/* The releases each check covers: those whose upstream data is in
 * tests/data/upstream/ (21.6.3 has no topics file: it predates
 * sentry-kafka-schemas; 10.1.0 predates the Snuba data). */
static const char *const compose_releases[] = { "10.1.0", "21.6.3", "23.6.2",
	"23.11.0", "24.8.0", "25.5.1", "26.5.1", "26.7.0", "26.8.0" };
static const char *const topic_releases[] = { "23.6.2", "23.11.0", "24.8.0",
	"25.5.1", "26.5.1", "26.7.0", "26.8.0" };
static const char *const settings_releases[] = { "10.1.0", "21.6.3",
	"23.6.2", "23.11.0", "24.8.0", "25.5.1", "26.5.1", "26.7.0", "26.8.0" };
static const char *const snuba_releases[] = { "21.6.3", "23.6.2", "23.11.0",
	"24.8.0", "25.5.1", "26.5.1", "26.7.0", "26.8.0" };
#define NELEM(a)	((int)(sizeof a / sizeof a[0]))

START_TEST(profiles_match_upstream)
{
	const char *release = compose_releases[_i];
	char *yaml = demo_answers(release, NULL), *path;
	struct strbuf problems = STRBUF_INIT;
	struct fixture f;
	struct ynode *doc, *services;
	struct err e;
	size_t compared = 0;

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	path = xasprintf("%s/tests/data/upstream/%s.json", test_root(),
	    f.s.pl.profile->upstream_tag);
	ck_assert_msg(yaml_parse_file(path, 0, &doc, &e) == 0, "%s", e.msg);
	services = yn_get(doc, "services");
	ck_assert_ptr_nonnull(services);
	for (size_t i = 0; i < services->n; i++) {
		if (is_middleware(services->pairs[i].key))
			continue;
		compare_service(&f.s.pl, services->pairs[i].key,
		    services->pairs[i].val, &problems);
		compared++;
	}
	ck_assert_msg(problems.len == 0, "%s", sb_str(&problems));
	ck_assert_uint_ge(compared, 12);
	yn_free(doc);
	sb_free(&problems);
	free(path);
	free(yaml);
	fixture_free(&f);
}
END_TEST

/* The comparison itself must be able to fail. */
START_TEST(a_changed_command_is_caught)
{
	char *yaml = demo_answers("24.8.0", NULL);
	struct strbuf problems = STRBUF_INIT;
	struct fixture f;
	struct ynode *svc = yn_map();

	ck_assert_int_eq(fixture_run(&f, yaml), 0);
	yn_set_str(svc, "command", "run consumer ingest-events --consumer-group other");
	compare_service(&f.s.pl, "events-consumer", svc, &problems);
	ck_assert_contains(sb_str(&problems), "24.8.0: events-consumer: upstream runs");
	sb_free(&problems);
	yn_free(svc);
	svc = yn_map();
	yn_set_str(svc, "command", "\"0 1 * * * gosu sentry sentry cleanup --days 90\"");
	compare_service(&f.s.pl, "sentry-cleanup", svc, &problems);
	ck_assert_contains(sb_str(&problems), "upstream runs at \"0 1 * * *\"");
	sb_free(&problems);
	compare_service(&f.s.pl, "brand-new-consumer", svc, &problems);
	ck_assert_contains(sb_str(&problems), "brand-new-consumer is missing");
	sb_free(&problems);
	yn_free(svc);
	fixture_free(&f);
	free(yaml);
}
END_TEST

/* Is `a` the same YAML as `b`: scalars by text, mappings by key whatever
 * their order, lists in order? */
static int
same_yaml(const struct ynode *a, const struct ynode *b)
{
	if (a == NULL || b == NULL || a->kind != b->kind)
		return 0;
	if (a->kind == Y_SCALAR)
		return strcmp(a->text, b->text) == 0;
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (a->kind == Y_SEQ ? !same_yaml(a->items[i], b->items[i]) :
		    !same_yaml(a->pairs[i].val, yn_get(b, a->pairs[i].key)))
			return 0;
	return 1;
}

/* The taskbroker's configuration is upstream's at the tag, to the value:
 * every topic it consumes (the raw ones hand their messages to a named
 * Sentry task), the retry and dead-letter topics and the session timeout. */
START_TEST(taskbroker_config_matches_upstream)
{
	char *yaml = demo_answers("26.8.0", NULL), *path = xasprintf(
	    "%s/tests/data/upstream/26.8.0-taskbroker.yml", test_root());
	const struct plan_volume *v;
	struct ynode *ours = NULL, *theirs = NULL;
	struct fixture f;
	struct err e;

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	v = plan_volume(&f.s.pl, "taskbroker-config");
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(yaml_parse(v->files[0].content,
	    strlen(v->files[0].content), "ours", 0, &ours, &e), 0);
	ck_assert_msg(yaml_parse_file(path, 0, &theirs, &e) == 0, "%s", e.msg);
	for (size_t i = 0; i < theirs->n; i++)
		ck_assert_msg(same_yaml(theirs->pairs[i].val, yn_get(ours,
		    theirs->pairs[i].key)), "taskbroker config.yml: %s differs "
		    "from upstream's", theirs->pairs[i].key);
	ck_assert_uint_eq(ours->n, theirs->n);
	yn_free(ours);
	yn_free(theirs);
	fixture_free(&f);
	free(path);
	free(yaml);
}
END_TEST

static int
plan_has_topic(const struct plan *pl, const char *name)
{
	for (size_t i = 0; i < pl->ntopics; i++)
		if (strcmp(pl->topics[i].name, name) == 0)
			return 1;
	return 0;
}

/* Every topic named in upstream's commands ("--*-topic X"). */
static void
check_command_topics(const struct plan *pl, const struct ynode *services,
    struct strbuf *problems)
{
	for (size_t i = 0; i < services->n; i++) {
		char *cmd = upstream_command(yn_get(services->pairs[i].val, "command"));
		char *save = NULL, *prev = NULL;

		for (char *w = cmd ? strtok_r(cmd, " ", &save) : NULL; w != NULL;
		    prev = w, w = strtok_r(NULL, " ", &save)) {
			char *eq = strchr(w, '=');
			const char *topic = NULL;

			if (eq != NULL && eq - w > 6 && strncmp(eq - 6, "-topic", 6) == 0)
				topic = eq + 1;
			else if (prev != NULL && strlen(prev) > 6 && strcmp(prev +
			    strlen(prev) - 6, "-topic") == 0 && strncmp(prev, "--", 2) == 0)
				topic = w;
			if (topic != NULL && !plan_has_topic(pl, topic))
				sb_printf(problems, "%s: %s names topic %s\n", pl->release,
				    services->pairs[i].key, topic);
		}
		free(cmd);
	}
}

/* The runbook creates every topic the release's own tools create (Snuba's
 * enum, the sentry-kafka-schemas registry Sentry follows), every topic
 * upstream's commands name and every one the taskbroker reads. */
START_TEST(topics_cover_upstream)
{
	const char *release = topic_releases[_i];
	char *yaml = demo_answers(release, NULL), *path, *text, *save = NULL;
	struct strbuf problems = STRBUF_INIT;
	struct ynode *doc, *tb = NULL;
	struct fixture f;
	struct err e;
	size_t len, listed = 0;

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	path = xasprintf("%s/tests/data/upstream/%s-topics.txt", test_root(), release);
	ck_assert_msg(fs_read_file(path, &text, &len, &e) == 0, "%s", e.msg);
	for (char *t = strtok_r(text, "\n", &save); t != NULL;
	    t = strtok_r(NULL, "\n", &save), listed++)
		if (!plan_has_topic(&f.s.pl, t))
			sb_printf(&problems, "%s: upstream creates topic %s\n",
			    release, t);
	/* A guard against an empty or cut file: 23.6.2 lists 42. */
	ck_assert_uint_ge(listed, 40);
	free(text);
	free(path);
	path = xasprintf("%s/tests/data/upstream/%s.json", test_root(), release);
	ck_assert_msg(yaml_parse_file(path, 0, &doc, &e) == 0, "%s", e.msg);
	check_command_topics(&f.s.pl, yn_get(doc, "services"), &problems);
	yn_free(doc);
	free(path);
	path = xasprintf("%s/tests/data/upstream/%s-taskbroker.yml", test_root(),
	    release);
	if (fs_exists(path)) {
		const struct ynode *topics;

		ck_assert_msg(yaml_parse_file(path, 0, &tb, &e) == 0, "%s", e.msg);
		topics = yn_get(tb, "kafka_topics");
		ck_assert_ptr_nonnull(topics);
		for (size_t i = 0; i < topics->n; i++)
			if (!plan_has_topic(&f.s.pl, topics->pairs[i].key))
				sb_printf(&problems, "%s: the taskbroker reads %s\n",
				    release, topics->pairs[i].key);
		yn_free(tb);
	}
	for (size_t i = 0; i < f.s.pl.nservices; i++) {
		const char *t = f.s.pl.services[i].prof->topic;

		if (t != NULL && !plan_has_topic(&f.s.pl, t))
			sb_printf(&problems, "%s: %s reads %s\n", release,
			    f.s.pl.services[i].name, t);
	}
	ck_assert_msg(problems.len == 0, "%s", sb_str(&problems));
	sb_free(&problems);
	free(path);
	free(yaml);
	fixture_free(&f);
}
END_TEST

/* Options the template sets from the answers, whatever upstream's example
 * has for them. */
static const char *const options_from_answers[] = { "redis.clusters", NULL };

static int
from_answers(const char *option)
{
	for (size_t i = 0; options_from_answers[i] != NULL; i++)
		if (strcmp(options_from_answers[i], option) == 0)
			return 1;
	return 0;
}


/* SENTRY_FEATURES and the literal SENTRY_OPTIONS are upstream's example
 * configuration's at the tag: the same names, values and order. */
START_TEST(sentry_settings_match_upstream)
{
	const char *const *releases = settings_releases;
	struct releases c;
	const struct profile *p;
	struct strbuf problems = STRBUF_INIT;
	struct ynode *doc;
	const struct ynode *features, *options;
	char *dir = xasprintf("%s/profiles", test_root()), *path;
	struct err e;
	size_t want = 0;

	ck_assert_msg(releases_load(dir, &c, &e) == 0, "%s", e.msg);
	p = releases_find(&c, releases[_i]);
	path = xasprintf("%s/tests/data/upstream/%s-sentry-conf.json", test_root(),
	    p->upstream_tag);
	ck_assert_msg(yaml_parse_file(path, 0, &doc, &e) == 0, "%s", e.msg);
	features = yn_get(doc, "features");
	ck_assert_uint_ge(features->n, 20);
	ck_assert_uint_eq(p->sentry_features.n, features->n);
	for (size_t i = 0; i < features->n && i < p->sentry_features.n; i++) {
		const char *name = features->items[i]->items[0]->text;
		const char *value = features->items[i]->items[1]->text;

		if (strcmp(p->sentry_features.v[i].key, name) != 0 ||
		    strcmp(p->sentry_features.v[i].value, value) != 0)
			sb_printf(&problems, "%s: feature %zu is %s: %s, upstream's "
			    "%s: %s\n", p->release, i, p->sentry_features.v[i].key,
			    p->sentry_features.v[i].value, name, value);
	}
	options = yn_get(doc, "options");
	for (size_t i = 0; i < options->n; i++) {
		const char *name = options->items[i]->items[0]->text;
		/* JSON's scalars read as YAML give the same text as
		 * Python's repr() for numbers, which the profile holds. */
		const char *theirs = options->items[i]->items[1]->text;
		const char *ours = kv_get(&p->sentry_options, name);

		if (from_answers(name))
			continue;
		want++;
		if (ours == NULL || strcmp(ours, theirs) != 0)
			sb_printf(&problems, "%s: option %s is %s, upstream's %s\n",
			    p->release, name, ours ? ours : "(not set)", theirs);
	}
	ck_assert_uint_eq(p->sentry_options.n, want);
	ck_assert_msg(problems.len == 0, "%s", sb_str(&problems));
	sb_free(&problems);
	yn_free(doc);
	free(path);
	free(dir);
	releases_free(&c);
}
END_TEST

/* Which groups a self-hosted Snuba migrates: from 23.4.0 those whose
 * readiness is complete or deprecate (settings_self_hosted.py), but not
 * the SKIPPED_MIGRATION_GROUPS of the tag; in 21.x (no readiness) every
 * group but those skipped. upgrade-facts.md, Table 2. */
static int
self_hosted_migrates(const char *release, const char *group,
    const struct ynode *g)
{
	static const struct {
		const char	*release, *group;
	} skipped[] = {
		{ "21.5.0", "querylog" }, { "21.5.0", "spans_experimental" },
		{ "21.6.3", "metrics" }, { "21.6.3", "querylog" },
		{ "21.6.3", "spans_experimental" }, { "23.6.2", "search_issues" },
	};
	const char *readiness = yn_path_text(g, "readiness");
	const char *last = yn_path_text(g, "last");

	for (size_t i = 0; i < sizeof skipped / sizeof skipped[0]; i++)
		if (strcmp(skipped[i].release, release) == 0 &&
		    strcmp(skipped[i].group, group) == 0)
			return 0;
	if (last == NULL || last[0] == '\0' || strcmp(last, "null") == 0)
		return 0;
	return readiness == NULL || strcmp(readiness, "null") == 0 ||
	    strcmp(readiness, "COMPLETE") == 0 ||
	    strcmp(readiness, "DEPRECATE") == 0;
}

/* The migrations each profile ends at are Snuba's at its tag, group by
 * group, and nothing else. */
START_TEST(snuba_migrations_match_upstream)
{
	const char *release = snuba_releases[_i];
	char *path = xasprintf("%s/tests/data/upstream/snuba-migrations.json",
	    test_root());
	struct strbuf problems = STRBUF_INIT;
	const struct profile *p;
	const struct ynode *groups;
	struct ynode *doc;
	struct releases rs;
	struct err e;
	size_t expected = 0;

	ck_assert_msg(yaml_parse_file(path, 0, &doc, &e) == 0, "%s", e.msg);
	free(path);
	path = xasprintf("%s/profiles", test_root());
	ck_assert_msg(releases_load(path, &rs, &e) == 0, "%s", e.msg);
	p = releases_find(&rs, release);
	ck_assert_ptr_nonnull(p);
	groups = yn_get(doc, p->upstream_tag);
	ck_assert_msg(groups != NULL, "no Snuba data for %s", p->upstream_tag);
	for (size_t i = 0; i < groups->n; i++) {
		const char *group = groups->pairs[i].key;
		const char *mine = kv_get(&p->snuba_migrations, group);
		const char *theirs = yn_path_text(groups->pairs[i].val, "last");

		if (!self_hosted_migrates(p->upstream_tag, group,
		    groups->pairs[i].val)) {
			if (mine != NULL)
				sb_printf(&problems, "%s: %s is not migrated by a "
				    "self-hosted Snuba\n", release, group);
			continue;
		}
		expected++;
		if (mine == NULL || strcmp(mine, theirs) != 0)
			sb_printf(&problems, "%s: %s ends at %s upstream, the "
			    "profile says %s\n", release, group, theirs,
			    mine ? mine : "nothing");
	}
	ck_assert_msg(problems.len == 0, "%s", sb_str(&problems));
	ck_assert_uint_eq(p->snuba_migrations.n, expected);
	ck_assert_uint_ge(expected, 6);	/* 21.6.3 migrates 6 groups */
	releases_free(&rs);
	yn_free(doc);
	free(path);
	sb_free(&problems);
}
END_TEST

Suite *
suite_upstream(void)
{
	Suite *s = suite_create("upstream");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, profiles_match_upstream, 0,
	    NELEM(compose_releases));
	tcase_add_test(tc, a_changed_command_is_caught);
	tcase_add_test(tc, taskbroker_config_matches_upstream);
	tcase_add_loop_test(tc, topics_cover_upstream, 0, NELEM(topic_releases));
	tcase_add_loop_test(tc, sentry_settings_match_upstream, 0,
	    NELEM(settings_releases));
	tcase_add_loop_test(tc, snuba_migrations_match_upstream, 0,
	    NELEM(snuba_releases));
	suite_add_tcase(s, tc);
	return s;
}
