/*
 * The names of the Swarm output: stack groups, stacks, config and secret
 * objects, and the sshfs volume's address (swarm_names.h).
 */
#include "swarm_names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"

/* Deploy order: migrations first (each its own stack), then these. */
static const char *const groups[] = {
	"10-snuba",	/* Snuba: the query API and the consumers into ClickHouse */
	"20-sentry",	/* Sentry's consumers, workers, schedulers, task brokers */
	"30-web",	/* web, symbolicator and the other HTTP services */
	"40-ingest",	/* relay and nginx, which receive the SDKs' events */
};

#define NGROUPS	(sizeof groups / sizeof groups[0])

const char *
swarm_group_at(size_t i)
{
	return i < NGROUPS ? groups[i] : NULL;
}

const char *
swarm_group(const struct plan_service *s)
{
	if (plan_uses_image(s, "snuba"))
		return groups[0];
	if (plan_uses_image(s, "relay") || plan_uses_image(s, "nginx"))
		return groups[3];
	if (s->role == ROLE_STATELESS_HTTP)
		return groups[2];
	return groups[1];
}

/* Swarm has no cron: a scheduled service repeats at the schedule's
 * period ("*" + "/N" minutes or hours; anything else daily). */
long
swarm_interval(const char *schedule)
{
	char min[32], hour[32], rest[64];
	long n;

	if (schedule == NULL || sscanf(schedule, "%31s %31s %63[^\n]", min, hour,
	    rest) != 3)
		return 86400;
	if (strncmp(min, "*/", 2) == 0 && strcmp(hour, "*") == 0 &&
	    (n = strtol(min + 2, NULL, 10)) > 0)
		return n * 60;
	if (strncmp(hour, "*/", 2) == 0 && (n = strtol(hour + 2, NULL, 10)) > 0)
		return n * 3600;
	if (strcmp(hour, "*") == 0)
		return 3600;
	return 86400;
}

char *
swarm_file_key(const char *volume, const char *file)
{
	return xasprintf("%s-%s", volume, file);
}

char *
swarm_sshcmd(const struct plan_volume *v)
{
	int v6 = strchr(v->nfs_server, ':') != NULL;

	return xasprintf("%s@%s%s%s:%s", v->ssh_user,
	    v6 ? "[" : "", v->nfs_server, v6 ? "]" : "", v->nfs_path);
}

char *
swarm_object_name(const struct plan *pl, const char *kind, const char *key,
    const char *content)
{
	const char *stack = pl->target.stack;
	const char *k = kv_get(&pl->secrets, "secret-key");
	char *digest, *name;

	/* A secret's name must not reveal anything about it: its digest is
	 * keyed with the Sentry secret key. A config's is a plain hash. */
	if (strcmp(kind, "secret") == 0 && k != NULL)
		digest = digest8_keyed(k, content, strlen(content));
	else
		digest = digest8(content, strlen(content));
	name = xasprintf("%s-%s-%s", stack, key, digest);
	free(digest);
	return name;
}

char *
swarm_job_stack(const struct plan *pl)
{
	return xasprintf("%s-job", pl->target.stack);
}

char *
swarm_stack_of(const struct plan *pl, const char *group)
{
	return xasprintf("%s-%s", pl->target.stack, group + strcspn(group, "-") + 1);
}

/* Swarm refuses a service name (STACK_SERVICE) past 63 characters, the
 * length of a DNS label; a long one keeps its start and gets a digest of
 * the whole, so that it stays unique and the same on every run. */
char *
swarm_service_key(const char *stack, const char *service)
{
	size_t room = SWARM_NAME_MAX - strlen(stack) - 1;
	char *digest, *key;

	if (strlen(stack) + 1 + strlen(service) <= SWARM_NAME_MAX)
		return xstrdup(service);
	digest = digest8(service, strlen(service));
	key = xasprintf("%.*s-%.6s", (int)(room - 7), service, digest);
	free(digest);
	return key;
}

char *
swarm_service_name(const struct plan *pl, const struct plan_service *s)
{
	char *stack = swarm_stack_of(pl, swarm_group(s));
	char *key = swarm_service_key(stack, s->name);
	char *name = xasprintf("%s_%s", stack, key);

	free(key);
	free(stack);
	return name;
}
