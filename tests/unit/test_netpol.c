/*
 * NetworkPolicies (target.network_policy): the emitted policies, read back
 * with a YAML parser, evaluated (netpol_eval.c) against the pods of the
 * emitted workloads: every flow of the plan passes, the flows the plan
 * does not have are refused, DNS works, and nothing from elsewhere gets in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "netpol_eval.h"
#include "plan_flows.h"
#include "xmem.h"
#include "ynode.h"

#define NS	"sentry"
/* An outside address that no answer names: what a DNS name resolves to. */
#define SOMEWHERE	"198.51.100.7"

struct pod {
	char		*name;
	struct ynode	*labels;
	char		*ip;
	struct np_end	 end;
};

struct world {
	struct fixture	 f;
	struct ynode	*docs;		/* network-policy.yaml */
	struct pod	*pods;
	size_t		 npods;
};

static void
add_pod(struct world *w, const char *ns, const char *name,
    struct ynode *labels)
{
	struct pod *p;

	w->pods = xrealloc(w->pods, (w->npods + 1) * sizeof *w->pods);
	p = &w->pods[w->npods];
	p->name = xstrdup(name);
	p->labels = labels;
	p->ip = xasprintf("10.244.%zu.%zu", w->npods / 200, w->npods % 200 + 2);
	w->npods++;
	(void)ns;
}

/* The labels of the pods a workload's file makes. */
static void
add_workload_pods(struct world *w, const struct outfile *o)
{
	struct ynode *docs = NULL;
	struct err e;

	ck_assert_msg(yaml_parse(o->content, o->len, o->path, YP_MULTI, &docs,
	    &e) == 0, "%s", e.msg);
	for (size_t i = 0; i < docs->n; i++) {
		const struct ynode *d = docs->items[i];
		const struct ynode *l = yn_path(d, "spec.template.metadata.labels");

		if (l == NULL)
			l = yn_path(d, "spec.jobTemplate.spec.template.metadata.labels");
		/* yn_get: the label's key has dots, which yn_path splits. */
		if (l != NULL)
			add_pod(w, NS, yn_get(l, "app.kubernetes.io/name")->text,
			    yn_copy(l));
	}
	yn_free(docs);
}

static struct ynode *
one_label(const char *key, const char *value)
{
	struct ynode *m = yn_map();

	yn_set_str(m, key, value);
	return m;
}

static void
world_load(struct world *w, const char *yaml)
{
	const char *text;
	struct err e;

	memset(w, 0, sizeof *w);
	ck_assert_msg(fixture_run(&w->f, yaml) == 0, "%s", w->f.e.msg);
	text = fixture_file(&w->f, "kubernetes/network-policy.yaml");
	ck_assert_msg(text != NULL, "no kubernetes/network-policy.yaml");
	ck_assert_msg(yaml_parse(text, strlen(text), "network-policy.yaml",
	    YP_MULTI, &w->docs, &e) == 0, "%s", e.msg);
	for (size_t i = 0; i < w->f.out.n; i++)
		if (strncmp(w->f.out.v[i].path, "kubernetes/services/", 20) == 0 ||
		    strncmp(w->f.out.v[i].path, "kubernetes/jobs/", 16) == 0)
			add_workload_pods(w, &w->f.out.v[i]);
	for (size_t i = 0; i < w->npods; i++)
		w->pods[i].end = (struct np_end){ NS, w->pods[i].labels,
		    w->pods[i].ip };
}

static void
world_free(struct world *w)
{
	for (size_t i = 0; i < w->npods; i++) {
		free(w->pods[i].name);
		free(w->pods[i].ip);
		yn_free(w->pods[i].labels);
	}
	free(w->pods);
	yn_free(w->docs);
	fixture_free(&w->f);
}

static const struct np_end *
pod(const struct world *w, const char *name)
{
	for (size_t i = 0; i < w->npods; i++)
		if (strcmp(w->pods[i].name, name) == 0)
			return &w->pods[i].end;
	ck_abort_msg("no pod of %s in the output", name);
	return NULL;
}

static int
allowed(const struct world *w, const struct np_end *src,
    const struct np_end *dst, long port, const char *protocol)
{
	const char *unknown = NULL;
	int ok = np_allowed(w->docs, src, dst, port, protocol, &unknown);

	ck_assert_msg(unknown == NULL, "the policies use %s", unknown);
	return ok;
}

/* Pods elsewhere in the cluster, and outside addresses. */
struct others {
	struct ynode	*ctl_labels, *dns_labels, *metrics_labels, *web_labels;
	struct np_end	 controller, dns, metrics, foreign_web;
};

static void
others_make(struct others *o, const char *ingress_ns)
{
	o->ctl_labels = one_label("app.kubernetes.io/name", "ingress-nginx");
	o->dns_labels = one_label("k8s-app", "kube-dns");
	o->metrics_labels = one_label("k8s-app", "metrics-server");
	/* web's own labels, in another namespace. */
	o->web_labels = one_label("app.kubernetes.io/name", "web");
	yn_set_str(o->web_labels, "app.kubernetes.io/instance", NS);
	o->controller = (struct np_end){ ingress_ns, o->ctl_labels, "10.244.9.1" };
	o->dns = (struct np_end){ "kube-system", o->dns_labels, "10.96.0.10" };
	o->metrics = (struct np_end){ "kube-system", o->metrics_labels,
	    "10.244.9.3" };
	o->foreign_web = (struct np_end){ "other", o->web_labels, "10.244.9.4" };
}

static void
others_free(struct others *o)
{
	yn_free(o->ctl_labels);
	yn_free(o->dns_labels);
	yn_free(o->metrics_labels);
	yn_free(o->web_labels);
}

static struct np_end
outside(const char *ip)
{
	return (struct np_end){ NULL, NULL, ip };
}

/* The receiving end of a flow of the plan, as a pod or an address. */
static struct np_end
flow_dst(const struct world *w, const struct others *o,
    const struct flow_end *to)
{
	switch (to->kind) {
	case FLOW_SERVICE:
		return *pod(w, to->name);
	case FLOW_NAMESPACE:
		ck_assert_str_eq(to->name, "kube-system");
		return o->dns;
	case FLOW_ADDRESS:
		return outside(to->cidr ? to->name : SOMEWHERE);
	case FLOW_EVERY_POD:
		break;
	}
	ck_abort_msg("a flow to every pod");
	return outside(NULL);
}

static void
assert_flow_passes(const struct world *w, const struct plan_flow *x,
    const struct np_end *src, const char *src_name, const struct np_end *dst)
{
	ck_assert_msg(allowed(w, src, dst, x->port, x->protocol),
	    "refused: %s -> %s:%ld/%s (%s)", src_name,
	    x->to.name ? x->to.name : "?", x->port, x->protocol, x->why);
}

/* Every flow of the plan passes, from each pod it is from. */
static void
assert_plan_flows_pass(const struct world *w, const struct others *o)
{
	struct plan_flows fl = { 0 };

	plan_flows_build(&w->f.s.pl, &fl);
	ck_assert_uint_gt(fl.n, 20);
	for (size_t i = 0; i < fl.n; i++) {
		const struct plan_flow *x = &fl.v[i];
		struct np_end dst = flow_dst(w, o, &x->to);

		if (x->from.kind == FLOW_NAMESPACE) {
			assert_flow_passes(w, x, &o->controller, "the controller",
			    &dst);
			continue;
		}
		for (size_t j = 0; j < w->npods; j++)
			if (x->from.kind == FLOW_EVERY_POD ||
			    strcmp(w->pods[j].name, x->from.name) == 0)
				assert_flow_passes(w, x, &w->pods[j].end,
				    w->pods[j].name, &dst);
	}
	plan_flows_free(&fl);
}

#define PASSES(w, a, b, port) \
	ck_assert_msg(allowed(w, a, b, port, "TCP"), "refused: %s -> %s:%d", \
	    #a, #b, port)
#define REFUSED(w, a, b, port) \
	ck_assert_msg(!allowed(w, a, b, port, "TCP"), "let through: %s -> %s:%d", \
	    #a, #b, port)

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

/* Answers with NetworkPolicies; `ips`: every endpoint an IP literal. */
static char *
np_answers(const char *version, int ips, const char *target_extra)
{
	return xasprintf(
	    "schema: 1\n"
	    "sentry: {version: \"%s\", url_prefix: \"https://sentry.example.com\"}\n"
	    "target: {kind: kubernetes, namespace: " NS ", storage_class: rwx,"
	    " ingress_host: sentry.example.com, network_policy: true%s}\n"
	    "%s", version, target_extra ? target_extra : "", ips ?
	    "postgres: {host: 10.0.0.10, password: pg}\n"
	    "redis: {host: 10.0.0.11, password: rd}\n"
	    "kafka: {brokers: [\"10.0.0.21:9092\", \"10.0.0.22:9092\","
	    " \"[fd00::23]:9092\"]}\n"
	    "clickhouse: {host: 10.0.0.30}\n"
	    "memcached: {hosts: [\"[fd00::5]:11211\"]}\n"
	    "smtp: {host: 10.0.0.40}\n"
	    "filestore: {backend: s3, s3: {bucket: sentry, region: eu-west-1,"
	    " endpoint: \"http://10.0.0.50:9000\", access_key: AK, secret_key: SK},"
	    " shared_volume: {kind: pvc}}\n" :
	    "postgres: {host: pg.internal, password: pg}\n"
	    "redis: {host: redis.internal, password: rd}\n"
	    "kafka: {brokers: [\"k1:9092\", \"k2:9092\", \"k3:9092\"]}\n"
	    "clickhouse: {host: ch.internal}\n"
	    "memcached: {hosts: [\"mc1:11211\"]}\n"
	    "smtp: {host: smtp.internal}\n"
	    "filestore: {backend: filesystem, shared_volume: {kind: pvc}}\n");
}

static const struct ynode *
policy_named(const struct world *w, const char *name)
{
	for (size_t i = 0; i < w->docs->n; i++) {
		const char *n = yn_path_text(w->docs->items[i], "metadata.name");

		if (n != NULL && strcmp(n, name) == 0)
			return w->docs->items[i];
	}
	ck_abort_msg("no NetworkPolicy %s", name);
	return NULL;
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

static void
assert_refused(const char *target_extra, const char *expect)
{
	char *yaml = np_answers("26.8.0", 0, target_extra);
	struct fixture f;

	ck_assert_msg(fixture_run(&f, yaml) != 0, "accepted: %s", target_extra);
	ck_assert_contains(f.e.msg, expect);
	fixture_free(&f);
	free(yaml);
}

START_TEST(answers_are_checked)
{
	assert_refused(", ingress_namespace: Ingress_NGINX",
	    "target.ingress_namespace");
	assert_refused(", ingress_namespace: \"\"", "target.ingress_namespace");
	assert_refused(", ingress_namespace: [a]", "target.ingress_namespace");
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
