/*
 * Images pinned by digest (plan.h, plan_pin_digests): the digests that
 * save.sh recorded in a bundle's images.json, so that what runs is exactly
 * what was carried across. A tag can be moved in the mirror; a digest
 * cannot.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "ynode.h"

/* "sha256:" and 64 lowercase hex digits. */
static int
digest_ok(const char *d)
{
	if (d == NULL || strncmp(d, "sha256:", 7) != 0 || strlen(d) != 71)
		return 0;
	for (d += 7; *d != '\0'; d++)
		if (!isxdigit((unsigned char)*d) || isupper((unsigned char)*d))
			return 0;
	return 1;
}

/* The digest the file records for `ref`: *digest (borrowed), or an error
 * line in e. */
static int
digest_of(const struct ynode *images, const char *path, const char *ref,
    const char *user, const char **digest, struct err *e)
{
	for (size_t i = 0; i < images->n; i++) {
		const struct ynode *im = images->items[i];
		const char *mirror = yn_path_text(im, "mirror");
		const char *d = yn_path_text(im, "digest");

		if (mirror == NULL || strcmp(mirror, ref) != 0)
			continue;
		if (d == NULL || strcmp(d, "null") == 0)
			return err_append(e, ERR_INPUT, "%s:%d: %s has no digest: "
			    "save.sh has not copied it yet", path, im->line, ref);
		if (!digest_ok(d))
			return err_append(e, ERR_INPUT, "%s:%d: %s: expected a digest "
			    "sha256:<64 hex digits>, got \"%s\"", path, im->line,
			    ref, d);
		*digest = d;
		return 0;
	}
	return err_append(e, ERR_INPUT, "%s: the bundle does not carry %s (used "
	    "by %s): write it again for these answers (sentry-ha-setup bundle)",
	    path, ref, user);
}

/* One image pinned, or (`dry`) only checked; what is wrong with it is said
 * once (`said`), however many services run it. */
static int
pin(char **image, const struct ynode *images, const char *path,
    const char *user, struct strlist *said, int dry, struct err *e)
{
	const char *digest = NULL;
	char *pinned;

	/* Pinned already: an image the answers gave by digest. */
	if (strchr(*image, '@') != NULL)
		return 0;
	if (sl_contains(said, *image))
		return -1;
	if (digest_of(images, path, *image, user, &digest, e) < 0) {
		sl_add(said, *image);
		return -1;
	}
	if (dry)
		return 0;
	pinned = xasprintf("%s@%s", *image, digest);
	free(*image);
	*image = pinned;
	return 0;
}

static int
pin_all(struct plan *pl, const struct ynode *images, const char *path,
    int dry, struct err *e)
{
	struct strlist said = { 0 };
	int rc = 0;

	for (size_t i = 0; i < pl->nservices; i++)
		rc |= pin(&pl->services[i].image, images, path,
		    pl->services[i].name, &said, dry, e);
	for (size_t i = 0; i < pl->nmigrations; i++)
		rc |= pin(&pl->migrations[i].image, images, path,
		    pl->migrations[i].name, &said, dry, e);
	if (pl->tls.helper_image != NULL)
		rc |= pin(&pl->tls.helper_image, images, path, "the CA bundle's "
		    "init container", &said, dry, e);
	sl_free(&said);
	return rc;
}

int
plan_pin_digests(struct plan *pl, const char *path, struct err *e)
{
	struct ynode *doc = NULL;
	const struct ynode *images;
	struct err errs;
	int rc;

	if (yaml_parse_file(path, 0, &doc, e) < 0)
		return -1;
	images = doc != NULL ? yn_get(doc, "images") : NULL;
	if (images == NULL || images->kind != Y_SEQ) {
		yn_free(doc);
		return err_set(e, ERR_INPUT, "%s: expected a bundle's images.json "
		    "(an object with a list \"images\"), written by sentry-ha-setup "
		    "bundle", path);
	}
	/* Every image checked before any is pinned: a refused file leaves the
	 * plan as it was. */
	err_clear(&errs);
	rc = pin_all(pl, images, path, 1, &errs);
	if (rc == 0)
		rc = pin_all(pl, images, path, 0, &errs);
	yn_free(doc);
	if (rc != 0)
		*e = errs;
	return rc != 0 ? -1 : 0;
}
