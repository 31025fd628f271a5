/*
 * The network flows a deployment needs, as pure data (plan_flows.c): who
 * connects to whom, on which port, and why. The NetworkPolicy emitter
 * (k8s_netpol.c) allows exactly these and nothing else; `explain SERVICE`
 * lists them. A flow is found, not assumed: service-to-service flows come
 * from the HOST:PORT each process is configured with (its environment,
 * arguments and the config files it mounts), middleware flows from the
 * plan's endpoints and which image talks to which middleware.
 */
#ifndef SHS_PLAN_FLOWS_H
#define SHS_PLAN_FLOWS_H

#include <stddef.h>

#include "plan.h"

enum flow_kind {
	FLOW_SERVICE,	/* the pods of a service or migration of the plan */
	FLOW_EVERY_POD,	/* every pod of the deployment's namespace */
	FLOW_NAMESPACE,	/* pods of another namespace of the cluster */
	FLOW_ADDRESS,	/* outside the cluster: an endpoint of the answers */
	FLOW_RANGE,	/* outside the cluster: a range (target.egress_cidrs) */
};

/* One end of a flow; every string is owned by the flow list. */
struct flow_end {
	enum flow_kind	 kind;
	/* FLOW_SERVICE: the service; FLOW_NAMESPACE: the namespace;
	 * FLOW_ADDRESS: the host as the answers give it. */
	char		*name;
	char		*app;	/* FLOW_NAMESPACE: the pods' k8s-app label, or
				 * NULL: every pod of it */
	/* FLOW_ADDRESS: "10.0.0.5/32" or "fd00::5/128" for an IP literal;
	 * NULL for a DNS name, which a NetworkPolicy cannot name: the port
	 * is then open to any address. */
	char		*cidr;
	/* FLOW_RANGE: name and cidr are the range; these the ranges within
	 * it that it leaves out (target.egress_except). */
	struct strlist	 except;
};

struct plan_flow {
	struct flow_end	 from, to;
	long		 port;		/* 0: every port (FLOW_RANGE only) */
	const char	*protocol;	/* "TCP" or "UDP" (static) */
	char		*why;		/* one phrase, owned */
};

struct plan_flows {
	struct plan_flow *v;
	size_t		 n, cap;
};

/* Every flow of the plan, without duplicates, into `out` (empty on entry;
 * the caller frees it with plan_flows_free). Works for any target; only
 * Kubernetes has a use for it. */
void	plan_flows_build(const struct plan *pl, struct plan_flows *out);
void	plan_flows_free(struct plan_flows *f);

/* Shared by plan_flows*.c. plan_flows_add adds a flow unless it is there
 * already, copying the ends and taking `why`. */
void	plan_flows_add(struct plan_flows *f, struct flow_end from,
	    struct flow_end to, long port, const char *protocol, char *why);
/* An end of `kind` (the strings borrowed: plan_flows_add copies them),
 * and one for the service `name`. */
struct flow_end flow_end_of(enum flow_kind kind, const char *name,
	    const char *app);
struct flow_end flow_service_end(const char *name);
/* plan_flows_ends.c: s to the middleware its image uses, and to the
 * Internet where the deployment needs it. */
void	plan_flows_middleware(const struct plan *pl, const struct plan_service *s,
	    struct plan_flows *out);
void	plan_flows_internet(const struct plan *pl, const struct plan_service *s,
	    struct plan_flows *out);

/* plan_flows_text.c, for explain: "what may reach SERVICE" (incoming 1) or
 * "what it may reach" (0), one phrase, "nothing" when none. Owned by the
 * caller. */
char	*plan_flows_text(const struct plan_flows *f, const char *service,
	    int incoming);
/* The "network" paragraph of `explain SERVICE`: what may reach it and
 * what it may reach (owned). */
char	*plan_flows_explain(const struct plan *pl, const char *service);

#endif
