/*
 * sentry-ha-setup bundle: the images of the deployment (and of every hop
 * of an upgrade) and the two scripts that carry them into an air-gapped
 * mirror, written into a folder of their own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "bundle.h"
#include "cli.h"
#include "fsutil.h"

struct bundle_args {
	const char	*answers, *out, *to, *platform;
};

static void
usage(const struct cli_opt *opts)
{
	printf("Usage: sentry-ha-setup bundle [-a FILE] -o DIR [--to VERSION] "
	    "[--platform OS/ARCH]\n\n"
	    "Lists every image the deployment runs (services, migration jobs, "
	    "init\ncontainers; with --to, those of every hop of the upgrade too) "
	    "with its source\nand its reference in the answers' registry mirror, "
	    "and writes into DIR:\n"
	    "  images.txt    the source and the mirror's reference, one pair a "
	    "line\n"
	    "  images.json   the same, with the releases and services of each, "
	    "and (once\n                save.sh ran) its digest\n"
	    "  save.sh       run where the images can be pulled: copies them "
	    "into one OCI\n                layout (shared layers once), records "
	    "the digests, writes\n                SHA256SUMS; can be resumed; "
	    "--from REGISTRY pulls from another\n                registry\n"
	    "  load.sh       run on the bastion: checks SHA256SUMS, pushes "
	    "every image to the\n                mirror keeping its digest, then "
	    "reads each back and names what\n                is missing; exits 0 "
	    "only when all are there\n"
	    "Both scripts need skopeo. Then `generate --digests DIR/images.json` "
	    "pins every\nimage by digest. Files save.sh wrote (oci/, "
	    "digests.txt) are left where they\nare, so that it goes on from "
	    "there.\n\n");
	cli_print_options(opts);
	printf("\nExit status: 0 written, 2 invalid answers (no registry) or "
	    "usage, 3 I/O failure.\n");
}

static void
summary(const struct bundle *b, const char *dir)
{
	char *hops = sl_join(&b->hops, ", ");

	printf("Wrote %s/ for Sentry %s: %zu images for %s, to go into %s.\n",
	    dir, hops, b->images.n, b->platform, b->registry);
	printf("Next: %s/save.sh where the images can be pulled, carry %s/ "
	    "across,\nthen %s/load.sh on the bastion.\n", dir, dir, dir);
	free(hops);
}

static int
bundle(const struct bundle_args *a, struct err *e)
{
	struct session s;
	struct bundle b = { 0 };
	struct outset out = { 0 };
	char *data = cli_data_dir();
	int rc, status;

	memset(&s, 0, sizeof s);
	/* The images need no secret: the connected machine may have none. */
	rc = session_open(&s, data, a->answers, NULL, PLAN_SECRETS_MAY_FAIL, e);
	if (rc < 0)
		cli_hint_answers(a->answers, data, e);
	if (rc == 0 && fs_is_inside(a->answers, a->out))
		rc = err_set(e, ERR_IO, "%s: the answers are inside it: keep the "
		    "bundle in a folder of its own", a->out);
	if (rc == 0)
		rc = bundle_plan(&b, &s, a->answers, a->to, a->platform, e);
	if (rc == 0)
		rc = bundle_render(&b, s.assets_dir, &out, e);
	if (rc == 0)
		rc = bundle_write(&out, a->out, e);
	if (rc == 0)
		summary(&b, a->out);
	status = rc == 0 ? EXIT_OK : cli_fail("bundle", e);
	outset_free(&out);
	bundle_free(&b);
	session_close(&s);
	free(data);
	return status;
}

int
cmd_bundle(int argc, char **argv)
{
	struct bundle_args a = { ANSWERS_DEFAULT_PATH, NULL, NULL, "linux/amd64" };
	const struct cli_opt opts[] = {
		{ "answers", 'a', "FILE", &a.answers, NULL,
		  "the answers file (default: ./sentry-ha.yaml)" },
		{ "output", 'o', "DIR", &a.out, NULL,
		  "the bundle's folder (required)" },
		{ "to", 0, "VERSION", &a.to, NULL,
		  "also every hop of the upgrade to VERSION" },
		{ "platform", 0, "OS/ARCH", &a.platform, NULL,
		  "the nodes' platform (default: linux/amd64)" },
		{ NULL, 0, NULL, NULL, NULL, NULL }
	};
	struct err e;
	int first, status;

	if ((status = cli_begin("bundle", argc, argv, opts, 0, usage, &first)) >= 0)
		return status;
	err_clear(&e);
	if (a.out == NULL) {
		err_set(&e, ERR_USAGE, "-o DIR is required: the bundle's folder");
		return cli_usage_error("bundle", &e);
	}
	return bundle(&a, &e);
}
