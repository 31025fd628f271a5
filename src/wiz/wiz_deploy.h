/*
 * The wizard's Deploy: `sentry-ha-setup deploy` (deploy.h) in a thread of
 * its own, so that the terminal stays responsive while deploy.sh waits for
 * its jobs; what happens and what deploy.sh prints is collected in a log
 * that ui/ shows as it grows. Nothing here draws.
 */
#ifndef SHS_WIZ_DEPLOY_H
#define SHS_WIZ_DEPLOY_H

#include "deploy.h"
#include "err.h"
#include "xmem.h"

/* The log keeps its last WIZ_DEPLOY_LOG_MAX bytes: deploy.sh's progress
 * lines over an hour stay far below it. */
#define WIZ_DEPLOY_LOG_MAX	(1024 * 1024)

struct wiz_deploy;

/* Starts the deploy that `d` prepared (taken: the job owns it, and its own
 * copy of the host), each step but deploy.sh within timeout_ms. 0 with
 * *out (free with wiz_deploy_free() once done), or -1 with e. */
int	wiz_deploy_start(struct deploy *d, long timeout_ms,
	    struct wiz_deploy **out, struct err *e);
/* Has it finished? */
int	wiz_deploy_done(struct wiz_deploy *j);
/* Where it is, which is what the wizard's quitting would leave: before
 * deploy.sh, the copy stops and nothing runs there; once deploy.sh
 * runs, it goes on under nohup. */
enum wiz_deploy_phase { WD_COPYING, WD_RUNNING, WD_DONE };
enum wiz_deploy_phase wiz_deploy_phase(struct wiz_deploy *j);
/* A copy of the log so far (appended to `text`). */
void	wiz_deploy_log(struct wiz_deploy *j, struct strbuf *text);
/* Once done: 0 with *status deploy.sh's exit status, or -1 with e (the
 * host could not be reached, the copy failed). */
int	wiz_deploy_result(struct wiz_deploy *j, int *status, struct err *e);
/* Frees a finished job; one still running is left to free itself when it
 * ends (the wizard quit while deploy.sh ran). */
void	wiz_deploy_free(struct wiz_deploy *j);

#endif
