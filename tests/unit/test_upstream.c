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

START_TEST(profiles_match_upstream)
{
	static const char *const releases[] = { "10.1.0", "24.8.0", "26.8.0" };
	const char *release = releases[_i];
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

Suite *
suite_upstream(void)
{
	Suite *s = suite_create("upstream");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, profiles_match_upstream, 0, 3);
	tcase_add_test(tc, a_changed_command_is_caught);
	tcase_add_test(tc, taskbroker_config_matches_upstream);
	suite_add_tcase(s, tc);
	return s;
}
