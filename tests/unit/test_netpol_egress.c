/*
 * Sentry's outbound integrations with NetworkPolicies (target.egress_cidrs,
 * target.egress_except): the processes that call out (web, the workers,
 * symbolicator) reach the ranges on any TCP port and nothing else more;
 * the others do not; without the answer nothing changes, and the rule
 * network-policy-egress says so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netpol_world.h"
#include "rules.h"
#include "xmem.h"

/* A webhook's host inside the range; one in the except; one outside. */
#define HOOK		"203.0.113.7"
#define EXCEPTED	"192.0.2.200"
#define ALLOWED_TOO	"192.0.2.5"
#define EGRESS	", egress_cidrs: [203.0.113.0/24, 192.0.2.0/24, \"2001:db8::/32\"]," \
	" egress_except: [192.0.2.128/25]"

/* Which processes call out, and which do not, per release. */
static const struct {
	const char	*release;
	const char	*out[4];	/* reach HOOK */
	const char	*not[6];	/* do not */
} senders[] = {
	{ "26.8.0", { "web", "taskworker", "symbolicator", NULL },
	  { "snuba-api", "relay", "taskscheduler", "events-consumer",
	    "symbolicator-cleanup", NULL } },
	{ "24.8.0", { "web", "worker", "symbolicator", NULL },
	  { "snuba-api", "relay", "cron", "post-process-forwarder-errors",
	    "nginx", NULL } },
};

static void
assert_senders(const struct world *w, size_t c)
{
	struct np_end hook = outside(HOOK), far = outside(SOMEWHERE);
	struct np_end excepted = outside(EXCEPTED), ok = outside(ALLOWED_TOO);
	struct np_end v6 = outside("2001:db8::7");

	for (size_t i = 0; senders[c].out[i] != NULL; i++) {
		const struct np_end *s = pod(w, senders[c].out[i]);
		const char *n = senders[c].out[i];

		ck_assert_msg(allowed(w, s, &hook, 443, "TCP"), "%s: refused "
		    HOOK ":443", n);
		/* Any port: a webhook URL may name one. */
		ck_assert_msg(allowed(w, s, &hook, 8443, "TCP"), "%s: refused "
		    HOOK ":8443", n);
		ck_assert_msg(allowed(w, s, &ok, 8443, "TCP"), "%s", n);
		ck_assert_msg(allowed(w, s, &v6, 8443, "TCP"), "%s: IPv6", n);
		ck_assert_msg(!allowed(w, s, &hook, 443, "UDP"), "%s: UDP", n);
		/* 8443: symbolicator has the symbol servers on 443, anywhere. */
		ck_assert_msg(!allowed(w, s, &excepted, 8443, "TCP"), "%s reaches "
		    "an address of egress_except", n);
		ck_assert_msg(!allowed(w, s, &far, 8443, "TCP"), "%s reaches an "
		    "address outside the ranges", n);
	}
	for (size_t i = 0; senders[c].not[i] != NULL; i++)
		ck_assert_msg(!allowed(w, pod(w, senders[c].not[i]), &hook, 443,
		    "TCP"), "%s reaches " HOOK ":443", senders[c].not[i]);
}

START_TEST(egress_opens_the_ranges_to_the_senders)
{
	for (size_t c = 0; c < sizeof senders / sizeof senders[0]; c++) {
		char *yaml = np_answers(senders[c].release, (int)c, EGRESS);
		struct world w;
		struct others o;

		world_load(&w, yaml);
		others_make(&o, "ingress-nginx");
		assert_plan_flows_pass(&w, &o);
		assert_senders(&w, c);
		/* The ranges are outside: no pod of the cluster gets in. */
		ck_assert(!allowed(&w, pod(&w, "web"), &o.metrics, 443, "TCP"));
		others_free(&o);
		world_free(&w);
		free(yaml);
	}
}
END_TEST

/* The policy, as Kubernetes reads it: one ipBlock per range, the except
 * only in the range that holds it, and a port-less TCP rule. */
START_TEST(egress_policy_text)
{
	char *yaml = np_answers("26.8.0", 0, EGRESS);
	struct world w;
	const struct ynode *egress, *rule = NULL, *except;
	char *text;

	world_load(&w, yaml);
	egress = yn_path(policy_named(&w, "allow-web"), "spec.egress");
	for (size_t i = 0; egress != NULL && i < egress->n; i++) {
		const struct ynode *to = yn_get(egress->items[i], "to");
		const char *cidr = yn_path_text(to->items[0], "ipBlock.cidr");

		if (cidr != NULL && strcmp(cidr, "192.0.2.0/24") == 0)
			rule = egress->items[i];
	}
	ck_assert_msg(rule != NULL, "no egress rule to 192.0.2.0/24");
	except = yn_get(yn_get(yn_get(rule, "to")->items[0], "ipBlock"),
	    "except");
	ck_assert_msg(except != NULL && except->n == 1, "no one except");
	ck_assert_str_eq(except->items[0]->text, "192.0.2.128/25");
	ck_assert_str_eq(yn_path_text(yn_get(rule, "ports")->items[0],
	    "protocol"), "TCP");
	ck_assert_ptr_null(yn_path(yn_get(rule, "ports")->items[0], "port"));
	text = plan_flows_explain(&w.f.s.pl, "web");
	ck_assert_contains(text, "192.0.2.0/24 except 192.0.2.128/25 on any port");
	ck_assert_contains(text, "203.0.113.0/24 on any port");
	free(text);
	text = plan_flows_explain(&w.f.s.pl, "relay");
	ck_assert_lacks(text, "203.0.113.0/24");
	free(text);
	world_free(&w);
	free(yaml);
}
END_TEST

/* Without egress_cidrs the policies are those of before: no range, and
 * the webhook's host is out of reach. */
START_TEST(no_egress_without_the_answer)
{
	char *yaml = np_answers("26.8.0", 0, NULL);
	struct world w;
	struct np_end hook = outside(HOOK);
	struct plan_flows fl = { 0 };

	world_load(&w, yaml);
	ck_assert_msg(!allowed(&w, pod(&w, "web"), &hook, 443, "TCP"),
	    "web reaches " HOOK);
	ck_assert_msg(!allowed(&w, pod(&w, "taskworker"), &hook, 8443, "TCP"),
	    "taskworker reaches " HOOK);
	ck_assert_lacks(fixture_file(&w.f, "kubernetes/network-policy.yaml"),
	    "except:");
	plan_flows_build(&w.f.s.pl, &fl);
	for (size_t i = 0; i < fl.n; i++)
		ck_assert_msg(fl.v[i].to.kind != FLOW_RANGE && fl.v[i].port != 0,
		    "a flow to a range: %s", fl.v[i].why);
	plan_flows_free(&fl);
	world_free(&w);
	free(yaml);
}
END_TEST

START_TEST(egress_answers_are_checked)
{
	np_assert_refused(", egress_cidrs: [203.0.113.0/33]",
	    "target.egress_cidrs");
	np_assert_refused(", egress_cidrs: [203.0.113.300/24]",
	    "target.egress_cidrs");
	np_assert_refused(", egress_cidrs: [webhooks.example.com]",
	    "target.egress_cidrs");
	/* An except must narrow a range that is open. */
	np_assert_refused(", egress_cidrs: [203.0.113.0/24], egress_except: "
	    "[10.0.0.0/8]", "target.egress_except[0]: 10.0.0.0/8 is a strict "
	    "part of none of target.egress_cidrs");
	np_assert_refused(", egress_except: [10.0.0.0/8]",
	    "target.egress_except[0]");
	np_assert_refused(", egress_cidrs: [10.0.0.0/8], egress_except: "
	    "[10.0.0.0/8]", "target.egress_except[0]");
}
END_TEST

/* Does `yaml` make a network-policy-egress finding (a warning naming
 * target.egress_cidrs)? */
static int
warns(const char *yaml)
{
	struct fixture f;
	struct findings found = { 0 };
	int hit = 0;

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	rules_evaluate(&f.s.pl, NULL, &found);
	for (size_t i = 0; i < found.n; i++)
		if (strcmp(found.v[i].rule, "network-policy-egress") == 0) {
			ck_assert_int_eq(found.v[i].severity, SEV_WARNING);
			ck_assert_str_eq(found.v[i].field, "target.egress_cidrs");
			ck_assert_contains(found.v[i].message, "webhooks and "
			    "integrations");
			ck_assert_contains(found.v[i].message,
			    "target.egress_cidrs");
			hit = 1;
		}
	findings_free(&found);
	fixture_free(&f);
	return hit;
}

START_TEST(rule_network_policy_egress)
{
	char *on = np_answers("26.8.0", 0, NULL);
	char *open = np_answers("26.8.0", 0, EGRESS);
	char *off = demo_answers("26.8.0", NULL);
	char *gapped = xasprintf("%sair_gapped: true\n", on);

	ck_assert_msg(warns(on), "no finding with NetworkPolicies and no "
	    "egress_cidrs");
	ck_assert_msg(!warns(open), "a finding with egress_cidrs");
	ck_assert_msg(!warns(off), "a finding without NetworkPolicies");
	ck_assert_msg(!warns(gapped), "a finding when air-gapped");
	free(on);
	free(open);
	free(off);
	free(gapped);
}
END_TEST

Suite *
suite_netpol_egress(void)
{
	Suite *s = suite_create("netpol_egress");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, egress_opens_the_ranges_to_the_senders);
	tcase_add_test(tc, egress_policy_text);
	tcase_add_test(tc, no_egress_without_the_answer);
	tcase_add_test(tc, egress_answers_are_checked);
	tcase_add_test(tc, rule_network_policy_egress);
	suite_add_tcase(s, tc);
	return s;
}
