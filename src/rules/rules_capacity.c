/*
 * The rule swarm-host-capacity: the CPUs and memory of each host of
 * `hosts:` against the reservations of the services its roles pin to it.
 * Swarm places a task only on a node whose unreserved CPUs and memory
 * cover the task's reservation; a task that fits nowhere stays pending
 * ("no suitable node (insufficient resources on N nodes)").
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"
#include "swarm_names.h"
#include "swarm_service.h"

/* What one node carries: millicores and MiB. */
struct load {
	double	 cpu_millis, memory_mib;
	/* The service of the largest replica (by memory or CPU): a replica
	 * runs on one node, whatever the share. */
	const struct plan_service *largest;
};

static size_t
hosts_with(const struct plan *pl, const char *role, size_t lost)
{
	size_t n = 0;

	for (size_t i = 0; i < pl->nhosts; i++)
		n += i != lost && sl_contains(&pl->hosts[i].roles, role);
	return n;
}

/*
 * Host `h`'s even share of the services pinned to its roles while host
 * `lost` is down (SIZE_MAX: none is). Swarm spreads a service's replicas
 * over the nodes that may take them, so each takes its part; a service
 * on every node (mode global) puts one task on each.
 */
static void
pinned_share(const struct plan *pl, size_t h, size_t lost, struct load *out)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < pl->nservices; i++) {
		const struct plan_service *s = &pl->services[i];
		const char *group = swarm_group(s) + 3;	/* past "NN-" */
		size_t n;
		double part;

		if (s->replicas < 1 || !sl_contains(&pl->hosts[h].roles, group))
			continue;
		n = hosts_with(pl, group, lost);
		part = swarm_on_every_node(pl, s) ? 1.0 :
		    (double)s->replicas / (double)n;
		out->cpu_millis += part * (double)s->cpu_millis;
		out->memory_mib += part * (double)s->memory_mib;
		if (out->largest == NULL ||
		    s->memory_mib > out->largest->memory_mib ||
		    s->cpu_millis > out->largest->cpu_millis)
			out->largest = s;
	}
}

static int
exceeds(double cpu_millis, double memory_mib, const struct host_fact *f)
{
	return cpu_millis > (double)f->cpus * 1000 ||
	    memory_mib > (double)f->mem_kib / 1024;
}

/* The worst share `h` gets when one other host of its groups fails; the
 * host that failed is *which. */
static void
worst_after_loss(const struct plan *pl, size_t h, struct load *worst,
    size_t *which)
{
	struct load l;

	memset(worst, 0, sizeof *worst);
	*which = SIZE_MAX;
	for (size_t x = 0; x < pl->nhosts; x++) {
		if (x == h)
			continue;
		pinned_share(pl, h, x, &l);
		if (l.memory_mib > worst->memory_mib ||
		    l.cpu_millis > worst->cpu_millis) {
			*worst = l;
			*which = x;
		}
	}
}

/* Which of the two it is short of, for the message. */
static const char *
short_of(double cpu_millis, double memory_mib, const struct host_fact *f)
{
	int cpu = cpu_millis > (double)f->cpus * 1000;
	int mem = memory_mib > (double)f->mem_kib / 1024;

	return cpu && mem ? "CPUs and memory" : cpu ? "CPUs" : "memory";
}

static void
report(const char *id, enum severity sev, const struct host_fact *f,
    const struct plan_host *ph, const struct load *l, const char *when,
    struct findings *out)
{
	char field[64];

	snprintf(field, sizeof field, "hosts[%ld].roles", f->index);
	finding_add(out, id, sev, "ssh", field, "%s has %ld CPUs and %ld MiB, "
	    "and its roles pin %.2f CPUs and %.0f MiB of reservations to it%s, "
	    "more %s than it has: %s; move a role to another host, add a host "
	    "with the role, or choose a smaller size", ph->name, f->cpus,
	    f->mem_kib / 1024, l->cpu_millis / 1000, l->memory_mib, when,
	    short_of(l->cpu_millis, l->memory_mib, f), sev == SEV_ERROR ?
	    "tasks stay pending (insufficient resources)" : "it survives no "
	    "other node's failure");
}

static void
too_large(const char *id, const struct host_fact *f,
    const struct plan_host *ph, const struct plan_service *s,
    struct findings *out)
{
	char field[64];

	snprintf(field, sizeof field, "hosts[%ld].roles", f->index);
	finding_add(out, id, SEV_ERROR, "ssh", field, "one replica of %s "
	    "reserves %ld millicores and %ld MiB, and %s, which its roles pin "
	    "it to, has %ld CPUs and %ld MiB: it cannot start there; give it "
	    "less (services.%s.cpu, .memory, or a smaller size) or pin it to a "
	    "larger host", s->name, s->cpu_millis, s->memory_mib, ph->name,
	    f->cpus, f->mem_kib / 1024, s->name);
}

void
check_host_capacity(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	if (!rule_on_swarm(pl))
		return;
	for (size_t i = 0; i < facts->nhosts; i++) {
		const struct host_fact *f = &facts->hosts[i];
		const struct plan_host *ph;
		struct load l, worst;
		size_t lost;
		char *when;

		if (f->index < 0 || (size_t)f->index >= pl->nhosts ||
		    f->cpus < 1 || f->mem_kib < 1)
			continue;
		ph = &pl->hosts[f->index];
		pinned_share(pl, (size_t)f->index, SIZE_MAX, &l);
		if (l.largest != NULL && exceeds((double)l.largest->cpu_millis,
		    (double)l.largest->memory_mib, f)) {
			too_large(id, f, ph, l.largest, out);
			continue;
		}
		if (exceeds(l.cpu_millis, l.memory_mib, f)) {
			report(id, SEV_ERROR, f, ph, &l, "", out);
			continue;
		}
		worst_after_loss(pl, (size_t)f->index, &worst, &lost);
		if (lost == SIZE_MAX ||
		    !exceeds(worst.cpu_millis, worst.memory_mib, f))
			continue;
		when = xasprintf(" once %s fails", pl->hosts[lost].name);
		report(id, SEV_WARNING, f, ph, &worst, when, out);
		free(when);
	}
}
