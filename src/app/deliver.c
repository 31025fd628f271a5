/* Writing the output behind the rules' gate (deliver.h). */
#include "deliver.h"

#include <stdlib.h>
#include <unistd.h>

#include "fsutil.h"
#include "stage.h"

/* How long a run waits for another one that writes from the same folder. */
#define LOCK_WAIT_MS	30000

int
deliver_lock(const char *answers_path, int *fd, struct err *e)
{
	char *dir = fs_dirname(answers_path);
	int rc = 0;

	*fd = -1;
	/* No folder, no answers: opening them says so better than a lock. */
	if (fs_is_dir(dir))
		rc = fs_lock(dir, LOCK_WAIT_MS, fd, e);

	free(dir);
	return rc;
}

void
deliver_unlock(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

int
deliver_allowed(const struct findings *f, int force, const char *remedy,
    struct err *e)
{
	if (force || findings_count(f, SEV_ERROR) == 0)
		return 0;
	return err_set(e, ERR_FINDINGS, "nothing written: %s", remedy);
}

/* The output folder is replaced as a whole: what must survive it may not
 * live in it. */
static int
outside_output(const struct session *s, const char *dir, struct err *e)
{
	char *target = stage_target(dir, e);
	const char *in = NULL;

	if (target == NULL)
		return -1;
	if (fs_is_inside(s->pl.answers_file, target))
		in = s->pl.answers_file;
	else if (fs_is_inside(s->keys_path, target))
		in = s->keys_path;
	free(target);
	if (in == NULL)
		return 0;
	return err_set(e, ERR_INPUT, "%s is inside the output folder %s, which "
	    "every run replaces as a whole: keep the answers and their keys "
	    "elsewhere, or choose another -o", in, dir);
}

int
deliver(const struct session *s, const struct findings *f,
    const struct outset *out, const char *dir, int force, const char *remedy,
    struct err *e)
{
	if (deliver_allowed(f, force, remedy, e) < 0 ||
	    outside_output(s, dir, e) < 0 || outset_check(dir, e) < 0)
		return -1;
	/* The keys first, synced: once the output exists, its secret key and
	 * Relay identity must exist beside the answers too. */
	if (s->k.created && keys_save(s->keys_path, &s->k, e) < 0)
		return -1;
	return outset_commit(out, dir, e);
}
