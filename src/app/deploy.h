/*
 * `deploy`: the generated swarm/ folder onto a manager of the Swarm, then
 * its deploy.sh run there. What is copied is what `generate` wrote and the
 * operator could read (the files its marker lists), not a fresh render.
 *
 * On the manager, in the remote folder (target.deploy_dir, by default
 * DEPLOY_REMOTE_DIR below the login user's home):
 *   swarm.upload/   the copy while it is made
 *   swarm/          then renamed to this
 *   swarm.previous/ the copy before, kept for a look back
 *   deploy.log      what the last deploy.sh printed
 * A copy cut short is never run: only a complete one is renamed.
 */
#ifndef SHS_DEPLOY_H
#define SHS_DEPLOY_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"
#include "plan.h"
#include "ssh_remote.h"
#include "xmem.h"

#define DEPLOY_REMOTE_DIR	"sentry-ha-setup"
/* deploy.sh's output, in the remote folder: it goes on when the
 * connection drops. */
#define DEPLOY_LOG		"deploy.log"

struct deploy_file {
	char	*path;		/* below swarm/: "stacks/sentry-core.yml" */
	char	*content;	/* owned */
	size_t	 len;
	mode_t	 mode;
};

struct deploy {
	const struct plan_host	*host;		/* borrowed from the plan */
	char			*remote;	/* the remote folder */
	char			*local;		/* DIR/swarm */
	struct deploy_file	*files;
	size_t			 nfiles, bytes;
	struct strlist		 dirs;		/* below swarm/, parents first */
	struct strlist		 stacks, jobs;	/* deploy.sh's, in its order */
	int			 answers_newer;	/* than the output */
};

/*
 * Reads what `generate` wrote into `dir` for a Swarm plan and picks the
 * host: `host_name`, else the first manager of `hosts:`; `remote_dir` is
 * the remote folder (NULL: the answers' target.deploy_dir). -1 with e when
 * the plan is not for Swarm, no host fits, or dir holds no complete
 * swarm/ output. Free with deploy_free().
 */
int	deploy_prepare(struct deploy *d, const struct plan *pl, const char *dir,
	    const char *host_name, const char *remote_dir, struct err *e);

/* What will happen, for the question before it does, wrapped to `width`
 * columns (appended). */
void	deploy_describe(const struct deploy *d, int width, struct strbuf *text);
/* Every step as the command that does it, for --dry-run (appended). */
void	deploy_commands(const struct deploy *d, struct strbuf *text);

/*
 * The copy onto the logged-in host `r`, into swarm.upload
 * (dry: swarm.dry-run, which a real deploy never uses), made afresh.
 */
int	deploy_copy(const struct deploy *d, struct ssh_remote *r, int dry,
	    struct err *e);
/* swarm.upload renamed to swarm, the one before to swarm.previous. */
int	deploy_swap(const struct deploy *d, struct ssh_remote *r, struct err *e);
/* deploy.sh (dry: `deploy.sh --dry-run` in the dry-run copy, which is
 * removed after) on `r`, its output handed to `out` as it comes; *status
 * is its exit status. */
int	deploy_run(const struct deploy *d, struct ssh_remote *r, int dry,
	    ssh_output_fn *out, void *arg, int *status, struct err *e);

void	deploy_free(struct deploy *d);

#endif
