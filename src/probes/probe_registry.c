/*
 * The answers' registry (registry:, the mirror every node pulls from),
 * through the Docker Registry HTTP API v2 with libcurl, as `docker pull`
 * speaks it: GET /v2/ answers (200, or 401 with a challenge); the login
 * works (Basic, or a token from the realm a Bearer challenge names, asked
 * for with the answers' user and password); and every image of the plan is
 * there, with a HEAD on its manifest that names each missing or forbidden
 * one and the digest each present one resolves to.
 *
 * Scheme: HTTPS, verified against the system's roots, tls.ca_file and
 * registry_auth.ca_file. An insecure registry, in Docker's words (one on
 * loopback unless tls_verify: true, or any with tls_verify: false), is HTTPS
 * without verification, or plain HTTP when it does not speak TLS: what
 * Docker and containerd do with such a registry.
 */
#include "registry_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan_images.h"

/* What the manifests said. */
struct tally {
	struct strlist	 missing, denied, other, digests;
	size_t		 total;
	const char	*first_missing;	/* its ref, for the fix */
	const char	*first_source;
};

static size_t
count(const struct plan *pl)
{
	return pl->target.registry != NULL ? 1 : 0;
}

static void
describe(const struct plan *pl, size_t i, char **endpoint, char **field)
{
	(void)i;
	*endpoint = xstrdup(pl->target.registry);
	*field = xstrdup("registry");
}

/* An image as the messages name it: its reference under the registry. */
static const char *
short_ref(const struct plan *pl, const char *ref)
{
	size_t n = strlen(pl->target.registry);

	while (n > 0 && pl->target.registry[n - 1] == '/')
		n--;
	return strncmp(ref, pl->target.registry, n) == 0 && ref[n] == '/' ?
	    ref + n + 1 : ref;
}

/* Asks for every image; 0, or -1 with r failed when the registry stopped
 * answering (the deadline, a dropped connection). */
static int
check_images(struct reg *g, const struct plan_images *im, struct tally *t,
    struct probe_result *r)
{
	const struct plan *pl = g->c->pl;

	for (size_t i = 0; i < im->n; i++) {
		const char *name = short_ref(pl, im->v[i].ref), *digest;
		struct image_ref ir;

		if (image_ref_split(im->v[i].ref, &ir) < 0) {
			sl_add_owned(&t->other, xasprintf("%s (not an image "
			    "reference)", name));
			continue;
		}
		t->total++;
		if (registry_head_manifest(g, &ir, r) < 0) {
			image_ref_free(&ir);
			return -1;
		}
		image_ref_free(&ir);
		if (g->status == 200) {
			digest = registry_header(g, "Docker-Content-Digest");
			sl_add_owned(&t->digests, xasprintf("%s %s", name,
			    digest ? digest : "(no digest given)"));
		} else if (g->status == 404) {
			if (t->missing.n == 0) {
				t->first_missing = im->v[i].ref;
				t->first_source = im->v[i].source;
			}
			sl_add(&t->missing, name);
		} else if (g->status == 401 || g->status == 403) {
			sl_add(&t->denied, name);
		} else {
			sl_add_owned(&t->other, xasprintf("%s (HTTP %ld)", name,
			    g->status));
		}
	}
	return 0;
}

/* "; 3 of 41 images are missing: a, b, c" when `l` is not empty. */
static void
say_list(struct strbuf *d, const struct strlist *l, size_t total,
    const char *what)
{
	char *names;

	if (l->n == 0)
		return;
	names = sl_join(l, ", ");
	sb_printf(d, "%s%zu of %zu image%s %s: %s", d->len ? "; " : "", l->n,
	    total, total == 1 ? "" : "s", what, names);
	free(names);
}

/* The result from what the manifests said: every image is named, the
 * missing first, then those the login may not pull. */
static void
judge(const struct reg *g, const struct tally *t, const char *how,
    struct probe_result *r)
{
	struct strbuf d = STRBUF_INIT, fix = STRBUF_INIT;
	char *present = sl_join(&t->digests, ", ");
	const char *denied = g->user ? "may not be pulled by this login" :
	    "may not be pulled without a login";

	say_list(&d, &t->missing, t->total, "are missing");
	say_list(&d, &t->denied, t->total, denied);
	say_list(&d, &t->other, t->total, "answered otherwise");
	if (d.len > 0)
		sb_printf(&d, "; registry at %s (%s)", g->base, how);
	else
		sb_printf(&d, "all %zu image%s there, at %s (%s)", t->total,
		    t->total == 1 ? " is" : "s are", g->base, how);
	if (t->digests.n > 0)
		sb_printf(&d, "; digests: %s", present);
	if (t->missing.n > 0)
		sb_printf(&fix, "copy each missing image into the registry, "
		    "e.g. skopeo copy docker://%s docker://%s (RUNBOOK.md lists "
		    "every image)", t->first_source, t->first_missing);
	else if (t->denied.n > 0 && g->user != NULL)
		sb_printf(&fix, "let %s pull these repositories, or give "
		    "registry_auth a login that may", g->user);
	if (t->missing.n > 0)
		probe_fail(r, PF_MISSING, sb_str(&fix), "%s", sb_str(&d));
	else if (t->denied.n > 0)
		probe_fail(r, g->user ? PF_PERMISSION : PF_AUTH, g->user ?
		    sb_str(&fix) : "give registry_auth.username and "
		    "registry_auth.password", "%s", sb_str(&d));
	else if (t->other.n > 0)
		probe_fail(r, PF_PROTOCOL, NULL, "%s", sb_str(&d));
	else
		probe_ok(r, "%s", sb_str(&d));
	free(present);
	sb_free(&d);
	sb_free(&fix);
}

/* The registry's own words for a connection that failed: which answer to
 * look at. */
static const struct {
	enum probe_failure	 failure;
	int			 insecure;
	const char		*fix;
} conn_fixes[] = {
	{ PF_REFUSED, -1, "check the host and port of registry, and that the "
	  "registry listens on an address this machine reaches" },
	{ PF_TLS, 0, "give registry_auth.ca_file the CA that signed the "
	  "registry's certificate; a registry without TLS needs "
	  "registry_auth.tls_verify: false (and is an insecure registry to "
	  "the nodes)" },
};

static void
refine_fix(const struct reg *g, struct probe_result *r)
{
	char *detail;

	for (size_t i = 0; i < sizeof conn_fixes / sizeof conn_fixes[0]; i++)
		if (conn_fixes[i].failure == r->failure &&
		    (conn_fixes[i].insecure < 0 ||
		    conn_fixes[i].insecure == g->insecure)) {
			/* A copy: probe_fail() frees the old text. */
			detail = xstrdup(r->detail ? r->detail : "");
			probe_fail(r, r->failure, conn_fixes[i].fix, "%s", detail);
			free(detail);
			return;
		}
}

/* The handle, the host and the login; -1 with r failed. */
static int
reg_open(const struct probe_ctx *c, struct reg *g, struct probe_result *r)
{
	const struct plan *pl = c->pl;
	const char *prefix = pl->target.registry;
	char *probe_ref = xasprintf("%s/x", prefix);
	struct image_ref ir;
	int split = image_ref_split(probe_ref, &ir);

	free(probe_ref);
	g->c = c;
	if (split < 0 || (strcmp(ir.host, "docker.io") == 0 &&
	    strncmp(prefix, "docker.io/", 10) != 0)) {
		image_ref_free(&ir);
		probe_fail(r, PF_SETUP, "write the registry's host with its "
		    "domain or its port (registry.internal:5000/sentry)", "the "
		    "nodes would read %s as a namespace of Docker Hub: a "
		    "registry's host has a '.' or a ':port', or is localhost",
		    prefix);
		return -1;
	}
	g->host = ir.host;
	ir.host = NULL;
	image_ref_free(&ir);
	g->insecure = pl->registry.tls_verify == 0 ||
	    (pl->registry.tls_verify == UNSET_BOOL &&
	    registry_host_loopback(g->host));
	g->user = pl->registry.username;
	g->password = plan_secret_value(pl, pl->registry.password_ref);
	/* Docker Hub's API is not at its name. */
	g->base = xasprintf("https://%s", strcmp(g->host, "docker.io") == 0 ?
	    "registry-1.docker.io" : g->host);
	if ((g->h = probe_curl_new(c, &g->body, r)) == NULL)
		return -1;
	curl_easy_setopt(g->h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(g->h, CURLOPT_MAXREDIRS, 3L);
	if (g->insecure) {
		curl_easy_setopt(g->h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(g->h, CURLOPT_SSL_VERIFYHOST, 0L);
	} else if (pl->registry.ca_pem != NULL) {
		probe_curl_trust(g->h, pl, pl->registry.ca_pem);
	}
	return 0;
}

static void
run(const struct probe_ctx *c, struct probe_result *r)
{
	struct reg g = { 0 };
	struct plan_images im = { 0 };
	struct tally t = { 0 };
	struct strbuf how = STRBUF_INIT;

	if (reg_open(c, &g, r) == 0 && registry_ping(&g, r) == 0 &&
	    registry_login(&g, &how, r) == 0) {
		if (g.insecure)
			sb_printf(&how, "; %s: an insecure registry to the nodes",
			    strncmp(g.base, "http:", 5) == 0 ? "plain HTTP" :
			    "TLS not verified");
		plan_images_add(c->pl, &im);
		if (check_images(&g, &im, &t, r) == 0)
			judge(&g, &t, sb_str(&how), r);
	}
	refine_fix(&g, r);
	if (g.h != NULL)
		curl_easy_cleanup(g.h);
	plan_images_free(&im);
	sl_free(&t.missing);
	sl_free(&t.denied);
	sl_free(&t.other);
	sl_free(&t.digests);
	sb_free(&how);
	sb_free(&g.body);
	kv_free(&g.tokens);
	free(g.base);
	free(g.realm);
	free(g.host);
}

const struct probe_kind probe_registry = {
	"registry", "Registry", count, describe, run
};
