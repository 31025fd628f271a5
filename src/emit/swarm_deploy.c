/* Swarm: deploy.sh, which deploys the stacks in order, waiting for each,
 * and refuses early when the volume definitions changed under a running
 * deployment or the reservations do not fit the nodes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "swarm_deploy.h"
#include "swarm_deploy_text.h"
#include "swarm_service.h"

/* The stacks or the shared volumes, space-separated, for messages. */
static void
names(struct strbuf *sb, const struct plan *pl, const struct swarm_files *f,
    int volumes)
{
	const char *stack = pl->target.stack;

	if (!volumes) {
		for (size_t i = 0; i < f->groups.n; i++) {
			char *name = swarm_stack_of(pl, f->groups.v[i]);

			sb_printf(sb, " %s", name);
			free(name);
		}
		return;
	}
	for (size_t i = 0; i < pl->nvolumes; i++)
		/* A bind (hostpath) has no Docker volume now, but one that
		 * was sshfs or NFS before left its volume behind. */
		if (pl->volumes[i].backing == BACK_SSHFS ||
		    pl->volumes[i].backing == BACK_NFS ||
		    pl->volumes[i].backing == BACK_HOSTPATH)
			sb_printf(sb, " %s_%s", stack, pl->volumes[i].name);
}

/* What the stacks reserve, for the capacity check: see deploy_capacity. */
static void
add_capacity(struct strbuf *sb, const struct plan *pl)
{
	long cpu = 0, mem = 0, node_cpu = 0, node_mem = 0, head_cpu = 0,
	    head_mem = 0;

	for (size_t i = 0; i < pl->nservices; i++) {
		const struct plan_service *s = &pl->services[i];

		if (swarm_on_every_node(pl, s)) {
			node_cpu += s->cpu_millis;
			node_mem += s->memory_mib;
			continue;
		}
		cpu += s->replicas * s->cpu_millis;
		mem += s->replicas * s->memory_mib;
		if (s->replicas > 0 && !swarm_stop_first(s)) {
			head_cpu = s->cpu_millis > head_cpu ? s->cpu_millis : head_cpu;
			head_mem = s->memory_mib > head_mem ? s->memory_mib : head_mem;
		}
	}
	/* A migration of a later deploy runs beside the running stacks. */
	for (size_t i = 0; i < pl->nmigrations; i++) {
		const struct plan_service *s = &pl->migrations[i];

		head_cpu = s->cpu_millis > head_cpu ? s->cpu_millis : head_cpu;
		head_mem = s->memory_mib > head_mem ? s->memory_mib : head_mem;
	}
	sb_printf(sb, deploy_capacity, cpu, mem, node_cpu, node_mem, head_cpu,
	    head_mem);
}

char *
swarm_deploy_script(const struct plan *pl, const struct swarm_files *f,
    const struct strlist *creates, const char *volumes_digest)
{
	struct strbuf sb = STRBUF_INIT, st = STRBUF_INIT, vo = STRBUF_INIT;
	const char *stack = pl->target.stack;

	sb_printf(&sb, deploy_prologue, pl->release, stack, volumes_digest);
	names(&st, pl, f, 0);
	names(&vo, pl, f, 1);
	sb_printf(&sb, deploy_volume_guard, sb_str(&st), sb_str(&vo));
	add_capacity(&sb, pl);
	sb_add(&sb, deploy_helpers);
	if (pl->tls.ca_pem != NULL)
		sb_printf(&sb, deploy_trust_helper, pl->tls.helper_image);
	for (size_t i = 0; i < creates->n; i++) {
		char *line = xstrdup(creates->v[i]), *kind = line;
		char *name = strchr(kind, ' '), *file;

		*name++ = '\0';
		file = strchr(name, ' ');
		*file++ = '\0';
		sb_printf(&sb, "%s %s %s %s\n", strcmp(file, "configs/"
		    SWARM_TRUST_KEY) == 0 ? "create_trust" : "create", kind, name,
		    file);
		free(line);
	}
	/* Recorded before anything mounts the volumes: a first deploy that
	 * fails half way has created them with these options all the same. */
	sb_add(&sb, "\ndocker config inspect \"$VOLUMES\" >/dev/null 2>&1 ||\n"
	    "\techo \"$VOLUMES\" | run docker config create --label "
	    "sentry-ha-setup.volumes=\"$STACK\" \"$VOLUMES\" - >/dev/null\n\n");
	for (size_t i = 0; i < f->jobs.n; i++) {
		char *job_stack = swarm_job_stack(pl);
		char *key = swarm_service_key(job_stack, pl->migrations[i].name);

		sb_printf(&sb, "run_job %s %s\n", f->jobs.v[i], key);
		free(key);
		free(job_stack);
	}
	for (size_t i = 0; i < f->groups.n; i++) {
		char *name = swarm_stack_of(pl, f->groups.v[i]);

		sb_printf(&sb, "deploy_stack %s %s\n", f->groups.v[i], name);
		free(name);
	}
	sb_add(&sb, "\nif [ -n \"$DRY_RUN\" ]; then say \"dry run: nothing was changed\"\n"
	    "else say \"done: every service runs its replicas (docker service ls)\"\nfi\n");
	sb_free(&st);
	sb_free(&vo);
	return sb_take(&sb);
}
