/*
 * Where the pods go: the placement answers resolved per service (plan.h).
 * The answers' service-level node_selector is merged over the target's
 * key by key and its tolerations come after the target's, so that a
 * platform team states the common part once. The ingest path gets a
 * PriorityClass: under node pressure the scheduler evicts workers and
 * consumers that catch up later, before the pods that accept the SDKs'
 * events, which the SDKs drop when nobody answers.
 */
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "plan_internal.h"

/*
 * The topics Relay writes the SDKs' payloads to, whose Sentry consumers
 * turn them into events: when they stall, Kafka fills and nothing new is
 * seen. Relay's own names (relay-kafka's topic config); other Sentry
 * consumers read what Sentry itself produced and may lag.
 */
static const char *const relay_topics[] = {
	"ingest-events", "ingest-attachments", "ingest-transactions",
	"ingest-metrics", "ingest-performance-metrics", "ingest-monitors",
	"ingest-feedback-events", "ingest-replay-recordings", "ingest-spans",
	NULL,
};

int
plan_is_ingest(const struct plan_service *s)
{
	const char *topic = s->prof->topic;

	if (plan_uses_image(s, "relay") || plan_uses_image(s, "nginx"))
		return 1;
	if (topic == NULL || !plan_uses_image(s, "sentry") ||
	    s->role != ROLE_PARTITIONED_CONSUMER)
		return 0;
	for (size_t i = 0; relay_topics[i] != NULL; i++)
		if (strcmp(relay_topics[i], topic) == 0)
			return 1;
	return 0;
}

void
plan_resolve_place(struct plan *pl, const struct answers *a)
{
	struct plan_target *t = &pl->target;

	t->zones = a->target.zones == 1;
	t->priority_class_own = a->target.priority_class == NULL;
	t->priority_class = t->priority_class_own ?
	    xasprintf("%s-ingest", a->target.namespace) :
	    xstrdup(a->target.priority_class);
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
add_tolerations(struct plan_service *s, const struct objlist *list)
{
	if (list->n == 0)
		return;
	s->tolerations = xrealloc(s->tolerations, (s->ntolerations + list->n) *
	    sizeof *s->tolerations);
	for (size_t i = 0; i < list->n; i++) {
		const struct ans_toleration *at = OBJ_AT(list, sizeof *at, i);
		struct plan_toleration *pt = &s->tolerations[s->ntolerations++];

		pt->key = dup_or_null(at->key);
		pt->operator = xstrdup(at->operator != NULL ? at->operator :
		    "Equal");
		pt->value = at->value != NULL && at->value[0] != '\0' ?
		    xstrdup(at->value) : NULL;
		pt->effect = dup_or_null(at->effect);
		pt->seconds = at->toleration_seconds;
	}
}

/* Records that `origin` gave part of `field`: the target's and the
 * service's answers both show. */
static void
add_origin(struct plan_service *s, const char *field, const char *origin)
{
	const char *before = kv_get(&s->sources, field);
	char *both;

	if (before == NULL) {
		plan_add_source(s, field, origin);
		return;
	}
	both = xasprintf("%s, %s", before, origin);
	kv_set(&s->sources, field, both);
	free(both);
}

static void
add_selector(struct plan_service *s, const struct kvlist *kv,
    const char *source)
{
	for (size_t i = 0; i < kv->n; i++)
		kv_set(&s->node_selector, kv->v[i].key, kv->v[i].value);
	if (kv->n > 0)
		add_origin(s, "nodeSelector", source);
}

void
plan_place_service(const struct plan *pl, const struct answers *a,
    struct plan_service *s)
{
	const struct ans_service *as = answers_service(a, s->name);
	char *field;

	add_selector(s, &a->target.node_selector, "answers:target.node_selector");
	add_tolerations(s, &a->target.tolerations);
	if (a->target.tolerations.n > 0)
		plan_add_source(s, "tolerations", "answers:target.tolerations");
	if (as != NULL) {
		field = xasprintf("answers:services.%s.node_selector", s->name);
		add_selector(s, &as->node_selector, field);
		free(field);
		add_tolerations(s, &as->tolerations);
		if (as->tolerations.n > 0) {
			field = xasprintf("answers:services.%s.tolerations",
			    s->name);
			add_origin(s, "tolerations", field);
			free(field);
		}
	}
	if (plan_is_ingest(s))
		s->priority_class = pl->target.priority_class;
}

void
plan_place_free(struct plan_service *s)
{
	kv_free(&s->node_selector);
	for (size_t i = 0; i < s->ntolerations; i++) {
		free(s->tolerations[i].key);
		free(s->tolerations[i].operator);
		free(s->tolerations[i].value);
		free(s->tolerations[i].effect);
	}
	free(s->tolerations);
}
