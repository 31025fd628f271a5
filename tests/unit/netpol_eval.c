/* NetworkPolicy semantics for the flow test (netpol_eval.h). */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "netpol_eval.h"

struct eval {
	const char	*policy_ns;	/* the namespace of the policy at hand */
	const char	**unknown;
};

static void
unknown(struct eval *ev, const char *what)
{
	if (*ev->unknown == NULL)
		*ev->unknown = what;
}

static const char *
label(const struct ynode *labels, const char *key)
{
	const struct ynode *v = labels ? yn_get(labels, key) : NULL;

	return v != NULL && v->kind == Y_SCALAR ? v->text : NULL;
}

/* A label selector against a pod's labels; {} selects every pod. */
static int
selects(struct eval *ev, const struct ynode *sel, const struct ynode *labels)
{
	const struct ynode *ml = sel ? yn_get(sel, "matchLabels") : NULL;

	if (sel == NULL) {
		unknown(ev, "a missing podSelector");
		return 0;
	}
	if (yn_get(sel, "matchExpressions") != NULL)
		unknown(ev, "matchExpressions");
	if (labels == NULL)
		return 0;
	for (size_t i = 0; ml != NULL && i < ml->n; i++) {
		const char *have = label(labels, ml->pairs[i].key);

		if (have == NULL || strcmp(have, ml->pairs[i].val->text) != 0)
			return 0;
	}
	return 1;
}

/* A namespace carries one label of its own name (Kubernetes 1.21+). */
static int
selects_ns(struct eval *ev, const struct ynode *sel, const char *ns)
{
	struct ynode *labels = yn_map();
	int ok;

	yn_set_str(labels, "kubernetes.io/metadata.name", ns);
	ok = selects(ev, sel, labels);
	yn_free(labels);
	return ok;
}

static int
in_cidr(struct eval *ev, const char *cidr, const char *ip)
{
	unsigned char net[16], addr[16];
	char *base = strdup(cidr), *slash = strchr(base, '/');
	int family = strchr(cidr, ':') ? AF_INET6 : AF_INET, ok = 1;
	long bits = slash ? strtol(slash + 1, NULL, 10) : -1;

	if (slash == NULL || inet_pton(family, (*slash = '\0', base), net) != 1) {
		unknown(ev, "ipBlock.cidr");
		free(base);
		return 0;
	}
	free(base);
	if (ip == NULL || inet_pton(family, ip, addr) != 1)
		return 0;	/* the other family, or no address */
	for (long b = 0; b < bits && ok; b++)
		ok = ((net[b / 8] ^ addr[b / 8]) & (0x80 >> (b % 8))) == 0;
	return ok;
}

/* An ipBlock: in its cidr and in none of its except ranges. */
static int
in_block(struct eval *ev, const struct ynode *ipb, const char *ip)
{
	const struct ynode *except = yn_get(ipb, "except");

	if (!in_cidr(ev, yn_path_text(ipb, "cidr"), ip))
		return 0;
	for (size_t i = 0; except != NULL && i < except->n; i++)
		if (except->items[i]->kind != Y_SCALAR)
			unknown(ev, "an ipBlock.except that is no text");
		else if (in_cidr(ev, except->items[i]->text, ip))
			return 0;
	return 1;
}

static int
peer_matches(struct eval *ev, const struct ynode *peer, const struct np_end *e)
{
	const struct ynode *ipb = yn_get(peer, "ipBlock");
	const struct ynode *nss = yn_get(peer, "namespaceSelector");
	const struct ynode *ps = yn_get(peer, "podSelector");

	if (ipb != NULL)
		return in_block(ev, ipb, e->ip);
	if (e->ns == NULL)
		return 0;	/* selectors name pods, never outside addresses */
	if (nss != NULL && !selects_ns(ev, nss, e->ns))
		return 0;
	if (nss == NULL && strcmp(e->ns, ev->policy_ns) != 0)
		return 0;
	return ps == NULL || selects(ev, ps, e->labels);
}

static int
port_matches(struct eval *ev, const struct ynode *ports, long port,
    const char *protocol)
{
	if (ports == NULL || ports->n == 0)
		return 1;
	for (size_t i = 0; i < ports->n; i++) {
		const char *proto = yn_path_text(ports->items[i], "protocol");
		const char *p = yn_path_text(ports->items[i], "port");
		const char *endp = yn_path_text(ports->items[i], "endPort");
		char *rest = NULL;
		long from = p ? strtol(p, &rest, 10) : 0;

		if (p != NULL && *rest != '\0')
			unknown(ev, "a named port");
		if (strcmp(proto ? proto : "TCP", protocol) != 0)
			continue;
		if (p == NULL || port == from || (endp != NULL && port >= from &&
		    port <= strtol(endp, NULL, 10)))
			return 1;
	}
	return 0;
}

/* Does one rule (of spec.ingress or spec.egress) let `peer` in or out? */
static int
rule_allows(struct eval *ev, const struct ynode *rule, const char *peers_key,
    const struct np_end *peer, long port, const char *protocol)
{
	const struct ynode *peers = yn_get(rule, peers_key);
	int any = peers == NULL || peers->n == 0;

	for (size_t i = 0; !any && i < peers->n; i++)
		any = peer_matches(ev, peers->items[i], peer);
	return any && port_matches(ev, yn_get(rule, "ports"), port, protocol);
}

/* Is the policy for `type` ("Ingress" or "Egress")? Without policyTypes:
 * Ingress always, Egress when it has egress rules. */
static int
has_type(const struct ynode *spec, const char *type)
{
	const struct ynode *types = yn_get(spec, "policyTypes");

	if (types == NULL)
		return strcmp(type, "Ingress") == 0 || yn_get(spec, "egress");
	for (size_t i = 0; i < types->n; i++)
		if (strcmp(types->items[i]->text, type) == 0)
			return 1;
	return 0;
}

/* Does `self` (a pod; an outside address has no policy) let `peer` in
 * (egress 0) or out to it (egress 1)? */
static int
direction_allows(struct eval *ev, const struct ynode *docs,
    const struct np_end *self, const struct np_end *peer, long port,
    const char *protocol, int egress)
{
	const char *type = egress ? "Egress" : "Ingress";
	int selected = 0;

	if (self->ns == NULL)
		return 1;
	for (size_t i = 0; i < docs->n; i++) {
		const struct ynode *d = docs->items[i], *spec = yn_get(d, "spec");
		const char *kind = yn_path_text(d, "kind");
		const struct ynode *rules;

		ev->policy_ns = yn_path_text(d, "metadata.namespace");
		if (kind == NULL || strcmp(kind, "NetworkPolicy") != 0 ||
		    ev->policy_ns == NULL || strcmp(ev->policy_ns, self->ns) != 0 ||
		    !has_type(spec, type) ||
		    !selects(ev, yn_get(spec, "podSelector"), self->labels))
			continue;
		selected = 1;
		rules = yn_get(spec, egress ? "egress" : "ingress");
		for (size_t j = 0; rules != NULL && j < rules->n; j++)
			if (rule_allows(ev, rules->items[j], egress ? "to" : "from",
			    peer, port, protocol))
				return 1;
	}
	return !selected;
}

int
np_allowed(const struct ynode *docs, const struct np_end *src,
    const struct np_end *dst, long port, const char *protocol,
    const char **unknown_field)
{
	struct eval ev = { NULL, unknown_field };

	*unknown_field = NULL;
	return direction_allows(&ev, docs, src, dst, port, protocol, 1) &&
	    direction_allows(&ev, docs, dst, src, port, protocol, 0);
}
