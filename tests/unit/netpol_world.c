/* The world of the NetworkPolicy tests (netpol_world.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netpol_world.h"
#include "xmem.h"

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

struct ynode *
one_label(const char *key, const char *value)
{
	struct ynode *m = yn_map();

	yn_set_str(m, key, value);
	return m;
}

void
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

void
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

const struct np_end *
pod(const struct world *w, const char *name)
{
	for (size_t i = 0; i < w->npods; i++)
		if (strcmp(w->pods[i].name, name) == 0)
			return &w->pods[i].end;
	ck_abort_msg("no pod of %s in the output", name);
	return NULL;
}

int
allowed(const struct world *w, const struct np_end *src,
    const struct np_end *dst, long port, const char *protocol)
{
	const char *unknown = NULL;
	int ok = np_allowed(w->docs, src, dst, port, protocol, &unknown);

	ck_assert_msg(unknown == NULL, "the policies use %s", unknown);
	return ok;
}

void
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

void
others_free(struct others *o)
{
	yn_free(o->ctl_labels);
	yn_free(o->dns_labels);
	yn_free(o->metrics_labels);
	yn_free(o->web_labels);
}

struct np_end
outside(const char *ip)
{
	return (struct np_end){ NULL, NULL, ip };
}

/* The receiving end of a flow of the plan, as a pod or an address. */
/* A range's first address ("0.0.0.0" of "0.0.0.0/0") into buf: in the
 * range, and outside any except (each a strict part of it, further on). */
static const char *
range_address(const char *range, char *buf, size_t size)
{
	snprintf(buf, size, "%.*s", (int)strcspn(range, "/"), range);
	return buf;
}

static struct np_end
flow_dst(const struct world *w, const struct others *o,
    const struct flow_end *to, char *buf, size_t size)
{
	switch (to->kind) {
	case FLOW_SERVICE:
		return *pod(w, to->name);
	case FLOW_NAMESPACE:
		ck_assert_str_eq(to->name, "kube-system");
		return o->dns;
	case FLOW_ADDRESS:
		return outside(to->cidr ? to->name : SOMEWHERE);
	case FLOW_RANGE:
		return outside(range_address(to->name, buf, size));
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
void
assert_plan_flows_pass(const struct world *w, const struct others *o)
{
	struct plan_flows fl = { 0 };

	plan_flows_build(&w->f.s.pl, &fl);
	ck_assert_uint_gt(fl.n, 20);
	for (size_t i = 0; i < fl.n; i++) {
		const struct plan_flow *x = &fl.v[i];
		char buf[64];
		struct np_end dst = flow_dst(w, o, &x->to, buf, sizeof buf);

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

/* Answers with NetworkPolicies; `ips`: every endpoint an IP literal. */
char *
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

const struct ynode *
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

void
np_assert_refused(const char *target_extra, const char *expect)
{
	char *yaml = np_answers("26.8.0", 0, target_extra);
	struct fixture f;

	ck_assert_msg(fixture_run(&f, yaml) != 0, "accepted: %s", target_extra);
	ck_assert_contains(f.e.msg, expect);
	fixture_free(&f);
	free(yaml);
}
