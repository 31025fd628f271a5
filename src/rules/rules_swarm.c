/* Rules of the Docker Swarm target. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"
#include "swarm_service.h"

static int
on_swarm(const struct plan *pl)
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
	if (!on_swarm(pl))
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
	for (size_t i = 0; on_swarm(pl) && i < pl->nvolumes; i++) {
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
	if (!on_swarm(pl))
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
	for (size_t i = 0; on_swarm(pl) && i < pl->nvolumes; i++) {
		if (pl->volumes[i].backing == BACK_SSHFS ||
		    pl->volumes[i].backing == BACK_NFS) {
			finding_add(out, id, SEV_INFO, NULL, NULL, "applied: deploy.sh "
			    "records the volume definitions and stops, with the "
			    "commands to run, if they change");
			return;
		}
	}
}
