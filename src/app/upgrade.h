/*
 * An upgrade planned hop by hop (upgrade.c): the chain through every hard
 * stop from the release the answers run to the target, each hop's plan
 * from the same answers at the hop's release (services carried over to
 * their successors), its gates (the rules, over the live facts when
 * there are some) and what it changes; rendered as one folder per hop
 * with that release's complete output, CHANGES.md and RUNBOOK.md.
 */
#ifndef SHS_UPGRADE_H
#define SHS_UPGRADE_H

#include "chain.h"
#include "facts.h"
#include "outset.h"
#include "session.h"
#include "upgrade_state.h"

struct upgrade_hop {
	char		*dir;		/* "01-10.1.0-to-21.6.3" (owned) */
	struct session	 s;		/* the answers at the hop's release */
	struct findings	 f;		/* its gates */
	struct hop_diff	 diff;		/* against the release before */
	struct strlist	 carried;	/* "services.worker -> taskworker" */
	char		*answers;	/* the answers file at the release (owned) */
	int		 answers_kept;	/* edited in place, comments kept */
};

struct upgrade {
	char		*from;		/* the release the answers run (owned) */
	struct upgrade_hop *v;		/* owned, n of them, in order */
	size_t		 n;
};

/* The hops' images only (bundle.h): no secret is read, and the keys file
 * may be missing, since nothing the hops render is written. */
#define UPGRADE_IMAGES_ONLY	0x1

/*
 * Plans the upgrade of the deployment of `now` (a session over
 * `answers_path`) to `to`, with the rules over `facts` (NULL: offline).
 * -1 with e for a chain that cannot be (ERR_USAGE: a downgrade, no
 * profile) or answers that cannot be planned at a hop; upgrade_free()
 * always. `flags`: 0 or UPGRADE_IMAGES_ONLY.
 */
int	upgrade_plan(struct upgrade *u, const struct session *now,
	    const char *answers_path, const char *to, const struct facts *facts,
	    int flags, struct err *e);
/* Every hop's folder, and UPGRADE.md over them, into out. */
int	upgrade_render(const struct upgrade *u, const struct session *now,
	    struct outset *out, struct err *e);
/* All the hops' gates together, for the delivery gate (deliver.h). */
void	upgrade_findings(const struct upgrade *u, struct findings *out);
void	upgrade_free(struct upgrade *u);

/*
 * The steps along an upgrade (upgrade_steps.c), always of its first hop:
 * the answers stand where the last verified hop left them. Each hop is
 * waiting until the hop before it is verified; the first is next until
 * its backup is confirmed.
 */
enum hop_state { HOP_NEXT, HOP_BACKED_UP, HOP_WAITING };

enum hop_state upgrade_hop_state(const struct upgrade *u,
	    struct upgrade_state *st, size_t i);
/* When the first hop's backup was confirmed (borrowed from st), or NULL. */
const char *upgrade_hop_backup(const struct upgrade *u,
	    struct upgrade_state *st);
/* Records, with the time, that the first hop's backup is taken. */
int	upgrade_backup_done(const struct upgrade *u, struct upgrade_state *st,
	    struct err *e);
/* Is `r` the check of a database (PostgreSQL, ClickHouse) whose migrations
 * the facts could not read: why a hop cannot be verified? A failure that
 * read them anyway (a server too old for the release) is not. */
struct probe_result;
int	upgrade_unread(const struct probe_result *r, const struct facts *f);

/* May the first hop be verified: is its backup confirmed? ERR_FINDINGS,
 * saying what to do, when not. */
int	upgrade_may_verify(const struct upgrade *u, struct upgrade_state *st,
	    struct err *e);
/*
 * Whether the first hop is done in the databases `facts` describe
 * (rules_reached, REACH_VERIFY), its findings into `out` (the caller frees
 * them). When none is an error, it is recorded verified and the answers
 * file is moved on to the hop's release, the file before kept as *bak
 * (owned by the caller). ERR_FINDINGS, with nothing recorded, when the
 * backup is not confirmed or a finding is an error.
 */
int	upgrade_verify(const struct upgrade *u, struct upgrade_state *st,
	    const char *answers_path, const struct facts *facts,
	    struct findings *out, char **bak, struct err *e);

#endif
