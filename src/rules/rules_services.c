/* Rules about services: who must run with whom, and how many of each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"

/* Taskworkers one broker serves well (develop.sentry.dev/self-hosted/tasks). */
#define WORKERS_PER_BROKER	24

static char *
replicas_field(const char *service)
{
	return xasprintf("services.%s.replicas", service);
}

/* A pair of services that only make sense together. */
static void
pair(const char *id, const struct plan *pl, const char *a, const char *b,
    const char *why_a_alone, const char *why_b_alone, struct findings *out)
{
	long ra = replicas_of(pl, a), rb = replicas_of(pl, b);
	char *field;

	if (ra < 0 || rb < 0)
		return;
	if (ra > 0 && rb == 0) {
		field = replicas_field(b);
		finding_add(out, id, SEV_ERROR, b, field, "%s runs %ld replica%s but "
		    "%s runs none: %s", a, ra, ra == 1 ? "" : "s", b, why_a_alone);
		free(field);
	} else if (rb > 0 && ra == 0) {
		field = replicas_field(a);
		finding_add(out, id, SEV_ERROR, a, field, "%s runs %ld replica%s but "
		    "%s runs none: %s", b, rb, rb == 1 ? "" : "s", a, why_b_alone);
		free(field);
	}
}

void
check_worker_needs_cron(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	(void)facts;
	pair(id, pl, "worker", "cron", "no periodic task is ever queued, and "
	    "Sentry shows \"Background workers haven't checked in recently\"",
	    "the periodic tasks pile up in Redis and never run", out);
	pair(id, pl, "taskworker", "taskscheduler", "no periodic task is ever "
	    "queued, and Sentry shows \"Background workers haven't checked in "
	    "recently\"", "the periodic tasks pile up in Kafka and never run",
	    out);
}

void
check_taskbroker_single_point(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	long brokers = replicas_of(pl, "taskbroker");
	int swarm = strcmp(pl->target.kind, "swarm") == 0;

	(void)facts;
	if (brokers == 1 && !swarm)
		finding_add(out, id, SEV_WARNING, "taskbroker",
		    "services.taskbroker.replicas", "one taskbroker, on a "
		    "ReadWriteOnce claim: when its node fails, no background "
		    "task runs until the pod moves, which takes minutes");
	else if (brokers > 1 && swarm)
		finding_add(out, id, SEV_ERROR, "taskbroker",
		    "services.taskbroker.replicas", "%ld taskbrokers on Docker "
		    "Swarm: its replicas have no names of their own, so the "
		    "workers reach only one of them and the others' tasks wait",
		    brokers);
}

static void
at_most_one(const char *id, const struct plan *pl, const char *service,
    const char *consequence, struct findings *out)
{
	long r = replicas_of(pl, service);
	char *field;

	if (r <= 1)
		return;
	field = replicas_field(service);
	finding_add(out, id, SEV_ERROR, service, field, "%s runs %ld replicas; "
	    "it must run exactly once: %s", service, r, consequence);
	free(field);
}

void
check_cron_singleton(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	(void)facts;
	at_most_one(id, pl, "cron", "every periodic task (digests, cleanups, "
	    "alerts) would run once per replica", out);
}

void
check_taskscheduler_singleton(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	(void)facts;
	at_most_one(id, pl, "taskscheduler", "every periodic task would be "
	    "scheduled once per replica", out);
}

void
check_singleton_replicas(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	(void)facts;
	for (size_t i = 0; i < pl->nservices; i++) {
		const struct plan_service *s = &pl->services[i];

		if (s->role != ROLE_SINGLETON || strcmp(s->name, "cron") == 0 ||
		    strcmp(s->name, "taskscheduler") == 0)
			continue;
		at_most_one(id, pl, s->name, "its work would be done twice or "
		    "out of order", out);
	}
}

void
check_taskworker_needs_taskbroker(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	long brokers = replicas_of(pl, "taskbroker");
	long workers = replicas_of(pl, "taskworker");

	(void)facts;
	pair(id, pl, "taskworker", "taskbroker", "the workers have nobody to ask "
	    "for tasks and nothing in the background runs", "tasks are handed "
	    "to nobody", out);
	if (brokers > 0 && workers > brokers * WORKERS_PER_BROKER)
		finding_add(out, id, SEV_WARNING, "taskworker",
		    "services.taskworker.replicas", "%ld taskworkers for %ld "
		    "taskbroker%s: more than %d per broker is not recommended; add "
		    "brokers", workers, brokers, brokers == 1 ? "" : "s",
		    WORKERS_PER_BROKER);
}

void
check_taskbroker_partitions(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	long brokers = replicas_of(pl, "taskbroker");
	const struct topic_fact *t = facts_topic(facts, "taskworker");

	if (brokers <= 1)
		return;
	if (t != NULL && t->partitions > 0 && t->partitions % brokers != 0) {
		finding_add(out, id, SEV_ERROR, "taskbroker",
		    "services.taskbroker.replicas", "the taskworker topic has %ld "
		    "partitions, which %ld brokers cannot share evenly", t->partitions,
		    brokers);
		return;
	}
	if (t == NULL)
		finding_add(out, id, SEV_WARNING, "taskbroker",
		    "services.taskbroker.replicas", "%ld taskbrokers: create the "
		    "taskworker topic with a multiple of %ld partitions before they "
		    "start", brokers, brokers);
}

void
check_consumer_partitions(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	for (size_t i = 0; i < pl->nservices; i++) {
		const struct plan_service *s = &pl->services[i];
		const char *topic = s->prof->topic;
		const struct topic_fact *t;
		char *field;

		if (s->role != ROLE_PARTITIONED_CONSUMER || s->replicas <= 1 ||
		    topic == NULL)
			continue;
		t = facts_topic(facts, topic);
		if (t != NULL ? t->partitions >= s->replicas :
		    plan_topic_partitions(pl, topic) >= s->replicas)
			continue;
		field = replicas_field(s->name);
		if (t != NULL)
			finding_add(out, id, SEV_WARNING, s->name, field, "%s runs "
			    "%ld replicas but topic %s has %ld partition%s: %ld "
			    "replica%s will idle", s->name, s->replicas, topic,
			    t->partitions, t->partitions == 1 ? "" : "s",
			    s->replicas - t->partitions,
			    s->replicas - t->partitions == 1 ? "" : "s");
		else
			finding_add(out, id, SEV_WARNING, s->name, field, "%s runs "
			    "%ld replicas but topic %s must keep %ld partition%s: "
			    "the others will idle", s->name, s->replicas, topic,
			    plan_topic_partitions(pl, topic),
			    plan_topic_partitions(pl, topic) == 1 ? "" : "s");
		free(field);
	}
}

void
check_clock_tick(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	const struct topic_fact *t = facts_topic(facts, "monitors-clock-tick");

	if (replicas_of(pl, "monitors-clock-tick") < 0)
		return;
	if (t != NULL && t->partitions != 1)
		finding_add(out, id, SEV_ERROR, "monitors-clock-tick", NULL,
		    "topic monitors-clock-tick has %ld partitions; it must have "
		    "exactly one", t->partitions);
	else if (t == NULL)
		finding_add(out, id, SEV_INFO, "monitors-clock-tick", NULL,
		    "RUNBOOK.md creates topic monitors-clock-tick with one "
		    "partition; never add more");
}
