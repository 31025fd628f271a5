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

/* The answers or their keys, when they lie inside `target`, or NULL. */
static const char *
inside_output(const struct session *s, const char *target)
{
	if (fs_is_inside(s->pl.answers_file, target))
		return s->pl.answers_file;
	if (fs_is_inside(s->keys_path, target))
		return s->keys_path;
	return NULL;
}

/*
 * The output folder is replaced as a whole, so what must survive it may not
 * live in it. A folder that sentry-ha-setup did not write is refused first,
 * whatever it holds: the folder, not the command line, is what is wrong
 * (exit 3, README). The answers inside a folder of its own are -a and -o
 * that contradict each other (exit 2). Then the files that the last run
 * did not write (exit 3).
 */
static int
output_replaceable(const struct session *s, const char *dir, struct err *e)
{
	char *target = stage_target(dir, e);
	const char *in;
	int rc;

	if (target == NULL)
		return -1;
	in = inside_output(s, target);
	if ((rc = stage_check(target, OUTPUT_MARKER, e)) < 0 && in != NULL)
		err_append(e, ERR_IO, "%s is in it: keep the answers and their "
		    "keys outside the output folder", in);
	else if (rc == 0 && in != NULL)
		rc = err_set(e, ERR_INPUT, "%s is inside the output folder %s, "
		    "which every run replaces as a whole: keep the answers and "
		    "their keys elsewhere, or choose another -o", in, dir);
	else if (rc == 0)
		rc = outset_check(dir, e);
	free(target);
	return rc;
}

int
deliver(const struct session *s, const struct findings *f,
    const struct outset *out, const char *dir, int force, const char *remedy,
    struct err *e)
{
	if (deliver_allowed(f, force, remedy, e) < 0 ||
	    output_replaceable(s, dir, e) < 0)
		return -1;
	/* The keys first, synced: once the output exists, its secret key and
	 * Relay identity must exist beside the answers too. */
	if (s->k.created && keys_save(s->keys_path, &s->k, e) < 0)
		return -1;
	return outset_commit(out, dir, e);
}
