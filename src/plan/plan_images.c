/*
 * The images of a plan (plan_images.h), from the same references the
 * emitters write: each service's and job's image, and the init
 * container that builds the CA bundle when there is a private CA.
 */
#include "plan_images.h"

#include <stdlib.h>
#include <string.h>

const struct plan_image *
plan_images_find(const struct plan_images *in, const char *ref)
{
	for (size_t i = 0; i < in->n; i++)
		if (strcmp(in->v[i].ref, ref) == 0)
			return &in->v[i];
	return NULL;
}

static void
add(struct plan_images *out, const char *source, const char *ref,
    char *user)
{
	struct plan_image *im = (struct plan_image *)plan_images_find(out, ref);

	if (im == NULL) {
		out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
		im = memset(&out->v[out->n++], 0, sizeof *im);
		im->source = xstrdup(source);
		im->ref = xstrdup(ref);
	}
	if (!sl_contains(&im->users, user))
		sl_add(&im->users, user);
	free(user);
}

static void
add_services(const struct plan *pl, const struct plan_service *v, size_t n,
    const char *kind, struct plan_images *out)
{
	for (size_t i = 0; i < n; i++)
		add(out, kv_get(&pl->profile->images, v[i].prof->image), v[i].image,
		    kind ? xasprintf("%s (%s)", v[i].name, kind) :
		    xstrdup(v[i].name));
}

void
plan_images_add(const struct plan *pl, struct plan_images *out)
{
	add_services(pl, pl->services, pl->nservices, NULL, out);
	add_services(pl, pl->migrations, pl->nmigrations, "job", out);
	/* Every pod's first container where a private CA is trusted. */
	if (pl->tls.helper_image != NULL)
		add(out, kv_get(&pl->profile->images, "sentry"),
		    pl->tls.helper_image, xstrdup("ca-bundle (init container)"));
}

void
plan_images_free(struct plan_images *in)
{
	for (size_t i = 0; i < in->n; i++) {
		free(in->v[i].source);
		free(in->v[i].ref);
		sl_free(&in->v[i].users);
	}
	free(in->v);
	memset(in, 0, sizeof *in);
}
