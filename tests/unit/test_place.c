/* Placement and limits on Kubernetes: nodeSelector, tolerations, spread,
 * the ingest path's PriorityClass, memory limits; their answers' checks
 * and explain's lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain_place.h"
#include "fsutil.h"
#include "harness.h"
#include "k8s.h"
#include "xmem.h"

/* The demo answers with `target` added to its target mapping and `extra`
 * appended. Owned by the caller. */
static char *
answers_with(const char *version, const char *target, const char *extra)
{
	char *base = demo_answers(version, extra);
	char *at = strstr(base, "storage_class: rwx}");
	char *yaml;

	ck_assert_ptr_nonnull(at);
	at[strlen("storage_class: rwx")] = '\0';
	yaml = xasprintf("%s, %s}%s", base, target, at +
	    strlen("storage_class: rwx") + 1);
	free(base);
	return yaml;
}

static const struct plan_service *
service(const struct fixture *f, const char *name)
{
	const struct plan_service *s = plan_service(&f->s.pl, name);

	ck_assert_msg(s != NULL, "no service %s", name);
	return s;
}

/* The pod spec of a service, as the workloads carry it; owned by the
 * caller. */
static struct ynode *
spec_of(const struct fixture *f, const char *name)
{
	return k8s_pod_spec(&f->s.pl, service(f, name), NULL);
}

static const char *
text_at(const struct ynode *map, const char *key)
{
	const struct ynode *n = map != NULL ? yn_get(map, key) : NULL;

	return n != NULL && n->kind == Y_SCALAR ? n->text : NULL;
}

START_TEST(selectors_merge_by_key)
{
	struct fixture f;
	char *yaml = answers_with("24.8.0", "node_selector: {disktype: ssd, "
	    "node-role.example.com/sentry: \"true\"}",
	    "services: {web: {node_selector: {disktype: nvme, edge: \"yes\"}}}\n");
	struct ynode *web, *worker;

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	web = spec_of(&f, "web");
	worker = spec_of(&f, "worker");
	ck_assert_str_eq(text_at(yn_get(web, "nodeSelector"), "disktype"), "nvme");
	ck_assert_str_eq(text_at(yn_get(web, "nodeSelector"),
	    "node-role.example.com/sentry"), "true");
	ck_assert_str_eq(text_at(yn_get(web, "nodeSelector"), "edge"), "yes");
	ck_assert_int_eq(yn_get(web, "nodeSelector")->n, 3);
	ck_assert_str_eq(text_at(yn_get(worker, "nodeSelector"), "disktype"), "ssd");
	ck_assert_int_eq(yn_get(worker, "nodeSelector")->n, 2);
	ck_assert_str_eq(kv_get(&service(&f, "web")->sources, "nodeSelector"),
	    "answers:target.node_selector, answers:services.web.node_selector");
	ck_assert_str_eq(kv_get(&service(&f, "worker")->sources, "nodeSelector"),
	    "answers:target.node_selector");
	/* Quoted: "true" and "yes" stay strings for the API server. */
	ck_assert_contains(fixture_file(&f, "kubernetes/services/web.yaml"),
	    "node-role.example.com/sentry: \"true\"");
	yn_free(web);
	yn_free(worker);
	fixture_free(&f);
	free(yaml);

	yaml = demo_answers("24.8.0", NULL);
	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	web = spec_of(&f, "web");
	ck_assert_ptr_null(yn_get(web, "nodeSelector"));
	ck_assert_ptr_null(yn_get(web, "tolerations"));
	yn_free(web);
	fixture_free(&f);
	free(yaml);
}
END_TEST

START_TEST(tolerations_append)
{
	struct fixture f;
	char *yaml = answers_with("24.8.0", "tolerations: [{key: dedicated, "
	    "value: sentry, effect: NoSchedule}, {key: node.kubernetes.io/"
	    "unreachable, operator: Exists, effect: NoExecute, "
	    "toleration_seconds: 60}]",
	    "services: {relay: {tolerations: [{key: edge, operator: Exists}]}}\n");
	struct ynode *relay, *web, *t;

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	relay = spec_of(&f, "relay");
	web = spec_of(&f, "web");
	t = yn_get(relay, "tolerations");
	ck_assert_int_eq(t->n, 3);
	ck_assert_str_eq(text_at(t->items[0], "key"), "dedicated");
	ck_assert_str_eq(text_at(t->items[0], "operator"), "Equal");
	ck_assert_str_eq(text_at(t->items[0], "value"), "sentry");
	ck_assert_str_eq(text_at(t->items[0], "effect"), "NoSchedule");
	ck_assert_ptr_null(yn_get(t->items[0], "tolerationSeconds"));
	ck_assert_str_eq(text_at(t->items[1], "tolerationSeconds"), "60");
	ck_assert_str_eq(text_at(t->items[2], "key"), "edge");
	ck_assert_str_eq(text_at(t->items[2], "operator"), "Exists");
	ck_assert_ptr_null(yn_get(t->items[2], "value"));
	ck_assert_ptr_null(yn_get(t->items[2], "effect"));
	ck_assert_int_eq(yn_get(web, "tolerations")->n, 2);
	yn_free(relay);
	yn_free(web);
	fixture_free(&f);
	free(yaml);
}
END_TEST

static size_t
spread_keys(const struct ynode *spec, const char **keys, size_t max)
{
	const struct ynode *tsc = yn_get(spec, "topologySpreadConstraints");
	size_t n = 0;

	for (size_t i = 0; tsc != NULL && i < tsc->n && n < max; i++) {
		ck_assert_str_eq(text_at(tsc->items[i], "whenUnsatisfiable"),
		    "ScheduleAnyway");
		keys[n++] = text_at(tsc->items[i], "topologyKey");
	}
	return n;
}

START_TEST(zones_add_a_spread)
{
	struct fixture f;
	char *yaml = answers_with("24.8.0", "zones: true",
	    "services: {worker: {replicas: 1}}\n");
	const char *keys[4];
	struct ynode *spec;

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	spec = spec_of(&f, "web");
	ck_assert_int_eq(spread_keys(spec, keys, 4), 2);
	ck_assert_str_eq(keys[0], "kubernetes.io/hostname");
	ck_assert_str_eq(keys[1], "topology.kubernetes.io/zone");
	yn_free(spec);
	/* A singleton, and one replica: nothing to spread. */
	spec = spec_of(&f, "cron");
	ck_assert_int_eq(service(&f, "cron")->role, ROLE_SINGLETON);
	ck_assert_int_eq(spread_keys(spec, keys, 4), 0);
	yn_free(spec);
	spec = spec_of(&f, "worker");
	ck_assert_int_eq(spread_keys(spec, keys, 4), 0);
	yn_free(spec);
	fixture_free(&f);
	free(yaml);

	yaml = demo_answers("24.8.0", NULL);
	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	spec = spec_of(&f, "web");
	ck_assert_int_eq(spread_keys(spec, keys, 4), 1);
	ck_assert_str_eq(keys[0], "kubernetes.io/hostname");
	ck_assert_lacks(fixture_file(&f, "kubernetes/services/web.yaml"),
	    "topology.kubernetes.io/zone");
	yn_free(spec);
	fixture_free(&f);
	free(yaml);
}
END_TEST

/* 24.8.0's ingest path: Relay, nginx and the consumers of Relay's topics. */
static const char *const ingest_24[] = {
	"relay", "nginx", "attachments-consumer", "events-consumer",
	"generic-metrics-consumer", "ingest-feedback-events", "ingest-monitors",
	"ingest-replay-recordings", "metrics-consumer", "transactions-consumer",
	NULL,
};

static int
listed(const char *const *list, const char *name)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], name) == 0)
			return 1;
	return 0;
}

START_TEST(priority_class_on_the_ingest_path)
{
	struct fixture f;
	char *yaml = demo_answers("24.8.0", NULL);
	const char *pc, *kz;
	size_t n = 0;

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	for (size_t i = 0; i < f.s.pl.nservices; i++) {
		const struct plan_service *s = &f.s.pl.services[i];
		struct ynode *spec = k8s_pod_spec(&f.s.pl, s, NULL);
		const char *name = text_at(spec, "priorityClassName");

		if (listed(ingest_24, s->name)) {
			ck_assert_msg(name != NULL, "%s has no class", s->name);
			ck_assert_str_eq(name, "sentry-ingest");
			n++;
		} else {
			ck_assert_msg(name == NULL, "%s has class %s", s->name, name);
		}
		yn_free(spec);
	}
	ck_assert_int_eq(n, 10);
	pc = fixture_file(&f, "kubernetes/priorityclass.yaml");
	ck_assert_contains(pc, "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\n");
	ck_assert_contains(pc, "  name: sentry-ingest\n");
	ck_assert_contains(pc, "value: 1000000\nglobalDefault: false\n");
	ck_assert_contains(pc, "description: ");
	/* Cluster-scoped: no namespace. */
	ck_assert_lacks(pc, "namespace:");
	kz = fixture_file(&f, "kubernetes/kustomization.yaml");
	ck_assert_contains(kz, "- priorityclass.yaml\n");
	ck_assert_contains(fixture_file(&f, "kubernetes/services/relay.yaml"),
	    "priorityClassName: sentry-ingest\n");
	fixture_free(&f);
	free(yaml);

	/* The platform team's class: used, not created. */
	yaml = answers_with("24.8.0", "priority_class: platform-ingest", NULL);
	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	ck_assert_ptr_null(fixture_file(&f, "kubernetes/priorityclass.yaml"));
	ck_assert_lacks(fixture_file(&f, "kubernetes/kustomization.yaml"),
	    "priorityclass.yaml");
	ck_assert_contains(fixture_file(&f, "kubernetes/services/events-consumer.yaml"),
	    "priorityClassName: platform-ingest\n");
	ck_assert_lacks(fixture_file(&f, "kubernetes/services/worker.yaml"),
	    "priorityClassName");
	fixture_free(&f);
	free(yaml);
}
END_TEST

/* The template's uWSGI figure for `key` ("workers", "reload-on-rss"). */
static long
uwsgi_option(const char *tmpl, const char *key)
{
	char *want = xasprintf("\"%s\": ", key);
	const char *at = strstr(tmpl, want);
	long v = -1;

	ck_assert_msg(at != NULL, "no %s in sentry.conf.py.tmpl", key);
	v = strtol(at + strlen(want), NULL, 10);
	free(want);
	return v;
}

START_TEST(web_limit_outgrows_its_workers)
{
	struct fixture f;
	char *path = xasprintf("%s/assets/templates/sentry/sentry.conf.py.tmpl",
	    test_root());
	char *tmpl, *yaml;
	size_t len;
	struct err e;
	long workers, rss;
	struct ynode *spec;
	const struct ynode *c;

	ck_assert_msg(fs_read_file(path, &tmpl, &len, &e) == 0, "%s", e.msg);
	workers = uwsgi_option(tmpl, "workers");
	rss = uwsgi_option(tmpl, "reload-on-rss");
	ck_assert_int_gt(workers, 0);
	ck_assert_int_gt(rss, 0);
	/* All workers at the recycling size, and the master beside them. */
	ck_assert_int_ge(plan_web_memory_floor(), workers * rss + 256);

	yaml = demo_answers("24.8.0", NULL);
	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	ck_assert_int_eq(service(&f, "web")->memory_mib, 1024);
	ck_assert_int_eq(service(&f, "web")->memory_limit_mib,
	    plan_web_memory_floor());
	/* The others: twice the request; never any CPU limit. */
	ck_assert_int_eq(service(&f, "worker")->memory_limit_mib,
	    2 * service(&f, "worker")->memory_mib);
	spec = spec_of(&f, "web");
	c = yn_get(spec, "containers")->items[0];
	ck_assert_str_eq(yn_path_text(c, "resources.limits.memory"), "2312Mi");
	ck_assert_ptr_null(yn_path(c, "resources.limits.cpu"));
	ck_assert_str_eq(yn_path_text(c, "resources.requests.memory"), "1Gi");
	yn_free(spec);
	fixture_free(&f);
	free(yaml);

	/* A bigger request wins over the floor. */
	yaml = demo_answers("24.8.0", "services: {web: {memory: 2Gi}}\n");
	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	ck_assert_int_eq(service(&f, "web")->memory_limit_mib, 4096);
	fixture_free(&f);
	free(yaml);

	/* 10.1.0's web runs Sentry's own uWSGI settings: no floor. */
	yaml = demo_answers("10.1.0", NULL);
	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	ck_assert_int_eq(service(&f, "web")->memory_limit_mib,
	    2 * service(&f, "web")->memory_mib);
	fixture_free(&f);
	free(yaml);
	free(tmpl);
	free(path);
}
END_TEST

START_TEST(swarm_limits_memory)
{
	struct fixture f;
	char *base = demo_answers("24.8.0", NULL);
	char *target = strstr(base, "kind: kubernetes");
	char *pvc = strstr(base, "{kind: pvc}"), *yaml;
	const char *web;

	memcpy(target, "kind: swarm     ", 16);
	*pvc = '\0';
	yaml = xasprintf("%s{kind: nfs, nfs: {server: nfs.internal, path: /srv}}%s",
	    base, pvc + strlen("{kind: pvc}"));
	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	web = fixture_file(&f, "swarm/stacks/30-web.yml");
	ck_assert_contains(web, "        limits:\n          memory: \"2312M\"\n");
	fixture_free(&f);
	free(yaml);
	free(base);
}
END_TEST

START_TEST(placement_answers_are_checked)
{
	static const struct { const char *target, *extra, *want; } cases[] = {
		{ "tolerations: [{key: a, operator: In}]", NULL,
		  "target.tolerations[0].operator" },
		{ "tolerations: [{key: a, operator: Exists, value: b}]", NULL,
		  "target.tolerations[0].value: operator Exists matches any value" },
		{ "tolerations: [{key: a, value: b, toleration_seconds: 5}]", NULL,
		  "target.tolerations[0].toleration_seconds: only with effect NoExecute" },
		{ "tolerations: [{key: a, effect: NoSchedule, toleration_seconds: 5}]",
		  NULL, "toleration_seconds: only with effect NoExecute" },
		{ "tolerations: [{value: b}]", NULL,
		  "target.tolerations[0].key: required with operator Equal" },
		{ "tolerations: [{key: a, effect: Never}]", NULL,
		  "target.tolerations[0].effect" },
		{ "tolerations: [{key: \"-bad\"}]", NULL,
		  "target.tolerations[0].key: expected a label key" },
		{ "node_selector: {\"a b\": x}", NULL,
		  "target.node_selector.a b: the key: expected a label key" },
		{ "node_selector: {ok: \"no spaces\"}", NULL,
		  "target.node_selector.ok: expected a label value" },
		{ "priority_class: system-cluster-critical", NULL,
		  "target.priority_class: names starting with \"system-\"" },
		{ "priority_class: Platform_Ingest", NULL,
		  "target.priority_class: expected a DNS name" },
		{ "zones: maybe", NULL, "target.zones" },
		{ "zones: false", "services: {web: {tolerations: "
		  "[{key: a, operator: Exists, value: b}]}}\n",
		  "services.web.tolerations[0].value: operator Exists" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct fixture f;
		char *yaml = answers_with("24.8.0", cases[i].target, cases[i].extra);

		ck_assert_msg(fixture_run(&f, yaml) < 0, "accepted %s",
		    cases[i].target);
		ck_assert_contains(f.e.msg, cases[i].want);
		fixture_free(&f);
		free(yaml);
	}
}
END_TEST

START_TEST(explain_shows_placement)
{
	struct fixture f;
	char *yaml = answers_with("24.8.0", "zones: true, node_selector: "
	    "{disktype: ssd}, tolerations: [{key: dedicated, value: sentry, "
	    "effect: NoSchedule}]", NULL);
	struct strbuf sb = STRBUF_INIT;

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	explain_placement(&f.s.pl, service(&f, "relay"), &sb);
	ck_assert_contains(sb_str(&sb), "  placement    node selector: disktype=ssd\n");
	ck_assert_contains(sb_str(&sb), "tolerates: dedicated=sentry:NoSchedule\n");
	ck_assert_contains(sb_str(&sb), "spread: kubernetes.io/hostname, "
	    "topology.kubernetes.io/zone");
	ck_assert_contains(sb_str(&sb), "priority class: sentry-ingest");
	ck_assert_contains(sb_str(&sb), "  resources    requests cpu 250m, memory "
	    "512Mi; limits memory 1Gi (none for cpu)\n");
	sb_free(&sb);
	explain_placement(&f.s.pl, service(&f, "cron"), &sb);
	ck_assert_contains(sb_str(&sb), "spread: none (a singleton)");
	ck_assert_contains(sb_str(&sb), "priority class: none");
	sb_free(&sb);
	fixture_free(&f);
	free(yaml);
}
END_TEST

Suite *
suite_place(void)
{
	Suite *s = suite_create("place");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, selectors_merge_by_key);
	tcase_add_test(tc, tolerations_append);
	tcase_add_test(tc, zones_add_a_spread);
	tcase_add_test(tc, priority_class_on_the_ingest_path);
	tcase_add_test(tc, web_limit_outgrows_its_workers);
	tcase_add_test(tc, swarm_limits_memory);
	tcase_add_test(tc, placement_answers_are_checked);
	tcase_add_test(tc, explain_shows_placement);
	suite_add_tcase(s, tc);
	return s;
}
