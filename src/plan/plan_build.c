/*
 * Building the plan, in order: the settings from the answers (defaults
 * applied once), the services the answers name checked against the
 * release, the variables, the services and jobs, the rules the generator
 * always satisfies, and the volumes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "plan_internal.h"
#include "suggest.h"

/* Every name under `services:` must be a service of this release. */
static int
check_answer_services(const struct plan *pl, const struct answers *a,
    struct err *e)
{
	const struct profile *p = pl->profile;
	const char **names = xcalloc(p->services.n + 1, sizeof *names);
	int rc = 0;

	for (size_t i = 0; i < p->services.n; i++)
		names[i] = ((const struct prof_service *)OBJ_AT(&p->services,
		    sizeof(struct prof_service), i))->name;
	for (size_t i = 0; i < a->services.n; i++) {
		const struct ans_service *as = OBJ_AT(&a->services, sizeof *as, i);
		const struct prof_service *ps = profile_service(p, as->name);
		char path[300], where[512];
		const char *close;

		snprintf(path, sizeof path, "services.%s", as->name);
		plan_where(pl, path, where, sizeof where);
		if (ps == NULL && kv_get(&p->former, as->name) != NULL) {
			rc = err_append(e, ERR_INPUT, "%s%s: Sentry %s has no service "
			    "\"%s\": %s", where, path, p->release, as->name,
			    kv_get(&p->former, as->name));
		} else if (ps == NULL) {
			close = suggest(as->name, names);
			rc = err_append(e, ERR_INPUT, "%s%s: Sentry %s has no service "
			    "\"%s\"%s%s%s (the services are listed in %s)", where,
			    path, p->release, as->name, close ? " (did you mean \"" : "",
			    close ? close : "", close ? "\"?)" : "", p->path);
		} else if (!plan_enabled(pl, ps) && ps->when != NULL &&
		    pl->geoip.account_id == NULL) {
			rc = err_append(e, ERR_INPUT, "%s%s: runs only with %s: "
			    "in the answers%s", where, path, ps->when,
			    pl->air_gapped ? " (geoip.account_id, and not "
			    "air_gapped)" : "");
		} else if (!plan_enabled(pl, ps)) {
			rc = err_append(e, ERR_INPUT, "%s%s: runs only with "
			    "sentry.features: %s (this deployment is %s)", where,
			    path, ps->features, pl->features);
		} else if (as->replicas != UNSET_INT &&
		    (role_from_name(ps->role) == ROLE_SCHEDULED)) {
			rc = err_append(e, ERR_INPUT, "%s%s.replicas: %s is a scheduled "
			    "job, it has no replicas", where, path, as->name);
		}
	}
	free(names);
	return rc;
}

/* A topic gets a partition for every replica of its busiest consumer, so
 * that none of them idles; one that must keep its count keeps it. */
static void
size_topics(struct plan *pl)
{
	for (size_t i = 0; i < pl->ntopics; i++) {
		struct plan_topic *t = &pl->topics[i];

		for (size_t j = 0; !t->fixed && j < pl->nservices; j++) {
			const struct plan_service *s = &pl->services[j];

			if (s->prof->topic == NULL ||
			    strcmp(s->prof->topic, t->name) != 0 || s->replicas < 1)
				continue;
			if (s->replicas > t->partitions)
				t->partitions = s->replicas;
			/* Taskbrokers split the topic's partitions evenly
			 * among them (develop.sentry.dev self-hosted tasks). */
			if (s->role == ROLE_STATEFUL_PER_REPLICA &&
			    t->partitions % s->replicas != 0)
				t->partitions += s->replicas -
				    t->partitions % s->replicas;
		}
	}
}

/* Snuba before 25.8.0 does not ask Kafka how many partitions a topic has:
 * it reads TOPIC_PARTITION_COUNTS (snuba/settings.py.tmpl), which must
 * match what the runbook creates. */
static void
partition_counts(struct plan *pl)
{
	struct strlist counts = { 0 };

	for (size_t i = 0; i < pl->ntopics; i++)
		sl_add_owned(&counts, xasprintf("%s=%ld", pl->topics[i].name,
		    pl->topics[i].partitions));
	vars_list(&pl->vars, "kafka.partition_counts", &counts);
	sl_free(&counts);
}

int
plan_build(const struct answers *a, const struct profile *p,
    const struct keys *k, const struct plan_opts *opts, struct plan *pl,
    struct err *e)
{
	memset(pl, 0, sizeof *pl);
	pl->flags = opts->flags;
	pl->secrets_dir = xstrdup(opts->secrets_dir);
	pl->profile = p;
	pl->release = xstrdup(p->release);
	if (plan_resolve(pl, a, opts->target, e) < 0 ||
	    check_answer_services(pl, a, e) < 0 ||
	    plan_resolve_size(pl, a, e) < 0 ||
	    plan_resolve_secrets(pl, a, k, e) < 0 ||
	    plan_resolve_tls(pl, a, e) < 0)
		return -1;
	plan_fill_vars(pl, k);
	if (plan_build_services(pl, a, e) < 0)
		return -1;
	size_topics(pl);
	if (plan_scale_services(pl, a, e) < 0)
		return -1;
	partition_counts(pl);
	plan_apply_fixes(pl);
	return plan_build_volumes(pl, opts->assets_dir, e);
}
