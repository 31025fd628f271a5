/*
 * Autoscaling (answers target.autoscaling, services.NAME.max_replicas):
 * which services scale, between which bounds, and on what.
 *
 * The floor is always the service's replicas: that count was chosen so a
 * lost node stops nothing, and an autoscaler must never go below it. The
 * default ceiling is twice the floor: room for a burst (a backlog after an
 * outage, a release day) while bounding what the extra pods cost and open
 * on the shared middleware (PostgreSQL connections, Kafka group members).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "plan_internal.h"

static const char *const scale_names[] = { "none", "hpa", "keda" };

const char *
plan_scale_name(enum scale s)
{
	return scale_names[s];
}

static enum scale
scale_from_answers(const struct answers *a)
{
	const char *v = a->target.autoscaling;

	for (size_t i = 0; v != NULL && i < sizeof scale_names /
	    sizeof scale_names[0]; i++)
		if (strcmp(v, scale_names[i]) == 0)
			return (enum scale)i;
	return SCALE_NONE;
}

/* The consumer group a consumer's command names: "--consumer-group X" or
 * "--consumer-group=X"; borrowed from s->args, NULL when it names none. */
static const char *
consumer_group(const struct plan_service *s)
{
	static const char flag[] = "--consumer-group";
	const size_t n = sizeof flag - 1;

	for (size_t i = 0; i < s->args.n; i++) {
		const char *a = s->args.v[i];

		if (strncmp(a, flag, n) != 0)
			continue;
		if (a[n] == '=' && a[n + 1] != '\0')
			return a + n + 1;
		if (a[n] == '\0' && i + 1 < s->args.n)
			return s->args.v[i + 1];
	}
	return NULL;
}

static struct plan_topic *
topic_of(struct plan *pl, const char *name)
{
	for (size_t i = 0; name != NULL && i < pl->ntopics; i++)
		if (strcmp(pl->topics[i].name, name) == 0)
			return &pl->topics[i];
	return NULL;
}

/* How the service would scale under `mode`, or SCALE_NONE with *why. */
static enum scale
scale_kind(const struct plan_service *s, enum scale mode, const char **why)
{
	switch (s->role) {
	case ROLE_STATELESS_HTTP:
	case ROLE_STATELESS_WORKER:
		return SCALE_HPA;	/* with keda too: they have no lag */
	case ROLE_PARTITIONED_CONSUMER:
		if (mode == SCALE_KEDA)
			return SCALE_KEDA;
		*why = "consumers scale on their lag, with target.autoscaling: keda";
		return SCALE_NONE;
	default:
		*why = "its role runs a fixed number of copies";
		return SCALE_NONE;
	}
}

int
plan_can_scale(const struct plan_service *s)
{
	const char *why;

	return scale_kind(s, SCALE_KEDA, &why) != SCALE_NONE;
}

/* A KEDA consumer: its topic and group, and a ceiling within the topic's
 * partitions (a partition is read by one member of a group: more members
 * idle). An answered ceiling raises a topic the runbook creates; one that
 * must keep its count is left for the rule autoscaling-max-partitions. */
static void
keda_bounds(struct plan *pl, struct plan_service *s, int answered)
{
	struct plan_topic *t = topic_of(pl, s->prof->topic);

	s->scale_topic = s->prof->topic;
	s->consumer_group = consumer_group(s);
	if (t == NULL || s->consumer_group == NULL) {
		s->scale = SCALE_NONE;
		s->scale_why = "its command names no topic or consumer group";
		return;
	}
	if (answered && !t->fixed && s->max_replicas > t->partitions)
		t->partitions = s->max_replicas;
	if (!answered && s->max_replicas > t->partitions)
		s->max_replicas = t->partitions;
}

static int
scale_service(struct plan *pl, const struct answers *a, enum scale mode,
    struct plan_service *s, struct err *e)
{
	const struct ans_service *as = answers_service(a, s->name);
	int answered = as != NULL && as->max_replicas != UNSET_INT &&
	    as->max_replicas != 0;
	char where[512], *field;

	s->max_replicas = answered ? as->max_replicas : 2 * s->replicas;
	if (answered) {
		field = xasprintf("answers:services.%s.max_replicas", s->name);
		kv_set(&s->sources, "max_replicas", field);
		free(field);
	}
	s->scale = mode == SCALE_NONE ? SCALE_NONE :
	    scale_kind(s, mode, &s->scale_why);
	if (s->scale == SCALE_NONE) {
		s->max_replicas = answered ? as->max_replicas : 0;
		return 0;
	}
	if (answered && as->max_replicas < s->replicas) {
		field = xasprintf("services.%s.max_replicas", s->name);
		plan_where(pl, field, where, sizeof where);
		err_append(e, ERR_INPUT, "%s%s: %ld is below the service's "
		    "replicas (%ld), the autoscaler's minimum: give at least %ld",
		    where, field, as->max_replicas, s->replicas, s->replicas);
		free(field);
		return -1;
	}
	if (s->scale == SCALE_KEDA)
		keda_bounds(pl, s, answered);
	if (s->scale != SCALE_NONE && (s->replicas < 1 ||
	    s->max_replicas <= s->replicas)) {
		s->scale = SCALE_NONE;
		s->scale_why = s->replicas < 1 ? "it runs no replicas" :
		    "its ceiling is its replicas: nothing to scale";
	}
	return 0;
}

int
plan_scale_services(struct plan *pl, const struct answers *a, struct err *e)
{
	/* Swarm has no autoscaler: its replicas stay as planned. */
	enum scale mode = strcmp(pl->target.kind, "kubernetes") == 0 ?
	    scale_from_answers(a) : SCALE_NONE;
	int rc = 0;

	pl->target.autoscaling = mode;
	for (size_t i = 0; i < pl->nservices; i++)
		if (scale_service(pl, a, mode, &pl->services[i], e) < 0)
			rc = -1;
	return rc;
}

char *
plan_scale_text(const struct plan *pl, const struct plan_service *s)
{
	long parts;

	switch (s->scale) {
	case SCALE_HPA:
		return xasprintf("HPA %ld..%ld on CPU %d%% of the request",
		    s->replicas, s->max_replicas, SCALE_CPU_PERCENT);
	case SCALE_KEDA:
		parts = plan_topic_partitions(pl, s->scale_topic);
		return xasprintf("KEDA on topic %s lag %d (group %s), %ld..%ld "
		    "(bounded by %ld partition%s)", s->scale_topic,
		    SCALE_LAG_THRESHOLD, s->consumer_group, s->replicas,
		    s->max_replicas, parts, parts == 1 ? "" : "s");
	default:
		if (pl->target.autoscaling == SCALE_NONE || s->scale_why == NULL)
			return xstrdup("none");
		return xasprintf("none (%s)", s->scale_why);
	}
}
