/*
 * The Docker Swarm target: turns a plan into stack files (compose format
 * 3.8), the config and secret files Swarm creates objects from, deploy.sh
 * and the runbook, as an outset (nothing is written here).
 */
#ifndef SHS_SWARM_H
#define SHS_SWARM_H

#include "err.h"
#include "outset.h"
#include "plan.h"
#include "ynode.h"

int	swarm_emit(const struct plan *pl, struct outset *out, struct err *e);

/* How Swarm can hand the secrets a service needs in its environment to a
 * program that only reads variables: by wrapping the image's entrypoint. */
enum wrap_need {
	WRAP_NONE,		/* no secret in the environment, nothing scheduled */
	WRAP_POSSIBLE,		/* the image has sh or Python to wrap with */
	WRAP_IMPOSSIBLE,	/* it has neither, or its entrypoint is unknown */
};

enum wrap_need swarm_wrap_need(const struct plan *pl, const struct plan_service *s);

/* Shared by the swarm_*.c files. Nodes are owned by the caller. */

/* The name of a Swarm object with a digest of its content, so a changed
 * config or secret becomes a new object (they are immutable). */
char	*swarm_object_name(const struct plan *pl, const char *kind,
	    const char *key, const char *content);
/* The top-level objects the services of one stack file use. */
struct swarm_uses {
	struct strlist	 configs;	/* config-volume file keys */
	struct strlist	 secrets;	/* secret keys (SECRET_OBJECT's) and
					 * secret config-volume file keys */
	struct strlist	 volumes;	/* plan volume names */
};

/* Builds one service of a stack file and notes what it uses. */
struct ynode *swarm_service(const struct plan *pl, const struct plan_service *s,
	    int job, struct swarm_uses *uses);
/* The stack (group) a service belongs to, e.g. "30-web". */
const char *swarm_group(const struct plan_service *s);
/* The seconds between runs of a scheduled service (Swarm has no cron). */
long	swarm_interval(const char *schedule);
/* The config or secret object key of a config-volume file. */
char	*swarm_file_key(const char *volume, const char *file);

/* The sshfs volume's "user@host:/path" (an IPv6 host in brackets); owned by
 * the caller. */
char	*swarm_sshcmd(const struct plan_volume *v);
/* deploy.sh, RUNBOOK.md. */
/* The stack files: `jobs` (one per migration, in order) and `groups`
 * (deployed after them, in order), by file name without ".yml". */
struct swarm_files {
	struct strlist	 jobs;
	struct strlist	 groups;
};

char	*swarm_deploy_script(const struct plan *pl, const struct swarm_files *f,
	    const struct strlist *creates, const char *volumes_digest);
int	runbook_swarm(const struct plan *pl, const struct swarm_files *f,
	    struct outset *out, struct err *e);
/* "sentry-web" for group "30-web". Owned by the caller. */
char	*swarm_stack_of(const struct plan *pl, const char *group);

#endif
