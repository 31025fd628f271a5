/*
 * The air gap (answers air_gapped, geoip.database_file, sentry.js_sdk_url,
 * sentry.disallowed_ips): what each step of a release that needs the
 * Internet becomes offline, and the template variables that turn the
 * offline equivalents on (airgap-facts.md §3).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "answers.h"
#include "fsutil.h"
#include "plan_internal.h"

static int
has_registry(const struct plan *pl)
{
	return pl->target.registry != NULL;
}

/* No download from MaxMind: no GeoIP at all, or the operator's file. */
static int
no_geoip_download(const struct plan *pl)
{
	return pl->geoip.account_id == NULL && !pl->geoip.download_refused;
}

/* No GeoIP answer at all: nothing to download, nothing to copy. */
static int
no_geoip(const struct plan *pl)
{
	return !pl->geoip.enabled && !pl->geoip.download_refused;
}

static int
is_air_gapped(const struct plan *pl)
{
	return pl->air_gapped;
}

static int
has_js_sdk_url(const struct plan *pl)
{
	return pl->sentry.js_sdk_url != NULL;
}

static int
has_disallowed_ips(const struct plan *pl)
{
	return pl->sentry.disallowed_ips.n > 0;
}

const struct internet_step internet_steps[] = {
	{ "images", "every image is pulled from Docker Hub, ghcr.io or "
	  "registry.gitlab.com",
	  "copy each image listed in this runbook into a registry inside the "
	  "network (sentry-ha-setup bundle writes save.sh and load.sh, which "
	  "carry them and check the mirror); nothing is built (upstream's install builds "
	  "sentry-self-hosted-local and cron images from Dockerfiles that run "
	  "pip and apt-get: the generated files use the published images as "
	  "they are)",
	  "registry: the mirror's prefix (e.g. registry.internal:5000/sentry)",
	  1, has_registry, NULL },
	{ "geoip", "GeoLite2-City.mmdb comes from MaxMind: geoipupdate "
	  "downloads it weekly with an account (air-gapped, geoipupdate is left "
	  "out and events get no location)",
	  "download GeoLite2-City.mmdb on a connected machine and carry it in; "
	  "it is copied once into the geoip volume, and no geoipupdate runs",
	  "geoip: {database_file: PATH} instead of account_id and license_key",
	  1, no_geoip_download, no_geoip },
	{ "beacon", "Sentry's beacon task sends the install's id, version and "
	  "counts to sentry.io",
	  "SENTRY_BEACON = False in sentry.conf.py",
	  "air_gapped: true", 0, is_air_gapped, NULL },
	{ "js_sdk_loader", "the JavaScript Loader Script makes browsers fetch "
	  "the SDK from browser.sentry-cdn.com",
	  "serve the SDK bundles from a host inside the network and set "
	  "JS_SDK_LOADER_DEFAULT_SDK_URL to it; air-gapped without one, the "
	  "setting is left out and the Loader Script serves no SDK",
	  "sentry.js_sdk_url: https://HOST/js-sdk/%s/bundle%s.min.js",
	  0, has_js_sdk_url, NULL },
	{ "symbol_sources", "Symbolicator fetches debug files from the built-in "
	  "symbol servers (Microsoft, NuGet, Apple, Android...) for native and "
	  ".NET events",
	  "SENTRY_BUILTIN_SOURCES = {} in sentry.conf.py, so Sentry offers and "
	  "sends none; add an internal symbol server per project instead",
	  "air_gapped: true", 0, is_air_gapped, NULL },
	{ "air_gap_setting", "Sentry fetches AI model prices and metadata from "
	  "public APIs, and raises exceptions in some containers without them",
	  "SENTRY_AIR_GAP = True in sentry.conf.py",
	  "air_gapped: true", 1, is_air_gapped, NULL },
	{ "private_ips", "Sentry refuses outgoing requests to private and "
	  "reserved addresses (SENTRY_DISALLOWED_IPS): inside an air gap every "
	  "webhook, integration and uptime target is one, so each is refused",
	  "SENTRY_DISALLOWED_IPS lists only the ranges Sentry may not call",
	  "sentry.disallowed_ips: the ranges to keep refused, without your "
	  "internal ones (e.g. [127.0.0.0/8, 169.254.0.0/16, ::1/128])",
	  1, has_disallowed_ips, NULL },
	{ NULL, NULL, NULL, NULL, 0, NULL, NULL }
};

const struct internet_step *
internet_step(const char *id)
{
	for (const struct internet_step *s = internet_steps; s->id != NULL; s++)
		if (strcmp(s->id, id) == 0)
			return s;
	return NULL;
}

size_t
plan_internet_unhandled(const struct plan *pl)
{
	const struct strlist *ids = &pl->profile->internet_steps;
	size_t n = 0;

	for (size_t i = 0; i < ids->n; i++) {
		const struct internet_step *s = internet_step(ids->v[i]);

		n += s != NULL && !s->handled(pl);
	}
	return n;
}

/* The answer's file, relative to the answers: a regular file is enough
 * here, since it is only copied (the runbook says how). */
static int
resolve_database_file(struct plan *pl, const char *given, struct err *e)
{
	char *base = fs_dirname(pl->answers_file), *path;
	char where[256];
	struct stat st;

	path = given[0] == '/' ? xstrdup(given) : xasprintf("%s/%s", base, given);
	free(base);
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
		plan_where(pl, "geoip.database_file", where, sizeof where);
		err_set(e, ERR_INPUT, "%sgeoip.database_file: %s is not a file "
		    "(GeoLite2-City.mmdb, downloaded on a connected machine)",
		    where, given);
		free(path);
		return -1;
	}
	pl->geoip.database_file = path;
	return 0;
}

/* Either the operator's file or an account with its key; air-gapped, an
 * account alone downloads nothing (the rule says so). */
static int
resolve_geoip(struct plan *pl, const struct ans_geoip *g, struct err *e)
{
	int key = g->license_key.kind != SECRET_NONE;
	char where[256];

	if (g->database_file != NULL && (g->account_id != NULL || key)) {
		plan_where(pl, "geoip.database_file", where, sizeof where);
		return err_set(e, ERR_INPUT, "%sgeoip.database_file: give it or "
		    "geoip.account_id and geoip.license_key, not both: the file "
		    "is copied in once, the account downloads it weekly", where);
	}
	if ((g->account_id != NULL) != key) {
		plan_where(pl, key ? "geoip.license_key" : "geoip.account_id",
		    where, sizeof where);
		return err_set(e, ERR_INPUT, "%sgeoip.%s: required with "
		    "geoip.%s (or give geoip.database_file alone)", where,
		    key ? "account_id" : "license_key",
		    key ? "license_key" : "account_id");
	}
	if (g->database_file != NULL &&
	    resolve_database_file(pl, g->database_file, e) < 0)
		return -1;
	pl->geoip.download_refused = g->account_id != NULL && pl->air_gapped;
	if (g->account_id != NULL && !pl->air_gapped)
		pl->geoip.account_id = xstrdup(g->account_id);
	pl->geoip.enabled = pl->geoip.account_id != NULL ||
	    pl->geoip.database_file != NULL;
	return 0;
}

int
plan_resolve_offline(struct plan *pl, const struct answers *a, struct err *e)
{
	pl->air_gapped = a->air_gapped == 1;
	if (a->sentry.js_sdk_url != NULL && a->sentry.js_sdk_url[0] != '\0')
		pl->sentry.js_sdk_url = xstrdup(a->sentry.js_sdk_url);
	for (size_t i = 0; i < a->sentry.disallowed_ips.n; i++)
		sl_add(&pl->sentry.disallowed_ips, a->sentry.disallowed_ips.v[i]);
	return resolve_geoip(pl, &a->geoip, e);
}

/* offline.STEP is true where the release has the step and the answers
 * turned its offline equivalent on: what the templates read. */
void
plan_offline_vars(struct vars *vs, const struct plan *pl)
{
	const struct strlist *ids = &pl->profile->internet_steps;
	const char *loader = vars_get(vs, "cfg.js_sdk_loader_url")->text;

	vars_bool(vs, "air_gapped", pl->air_gapped);
	for (const struct internet_step *s = internet_steps; s->id != NULL; s++) {
		char *name = xasprintf("offline.%s", s->id);

		vars_bool(vs, name, sl_contains(ids, s->id) && s->handled(pl));
		free(name);
	}
	/* Upstream's CDN unless the answers name another host; none at all
	 * air-gapped, where the CDN cannot be reached. */
	vars_text(vs, "sentry.js_sdk_url", pl->sentry.js_sdk_url != NULL ?
	    pl->sentry.js_sdk_url : pl->air_gapped ? "" : loader);
	vars_list(vs, "sentry.disallowed_ips", &pl->sentry.disallowed_ips);
	vars_bool(vs, "geoip.enabled", pl->geoip.enabled);
	vars_bool(vs, "geoip.copied", pl->geoip.database_file != NULL);
}
