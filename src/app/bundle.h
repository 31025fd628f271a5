/*
 * An air-gap bundle (bundle.c): every image the deployment runs (with
 * --to, every hop of its upgrade too), where it comes from and where the
 * mirror keeps it, written as a folder with the two scripts that carry
 * the images across: save.sh on a connected machine, load.sh on the
 * bastion (assets/bundle/). The images themselves are copied by skopeo,
 * never by this program: it writes no image and reads no registry.
 */
#ifndef SHS_BUNDLE_H
#define SHS_BUNDLE_H

#include "outset.h"
#include "plan_images.h"
#include "session.h"

struct bundle {
	char			*registry;	/* the mirror's prefix (owned) */
	char			*platform;	/* "linux/amd64" (owned) */
	struct plan_images	 images;
	/* For each image (same index): the releases that run it, "24.8.0". */
	struct strlist		*releases;	/* owned, images.n of them */
	struct strlist		 hops;		/* the releases covered, in order */
};

/*
 * The images of the deployment of `now` (the session over `answers_path`)
 * and, with `to`, of every hop to it (upgrade.h). ERR_INPUT without a
 * registry in the answers (the mirror references need it) or for a
 * platform that is not OS/ARCH[/VARIANT]; ERR_USAGE for a chain that
 * cannot be. bundle_free() always.
 */
int	bundle_plan(struct bundle *b, const struct session *now,
	    const char *answers_path, const char *to, const char *platform,
	    struct err *e);
/* images.txt, images.json, bundle.conf, README.md and the two scripts
 * (copied from `assets_dir`/bundle/), into out. */
int	bundle_render(const struct bundle *b, const char *assets_dir,
	    struct outset *out, struct err *e);
/* Each file of `out` into `dir` (made if need be), atomically. What else
 * is there (save.sh's oci/, digests.txt) stays, so that save.sh goes on
 * from it. */
int	bundle_write(const struct outset *out, const char *dir, struct err *e);
void	bundle_free(struct bundle *b);

#endif
