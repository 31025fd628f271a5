/*
 * The world of the NetworkPolicy tests (test_netpol*.c): the emitted
 * policies read back, the pods of the emitted workloads with their labels
 * and addresses, pods elsewhere in the cluster, and the answers that turn
 * the policies on.
 */
#ifndef SHS_NETPOL_WORLD_H
#define SHS_NETPOL_WORLD_H

#include "harness.h"
#include "netpol_eval.h"
#include "plan_flows.h"
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

/* Pods elsewhere in the cluster, and outside addresses. */
struct others {
	struct ynode	*ctl_labels, *dns_labels, *metrics_labels, *web_labels;
	struct np_end	 controller, dns, metrics, foreign_web;
};

/* Runs the answers `yaml` and reads the policies and pods back; frees with
 * world_free. */
void	world_load(struct world *w, const char *yaml);
void	world_free(struct world *w);
/* The first pod of a service (borrowed from w); aborts when there is none. */
const struct np_end *pod(const struct world *w, const char *name);
/* np_allowed, failing the test on a field the evaluator does not know. */
int	allowed(const struct world *w, const struct np_end *src,
	    const struct np_end *dst, long port, const char *protocol);
void	others_make(struct others *o, const char *ingress_ns);
void	others_free(struct others *o);
/* An address outside the cluster (ip borrowed). */
struct np_end outside(const char *ip);
/* A one-label map (owned). */
struct ynode *one_label(const char *key, const char *value);
/* Every flow of the plan passes, from each pod it is from. */
void	assert_plan_flows_pass(const struct world *w, const struct others *o);
/* Answers with NetworkPolicies (owned); `ips`: every endpoint an IP
 * literal; `target_extra` is added to the target: map. */
char	*np_answers(const char *version, int ips, const char *target_extra);
/* The answers of 26.8.0 with `target_extra` are refused, the message
 * holding `expect`. */
void	np_assert_refused(const char *target_extra, const char *expect);
/* The policy named `name` (borrowed from w); aborts when there is none. */
const struct ynode *policy_named(const struct world *w, const char *name);

#define PASSES(w, a, b, port) \
	ck_assert_msg(allowed(w, a, b, port, "TCP"), "refused: %s -> %s:%d", \
	    #a, #b, port)
#define REFUSED(w, a, b, port) \
	ck_assert_msg(!allowed(w, a, b, port, "TCP"), "let through: %s -> %s:%d", \
	    #a, #b, port)


#endif
