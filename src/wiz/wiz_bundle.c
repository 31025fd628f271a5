/*
 * The wizard's air-gap bundle (wiz_run.h): what `sentry-ha-setup bundle`
 * writes, for the answers the Write screen planned.
 */
#include "wiz_run.h"

#include "bundle.h"

int
wiz_write_bundle(const struct wiz_output *o, const char *dir, size_t *images,
    struct err *e)
{
	struct bundle b;
	struct outset out = { 0 };
	int rc = bundle_plan(&b, &o->s, o->s.pl.answers_file, NULL,
	    "linux/amd64", e);

	if (rc == 0)
		rc = bundle_render(&b, o->s.assets_dir, &out, e);
	if (rc == 0)
		rc = bundle_write(&out, dir, e);
	*images = b.images.n;
	outset_free(&out);
	bundle_free(&b);
	return rc;
}
