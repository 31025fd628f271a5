/* Rules of the Docker Swarm target. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"
#include "swarm_names.h"
#include "swarm_service.h"

/* Lists at most this many services by name in one finding. */
#define NAMES_SHOWN	3

int
rule_on_swarm(const struct plan *pl)
{
	return strcmp(pl->target.kind, "swarm") == 0;
}

void
check_swarm_secret_files(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	const struct plan_service *groups[] = { pl->services, pl->migrations };
	size_t counts[] = { pl->nservices, pl->nmigrations };

	(void)facts;
	if (!rule_on_swarm(pl))
		return;
	for (size_t g = 0; g < 2; g++) {
		for (size_t i = 0; i < counts[g]; i++) {
			const struct plan_service *s = &groups[g][i];

			if (swarm_wrap_need(pl, s) != WRAP_IMPOSSIBLE)
				continue;
			finding_add(out, id, SEV_ERROR, s->name, NULL, "%s %s, and its "
			    "image has no shell or Python to start it with: Swarm can "
			    "give it secrets only as files", s->name, s->role ==
			    ROLE_SCHEDULED ? "must repeat on a schedule" : "reads a "
			    "password from its environment");
		}
	}
}

void
check_swarm_sshfs_uid(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	(void)facts;
	for (size_t i = 0; rule_on_swarm(pl) && i < pl->nvolumes; i++) {
		const struct plan_volume *v = &pl->volumes[i];

		if (v->backing != BACK_SSHFS)
			continue;
		finding_add(out, id, SEV_INFO, NULL, "filestore.shared_volume.sshfs",
		    "applied: sshfs volumes show their files as uid %ld, gid %ld, "
		    "with allow_other, so every container can use them", v->uid,
		    v->gid);
		return;
	}
}

void
check_swarm_images(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	const char *registry = pl->target.registry;

	(void)facts;
	if (!rule_on_swarm(pl))
		return;
	finding_add(out, id, SEV_INFO, NULL, "registry", "applied: every service "
	    "pulls its image from %s; nothing is built on the nodes",
	    registry && registry[0] ? registry : "the images' own registries");
}

void
check_swarm_volume_change(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	(void)facts;
	for (size_t i = 0; rule_on_swarm(pl) && i < pl->nvolumes; i++) {
		if (pl->volumes[i].backing == BACK_SSHFS ||
		    pl->volumes[i].backing == BACK_NFS) {
			finding_add(out, id, SEV_INFO, NULL, NULL, "applied: deploy.sh "
			    "records the volume definitions and stops, with the "
			    "commands to run, if they change");
			return;
		}
	}
}

/* How many hosts have `role`, and the first of them. add_placement()
 * (swarm_service.c) pins a stack group to exactly these hosts, and places
 * it anywhere when there are none: so no group is ever unschedulable. */
static size_t
hosts_with_role(const struct plan *pl, const char *role, size_t *first)
{
	size_t n = 0;

	for (size_t i = 0; i < pl->nhosts; i++) {
		if (!sl_contains(&pl->hosts[i].roles, role))
			continue;
		if (n++ == 0)
			*first = i;
	}
	return n;
}

/* The services of stack group `group` that run, as "a, b, c and N more";
 * NULL when none does (the group has nothing to keep up). */
static char *
group_services(const struct plan *pl, const char *group)
{
	struct strlist names = { 0 };
	size_t n = 0;
	char *list, *out;

	for (size_t i = 0; i < pl->nservices; i++) {
		const struct plan_service *s = &pl->services[i];

		if (s->replicas < 1 || strcmp(swarm_group(s), group) != 0)
			continue;
		if (n++ < NAMES_SHOWN)
			sl_add(&names, s->name);
	}
	if (n == 0)
		return NULL;
	list = sl_join(&names, ", ");
	out = n > NAMES_SHOWN ? xasprintf("%s and %zu more", list,
	    n - NAMES_SHOWN) : xstrdup(list);
	free(list);
	sl_free(&names);
	return out;
}

/* Where else the role could go: "to node2 as well", "to one of node2,
 * node3 as well", or, when hosts lists only the one, "to a second host as
 * well (add one to hosts)". */
static char *
second_host(const struct plan *pl, size_t one)
{
	struct strlist others = { 0 };
	char *list, *out;

	for (size_t i = 0; i < pl->nhosts; i++)
		if (i != one)
			sl_add(&others, pl->hosts[i].name);
	if (others.n == 0)
		return xstrdup("to a second host as well (add one to hosts)");
	list = sl_join(&others, ", ");
	out = xasprintf("to %s%s as well", others.n > 1 ? "one of " : "", list);
	free(list);
	sl_free(&others);
	return out;
}

/* A placement constraint is a hard one: a group pinned to one node has
 * nowhere to go when that node fails, and Swarm does not break the pin to
 * keep it running. Singletons too need a second node to fail over to. */
void
check_swarm_group_one_host(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	(void)facts;
	for (size_t g = 0; rule_on_swarm(pl) && swarm_group_at(g) != NULL; g++) {
		const char *group = swarm_group_at(g);
		const char *role = group + strcspn(group, "-") + 1;
		char *services, *stack, *fix, field[64];
		const char *host;
		size_t one = 0;

		if (hosts_with_role(pl, role, &one) != 1 ||
		    (services = group_services(pl, group)) == NULL)
			continue;
		host = pl->hosts[one].name;
		stack = swarm_stack_of(pl, group);
		fix = second_host(pl, one);
		snprintf(field, sizeof field, "hosts[%zu].roles", one);
		finding_add(out, id, SEV_WARNING, NULL, field, "only %s has the "
		    "role %s: stack %s (%s) runs there alone and stops when %s "
		    "fails; give %s %s, or take it out of %s so that Swarm may "
		    "place the stack on any node", host, role, stack, services,
		    host, role, fix, field);
		free(fix);
		free(stack);
		free(services);
	}
}
