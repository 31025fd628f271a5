/*
 * The Upgrade path of the wizard (wiz_upgrade.h): the same planning and
 * steps as `sentry-ha-setup upgrade`, over the answers the wizard saved.
 */
#include "wiz_upgrade.h"

#include <stdlib.h>
#include <string.h>

#include "deliver.h"

void
wiz_upgrade_targets(const struct wiz *w, struct strlist *out)
{
	const struct profile *now = wiz_profile(w);

	for (size_t i = 0; now != NULL && i < w->releases.n; i++)
		if (version_cmp(w->releases.v[i].release, now->release) > 0)
			sl_add(out, w->releases.v[i].release);
}

static void
failed(struct wiz_upgrade *up, const struct err *e)
{
	free(up->error);
	up->error = xstrdup(e->msg);
}

void
wiz_upgrade_plan(const struct wiz *w, const char *to,
    const struct facts *facts, struct wiz_upgrade *up)
{
	struct err e;

	memset(up, 0, sizeof *up);
	wiz_upgrade_targets(w, &up->targets);
	if (up->targets.n == 0) {
		up->error = xstrdup(wiz_profile(w) == NULL ? "Choose the release "
		    "the deployment runs first (Release and target)." :
		    "No newer release has a profile: the answers run the newest.");
		return;
	}
	up->target = up->targets.n - 1;
	for (size_t i = 0; to != NULL && i < up->targets.n; i++)
		if (strcmp(up->targets.v[i], to) == 0)
			up->target = i;
	if (session_open(&up->now, w->data_dir, w->path, NULL, 0, &e) < 0 ||
	    upgrade_state_load(&up->st, w->path, &e) < 0 ||
	    upgrade_plan(&up->u, &up->now, w->path, up->targets.v[up->target],
	    facts, 0, &e) < 0) {
		failed(up, &e);
		return;
	}
	up->live = facts != NULL;
	up->planned = 1;
}

void
wiz_upgrade_free(struct wiz_upgrade *up)
{
	upgrade_free(&up->u);
	upgrade_state_free(&up->st);
	session_close(&up->now);
	sl_free(&up->targets);
	free(up->error);
	memset(up, 0, sizeof *up);
}

int
wiz_upgrade_write(const struct wiz_upgrade *up, const char *dir,
    struct err *e)
{
	struct findings gates = { 0 };
	struct outset out = { 0 };
	int rc, lock;

	if (!up->planned)
		return err_set(e, ERR_INPUT, "%s", up->error ? up->error :
		    "nothing is planned");
	upgrade_findings(&up->u, &gates);
	rc = upgrade_render(&up->u, &up->now, &out, e);
	if (rc == 0 && (rc = deliver_lock(up->now.pl.answers_file, &lock,
	    e)) == 0) {
		rc = deliver(&up->now, &gates, &out, dir, 0, "fix the gates "
		    "first", e);
		deliver_unlock(&lock);
	}
	findings_free(&gates);
	outset_free(&out);
	return rc;
}

int
wiz_upgrade_backup_done(struct wiz_upgrade *up, struct err *e)
{
	int lock, rc;

	if (!up->planned)
		return err_set(e, ERR_INPUT, "%s", up->error ? up->error :
		    "nothing is planned");
	/* As the command line does: one writer of the record at a time. */
	if (deliver_lock(up->now.pl.answers_file, &lock, e) < 0)
		return -1;
	rc = upgrade_backup_done(&up->u, &up->st, e);
	deliver_unlock(&lock);
	return rc;
}

int
wiz_upgrade_verify(struct wiz *w, struct wiz_upgrade *up,
    const struct facts *facts, struct findings *out, char **bak,
    struct err *e)
{
	int lock, rc;

	memset(out, 0, sizeof *out);
	if (!up->planned)
		return err_set(e, ERR_INPUT, "%s", up->error ? up->error :
		    "nothing is planned");
	if (deliver_lock(w->path, &lock, e) < 0)
		return -1;
	rc = upgrade_verify(&up->u, &up->st, w->path, facts, out, bak, e);
	deliver_unlock(&lock);
	return rc < 0 ? -1 : wiz_reload(w, e);
}
