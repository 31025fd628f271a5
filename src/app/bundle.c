/*
 * The bundle's list of images and its files (bundle.h). The list comes
 * from the same plans as the output (plan_images), so that what is carried
 * is exactly what the manifests pull; images.json is written one image a
 * line, so that save.sh can fill in each digest with a line tool.
 */
#include "bundle.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "tmpl.h"
#include "upgrade.h"

/* OS/ARCH[/VARIANT], each of lowercase letters and digits: what skopeo's
 * --override-os, --override-arch and --override-variant take. */
static int
platform_ok(const char *p)
{
	int parts = 1;

	if (*p == '\0' || *p == '/')
		return 0;
	for (; *p != '\0'; p++) {
		if (*p == '/' && (p[1] == '\0' || p[1] == '/' || ++parts > 3))
			return 0;
		if (*p != '/' && !islower((unsigned char)*p) &&
		    !isdigit((unsigned char)*p))
			return 0;
	}
	return parts >= 2;
}

/* pl's images into b, each noted with pl's release. */
static void
add_plan(struct bundle *b, const struct plan *pl)
{
	struct plan_images own = { 0 };
	size_t before = b->images.n;

	plan_images_add(pl, &own);
	plan_images_add(pl, &b->images);
	if (b->images.n > 0) {
		b->releases = xrealloc(b->releases, b->images.n *
		    sizeof *b->releases);
		memset(b->releases + before, 0, (b->images.n - before) *
		    sizeof *b->releases);
	}
	for (size_t i = 0; i < own.n; i++) {
		size_t k = (size_t)(plan_images_find(&b->images, own.v[i].ref) -
		    b->images.v);

		if (!sl_contains(&b->releases[k], pl->release))
			sl_add(&b->releases[k], pl->release);
	}
	plan_images_free(&own);
	sl_add(&b->hops, pl->release);
}

static int
add_hops(struct bundle *b, const struct session *now, const char *path,
    const char *to, struct err *e)
{
	struct upgrade u;
	int rc = upgrade_plan(&u, now, path, to, NULL, UPGRADE_IMAGES_ONLY, e);

	for (size_t i = 0; rc == 0 && i < u.n; i++)
		add_plan(b, &u.v[i].s.pl);
	upgrade_free(&u);
	return rc;
}

int
bundle_plan(struct bundle *b, const struct session *now,
    const char *answers_path, const char *to, const char *platform,
    struct err *e)
{
	memset(b, 0, sizeof *b);
	if (now->pl.target.registry == NULL)
		return err_set(e, ERR_INPUT, "%s: registry: the answers name no "
		    "registry mirror, and the bundle's images need one to go to "
		    "(registry: \"registry.internal:5000/sentry\")", answers_path);
	if (!platform_ok(platform))
		return err_set(e, ERR_USAGE, "--platform %s: expected OS/ARCH or "
		    "OS/ARCH/VARIANT, such as linux/amd64 or linux/arm64/v8",
		    platform);
	b->registry = xstrdup(now->pl.target.registry);
	b->platform = xstrdup(platform);
	add_plan(b, &now->pl);
	return to != NULL ? add_hops(b, now, answers_path, to, e) : 0;
}

static void
json_list(struct strbuf *j, const struct strlist *l)
{
	sb_add(j, "[");
	for (size_t i = 0; i < l->n; i++) {
		sb_add(j, i ? ", " : "");
		quote_json(j, l->v[i]);
	}
	sb_add(j, "]");
}

static char *
images_json(const struct bundle *b)
{
	struct strbuf j = STRBUF_INIT;

	sb_add(&j, "{\"platform\": ");
	quote_json(&j, b->platform);
	sb_add(&j, ", \"registry\": ");
	quote_json(&j, b->registry);
	sb_add(&j, ",\n \"releases\": ");
	json_list(&j, &b->hops);
	sb_add(&j, ",\n \"images\": [\n");
	for (size_t i = 0; i < b->images.n; i++) {
		const struct plan_image *im = &b->images.v[i];

		sb_add(&j, "  {\"source\": ");
		quote_json(&j, im->source);
		sb_add(&j, ", \"mirror\": ");
		quote_json(&j, im->ref);
		sb_add(&j, ", \"digest\": null, \"releases\": ");
		json_list(&j, &b->releases[i]);
		sb_add(&j, ", \"services\": ");
		json_list(&j, &im->users);
		sb_printf(&j, "}%s\n", i + 1 < b->images.n ? "," : "");
	}
	sb_add(&j, " ]}\n");
	return sb_take(&j);
}

static char *
images_txt(const struct bundle *b)
{
	struct strbuf t = STRBUF_INIT;
	char *hops = sl_join(&b->hops, ", ");

	sb_printf(&t, "# The images of Sentry %s, for %s: the source, then the "
	    "mirror's reference.\n# Written by sentry-ha-setup bundle; save.sh "
	    "and load.sh read it.\n", hops, b->platform);
	for (size_t i = 0; i < b->images.n; i++)
		sb_printf(&t, "%s %s\n", b->images.v[i].source, b->images.v[i].ref);
	free(hops);
	return sb_take(&t);
}

/* What the folder is, for whoever finds it on a disk. */
static char *
readme(const struct bundle *b)
{
	struct strbuf md = STRBUF_INIT;
	char *hops = sl_join(&b->hops, ", ");

	sb_printf(&md, "# Sentry %s for an air-gapped cluster\n\n%zu images "
	    "for %s, to go into the mirror `%s`. Written by `sentry-ha-setup "
	    "bundle`.\n\n1. On a machine with Internet access (or a registry "
	    "to copy from: `--from REGISTRY`), with skopeo:\n\n   ```sh\n   "
	    "./save.sh\n   ```\n\n   It copies every image into `oci/`, one "
	    "OCI layout in which the layers the images share are stored once, "
	    "records each image's digest (`digests.txt`, `images.json`) and "
	    "writes `SHA256SUMS`. Run again after a failure: what is there with "
	    "its digest is kept.\n\n2. Carry the folder across, then on the "
	    "bastion, with skopeo:\n\n   ```sh\n   ./load.sh --authfile "
	    "~/.docker/config.json     # or --creds USER:PASS, --ca FILE\n   "
	    "```\n\n   It checks `SHA256SUMS` before anything else, pushes "
	    "every image into the mirror keeping its digest, then reads each "
	    "one back from the mirror and compares its digest with the one "
	    "recorded. It names what is missing, and exits non-zero unless "
	    "every image is there.\n\n3. `sentry-ha-setup generate --digests "
	    "images.json` pins every image by its digest, so that what runs is "
	    "what was carried.\n\n`images.txt` lists the source and the "
	    "mirror's reference of each image; `images.json` also the releases "
	    "and services that use it.\n", hops, b->images.n, b->platform,
	    b->registry);
	free(hops);
	return sb_take(&md);
}

static int
copy_script(const char *assets_dir, const char *name, struct outset *out,
    struct err *e)
{
	char *path = xasprintf("%s/bundle/%s", assets_dir, name), *text;
	size_t len;
	int rc = fs_read_file(path, &text, &len, e);

	free(path);
	if (rc == 0)
		outset_add(out, name, text, 0755);
	return rc;
}

int
bundle_render(const struct bundle *b, const char *assets_dir,
    struct outset *out, struct err *e)
{
	outset_add(out, "images.txt", images_txt(b), 0644);
	outset_add(out, "images.json", images_json(b), 0644);
	/* Checked by platform_ok(): letters, digits and slashes only. */
	outset_add(out, "bundle.conf", xasprintf("# Read by save.sh.\n"
	    "PLATFORM=%s\n", b->platform), 0644);
	outset_add(out, "README.md", readme(b), 0644);
	if (copy_script(assets_dir, "save.sh", out, e) < 0)
		return -1;
	return copy_script(assets_dir, "load.sh", out, e);
}

int
bundle_write(const struct outset *out, const char *dir, struct err *e)
{
	int rc = fs_make_dirs(dir, 0755, e);
	char *sums = xasprintf("%s/SHA256SUMS", dir);

	/* The lists change: the bundle is not saved until save.sh has run
	 * again, and load.sh says so rather than "damaged". */
	if (rc == 0 && fs_exists(sums) && unlink(sums) != 0)
		rc = err_set(e, ERR_IO, "%s: cannot remove it: %s", sums,
		    strerror(errno));
	free(sums);

	for (size_t i = 0; rc == 0 && i < out->n; i++) {
		char *path = xasprintf("%s/%s", dir, out->v[i].path);

		rc = fs_write_atomic(path, out->v[i].content,
		    strlen(out->v[i].content), out->v[i].mode, e);
		free(path);
	}
	return rc;
}

void
bundle_free(struct bundle *b)
{
	for (size_t i = 0; i < b->images.n; i++)
		sl_free(&b->releases[i]);
	free(b->releases);
	plan_images_free(&b->images);
	sl_free(&b->hops);
	free(b->registry);
	free(b->platform);
	memset(b, 0, sizeof *b);
}
