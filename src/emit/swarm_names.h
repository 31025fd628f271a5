/*
 * The names of the Swarm output (swarm_names.c): the stack groups and the
 * order they deploy in, stacks, content-versioned config and secret
 * objects, and the sshfs volume's address. Every returned string that is
 * not `const` is owned by the caller.
 */
#ifndef SHS_SWARM_NAMES_H
#define SHS_SWARM_NAMES_H

#include <stddef.h>

#include "plan.h"

/* The stack files of an output: `jobs` (one per migration, in order) and
 * `groups` (deployed after them, in order), by file name without ".yml". */
struct swarm_files {
	struct strlist	 jobs;
	struct strlist	 groups;
};

/* The stack groups in deploy order ("10-snuba" ... "40-ingest"), NULL past
 * the last; static. */
const char *swarm_group_at(size_t i);
/* The group a service belongs to, e.g. "30-web"; static. */
const char *swarm_group(const struct plan_service *s);
/* "sentry-web" for group "30-web"; owned by the caller. */
char	*swarm_stack_of(const struct plan *pl, const char *group);
/* "sentry-job": the stack each migration runs in, in turn (deploy.sh's
 * "$STACK-job"); owned by the caller. */
char	*swarm_job_stack(const struct plan *pl);
/* Swarm's longest service name (plan.h's SWARM_STACK_MAX leaves room in
 * it for a service's start and a digest). */
#define SWARM_NAME_MAX		63
/* The key of `service` in the stack `stack`: its name, or, when
 * STACK_NAME would pass SWARM_NAME_MAX, its start and a digest (the
 * service keeps its name as a network alias). Owned by the caller. */
char	*swarm_service_key(const char *stack, const char *service);
/* "sentry-web_web": the service's name in Swarm; owned by the caller. */
char	*swarm_service_name(const struct plan *pl, const struct plan_service *s);
/* The seconds between runs of a scheduled service (Swarm has no cron). */
long	swarm_interval(const char *schedule);
/* The config of the CA bundle (the image's roots and the private CAs):
 * its file holds the private CAs, deploy.sh adds the roots. */
#define SWARM_TRUST_KEY	"ca-trust"

/* The config or secret object key of a config-volume file; owned by the
 * caller. */
char	*swarm_file_key(const char *volume, const char *file);
/* The name of a Swarm object with a digest of its content, so that a
 * changed config or secret becomes a new object (they are immutable); a
 * secret's digest is keyed, so that it tells nothing. Owned by the caller. */
char	*swarm_object_name(const struct plan *pl, const char *kind,
	    const char *key, const char *content);
/* The sshfs volume's "user@host:/path" (an IPv6 host in brackets); owned
 * by the caller. */
char	*swarm_sshcmd(const struct plan_volume *v);

#endif
