/*
 * Answers that change nothing (rule answer-ignored): one the target does
 * not read, or one whose feature another answer leaves off. Each one the
 * operator set is named once, by its own path, with what happens instead;
 * an answer left at its default, or one the output uses, says nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "rules.h"
#include "xmem.h"

#define RULE	"answer-ignored"
#define SHARED_PVC	"shared_volume: {kind: pvc}"

/* `yaml` (freed) with its first `from` replaced by `to`. */
static char *
replaced(char *yaml, const char *from, const char *to)
{
	char *at = strstr(yaml, from), *out;

	ck_assert_msg(at != NULL, "no \"%s\" in the answers", from);
	out = xasprintf("%.*s%s%s", (int)(at - yaml), yaml, to,
	    at + strlen(from));
	free(yaml);
	return out;
}

/* The demo answers with `target` in place of its target line, and the
 * shared volume Swarm can mount when `swarm`. */
static char *
answers_with(const char *target, const char *extra, int swarm)
{
	char *yaml = replaced(demo_answers("26.8.0", extra), "target: {kind: "
	    "kubernetes, namespace: sentry, storage_class: rwx}", target);

	if (swarm)
		yaml = replaced(yaml, SHARED_PVC, "shared_volume: {kind: sshfs, "
		    "sshfs: {host: n3, path: /srv}}");
	return yaml;
}

/* The findings of the rule, as "SEVERITY FIELD" lines in the report's
 * order; *messages gets their messages, joined. Both owned by the caller. */
static char *
ignored(const char *yaml, char **messages)
{
	struct fixture f;
	struct findings found = { 0 };
	struct strlist lines = { 0 }, texts = { 0 };
	char *out;

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	rules_evaluate(&f.s.pl, NULL, &found);
	for (size_t i = 0; i < found.n; i++) {
		if (strcmp(found.v[i].rule, RULE) != 0)
			continue;
		ck_assert_ptr_null(found.v[i].subject);
		sl_add_owned(&lines, xasprintf("%s %s",
		    severity_names[found.v[i].severity], found.v[i].field));
		sl_add(&texts, found.v[i].message);
	}
	out = sl_join(&lines, "\n");
	*messages = sl_join(&texts, "\n");
	sl_free(&lines);
	sl_free(&texts);
	findings_free(&found);
	fixture_free(&f);
	return out;
}

START_TEST(swarm_names_every_kubernetes_answer)
{
	char *yaml = answers_with("target: {kind: swarm, namespace: sentry-ha, "
	    "storage_class: rwx, network_policy: true, egress_cidrs: "
	    "[0.0.0.0/0], egress_except: [10.0.0.0/8], zones: true, "
	    "priority_class: ingest-high, autoscaling: hpa, node_selector: "
	    "{pool: sentry}, tolerations: [{key: dedicated, value: sentry, "
	    "effect: NoSchedule}, {key: spot, effect: NoExecute}]}",
	    "services: {web: {replicas: 3, max_replicas: 6, node_selector: "
	    "{disk: ssd}, tolerations: [{key: web, effect: NoSchedule}]}}\n", 1);
	char *messages, *got = ignored(yaml, &messages);

	/* Warnings first (a safeguard lost), in the file's order; the two
	 * tolerations are one answer. */
	ck_assert_str_eq(got,
	    "warning target.network_policy\n"
	    "warning target.egress_cidrs\n"
	    "warning target.egress_except\n"
	    "warning target.node_selector\n"
	    "warning target.tolerations\n"
	    "warning target.zones\n"
	    "warning target.priority_class\n"
	    "warning target.autoscaling\n"
	    "warning services.web.node_selector\n"
	    "warning services.web.tolerations\n"
	    "warning services.web.max_replicas\n"
	    "info target.namespace\n"
	    "info target.storage_class");
	ck_assert_ptr_nonnull(strstr(messages, "Docker Swarm ignores "
	    "target.network_policy, which only Kubernetes reads; nothing limits "
	    "which service reaches which"));
	ck_assert_ptr_nonnull(strstr(messages, "Docker Swarm ignores "
	    "services.web.max_replicas, which only Kubernetes reads; Swarm has "
	    "no autoscaler"));
	ck_assert_ptr_nonnull(strstr(messages, "hosts[N].roles"));
	free(got);
	free(messages);
	free(yaml);
}
END_TEST

/* Written, but what leaving it out gives: nothing is lost. */
START_TEST(defaults_written_out_say_nothing)
{
	char *yaml = answers_with("target: {kind: swarm, namespace: sentry, "
	    "network_policy: false, zones: false, autoscaling: none, "
	    "ingress_namespace: ingress-nginx, stack: prod}",
	    "services: {web: {replicas: 3}}\n", 1);
	char *messages, *got = ignored(yaml, &messages);

	ck_assert_str_eq(got, "");
	free(got);
	free(messages);
	free(yaml);
}
END_TEST

START_TEST(kubernetes_names_the_swarm_answers)
{
	char *yaml = answers_with("target: {kind: kubernetes, namespace: sentry, "
	    "storage_class: rwx, network_policy: true, stack: prod, deploy_dir: "
	    "sentry-prod}", "hosts: [{name: n1, address: 10.0.0.1, roles: "
	    "[manager, web]}, {name: n2, address: 10.0.0.2}, {name: n3, address: "
	    "10.0.0.3, roles: [sentry]}]\n", 0);
	char *messages, *got = ignored(yaml, &messages);

	/* The hosts themselves are read (the live checks log in to them). */
	ck_assert_str_eq(got,
	    "warning hosts[0].roles\n"
	    "warning hosts[2].roles\n"
	    "info target.stack\n"
	    "info target.deploy_dir");
	ck_assert_ptr_nonnull(strstr(messages, "Kubernetes ignores "
	    "hosts[0].roles, which only Docker Swarm reads; Kubernetes places "
	    "pods by node labels"));
	free(got);
	free(messages);
	free(yaml);
}
END_TEST

/* Answers whose feature another answer leaves off: egress ranges without
 * NetworkPolicies, the Ingress's details without its host, a ceiling
 * without an autoscaler, a bucket or an export of a backend or volume kind
 * not chosen. */
START_TEST(answers_whose_feature_is_off)
{
	char *yaml = answers_with("target: {kind: kubernetes, namespace: sentry, "
	    "storage_class: rwx, ingress_class: nginx, ingress_tls_secret: "
	    "sentry-tls, ingress_namespace: edge, egress_cidrs: [0.0.0.0/0]}",
	    "services: {web: {replicas: 3, max_replicas: 6}}\n", 0);
	char *messages, *got;

	yaml = replaced(yaml, "{backend: filesystem, shared_volume: {kind: pvc}}",
	    "{backend: filesystem, s3: {bucket: b, region: eu-west-1}, "
	    "shared_volume: {kind: pvc, nfs: {server: nfs.internal, path: /x}}}");
	got = ignored(yaml, &messages);
	ck_assert_str_eq(got,
	    "warning target.ingress_tls_secret\n"
	    "warning target.egress_cidrs\n"
	    "warning filestore.s3\n"
	    "warning filestore.shared_volume.nfs\n"
	    "warning services.web.max_replicas\n"
	    "info target.ingress_class\n"
	    "info target.ingress_namespace");
	ck_assert_ptr_nonnull(strstr(messages, "target.egress_cidrs is not "
	    "used without target.network_policy: true; without "
	    "NetworkPolicies nothing limits egress"));
	ck_assert_ptr_nonnull(strstr(messages, "filestore.s3 is not used "
	    "without filestore.backend: s3;"));
	ck_assert_ptr_nonnull(strstr(messages, "services.web.max_replicas "
	    "is not used without target.autoscaling: hpa or keda"));
	free(got);
	free(messages);
	free(yaml);
	/* A Kafka login without SASL; a class with no shared claim to make;
	 * the Ingress's namespace with policies but no Ingress. */
	yaml = answers_with("target: {kind: kubernetes, namespace: sentry, "
	    "storage_class: rwx, network_policy: true, ingress_namespace: edge}",
	    NULL, 0);
	yaml = replaced(yaml, "kafka: {brokers", "kafka: {username: sentry, "
	    "password: k-pass, brokers");
	yaml = replaced(yaml, "shared_volume: {kind: pvc}", "shared_volume: "
	    "{kind: nfs, nfs: {server: nfs.internal, path: /x}}");
	got = ignored(yaml, &messages);
	ck_assert_str_eq(got,
	    "warning kafka.username\n"
	    "warning kafka.password\n"
	    "info target.storage_class\n"
	    "info target.ingress_namespace");
	ck_assert_ptr_nonnull(strstr(messages, "kafka.password is not used "
	    "without kafka.security_protocol: SASL_PLAINTEXT or SASL_SSL"));
	free(got);
	free(messages);
	free(yaml);
	/* Turned on, each is used. */
	yaml = answers_with("target: {kind: kubernetes, namespace: sentry, "
	    "ingress_host: sentry.example.com, "
	    "ingress_class: nginx, ingress_tls_secret: sentry-tls, "
	    "network_policy: true, ingress_namespace: edge, egress_cidrs: "
	    "[0.0.0.0/0], autoscaling: hpa}",
	    "services: {web: {replicas: 3, max_replicas: 6}}\n", 0);
	yaml = replaced(yaml, "{backend: filesystem, shared_volume: {kind: pvc}}",
	    "{backend: s3, s3: {bucket: b, region: eu-west-1}, "
	    "shared_volume: {kind: nfs, nfs: {server: nfs.internal, path: /x}}}");
	got = ignored(yaml, &messages);
	ck_assert_str_eq(got, "");
	free(got);
	free(messages);
	free(yaml);
}
END_TEST

/* The demo answers use only what Kubernetes reads. */
START_TEST(each_target_its_own_answers)
{
	char *yaml = answers_with("target: {kind: kubernetes, namespace: "
	    "sentry-ha, storage_class: rwx, ingress_host: sentry.example.com, "
	    "zones: true, autoscaling: keda}", "services: {web: "
	    "{max_replicas: 8}}\n", 0);
	char *messages, *got = ignored(yaml, &messages);

	ck_assert_str_eq(got, "");
	free(got);
	free(messages);
	free(yaml);
	yaml = answers_with("target: {kind: swarm, stack: prod, deploy_dir: "
	    "sentry-prod}", "hosts: [{name: n1, address: 10.0.0.1, roles: "
	    "[manager, web]}, {name: n2, address: 10.0.0.2, roles: [web]}]\n", 1);
	got = ignored(yaml, &messages);
	ck_assert_str_eq(got, "");
	free(got);
	free(messages);
	free(yaml);
}
END_TEST

Suite *
suite_ignored(void)
{
	Suite *s = suite_create("ignored");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, swarm_names_every_kubernetes_answer);
	tcase_add_test(tc, defaults_written_out_say_nothing);
	tcase_add_test(tc, kubernetes_names_the_swarm_answers);
	tcase_add_test(tc, each_target_its_own_answers);
	tcase_add_test(tc, answers_whose_feature_is_off);
	suite_add_tcase(s, tc);
	return s;
}
