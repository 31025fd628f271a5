/* Writing the output behind the rules' gate (deliver.h). */
#include "deliver.h"

int
deliver_allowed(const struct findings *f, int force, const char *remedy,
    struct err *e)
{
	if (force || findings_count(f, SEV_ERROR) == 0)
		return 0;
	return err_set(e, ERR_FINDINGS, "nothing written: %s", remedy);
}

int
deliver(const struct session *s, const struct findings *f,
    const struct outset *out, const char *dir, int force, const char *remedy,
    struct err *e)
{
	if (deliver_allowed(f, force, remedy, e) < 0)
		return -1;
	/* The output goes in first: if it cannot, nothing was written. The
	 * keys follow at once, so the next run reuses what this one wrote. */
	if (outset_commit(out, dir, e) < 0)
		return -1;
	if (s->k.created && keys_save(s->keys_path, &s->k, e) < 0)
		return -1;
	return 0;
}
