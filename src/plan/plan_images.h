/*
 * Every image a plan's output runs (plan_images.c): the services, the
 * migration jobs and the init containers, each once, with where it comes
 * from (the profile's reference) and where the output pulls it from (under
 * the answers' registry). The runbook lists them, `bundle` carries them
 * across an air gap, `check` asks the registry for them.
 */
#ifndef SHS_PLAN_IMAGES_H
#define SHS_PLAN_IMAGES_H

#include "plan.h"

struct plan_image {
	char		*source;	/* "getsentry/sentry:24.8.0" (owned) */
	char		*ref;		/* as the output pulls it (owned) */
	struct strlist	 users;		/* "web", "db-migrate (job)", ... */
};

struct plan_images {
	struct plan_image	*v;	/* owned, in the order first used */
	size_t			 n;
};

/* Appends pl's images to `out` (an image already there gains pl's users),
 * so that the plans of several releases make one list. */
void	plan_images_add(const struct plan *pl, struct plan_images *out);
/* The image of `out` pulled as `ref`, or NULL (borrowed). */
const struct plan_image *plan_images_find(const struct plan_images *in,
	    const char *ref);
void	plan_images_free(struct plan_images *in);

#endif
