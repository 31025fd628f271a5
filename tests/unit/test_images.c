/*
 * The images a plan runs (src/plan/plan_images.c) against the images its
 * output really pulls, for every profile on both targets, with and without
 * a registry mirror and a private CA: nothing the output pulls is missing
 * from the list (a bundle without it leaves a pod that cannot start), and
 * nothing in the list is pulled by no output (a bundle carrying it wastes
 * the gap). And the pinning by digest (plan_digests.c).
 */
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "harness.h"
#include "plan_images.h"

/* The value of each "image:" line of the YAML files of the output. */
static void
pulled(const struct fixture *f, struct strlist *out)
{
	for (size_t i = 0; i < f->out.n; i++) {
		const char *p = f->out.v[i].path, *line = f->out.v[i].content;
		size_t len = strlen(p);

		if (len < 4 || (strcmp(p + len - 4, ".yml") != 0 &&
		    strcmp(p + len - 5, ".yaml") != 0))
			continue;
		for (; line != NULL; line = strchr(line, '\n') ? strchr(line,
		    '\n') + 1 : NULL) {
			const char *v = line + strspn(line, " -");
			char *ref;

			if (strncmp(v, "image: ", 7) != 0)
				continue;
			v += 7 + (v[7] == '"');
			ref = xstrndup(v, strcspn(v, "\"\n"));
			if (!sl_contains(out, ref))
				sl_add(out, ref);
			free(ref);
		}
	}
}

/* Is `ref` in some file of the output (a script runs the CA image)? */
static int
in_output(const struct fixture *f, const char *ref)
{
	for (size_t i = 0; i < f->out.n; i++)
		if (strstr(f->out.v[i].content, ref) != NULL)
			return 1;
	return 0;
}

static void
compare(const char *what, const char *yaml)
{
	struct fixture f;
	struct plan_images images = { 0 };
	struct strlist seen = { 0 };

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s: %s", what, f.e.msg);
	plan_images_add(&f.s.pl, &images);
	pulled(&f, &seen);
	ck_assert_uint_gt(seen.n, 0);
	for (size_t i = 0; i < seen.n; i++)
		ck_assert_msg(plan_images_find(&images, seen.v[i]) != NULL,
		    "%s: the output pulls %s, which the image list lacks", what,
		    seen.v[i]);
	for (size_t i = 0; i < images.n; i++) {
		ck_assert_msg(in_output(&f, images.v[i].ref), "%s: %s is listed "
		    "and pulled by no output", what, images.v[i].ref);
		ck_assert_uint_gt(images.v[i].users.n, 0);
	}
	sl_free(&seen);
	plan_images_free(&images);
	fixture_free(&f);
}

static char *
on_swarm(const char *yaml)
{
	char *swarm = xstrdup(yaml), *fs;

	memcpy(strstr(swarm, "kind: kubernetes"), "kind: swarm     ", 16);
	fs = strstr(swarm, "shared_volume: {kind: pvc}");
	ck_assert_ptr_nonnull(fs);
	*fs = '\0';
	fs = xasprintf("%sshared_volume: {kind: nfs, nfs: {server: nfs.internal, "
	    "path: /export}}}\n%s", swarm, strchr(yaml +
	    (fs - swarm), '\n') + 1);
	free(swarm);
	return fs;
}

START_TEST(the_list_is_what_the_output_pulls)
{
	struct releases rs;
	char *dir = xasprintf("%s/profiles", test_root());
	char *root = fs_real_path(test_root());
	char *ca = xasprintf("registry: \"mirror.internal:5000/sentry\"\n"
	    "tls: {ca_file: %s/tests/data/tls/ca.crt}\n", root);
	struct err e;

	ck_assert_msg(releases_load(dir, &rs, &e) == 0, "%s", e.msg);
	for (size_t i = 0; i < rs.n; i++)
		for (int variant = 0; variant < 4; variant++) {
			char *k8s = demo_answers(rs.v[i].release, variant & 1 ? ca :
			    NULL);
			char *yaml = variant & 2 ? on_swarm(k8s) : xstrdup(k8s);
			char *what = xasprintf("%s on %s%s", rs.v[i].release,
			    variant & 2 ? "swarm" : "kubernetes", variant & 1 ?
			    " (mirror, CA)" : "");

			compare(what, yaml);
			free(what);
			free(yaml);
			free(k8s);
		}
	releases_free(&rs);
	free(ca);
	free(root);
	free(dir);
}
END_TEST

/* images.json as save.sh leaves it, for every image of `f`'s plan but
 * `leave_out`, with `digest` for each. */
static char *
bundle_json(const struct fixture *f, const char *leave_out, const char *digest)
{
	struct plan_images images = { 0 };
	struct strbuf j = STRBUF_INIT;
	char *path = xasprintf("%s/images.json", test_tmp());
	struct err e;

	plan_images_add(&f->s.pl, &images);
	sb_add(&j, "{\"images\": [\n");
	for (size_t i = 0; i < images.n; i++)
		if (leave_out == NULL || strstr(images.v[i].ref, leave_out) == NULL)
			sb_printf(&j, "%s{\"mirror\": \"%s\", \"digest\": %s}\n",
			    i ? ", " : "", images.v[i].ref, digest);
	sb_add(&j, "]}\n");
	ck_assert_int_eq(fs_write_atomic(path, j.s, j.len, 0644, &e), 0);
	sb_free(&j);
	plan_images_free(&images);
	return path;
}

#define DIGEST	"sha256:0123456789abcdef0123456789abcdef0123456789abcdef" \
	"0123456789abcdef"

/* Every image pinned by its digest, or the run refused with each image
 * the bundle does not carry, or carries without a digest, named. */
START_TEST(images_are_pinned_by_digest)
{
	char *yaml = demo_answers("26.8.0", "registry: \"mirror:5000/s\"\n");
	struct fixture f;
	struct err e;
	char *path;

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	path = bundle_json(&f, "snuba", "\"" DIGEST "\"");
	ck_assert_int_eq(plan_pin_digests(&f.s.pl, path, &e), -1);
	ck_assert_contains(e.msg, "the bundle does not carry "
	    "mirror:5000/s/getsentry/snuba:26.8.0 (used by snuba-api)");
	free(path);
	path = bundle_json(&f, NULL, "null");
	ck_assert_int_eq(plan_pin_digests(&f.s.pl, path, &e), -1);
	ck_assert_contains(e.msg, "images.json:2: "
	    "mirror:5000/s/getsentry/sentry:26.8.0 has no digest: save.sh has "
	    "not copied it yet");
	free(path);
	path = bundle_json(&f, NULL, "\"sha256:abc\"");
	ck_assert_int_eq(plan_pin_digests(&f.s.pl, path, &e), -1);
	ck_assert_contains(e.msg, "expected a digest sha256:<64 hex digits>, got "
	    "\"sha256:abc\"");
	free(path);
	path = bundle_json(&f, NULL, "\"" DIGEST "\"");
	ck_assert_msg(plan_pin_digests(&f.s.pl, path, &e) == 0, "%s", e.msg);
	for (size_t i = 0; i < f.s.pl.nservices; i++)
		ck_assert_msg(strstr(f.s.pl.services[i].image, "@" DIGEST) != NULL,
		    "%s", f.s.pl.services[i].image);
	/* Twice is the same: a pinned image stays as it is. */
	ck_assert_int_eq(plan_pin_digests(&f.s.pl, path, &e), 0);
	ck_assert_ptr_null(strstr(f.s.pl.services[0].image, DIGEST "@"));
	free(path);
	fixture_free(&f);
	free(yaml);
}
END_TEST

Suite *
suite_images(void)
{
	Suite *s = suite_create("images");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, the_list_is_what_the_output_pulls);
	tcase_add_test(tc, images_are_pinned_by_digest);
	suite_add_tcase(s, tc);
	return s;
}
