/*
 * NetworkPolicies (target.network_policy): the emitted policies, read back
 * with a YAML parser, evaluated (netpol_eval.c) against the pods of the
 * emitted workloads: every flow of the plan passes, the flows the plan
 * does not have are refused, DNS works, and nothing from elsewhere gets in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netpol_world.h"
#include "xmem.h"

/* The flows every release has, and DNS, for every pod. */
static void
assert_common(const struct world *w, const struct others *o)
{
	const struct np_end *web = pod(w, "web"), *nginx = pod(w, "nginx");
	const struct np_end *relay = pod(w, "relay"), *api = pod(w, "snuba-api");
	const struct np_end *sym = pod(w, "symbolicator");

	PASSES(w, &o->controller, nginx, 8080);
	PASSES(w, nginx, web, 9000);
	PASSES(w, nginx, relay, 3000);
	PASSES(w, relay, web, 9000);
	PASSES(w, web, api, 1218);
	PASSES(w, pod(w, "events-consumer"), api, 1218);
	PASSES(w, pod(w, "events-consumer"), sym, 3021);
	PASSES(w, sym, web, 9000);
	PASSES(w, web, pod(w, "vroom"), 8085);
	PASSES(w, pod(w, "vroom"), api, 1218);
	for (size_t i = 0; i < w->npods; i++) {
		ck_assert_msg(allowed(w, &w->pods[i].end, &o->dns, 53, "UDP") &&
		    allowed(w, &w->pods[i].end, &o->dns, 53, "TCP"),
		    "%s has no DNS", w->pods[i].name);
		ck_assert_msg(!allowed(w, &w->pods[i].end, &o->metrics, 53, "UDP"),
		    "%s reaches port 53 of a pod that is no DNS server",
		    w->pods[i].name);
	}
	/* What the plan does not use. */
	REFUSED(w, &o->controller, web, 9000);
	REFUSED(w, &o->controller, relay, 3000);
	REFUSED(w, &o->foreign_web, web, 9000);
	REFUSED(w, &o->foreign_web, nginx, 80);
	REFUSED(w, pod(w, "events-consumer"), nginx, 80);
	REFUSED(w, relay, api, 1218);
	REFUSED(w, nginx, api, 1218);
	REFUSED(w, web, relay, 3000);
	REFUSED(w, web, web, 9000);
	REFUSED(w, web, &o->dns, 54);
	REFUSED(w, api, web, 9000);
}

START_TEST(flows_26_by_dns_names)
{
	char *yaml = np_answers("26.8.0", 0, NULL);
	struct world w;
	struct others o;
	struct np_end pg = outside(SOMEWHERE);
	const char *note;

	world_load(&w, yaml);
	others_make(&o, "ingress-nginx");
	assert_plan_flows_pass(&w, &o);
	assert_common(&w, &o);
	PASSES(&w, pod(&w, "taskworker"), pod(&w, "taskbroker"), 50051);
	PASSES(&w, pod(&w, "launchpad-taskworker"), pod(&w, "taskbroker"), 50051);
	PASSES(&w, pod(&w, "launchpad-taskworker"), pod(&w, "web"), 9000);
	PASSES(&w, pod(&w, "taskworker"), pod(&w, "snuba-api"), 1218);
	/* A DNS name: its port, to any address. */
	PASSES(&w, pod(&w, "web"), &pg, 5432);
	PASSES(&w, pod(&w, "taskworker"), &pg, 587);
	PASSES(&w, pod(&w, "snuba-api"), &pg, 8123);
	PASSES(&w, pod(&w, "snuba-api"), &pg, 9000);
	PASSES(&w, pod(&w, "relay"), &pg, 9092);
	REFUSED(&w, pod(&w, "web"), &pg, 9000);		/* ClickHouse native */
	REFUSED(&w, pod(&w, "web"), &pg, 8123);
	REFUSED(&w, pod(&w, "relay"), &pg, 5432);
	REFUSED(&w, pod(&w, "snuba-api"), &pg, 5432);
	REFUSED(&w, pod(&w, "nginx"), &pg, 9092);
	REFUSED(&w, pod(&w, "web"), &pg, 8080);
	REFUSED(&w, pod(&w, "web"), &pg, 443);
	REFUSED(&w, pod(&w, "taskbroker"), &pg, 6379);
	REFUSED(&w, pod(&w, "web"), pod(&w, "taskbroker"), 50051);
	REFUSED(&w, pod(&w, "relay"), pod(&w, "taskbroker"), 50051);
	REFUSED(&w, pod(&w, "symbolicator-cleanup"), pod(&w, "web"), 9000);
	REFUSED(&w, pod(&w, "symbolicator-cleanup"), &pg, 443);
	note = yn_path_text(policy_named(&w, "allow-web"),
	    "metadata.annotations.sentry-ha-setup/any-address");
	ck_assert_contains(note, "pg.internal:5432");
	ck_assert_contains(note, "cannot name a DNS host");
	others_free(&o);
	world_free(&w);
	free(yaml);
}
END_TEST

START_TEST(flows_24_by_ip_literals)
{
	char *yaml = np_answers("24.8.0", 1, ", ingress_namespace: edge");
	struct world w;
	struct others o;
	struct np_end pg = outside("10.0.0.10"), ch = outside("10.0.0.30");
	struct np_end other = outside("10.0.0.99"), mc = outside("fd00::5");
	struct np_end s3 = outside("10.0.0.50"), k3 = outside("fd00::23");
	const char *text;

	world_load(&w, yaml);
	others_make(&o, "edge");
	assert_plan_flows_pass(&w, &o);
	assert_common(&w, &o);
	PASSES(&w, pod(&w, "cron"), pod(&w, "snuba-api"), 1218);
	PASSES(&w, pod(&w, "worker"), pod(&w, "symbolicator"), 3021);
	PASSES(&w, pod(&w, "web"), &pg, 5432);
	PASSES(&w, pod(&w, "worker"), &mc, 11211);
	PASSES(&w, pod(&w, "worker"), &s3, 9000);
	PASSES(&w, pod(&w, "relay"), &k3, 9092);
	PASSES(&w, pod(&w, "snuba-api"), &ch, 9000);
	PASSES(&w, pod(&w, "snuba-api"), &ch, 8123);
	PASSES(&w, pod(&w, "vroom"), &s3, 9000);
	REFUSED(&w, pod(&w, "web"), &ch, 9000);
	REFUSED(&w, pod(&w, "web"), &other, 5432);
	REFUSED(&w, pod(&w, "web"), &pg, 6666);
	REFUSED(&w, pod(&w, "relay"), &pg, 5432);
	REFUSED(&w, pod(&w, "snuba-api"), &s3, 9000);
	REFUSED(&w, pod(&w, "relay"), &mc, 11211);
	/* The controller's namespace is the answer's. */
	o.controller.ns = "ingress-nginx";
	REFUSED(&w, &o.controller, pod(&w, "nginx"), 8080);
	text = fixture_file(&w.f, "kubernetes/network-policy.yaml");
	ck_assert_contains(text, "cidr: \"10.0.0.10/32\"");
	ck_assert_contains(text, "cidr: fd00::5/128");
	ck_assert_contains(text, "kubernetes.io/metadata.name: edge");
	ck_assert_ptr_null(yn_path(policy_named(&w, "allow-web"),
	    "metadata.annotations.sentry-ha-setup/any-address"));
	others_free(&o);
	world_free(&w);
	free(yaml);
}
END_TEST

/* Off unless asked for; and without an Ingress, nothing gets in. */
START_TEST(off_by_default_and_no_ingress)
{
	char *yaml = demo_answers("26.8.0", NULL), *plain;
	struct fixture f;
	struct world w;
	struct others o;

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	ck_assert_ptr_null(fixture_file(&f, "kubernetes/network-policy.yaml"));
	ck_assert_lacks(fixture_file(&f, "kubernetes/kustomization.yaml"),
	    "network-policy");
	fixture_free(&f);
	plain = np_answers("26.8.0", 0, NULL);
	/* The same answers without target.ingress_host. */
	memmove(strstr(plain, " ingress_host: sentry.example.com,"),
	    strstr(plain, " network_policy"), strlen(strstr(plain,
	    " network_policy")) + 1);
	world_load(&w, plain);
	others_make(&o, "ingress-nginx");
	ck_assert_contains(fixture_file(&w.f, "kubernetes/kustomization.yaml"),
	    "- network-policy.yaml");
	REFUSED(&w, &o.controller, pod(&w, "nginx"), 8080);
	assert_plan_flows_pass(&w, &o);
	others_free(&o);
	world_free(&w);
	free(plain);
	free(yaml);
}
END_TEST

/* Every release: each flow of its plan passes, DNS too, and the outside
 * gets no further than the entry point. */
START_TEST(every_release_passes_its_flows)
{
	static const char *const releases[] = { "10.1.0", "21.6.3", "23.6.2",
	    "23.11.0", "25.5.1", "26.5.1", "26.7.0" };

	for (size_t i = 0; i < sizeof releases / sizeof releases[0]; i++) {
		char *yaml = np_answers(releases[i], i % 2, NULL);
		struct world w;
		struct others o;
		const struct np_end *entry;

		world_load(&w, yaml);
		others_make(&o, "ingress-nginx");
		assert_plan_flows_pass(&w, &o);
		entry = plan_service(&w.f.s.pl, "nginx") ? pod(&w, "nginx") : NULL;
		if (entry != NULL) {
			PASSES(&w, &o.controller, entry, 8080);
			REFUSED(&w, &o.controller, pod(&w, "web"), 9000);
		} else {
			PASSES(&w, &o.controller, pod(&w, "web"), 9000);
		}
		REFUSED(&w, &o.foreign_web, pod(&w, "web"), 9000);
		PASSES(&w, pod(&w, "web"), &o.dns, 53);
		others_free(&o);
		world_free(&w);
		free(yaml);
	}
}
END_TEST

START_TEST(answers_are_checked)
{
	np_assert_refused(", ingress_namespace: Ingress_NGINX",
	    "target.ingress_namespace");
	np_assert_refused(", ingress_namespace: \"\"", "target.ingress_namespace");
	np_assert_refused(", ingress_namespace: [a]", "target.ingress_namespace");
}
END_TEST

START_TEST(bool_is_checked)
{
	char *yaml = demo_answers("26.8.0", NULL), *bad;
	struct fixture f;

	bad = xstrdup(yaml);
	free(yaml);
	yaml = xasprintf("%.*s network_policy: maybe,%s", (int)(strstr(bad,
	    " namespace:") - bad), bad, strstr(bad, " namespace:"));
	ck_assert_msg(fixture_run(&f, yaml) != 0, "accepted: maybe");
	ck_assert_contains(f.e.msg, "target.network_policy");
	fixture_free(&f);
	free(bad);
	free(yaml);
}
END_TEST

Suite *
suite_netpol(void)
{
	Suite *s = suite_create("netpol");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, flows_26_by_dns_names);
	tcase_add_test(tc, flows_24_by_ip_literals);
	tcase_add_test(tc, every_release_passes_its_flows);
	tcase_add_test(tc, off_by_default_and_no_ingress);
	tcase_add_test(tc, answers_are_checked);
	tcase_add_test(tc, bool_is_checked);
	suite_add_tcase(s, tc);
	return s;
}
