/*
 * Rules on what the hosts of `hosts:` said about themselves over SSH
 * (facts.h, struct host_fact), weighed against what the plan puts there:
 * the sshfs plugin its volumes need, the nodes its roles pin groups to,
 * Docker's data root, and the CPUs and memory the pinned services reserve.
 */
#include <stdio.h>
#include <string.h>

#include "rules_internal.h"

static int
uses_sshfs(const struct plan *pl)
{
	for (size_t i = 0; i < pl->nvolumes; i++)
		if (pl->volumes[i].backing == BACK_SSHFS)
			return 1;
	return 0;
}

static const struct plan_host *
host_of(const struct plan *pl, const struct host_fact *h)
{
	return h->index >= 0 && (size_t)h->index < pl->nhosts ?
	    &pl->hosts[h->index] : NULL;
}

/* A node without the plugin, or with it disabled, cannot create the
 * volume: every task there that mounts it fails to start ("plugin not
 * found", "plugin is disabled"), and Swarm retries it there forever. */
void
check_sshfs_plugin(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	if (!rule_on_swarm(pl) || !uses_sshfs(pl))
		return;
	for (size_t i = 0; i < facts->nhosts; i++) {
		const struct host_fact *h = &facts->hosts[i];
		char field[64];

		if (h->sshfs_plugin != SSHFS_ABSENT &&
		    h->sshfs_plugin != SSHFS_DISABLED)
			continue;
		snprintf(field, sizeof field, "hosts[%ld].address", h->index);
		if (h->sshfs_plugin == SSHFS_ABSENT)
			finding_add(out, id, SEV_ERROR, "ssh", field, "%s has no "
			    "vieux/sshfs plugin: the shared volume cannot be "
			    "mounted there; install it as RUNBOOK.md says (docker "
			    "plugin install --grant-all-permissions vieux/sshfs "
			    "sshkey.source=%s)", h->host,
			    pl->filestore.sshfs.key_source ?
			    pl->filestore.sshfs.key_source : "/root/.ssh/");
		else
			finding_add(out, id, SEV_ERROR, "ssh", field, "the "
			    "vieux/sshfs plugin of %s is disabled: the shared "
			    "volume cannot be mounted there; docker plugin enable "
			    "vieux/sshfs", h->host);
	}
}

/* The hosts with `role`, and how many of them are available (a node whose
 * availability is unknown counts as available: only a manager reads it). */
static size_t
hosts_available(const struct plan *pl, const struct facts *facts,
    const char *role, size_t *total)
{
	size_t up = 0;

	*total = 0;
	for (size_t i = 0; i < pl->nhosts; i++) {
		const char *state = NULL;

		if (!sl_contains(&pl->hosts[i].roles, role))
			continue;
		(*total)++;
		for (size_t j = 0; j < facts->nhosts; j++)
			if (facts->hosts[j].index == (long)i)
				state = facts->hosts[j].availability;
		up += state == NULL || strcmp(state, "active") == 0;
	}
	return up;
}

/* Swarm starts no new task on a paused or drained node: a group pinned
 * to it runs on its other hosts only, or not at all. */
void
check_node_available(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	for (size_t i = 0; rule_on_swarm(pl) && i < facts->nhosts; i++) {
		const struct host_fact *h = &facts->hosts[i];
		const struct plan_host *ph = host_of(pl, h);
		char field[64];

		if (ph == NULL || h->availability == NULL ||
		    strcmp(h->availability, "active") == 0)
			continue;
		snprintf(field, sizeof field, "hosts[%ld].roles", h->index);
		for (size_t r = 0; r < ph->roles.n; r++) {
			const char *role = ph->roles.v[r];
			size_t total, up;

			if (strcmp(role, "manager") == 0)
				continue;
			up = hosts_available(pl, facts, role, &total);
			finding_add(out, id, up == 0 ? SEV_ERROR : SEV_WARNING,
			    "ssh", field, "node %s is %s: Swarm starts no task of "
			    "role %s there, %s; docker node update --availability "
			    "active %s, or take %s out of its roles", ph->name,
			    h->availability, role, up == 0 ? "and no other host "
			    "has the role, so its services stay pending" :
			    "so the group has one node less to fail over to",
			    ph->name, role);
		}
	}
}

/* Every image a node runs and every container's writes land in Docker's
 * data root: a full one fails pulls and stops containers on that node. */
void
check_docker_root_space(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	(void)pl;
	for (size_t i = 0; i < facts->nhosts; i++) {
		const struct host_fact *h = &facts->hosts[i];
		char avail[32], field[64];

		if (h->docker_root == NULL || h->docker_root_free_kib < 0 ||
		    !docker_root_low(h->docker_root_free_kib,
		    h->docker_root_total_kib))
			continue;
		rule_size_text(avail, sizeof avail, h->docker_root_free_kib);
		snprintf(field, sizeof field, "hosts[%ld].address", h->index);
		finding_add(out, id, SEV_WARNING, "ssh", field, "Docker's data "
		    "root %s on %s has %s free; below %ld GiB or %d%% the "
		    "images do not all fit (docker system df; docker image "
		    "prune)", h->docker_root, h->host, avail,
		    DOCKER_ROOT_LOW_KIB / (1024 * 1024), DOCKER_ROOT_LOW_PERCENT);
	}
}
