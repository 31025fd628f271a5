/*
 * Kubernetes NetworkPolicies (answers target.network_policy): a default
 * deny of all ingress and egress in the namespace, then one policy for DNS
 * and one per service that allows exactly the flows of the plan
 * (plan_flows.h), in and out; nothing else gets through.
 *
 * Kubelet probes are not affected: NetworkPolicy does not apply to the
 * node's own traffic to its pods.
 */
#include <stdlib.h>
#include <string.h>

#include "k8s.h"
#include "plan_flows.h"

#define ANY_ADDRESS_NOTE	"sentry-ha-setup/any-address"

static struct ynode *
policy(const struct plan *pl, const char *name, struct ynode *selector)
{
	struct kvlist src = { 0 };
	struct ynode *d = yn_map(), *spec;

	kv_add(&src, "policy", "answers:target.network_policy");
	yn_set_str(d, "apiVersion", "networking.k8s.io/v1");
	yn_set_str(d, "kind", "NetworkPolicy");
	yn_map_set(d, "metadata", k8s_metadata(pl, name, "network-policy", &src));
	kv_free(&src);
	spec = yn_set_map(d, "spec");
	yn_map_set(spec, "podSelector", selector);
	return d;
}

static struct ynode *
match_labels(struct ynode *labels)
{
	struct ynode *m = yn_map();

	yn_map_set(m, "matchLabels", labels);
	return m;
}

/* The peers that stand for one end (a sequence: "any address" is two). */
static void
add_peers(const struct plan *pl, const struct flow_end *e, struct ynode *seq)
{
	struct ynode *p, *l;

	switch (e->kind) {
	case FLOW_SERVICE:
		p = yn_seq_add(seq, yn_map());
		yn_map_set(p, "podSelector", match_labels(k8s_selector(pl, e->name)));
		break;
	case FLOW_EVERY_POD:
		yn_set_map(yn_seq_add(seq, yn_map()), "podSelector");
		break;
	case FLOW_NAMESPACE:
		p = yn_seq_add(seq, yn_map());
		l = yn_map();
		yn_set_str(l, "kubernetes.io/metadata.name", e->name);
		yn_map_set(p, "namespaceSelector", match_labels(l));
		if (e->app != NULL) {
			l = yn_map();
			yn_set_str(l, "k8s-app", e->app);
			yn_map_set(p, "podSelector", match_labels(l));
		}
		break;
	case FLOW_ADDRESS:
		if (e->cidr != NULL) {
			yn_set_str(yn_set_map(yn_seq_add(seq, yn_map()), "ipBlock"),
			    "cidr", e->cidr);
			break;
		}
		yn_set_str(yn_set_map(yn_seq_add(seq, yn_map()), "ipBlock"),
		    "cidr", "0.0.0.0/0");
		yn_set_str(yn_set_map(yn_seq_add(seq, yn_map()), "ipBlock"),
		    "cidr", "::/0");
		break;
	case FLOW_RANGE:
		p = yn_set_map(yn_seq_add(seq, yn_map()), "ipBlock");
		yn_set_str(p, "cidr", e->cidr);
		if (e->except.n > 0) {
			l = yn_set_seq(p, "except");
			for (size_t i = 0; i < e->except.n; i++)
				yn_seq_add(l, yn_str(e->except.v[i]));
		}
		break;
	}
}

static struct ynode *
ports_of(const struct plan_flow *fl)
{
	struct ynode *seq = yn_seq(), *p = yn_seq_add(seq, yn_map());

	yn_set_str(p, "protocol", fl->protocol);
	/* No port: every port of the protocol (an egress range). */
	if (fl->port != 0)
		yn_set_int(p, "port", fl->port);
	return seq;
}

/* Adds `rule` to `rules` unless an equal one is there (takes it). */
static void
add_rule(struct ynode *rules, struct ynode *rule)
{
	for (size_t i = 0; i < rules->n; i++)
		if (yn_equal(rules->items[i], rule)) {
			yn_free(rule);
			return;
		}
	yn_seq_add(rules, rule);
}

/* Ingress of `name`: one rule per port, from every peer that uses it. */
static struct ynode *
ingress_rules(const struct plan *pl, const struct plan_flows *f,
    const char *name)
{
	struct ynode *rules = yn_seq();

	for (size_t i = 0; i < f->n; i++) {
		const struct plan_flow *fl = &f->v[i];
		struct ynode *rule, *ports, *from = NULL;

		if (fl->to.kind != FLOW_SERVICE || strcmp(fl->to.name, name) != 0)
			continue;
		ports = ports_of(fl);
		for (size_t j = 0; j < rules->n && from == NULL; j++)
			if (yn_equal(yn_get(rules->items[j], "ports"), ports))
				from = yn_get(rules->items[j], "from");
		if (from == NULL) {
			rule = yn_seq_add(rules, yn_map());
			from = yn_set_seq(rule, "from");
			yn_map_set(rule, "ports", ports);
		} else {
			yn_free(ports);
		}
		add_peers(pl, &fl->from, from);
	}
	return rules;
}

/* Egress of `name` (or of every pod, name NULL), one rule per flow; the
 * DNS names open to any address are noted in `note`. */
static struct ynode *
egress_rules(const struct plan *pl, const struct plan_flows *f,
    const char *name, struct strlist *note)
{
	struct ynode *rules = yn_seq();

	for (size_t i = 0; i < f->n; i++) {
		const struct plan_flow *fl = &f->v[i];
		struct ynode *rule;

		if (name == NULL ? fl->from.kind != FLOW_EVERY_POD :
		    fl->from.kind != FLOW_SERVICE || strcmp(fl->from.name, name) != 0)
			continue;
		rule = yn_map();
		add_peers(pl, &fl->to, yn_set_seq(rule, "to"));
		yn_map_set(rule, "ports", ports_of(fl));
		add_rule(rules, rule);
		if (fl->to.kind == FLOW_ADDRESS && fl->to.cidr == NULL) {
			char *hp = xasprintf("%s:%ld", fl->to.name, fl->port);

			if (!sl_contains(note, hp))
				sl_add(note, hp);
			free(hp);
		}
	}
	return rules;
}

/* The policy of one service, or NULL when it has no flow of its own. */
static struct ynode *
service_policy(const struct plan *pl, const struct plan_flows *f,
    const char *name)
{
	struct strlist note = { 0 };
	struct ynode *in = ingress_rules(pl, f, name);
	struct ynode *out = egress_rules(pl, f, name, &note), *d, *spec, *types;
	char *policy_name = xasprintf("allow-%s", name);

	d = policy(pl, policy_name, match_labels(k8s_selector(pl, name)));
	free(policy_name);
	spec = yn_get(d, "spec");
	types = yn_set_seq(spec, "policyTypes");
	if (in->n > 0) {
		yn_seq_add(types, yn_str("Ingress"));
		yn_map_set(spec, "ingress", in);
	} else {
		yn_free(in);
	}
	if (out->n > 0) {
		yn_seq_add(types, yn_str("Egress"));
		yn_map_set(spec, "egress", out);
	} else {
		yn_free(out);
	}
	if (note.n > 0) {
		char *hosts = sl_join(&note, ", ");
		char *text = xasprintf("%s: a NetworkPolicy cannot name a DNS host, "
		    "so these ports are open to any address (give IP addresses in "
		    "the answers to narrow them)", hosts);

		yn_set_str(yn_get(yn_get(d, "metadata"), "annotations"),
		    ANY_ADDRESS_NOTE, text);
		free(text);
		free(hosts);
	}
	sl_free(&note);
	if (types->n == 0) {
		yn_free(d);
		return NULL;
	}
	return d;
}

static void
add_service_policies(const struct plan *pl, const struct plan_flows *f,
    const struct plan_service *v, size_t n, struct ynode *docs)
{
	for (size_t i = 0; i < n; i++) {
		struct ynode *d = service_policy(pl, f, v[i].name);

		if (d != NULL)
			yn_seq_add(docs, d);
	}
}

struct ynode *
k8s_netpol_docs(const struct plan *pl)
{
	struct plan_flows f = { 0 };
	struct strlist none = { 0 };
	struct ynode *docs, *d, *types;

	if (!pl->target.network_policy)
		return NULL;
	plan_flows_build(pl, &f);
	docs = yn_seq();
	d = yn_seq_add(docs, policy(pl, "default-deny", yn_map()));
	types = yn_set_seq(yn_get(d, "spec"), "policyTypes");
	yn_seq_add(types, yn_str("Ingress"));
	yn_seq_add(types, yn_str("Egress"));
	d = yn_seq_add(docs, policy(pl, "allow-dns", yn_map()));
	yn_seq_add(yn_set_seq(yn_get(d, "spec"), "policyTypes"), yn_str("Egress"));
	yn_map_set(yn_get(d, "spec"), "egress", egress_rules(pl, &f, NULL, &none));
	add_service_policies(pl, &f, pl->services, pl->nservices, docs);
	add_service_policies(pl, &f, pl->migrations, pl->nmigrations, docs);
	sl_free(&none);
	plan_flows_free(&f);
	return docs;
}
