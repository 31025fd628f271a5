/*
 * The wizard's Upgrade path (wiz_upgrade.c), without a terminal: the
 * releases the saved answers can be upgraded to, the chain to the chosen
 * one with each hop's gates (over the facts of a live check when there is
 * one), and the steps of upgrade.h: write the hop folders, confirm the
 * first hop's backup, verify it. ui/scr_upgrade.c draws it.
 */
#ifndef SHS_WIZ_UPGRADE_H
#define SHS_WIZ_UPGRADE_H

#include "upgrade.h"
#include "wiz.h"

struct wiz_upgrade {
	struct session		 now;	/* the saved answers */
	struct upgrade		 u;	/* the chain to targets.v[target] */
	struct upgrade_state	 st;	/* what is recorded beside them */
	struct strlist		 targets;	/* newer releases, oldest first */
	size_t			 target;
	int			 live;	/* the gates saw the servers */
	int			 planned;	/* u holds the chain */
	char			*error;	/* why not (owned), or NULL */
};

/* The releases newer than the one `w` answers (appended). */
void	wiz_upgrade_targets(const struct wiz *w, struct strlist *out);

/*
 * Plans the upgrade of the saved answers to `to` (NULL: the newest), its
 * gates over `facts` (NULL: offline; they lend the profiles, facts.h, so
 * that databases ahead of the answers are named). What cannot be planned is not an
 * error of the call: up->error says why, for the screen to show. The
 * caller frees up with wiz_upgrade_free(), also after a new plan.
 */
void	wiz_upgrade_plan(const struct wiz *w, const char *to,
	    const struct facts *facts, struct wiz_upgrade *up);
void	wiz_upgrade_free(struct wiz_upgrade *up);

/* The hop folders and UPGRADE.md into `dir`, through the gate of
 * deliver.h (refused, ERR_FINDINGS, while a gate is an error). */
int	wiz_upgrade_write(const struct wiz_upgrade *up, const char *dir,
	    struct err *e);
/* The first hop's backup confirmed now (recorded beside the answers). */
int	wiz_upgrade_backup_done(struct wiz_upgrade *up, struct err *e);
/*
 * Verifies the first hop over `facts` (upgrade_verify); its findings go to
 * `out`. When it is done, the answers file moves on to the hop's release
 * (*bak: the copy of the one before, owned) and `w` reads it again.
 */
int	wiz_upgrade_verify(struct wiz *w, struct wiz_upgrade *up,
	    const struct facts *facts, struct findings *out, char **bak,
	    struct err *e);

#endif
