/*
 * The steps an operator confirms along an upgrade (upgrade.h): a hop's
 * backup taken, then the hop seen done in the live databases, which moves
 * the answers on to its release. The hop is always the chain's first: the
 * answers stand where the last verified hop left them.
 */
#include "upgrade.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fsutil.h"
#include "probe.h"

enum hop_state
upgrade_hop_state(const struct upgrade *u, struct upgrade_state *st, size_t i)
{
	const struct hop_record *r;

	if (i > 0)
		return HOP_WAITING;
	r = upgrade_state_hop(st, u->from, u->v[0].s.pl.release, 0);
	return r != NULL && r->backup_done != NULL ? HOP_BACKED_UP : HOP_NEXT;
}

const char *
upgrade_hop_backup(const struct upgrade *u, struct upgrade_state *st)
{
	const struct hop_record *r = upgrade_state_hop(st, u->from,
	    u->v[0].s.pl.release, 0);

	return r != NULL ? r->backup_done : NULL;
}

int
upgrade_backup_done(const struct upgrade *u, struct upgrade_state *st,
    struct err *e)
{
	struct hop_record *r = upgrade_state_hop(st, u->from,
	    u->v[0].s.pl.release, 1);

	free(r->backup_done);
	r->backup_done = upgrade_time_now();
	/* A new backup begins the hop again: what was verified before it
	 * was of an earlier attempt. */
	free(r->verified);
	r->verified = NULL;
	return upgrade_state_save(st, e);
}

/* The answers file replaced by the hop's, the one before kept as .bak. */
static int
move_answers(const struct upgrade_hop *h, const char *path, char **bak,
    struct err *e)
{
	struct stat sb;
	char *text;
	size_t len;
	int rc;

	if (fs_read_file(path, &text, &len, e) < 0)
		return -1;
	rc = fs_keep_copy(path, text, len, bak, e);
	free(text);
	if (rc == 0)
		rc = fs_write_atomic(path, h->answers, strlen(h->answers),
		    stat(path, &sb) == 0 ? sb.st_mode & 0777 : 0600, e);
	return rc;
}

int
upgrade_unread(const struct probe_result *r, const struct facts *f)
{
	if (r->failure == PF_NONE || r->failure == PF_SKIPPED)
		return 0;
	if (strcmp(r->service, "PostgreSQL") == 0)
		return f->sentry_history == TABLE_UNKNOWN;
	if (strcmp(r->service, "ClickHouse") == 0)
		return f->snuba_history == TABLE_UNKNOWN;
	return 0;
}

int
upgrade_may_verify(const struct upgrade *u, struct upgrade_state *st,
    struct err *e)
{
	if (upgrade_hop_backup(u, st) == NULL)
		return err_set(e, ERR_FINDINGS, "hop %s: its backup is not "
		    "confirmed; take the backups of its RUNBOOK.md step 1, then "
		    "say so with upgrade --to %s --backup-done", u->v[0].dir,
		    u->v[u->n - 1].s.pl.release);
	return 0;
}

int
upgrade_verify(const struct upgrade *u, struct upgrade_state *st,
    const char *answers_path, const struct facts *facts,
    struct findings *out, char **bak, struct err *e)
{
	const struct upgrade_hop *h = &u->v[0];
	struct hop_record *r = upgrade_state_hop(st, u->from, h->s.pl.release, 0);

	memset(out, 0, sizeof *out);
	if (upgrade_may_verify(u, st, e) < 0)
		return -1;
	rules_reached(&h->s.pl, facts, REACH_VERIFY, out);
	findings_sort(out);
	if (findings_count(out, SEV_ERROR) > 0)
		return err_set(e, ERR_FINDINGS, "hop %s is not done: nothing "
		    "recorded, and the answers stay at Sentry %s", h->dir, u->from);
	/* The answers first: a record that fails after them leaves the next
	 * run at the right release, one with no record only less history. */
	if (move_answers(h, answers_path, bak, e) < 0)
		return -1;
	free(r->verified);
	r->verified = upgrade_time_now();
	return upgrade_state_save(st, e);
}
