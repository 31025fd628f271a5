/*
 * The RUNBOOK.md of one upgrade hop, in the only safe order: backups
 * first; then what must not run during the migrations stops (consumers,
 * workers, the scheduler), while relay and nginx stay up so that events
 * buffer in Kafka; then the migrations of the new release; then checks
 * that they completed; and only then the new release's services, and the
 * removal of what it dropped.
 */
#include "runbook.h"
#include "shell.h"

#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "k8s.h"
#include "swarm_names.h"

/* Stopped for the migrations: what reads Kafka or runs tasks. Relay and
 * nginx buffer the events meanwhile; web serves the UI. */
static int
stops_for_migrations(const struct plan_service *s)
{
	return s->role == ROLE_PARTITIONED_CONSUMER ||
	    s->role == ROLE_STATELESS_WORKER || s->role == ROLE_SCHEDULED ||
	    s->role == ROLE_SINGLETON || s->role == ROLE_STATEFUL_PER_REPLICA;
}

static const char *
k8s_kind(const struct plan_service *s)
{
	return s->role == ROLE_STATEFUL_PER_REPLICA ? "statefulset" :
	    s->role == ROLE_SCHEDULED ? "cronjob" : "deployment";
}

/* The tool's own step: `sentry-ha-setup upgrade --to TO -a ANSWERS FLAG`. */
static void
tool_step(const struct plan *after, const char *to, const char *flag,
    struct strbuf *md)
{
	sb_add(md, "```sh\nsentry-ha-setup upgrade --to ");
	sh_quote(md, to);
	sb_add(md, " -a ");
	sh_quote(md, after->answers_file);
	sb_printf(md, " %s\n```\n\n", flag);
}

static void
step_backup(const struct plan *before, const struct plan *after,
    const char *to, struct strbuf *md)
{
	const char *pg = before->postgres.host ? before->postgres.host : "HOST";

	sb_printf(md, "## 1. Back up, and keep the backup until the hop is "
	    "verified\n\nThe migrations change the schema of PostgreSQL and "
	    "ClickHouse in place: a failed one is undone from a backup, not by "
	    "Sentry. Take a snapshot of both disks, or:\n\n```sh\n"
	    "pg_dump -Fc -h %s -p %ld -U %s -d %s -f sentry-%s.dump\n"
	    "clickhouse-client --host %s --query \"BACKUP DATABASE %s TO "
	    "Disk('backups', 'sentry-%s.zip')\"\n```\n\n(`BACKUP` needs "
	    "ClickHouse 22.8 or later and a disk named `backups` in its "
	    "configuration; otherwise snapshot its disk.) Keep the hop from "
	    "here on to itself: the next hop waits until step 5 has verified "
	    "this one. When the backups are taken, say so (the time is "
	    "recorded):\n\n", pg, before->postgres.port, before->postgres.user,
	    before->postgres.database, before->release, before->clickhouse.host,
	    before->clickhouse.database, before->release);
	tool_step(after, to, "--backup-done", md);
}

static void
step_stop(const struct plan *before, struct strbuf *md, int swarm)
{
	sb_add(md, "## 2. Stop what must not run during the migrations\n\n"
	    "The consumers, workers and the scheduler of the release that runs "
	    "now; relay and nginx stay up, so events wait in Kafka:\n\n```sh\n");
	for (size_t i = 0; i < before->nservices; i++) {
		const struct plan_service *s = &before->services[i];
		char *stack;

		if (!stops_for_migrations(s) || s->replicas == 0)
			continue;
		if (swarm) {
			stack = swarm_service_name(before, s);
			sb_printf(md, "docker service scale %s=0\n", stack);
			free(stack);
		} else if (s->role == ROLE_SCHEDULED) {
			sb_printf(md, "kubectl -n %s patch cronjob %s -p "
			    "'{\"spec\":{\"suspend\":true}}'\n",
			    before->target.namespace, s->name);
		} else {
			sb_printf(md, "kubectl -n %s scale %s/%s --replicas=0\n",
			    before->target.namespace, k8s_kind(s), s->name);
		}
	}
	sb_add(md, "```\n\n");
}

/* The new release's secrets and configuration, which its migration jobs
 * mount (Swarm's deploy.sh creates them itself). */
static void
step_config(const struct plan *after, const char *hop, struct strbuf *md)
{
	sb_printf(md, "First its secrets and configuration, which the jobs "
	    "mount (the running pods read theirs at start only):\n\n```sh\n"
	    "kubectl apply -f %s/kubernetes/secrets.yaml -f %s/kubernetes/"
	    "config.yaml\n", hop, hop);
	for (size_t i = 0; i < after->nvolumes; i++)
		if (after->volumes[i].backing == BACK_CLAIM) {
			sb_printf(md, "kubectl apply -f %s/kubernetes/storage.yaml\n",
			    hop);
			break;
		}
	sb_add(md, "```\n\n");
}

static void
step_migrate(const struct plan *after, const char *hop, struct strbuf *md,
    int swarm)
{
	sb_printf(md, "## 4. Run Sentry %s's migrations, one after the other\n\n",
	    after->release);
	if (swarm) {
		sb_printf(md, "On Swarm, `deploy.sh` (step 6) runs them in order "
		    "and stops at the first that fails, before any service of "
		    "the new release starts: run step 6, then verify (step 5) "
		    "before the next hop.\n\n");
		return;
	}
	step_config(after, hop, md);
	sb_add(md, "Then the jobs, each complete before the next:\n\n```sh\n");
	for (size_t i = 0; i < after->nmigrations; i++) {
		char *job = k8s_job_name(after, &after->migrations[i]);

		sb_printf(md, "kubectl apply -f %s/kubernetes/jobs/%02zu-%s.yaml\n"
		    "kubectl -n %s wait --for=condition=complete --timeout=60m "
		    "job/%s\n", hop, i + 1, after->migrations[i].name,
		    after->target.namespace, job);
		free(job);
	}
	sb_printf(md, "```\n\nA job that fails stops the hop here: `kubectl -n "
	    "%s logs job/NAME` says why; restore the backup of step 1 before "
	    "trying again.\n\n", after->target.namespace);
}

static void
step_verify(const struct plan *after, const char *to, struct strbuf *md)
{
	const struct profile *p = after->profile;

	sb_printf(md, "## 5. Verify that the migrations completed\n\nSnuba's "
	    "migrations, every group at the id Sentry %s ships (none "
	    "`in_progress`):\n\n```sh\nclickhouse-client --host %s --query "
	    "\"SELECT group, migration_id, status FROM %s.migrations_local FINAL "
	    "WHERE status != 'completed'\"   # prints nothing\n```\n\n",
	    p->release, after->clickhouse.host, after->clickhouse.database);
	if (p->snuba_migrations.n > 0) {
		sb_add(md, "| group | last migration |\n| --- | --- |\n");
		for (size_t i = 0; i < p->snuba_migrations.n; i++)
			sb_printf(md, "| %s | `%s` |\n", p->snuba_migrations.v[i].key,
			    p->snuba_migrations.v[i].value);
		sb_add(md, "\n");
	}
	sb_add(md, "Sentry's own migrations end without an error in the "
	    "`sentry upgrade` job's log (\"It looks like you've skipped a hard "
	    "stop\" means a hop was left out).\n\nThen let the tool read both "
	    "databases: when every Snuba group is at its last migration, none "
	    "is in progress and django_migrations has the squash boundaries "
	    "of this release, it records the hop as verified and moves the "
	    "answers' `sentry.version` on to ");
	sb_printf(md, "%s (the file before is kept as `.bak`):\n\n",
	    after->release);
	tool_step(after, to, "--verify", md);
}

/* Removes one service the new release dropped, by its exact name (a
 * name filter would match taskworker for worker). */
static void
remove_service(const struct plan *before, const struct plan *after,
    const char *name, struct strbuf *md, int swarm)
{
	const struct plan_service *s = plan_service(before, name);
	char *stack;

	if (!swarm) {
		sb_printf(md, "kubectl -n %s delete deployment,statefulset,cronjob "
		    "-l app.kubernetes.io/name=%s\n", after->target.namespace, name);
	} else if (s != NULL) {
		stack = swarm_service_name(before, s);
		sb_printf(md, "docker service rm %s\n", stack);
		free(stack);
	}
}

static void
step_start(const struct plan *before, const struct plan *after,
    const struct hop_diff *d, const char *hop, struct strbuf *md, int swarm)
{
	sb_printf(md, "## 6. Start Sentry %s\n\n```sh\n", after->release);
	if (swarm)
		sb_printf(md, "%s/swarm/deploy.sh\n", hop);
	else
		sb_printf(md, "kubectl apply -k %s/kubernetes/\nkubectl -n %s "
		    "rollout status deployment/web --timeout=15m\n", hop,
		    after->target.namespace);
	sb_add(md, "```\n\n");
	if (d->removed.n + d->renamed.n == 0)
		return;
	sb_add(md, "Then remove what the new release no longer runs:\n\n```sh\n");
	for (size_t k = 0; k < 2; k++) {
		const struct strlist *l = k == 0 ? &d->removed : &d->renamed;

		for (size_t i = 0; i < l->n; i++) {
			char *name = xstrndup(l->v[i], strcspn(l->v[i], ": "));

			remove_service(before, after, name, md, swarm);
			free(name);
		}
	}
	sb_add(md, "```\n\n");
}

void
runbook_upgrade(const struct plan *before, const struct plan *after,
    const struct hop_diff *d, const char *hop, const char *to,
    struct strbuf *md)
{
	int swarm = strcmp(after->target.kind, "swarm") == 0;
	char *secret;

	sb_printf(md, "# Hop %s: Sentry %s to %s\n\n", hop, before->release,
	    after->release);
	if (after->profile->hard_stop)
		sb_printf(md, "Sentry %s is a hard stop: %s\n\n", after->release,
		    after->profile->hard_stop_reason ? after->profile->hard_stop_reason :
		    "it must be installed on the way to a newer release.");
	sb_add(md, "Run every command from the folder that holds the hop "
	    "folders. What changes is in `CHANGES.md`.\n\n");
	step_backup(before, after, to, md);
	step_stop(before, md, swarm);
	/* Before the migrations: they would create what is missing with one
	 * partition and one copy. */
	secret = swarm ? xasprintf("cat %s/swarm/secrets/kafka-password", hop) :
	    xasprintf("kubectl -n %s get secret %s -o jsonpath='{.data."
	    "kafka-password}' | base64 -d", after->target.namespace,
	    SECRET_OBJECT);
	runbook_topics(after, md, 3, secret);
	step_migrate(after, hop, md, swarm);
	runbook_topic_check(after, md, secret);
	free(secret);
	step_verify(after, to, md);
	step_start(before, after, d, hop, md, swarm);
}
