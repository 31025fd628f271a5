/* The flows of one service in words, for explain (plan_flows.h). */
#include <stdlib.h>
#include <string.h>

#include "plan_flows.h"

/* "0.0.0.0/0 except 10.0.0.0/8 and 172.16.0.0/12" (owned): no commas,
 * which separate the flows. */
static char *
range_text(const struct flow_end *e)
{
	char *x, *text;

	if (e->except.n == 0)
		return xstrdup(e->name);
	x = sl_join(&e->except, " and ");
	text = xasprintf("%s except %s", e->name, x);
	free(x);
	return text;
}

/* One end in words (owned): "web", "kube-system/k8s-app=kube-dns",
 * "namespace ingress-nginx", "pg.internal" (a host as the answers give
 * it; *any is set when it stands for any address). */
static char *
end_text(const struct flow_end *e, int *any)
{
	switch (e->kind) {
	case FLOW_SERVICE:
		return xstrdup(e->name);
	case FLOW_EVERY_POD:
		return xstrdup("every pod");
	case FLOW_NAMESPACE:
		return e->app ? xasprintf("%s/k8s-app=%s", e->name, e->app) :
		    xasprintf("namespace %s", e->name);
	case FLOW_ADDRESS:
		*any |= e->cidr == NULL;
		return xasprintf("%s%s", e->name, e->cidr ? "" : "*");
	case FLOW_RANGE:
		return range_text(e);
	}
	return xstrdup("?");
}

static int
concerns(const struct flow_end *e, const char *service)
{
	return e->kind == FLOW_EVERY_POD ||
	    (e->kind == FLOW_SERVICE && strcmp(e->name, service) == 0);
}

char *
plan_flows_text(const struct plan_flows *f, const char *service, int incoming)
{
	struct strlist items = { 0 };
	char *text, *list;
	int any = 0;

	for (size_t i = 0; i < f->n; i++) {
		const struct plan_flow *fl = &f->v[i];
		const struct flow_end *self = incoming ? &fl->to : &fl->from;
		const struct flow_end *peer = incoming ? &fl->from : &fl->to;
		char *who, *item;

		if (!concerns(self, service) || (incoming &&
		    self->kind == FLOW_EVERY_POD))
			continue;
		who = end_text(peer, &any);
		if (fl->port == 0)
			item = xasprintf("%s on any port", who);
		else
			item = xasprintf("%s%s%ld%s", who, incoming ? " on " : ":",
			    fl->port, strcmp(fl->protocol, "UDP") == 0 ?
			    "/udp" : "");
		if (!sl_contains(&items, item))
			sl_add(&items, item);
		free(item);
		free(who);
	}
	list = items.n ? sl_join(&items, ", ") : xstrdup("nothing");
	text = any ? xasprintf("%s (*: any address on that port, since a "
	    "NetworkPolicy cannot name a DNS host)", list) : xstrdup(list);
	free(list);
	sl_free(&items);
	return text;
}

char *
plan_flows_explain(const struct plan *pl, const char *service)
{
	struct plan_flows f = { 0 };
	char *in, *out, *text;

	plan_flows_build(pl, &f);
	in = plan_flows_text(&f, service, 1);
	out = plan_flows_text(&f, service, 0);
	text = xasprintf("in: %s; out: %s; nothing else passes "
	    "(target.network_policy)", in, out);
	free(in);
	free(out);
	plan_flows_free(&f);
	return text;
}
