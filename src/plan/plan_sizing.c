/*
 * What each service reserves. The profiles carry one figure per service
 * for a mid-sized deployment; the answers' `size` scales them all, and
 * services.NAME.cpu / .memory replace them for one service. These are
 * reservations (Kubernetes requests), not limits: they decide where the
 * scheduler places a task and whether it fits, and a service still uses
 * what its load needs.
 *
 * The limits are memory only. A CPU limit throttles a container for the
 * rest of each 100 ms CFS period once its quota is spent, even on an idle
 * node: consumers miss their poll deadlines and web its probes, for no
 * gain, since CPU is shared by the requests' weights anyway. Memory is
 * not given back when it is short, so a leak must stop at its own pod.
 */
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "plan_internal.h"
#include "quantity.h"
#include "xmem.h"

/* A profile without a figure for a service. */
#define DEFAULT_CPU_MILLIS	100
#define DEFAULT_MEMORY_MIB	256

/* small fits a whole deployment on one 2-CPU, 8 GiB node (a trial, a
 * staging copy, CI); large doubles the release's figures for busy sites. */
static const struct size {
	const char	*name;
	long		 cpu_num, cpu_den, cpu_floor;	/* millicores */
	long		 mem_num, mem_den, mem_floor;	/* MiB */
} sizes[] = {
	{ "small", 1, 20, 10, 1, 8, 32 },
	{ "medium", 1, 1, 1, 1, 1, 1 },
	{ "large", 2, 1, 1, 2, 1, 1 },
};

static const struct size *
size_named(const char *name)
{
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		if (strcmp(sizes[i].name, name) == 0)
			return &sizes[i];
	return NULL;
}

int
plan_resolve_size(struct plan *pl, const struct answers *a, struct err *e)
{
	const struct size *sz = size_named(a->size != NULL ? a->size : "medium");

	/* The answers' enum admits only the table's names. */
	if (sz == NULL)
		return err_set(e, ERR_INPUT, "size: \"%s\" is not small, medium "
		    "or large", a->size);
	pl->size = sz->name;
	return 0;
}

static void limit_service(const struct plan *pl, struct plan_service *s);

static long
scaled(long value, long num, long den, long floor)
{
	long v = (value * num + den - 1) / den;

	return v < floor ? floor : v;
}

void
plan_size_service(const struct plan *pl, const struct answers *a,
    struct plan_service *s)
{
	const struct size *sz = size_named(pl->size);
	const struct ans_service *as = answers_service(a, s->name);
	char *field;

	if (cpu_millis(s->prof->resources.cpu, &s->cpu_millis) < 0)
		s->cpu_millis = DEFAULT_CPU_MILLIS;
	if (memory_mib(s->prof->resources.memory, &s->memory_mib) < 0)
		s->memory_mib = DEFAULT_MEMORY_MIB;
	s->cpu_millis = scaled(s->cpu_millis, sz->cpu_num, sz->cpu_den,
	    sz->cpu_floor);
	s->memory_mib = scaled(s->memory_mib, sz->mem_num, sz->mem_den,
	    sz->mem_floor);
	if (strcmp(sz->name, "medium") != 0) {
		kv_set(&s->sources, "cpu", "answers:size");
		kv_set(&s->sources, "memory", "answers:size");
	}
	/* The answers were checked as quantities when they were read. */
	if (as != NULL && as->cpu != NULL &&
	    cpu_millis(as->cpu, &s->cpu_millis) == 0) {
		field = xasprintf("answers:services.%s.cpu", s->name);
		kv_set(&s->sources, "cpu", field);
		free(field);
	}
	if (as != NULL && as->memory != NULL &&
	    memory_mib(as->memory, &s->memory_mib) == 0) {
		field = xasprintf("answers:services.%s.memory", s->name);
		kv_set(&s->sources, "memory", field);
		free(field);
	}
	limit_service(pl, s);
}

/*
 * web's uWSGI workers (sentry.conf.py.tmpl, the web_workers block): a
 * worker past reload-on-rss MiB is recycled after its request. The limit
 * must leave room for all of them at that size, the master (Sentry
 * imported, no requests) and the request a worker is still finishing,
 * or the kernel kills the pod before uWSGI recycles the worker.
 */
#define WEB_WORKERS		3
#define WEB_RELOAD_ON_RSS_MIB	600
#define WEB_MASTER_MIB		512

/* Every other limit: twice the request. The requests are the steady
 * figure; batches, retries and Python's fragmentation double it at peaks
 * while a leak still ends at its own pod, not at the node's neighbours. */
#define LIMIT_FACTOR		2

long
plan_web_memory_floor(void)
{
	return WEB_WORKERS * WEB_RELOAD_ON_RSS_MIB + WEB_MASTER_MIB;
}

static int
runs_uwsgi_workers(const struct plan *pl, const struct plan_service *s)
{
	const char *on = kv_get(&pl->profile->config, "web_workers");

	return on != NULL && on[0] != '\0' && plan_uses_image(s, "sentry") &&
	    s->args.n >= 2 && strcmp(s->args.v[0], "run") == 0 &&
	    strcmp(s->args.v[1], "web") == 0;
}

static void
limit_service(const struct plan *pl, struct plan_service *s)
{
	long limit = s->memory_mib * LIMIT_FACTOR;

	if (runs_uwsgi_workers(pl, s) && limit < plan_web_memory_floor())
		limit = plan_web_memory_floor();
	s->memory_limit_mib = limit;
}

void
plan_reserved(const struct plan *pl, long *cpu_millis, long *memory_mib)
{
	*cpu_millis = *memory_mib = 0;
	for (size_t i = 0; i < pl->nservices; i++) {
		*cpu_millis += pl->services[i].replicas * pl->services[i].cpu_millis;
		*memory_mib += pl->services[i].replicas * pl->services[i].memory_mib;
	}
}
