/*
 * Autoscaling: which services get an HPA or a KEDA ScaledObject, with what
 * bounds, the TriggerAuthentication of a secured Kafka, the answers'
 * checks, the rules autoscaling-max-partitions and autoscaling-singleton,
 * and explain's line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "harness.h"
#include "plan_internal.h"
#include "rules.h"
#include "xmem.h"

#define SASL	"kafka: {security_protocol: SASL_SSL, sasl_mechanism: " \
	"SCRAM-SHA-512, username: keda-user, password: \"k&pass-77\", brokers"

/* `yaml` with its first `from` replaced by `to` (yaml is released). */
static char *
replace(char *yaml, const char *from, const char *to)
{
	char *at = strstr(yaml, from), *out;

	ck_assert_msg(at != NULL, "no \"%s\" in the answers", from);
	out = xasprintf("%.*s%s%s", (int)(at - yaml), yaml, to, at + strlen(from));
	free(yaml);
	return out;
}

/* The demo answers of `release` with target.autoscaling `mode` (NULL:
 * none given), `extra` appended and the Kafka line's start replaced by
 * `kafka` (NULL: kept). */
static char *
scale_answers(const char *release, const char *mode, const char *extra,
    const char *kafka)
{
	char *yaml = demo_answers(release, extra), *to;

	if (mode != NULL) {
		to = xasprintf("storage_class: rwx, autoscaling: %s}", mode);
		yaml = replace(yaml, "storage_class: rwx}", to);
		free(to);
	}
	if (kafka != NULL)
		yaml = replace(yaml, "kafka: {brokers", kafka);
	return yaml;
}

static void
run(struct fixture *f, const char *mode, const char *extra, const char *kafka)
{
	char *yaml = scale_answers("24.8.0", mode, extra, kafka);

	ck_assert_msg(fixture_run(f, yaml) == 0, "%s", f->e.msg);
	free(yaml);
}

static const char *
svc_file(const struct fixture *f, const char *name)
{
	char path[256];

	snprintf(path, sizeof path, "kubernetes/services/%s.yaml", name);
	return fixture_file(f, path);
}

START_TEST(none_changes_nothing)
{
	struct fixture f;

	run(&f, NULL, NULL, NULL);
	ck_assert_int_eq(f.s.pl.target.autoscaling, SCALE_NONE);
	ck_assert_lacks(svc_file(&f, "web"), "HorizontalPodAutoscaler");
	ck_assert_contains(svc_file(&f, "web"), "\n  replicas: 2\n");
	ck_assert_lacks(svc_file(&f, "events-consumer"), "ScaledObject");
	ck_assert_ptr_null(fixture_file(&f, "kubernetes/autoscaling.yaml"));
	fixture_free(&f);
}
END_TEST

START_TEST(hpa_for_stateless_only)
{
	struct fixture f;
	const char *web, *worker;

	run(&f, "hpa", "services: {web: {replicas: 3}}\n", NULL);
	web = svc_file(&f, "web");
	ck_assert_contains(web, "kind: HorizontalPodAutoscaler\n");
	ck_assert_contains(web, "  scaleTargetRef:\n    apiVersion: apps/v1\n"
	    "    kind: Deployment\n    name: web\n  minReplicas: 3\n"
	    "  maxReplicas: 6\n");
	ck_assert_contains(web, "name: cpu\n      target:\n        type: "
	    "Utilization\n        averageUtilization: 70\n");
	/* The HPA owns the count: no spec.replicas to reset it on apply. */
	ck_assert_lacks(web, "\n  replicas: 3\n");
	worker = svc_file(&f, "worker");
	ck_assert_contains(worker, "kind: HorizontalPodAutoscaler\n");
	ck_assert_contains(worker, "minReplicas: 2\n  maxReplicas: 4\n");
	/* A consumer scales on lag, with KEDA only; singletons never. */
	ck_assert_lacks(svc_file(&f, "events-consumer"), "HorizontalPodAutoscaler");
	ck_assert_lacks(svc_file(&f, "events-consumer"), "ScaledObject");
	ck_assert_contains(svc_file(&f, "events-consumer"), "\n  replicas: 2\n");
	ck_assert_lacks(svc_file(&f, "cron"), "HorizontalPodAutoscaler");
	ck_assert_contains(svc_file(&f, "cron"), "\n  replicas: 1\n");
	ck_assert_lacks(svc_file(&f, "monitors-clock-tick"), "HorizontalPod");
	ck_assert_int_eq(plan_service(&f.s.pl, "snuba-replacer")->scale, SCALE_NONE);
	ck_assert_ptr_null(fixture_file(&f, "kubernetes/autoscaling.yaml"));
	fixture_free(&f);
}
END_TEST

START_TEST(keda_for_consumers)
{
	struct fixture f;
	const char *c;

	run(&f, "keda", NULL, NULL);
	c = svc_file(&f, "events-consumer");
	ck_assert_contains(c, "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\n");
	/* Twice the replicas would be 4: the topic's 3 partitions bound it. */
	ck_assert_contains(c, "  minReplicaCount: 2\n  maxReplicaCount: 3\n");
	ck_assert_contains(c, "    metadata:\n      bootstrapServers: "
	    "\"k1:9092,k2:9092,k3:9092\"\n      consumerGroup: \"ingest-consumer\"\n"
	    "      topic: \"ingest-events\"\n      lagThreshold: \"1000\"\n"
	    "      allowIdleConsumers: \"false\"\n");
	ck_assert_lacks(c, "authenticationRef");
	ck_assert_lacks(c, "HorizontalPodAutoscaler");
	ck_assert_lacks(c, "\n  replicas: 2\n");
	ck_assert_contains(svc_file(&f, "snuba-errors-consumer"),
	    "consumerGroup: \"snuba-consumers\"\n      topic: \"events\"\n");
	/* The stateless services keep their HPA under keda. */
	ck_assert_contains(svc_file(&f, "web"), "kind: HorizontalPodAutoscaler\n");
	ck_assert_lacks(svc_file(&f, "cron"), "ScaledObject");
	ck_assert_ptr_null(fixture_file(&f, "kubernetes/autoscaling.yaml"));
	fixture_free(&f);
}
END_TEST

/* An answered ceiling: the runbook creates the topic with a partition for
 * each replica it may reach. */
START_TEST(keda_ceiling_raises_partitions)
{
	struct fixture f;

	run(&f, "keda", "services: {events-consumer: {max_replicas: 6}}\n", NULL);
	ck_assert_int_eq(plan_topic_partitions(&f.s.pl, "ingest-events"), 6);
	ck_assert_contains(svc_file(&f, "events-consumer"),
	    "minReplicaCount: 2\n  maxReplicaCount: 6\n");
	ck_assert_contains(svc_file(&f, "events-consumer"),
	    "source.max_replicas: answers:services.events-consumer.max_replicas");
	ck_assert_contains(fixture_file(&f, "RUNBOOK.md"),
	    "--topic ingest-events --partitions 6");
	fixture_free(&f);
}
END_TEST

START_TEST(keda_sasl_trigger_authentication)
{
	struct fixture f;
	const struct outfile *o;
	const char *auth;

	run(&f, "keda", NULL, SASL);
	o = outset_find(&f.out, "kubernetes/autoscaling.yaml");
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(o->mode, 0600);
	auth = o->content;
	ck_assert_contains(auth, "kind: TriggerAuthentication\n");
	ck_assert_contains(auth, "  sasl: \"scram_sha512\"\n  username: "
	    "\"keda-user\"\n  tls: \"enable\"\n");
	ck_assert_contains(auth, "- parameter: password\n    name: sentry-secrets\n"
	    "    key: kafka-password\n");
	/* The password stays in the one Secret, referred to by its key. */
	ck_assert_lacks(auth, "k&pass-77");
	ck_assert_lacks(svc_file(&f, "events-consumer"), "k&pass-77");
	ck_assert_contains(svc_file(&f, "events-consumer"),
	    "    authenticationRef:\n      name: sentry-kafka\n");
	ck_assert_contains(fixture_file(&f, "kubernetes/kustomization.yaml"),
	    "- autoscaling.yaml");
	fixture_free(&f);
}
END_TEST

START_TEST(ceiling_below_replicas_is_refused)
{
	char *yaml = scale_answers("24.8.0", "hpa",
	    "services: {web: {replicas: 3, max_replicas: 2}}\n", NULL);
	struct fixture f;

	ck_assert_int_ne(fixture_run(&f, yaml), 0);
	ck_assert_contains(f.e.msg, "services.web.max_replicas: 2 is below the "
	    "service's replicas (3)");
	fixture_free(&f);
	free(yaml);
}
END_TEST

START_TEST(answers_are_checked)
{
	static const struct { const char *mode, *extra, *words; } bad[] = {
		{ "bogus", NULL, "target.autoscaling" },
		{ "hpa", "services: {web: {max_replicas: 0}}\n",
		  "services.web.max_replicas" },
		{ "hpa", "services: {web: {max_replicas: many}}\n",
		  "services.web.max_replicas" },
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *yaml = scale_answers("24.8.0", bad[i].mode, bad[i].extra, NULL);
		struct answers a;
		struct err e;

		err_clear(&e);
		memset(&a, 0, sizeof a);
		ck_assert_int_eq(answers_parse(yaml, strlen(yaml), "test.yaml", &a,
		    &e), -1);
		ck_assert_contains(e.msg, bad[i].words);
		answers_free(&a);
		free(yaml);
	}
}
END_TEST

/* Does `rule` fire (with `words`) for the answers and the facts? */
static int
fires(const char *mode, const char *extra, const char *topic, long parts,
    const char *rule, const char *words)
{
	char *yaml = scale_answers("24.8.0", mode, extra, NULL);
	struct findings found = { 0 };
	struct facts facts;
	struct fixture f;
	int hit = 0;

	facts_init(&facts);
	if (topic != NULL) {
		facts.topics = xcalloc(1, sizeof *facts.topics);
		facts.topics[0].name = xstrdup(topic);
		facts.topics[0].partitions = parts;
		facts.topics[0].replication = 3;
		facts.ntopics = 1;
	}
	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	rules_evaluate(&f.s.pl, &facts, &found);
	for (size_t i = 0; i < found.n; i++)
		if (strcmp(found.v[i].rule, rule) == 0) {
			ck_assert_int_eq(found.v[i].severity, SEV_ERROR);
			ck_assert_contains(found.v[i].message, words);
			hit = 1;
		}
	findings_free(&found);
	facts_free(&facts);
	fixture_free(&f);
	free(yaml);
	return hit;
}

START_TEST(rule_max_partitions)
{
	const char *six = "services: {events-consumer: {max_replicas: 6}}\n";

	ck_assert(fires("keda", six, "ingest-events", 4,
	    "autoscaling-max-partitions", "events-consumer may scale to 6 "
	    "replicas but topic ingest-events has 4 partitions: 2 would idle"));
	ck_assert(!fires("keda", six, "ingest-events", 8,
	    "autoscaling-max-partitions", ""));
	ck_assert(!fires("keda", six, NULL, 0, "autoscaling-max-partitions", ""));
	/* Not scaled by KEDA: nothing to bound. */
	ck_assert(!fires("hpa", "services: {web: {max_replicas: 9}}\n",
	    "ingest-events", 1, "autoscaling-max-partitions", ""));
}
END_TEST

START_TEST(rule_singleton)
{
	const char *cron = "services: {cron: {max_replicas: 2}}\n";

	ck_assert(fires("hpa", cron, NULL, 0, "autoscaling-singleton",
	    "cron is singleton and is not autoscaled"));
	ck_assert(fires("keda", "services: {snuba-replacer: {max_replicas: 3}}\n",
	    NULL, 0, "autoscaling-singleton", "remove services.snuba-replacer."
	    "max_replicas"));
	ck_assert(fires("hpa", "services: {events-consumer: {max_replicas: 4}}\n",
	    NULL, 0, "autoscaling-singleton", "with target.autoscaling: keda"));
	ck_assert(!fires(NULL, cron, NULL, 0, "autoscaling-singleton", ""));
	ck_assert(!fires("hpa", "services: {web: {max_replicas: 5}}\n", NULL, 0,
	    "autoscaling-singleton", ""));
	ck_assert(!fires("keda", "services: {events-consumer: {max_replicas: 4}}\n",
	    NULL, 0, "autoscaling-singleton", ""));
}
END_TEST

START_TEST(explain_line)
{
	struct fixture f;
	char *t;

	run(&f, "keda", "services: {web: {max_replicas: 5}}\n", NULL);
	t = plan_scale_text(&f.s.pl, plan_service(&f.s.pl, "web"));
	ck_assert_str_eq(t, "HPA 2..5 on CPU 70% of the request");
	free(t);
	t = plan_scale_text(&f.s.pl, plan_service(&f.s.pl, "events-consumer"));
	ck_assert_str_eq(t, "KEDA on topic ingest-events lag 1000 (group "
	    "ingest-consumer), 2..3 (bounded by 3 partitions)");
	free(t);
	t = plan_scale_text(&f.s.pl, plan_service(&f.s.pl, "cron"));
	ck_assert_str_eq(t, "none (its role runs a fixed number of copies)");
	free(t);
	fixture_free(&f);
	run(&f, NULL, NULL, NULL);
	t = plan_scale_text(&f.s.pl, plan_service(&f.s.pl, "web"));
	ck_assert_str_eq(t, "none");
	free(t);
	fixture_free(&f);
}
END_TEST

/* Swarm has no autoscaler: the answer leaves its replicas alone. */
START_TEST(swarm_is_never_scaled)
{
	char *yaml = scale_answers("24.8.0", "hpa", NULL, NULL);
	struct fixture f;

	yaml = replace(yaml, "kind: kubernetes", "kind: swarm");
	yaml = replace(yaml, "{kind: pvc}", "{kind: hostpath, hostpath: "
	    "{path: /srv/sentry}}");
	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	ck_assert_int_eq(plan_service(&f.s.pl, "web")->scale, SCALE_NONE);
	fixture_free(&f);
	free(yaml);
}
END_TEST

Suite *
suite_scale(void)
{
	Suite *s = suite_create("scale");
	TCase *tc = tcase_create("scale");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, none_changes_nothing);
	tcase_add_test(tc, hpa_for_stateless_only);
	tcase_add_test(tc, keda_for_consumers);
	tcase_add_test(tc, keda_ceiling_raises_partitions);
	tcase_add_test(tc, keda_sasl_trigger_authentication);
	tcase_add_test(tc, ceiling_below_replicas_is_refused);
	tcase_add_test(tc, answers_are_checked);
	tcase_add_test(tc, rule_max_partitions);
	tcase_add_test(tc, rule_singleton);
	tcase_add_test(tc, explain_line);
	tcase_add_test(tc, swarm_is_never_scaled);
	suite_add_tcase(s, tc);
	return s;
}
