/* Rules about storage and the deployment as a whole, and the report of what
 * the generator did for the rules it always satisfies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"

/* Lists at most this many services by name in one finding. */
#define NAMES_SHOWN	4

void
check_applied(const char *id, const struct plan *pl, const struct facts *facts,
    struct findings *out)
{
	struct strlist services = { 0 };
	const struct plan_fix *fix = NULL;
	const char *verb;

	(void)facts;
	for (size_t i = 0; i < pl->nfixes; i++) {
		if (strcmp(pl->fixes[i].rule, id) != 0)
			continue;
		fix = &pl->fixes[i];
		if (fix->service != NULL && !sl_contains(&services, fix->service))
			sl_add(&services, fix->service);
	}
	if (fix == NULL)
		return;
	verb = fix->changed ? "applied" : "holds";
	if (services.n == 0) {
		finding_add(out, id, SEV_INFO, NULL, NULL, "%s: %s", verb, fix->what);
	} else {
		struct strlist shown = { 0 };
		char *names;

		for (size_t i = 0; i < services.n && i < NAMES_SHOWN; i++)
			sl_add(&shown, services.v[i]);
		names = sl_join(&shown, ", ");
		if (services.n > NAMES_SHOWN)
			finding_add(out, id, SEV_INFO, NULL, NULL, "%s: %s (%s and "
			    "%zu more)", verb, fix->what, names,
			    services.n - NAMES_SHOWN);
		else
			finding_add(out, id, SEV_INFO, NULL, NULL, "%s: %s (%s)",
			    verb, fix->what, names);
		free(names);
		sl_free(&shown);
	}
	sl_free(&services);
}

static size_t
mounting(const struct plan *pl, const char *volume)
{
	size_t n = 0;

	for (size_t i = 0; i < pl->nservices; i++)
		for (size_t j = 0; j < pl->services[i].nmounts; j++)
			n += strcmp(pl->services[i].mounts[j].volume, volume) == 0;
	return n;
}

static const char *
backing_name(enum backing b)
{
	static const char *const names[] = {
		[BACK_CLAIM] = "one ReadWriteMany claim",
		[BACK_NFS] = "one NFS export",
		[BACK_SSHFS] = "one sshfs volume",
		[BACK_HOSTPATH] = "one hostpath folder (shared by every node)",
	};

	return b < sizeof names / sizeof names[0] && names[b] != NULL ?
	    names[b] : "a per-pod folder";
}

void
check_shared_filestore(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	const struct plan_volume *v = plan_volume(pl, "sentry-data");
	const struct plan_filestore *fs = &pl->filestore;

	(void)facts;
	if (v == NULL)
		return;
	if (strcmp(fs->backend, "filesystem") == 0)
		finding_add(out, id, SEV_INFO, NULL, "filestore.backend", "applied: "
		    "%zu Sentry services mount %s at /data", mounting(pl, v->name),
		    backing_name(v->backing));
	else
		finding_add(out, id, SEV_INFO, NULL, "filestore.backend", "files go "
		    "to the %s bucket \"%s\"; /data is only a per-pod cache",
		    fs->backend, strcmp(fs->backend, "s3") == 0 ? fs->s3_bucket :
		    fs->gcs_bucket);
}

void
check_symbolicator_data(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	const struct plan_volume *v = plan_volume(pl, "symbolicator-data");

	(void)facts;
	if (v == NULL)
		return;
	if (v->backing != BACK_SCRATCH)
		finding_add(out, id, SEV_INFO, "symbolicator", NULL, "applied: "
		    "symbolicator and its cleanup mount %s at /data",
		    backing_name(v->backing));
	else if (strcmp(pl->target.kind, "kubernetes") == 0)
		finding_add(out, id, SEV_INFO, "symbolicator", NULL, "applied: "
		    "with no shared volume each symbolicator pod keeps its own "
		    "cache, an emptyDir of %s that the kubelet empties when it is "
		    "full; symbolicator-cleanup is left out", v->size);
	else
		finding_add(out, id, SEV_INFO, "symbolicator", NULL, "applied: "
		    "with no shared volume each node keeps symbolicator's cache in "
		    "a local volume, and symbolicator-cleanup runs on every node");
}

/* Wired when the answers give a MaxMind account or a file; otherwise said
 * once, since events then carry no location. An account that an air gap
 * keeps from downloading is air-gap-internet-steps' to say. */
void
check_geoip(const char *id, const struct plan *pl, const struct facts *facts,
    struct findings *out)
{
	if (pl->geoip.enabled) {
		check_applied(id, pl, facts, out);
		return;
	}
	if (pl->geoip.download_refused)
		return;
	finding_add(out, id, SEV_INFO, NULL, "geoip", "noted: no IP "
	    "geolocation: give geoip.account_id and geoip.license_key (a free "
	    "MaxMind account) for a weekly GeoLite2 download, or "
	    "geoip.database_file");
}

/* The answer each step's finding points at. */
static const struct {
	const char	*step;
	const char	*field;
} step_fields[] = {
	{ "images", "registry" },
	{ "geoip", "geoip" },
	{ "js_sdk_loader", "sentry.js_sdk_url" },
	{ "private_ips", "sentry.disallowed_ips" },
};

static const char *
step_field(const char *step)
{
	for (size_t i = 0; i < sizeof step_fields / sizeof step_fields[0]; i++)
		if (strcmp(step_fields[i].step, step) == 0)
			return step_fields[i].field;
	return "air_gapped";
}

/* Air-gapped, a finding per step of the release that still needs the
 * Internet, with its fix. Not air-gapped but with a mirror, the
 * deployment may well be offline: said once, with the steps that would
 * still reach out. */
void
check_air_gap(const char *id, const struct plan *pl, const struct facts *facts,
    struct findings *out)
{
	const struct strlist *ids = &pl->profile->internet_steps;
	size_t open = plan_internet_unhandled(pl);

	(void)facts;
	if (!pl->air_gapped) {
		if (pl->target.registry != NULL)
			finding_add(out, id, SEV_INFO, NULL, "registry", "every "
			    "image is pulled from %s, but %zu of the release's "
			    "%zu steps that need the Internet still reach it: "
			    "on a network without it, set air_gapped: true "
			    "(RUNBOOK.md lists the steps)", pl->target.registry,
			    open, ids->n);
		return;
	}
	for (size_t i = 0; i < ids->n; i++) {
		const struct internet_step *s = internet_step(ids->v[i]);

		if (s == NULL || s->handled(pl))
			continue;
		finding_add(out, id, s->severity ? SEV_WARNING : SEV_INFO, NULL,
		    step_field(s->id), "%s, although air-gapped: %s; give %s "
		    "(RUNBOOK.md, \"Air gap\", has its offline equivalent)",
		    s->id, s->need, s->fix);
	}
	finding_add(out, id, SEV_INFO, NULL, "air_gapped", "applied: %zu of the "
	    "release's %zu steps that need the Internet have their offline "
	    "equivalent (RUNBOOK.md, \"Air gap\")", ids->n - open, ids->n);
}

void
check_url_prefix(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	(void)facts;
	if (pl->sentry.url_prefix == NULL)
		finding_add(out, id, SEV_WARNING, NULL, "sentry.url_prefix", "no "
		    "public URL: links in e-mails and the SDK set-up pages will "
		    "point at http://web:9000");
}

void
check_external_cleanup(const char *id, const struct plan *pl,
    const struct facts *facts, struct findings *out)
{
	const char *backend = pl->filestore.backend;

	const struct plan_filestore *f = &pl->filestore;
	const char *days = vars_get(&pl->vars, "sentry.retention_days")->text;
	const char *main_bucket = backend[0] == 's' ? f->s3_bucket : f->gcs_bucket;
	char *field;

	(void)facts;
	if (strcmp(backend, "filesystem") == 0)
		return;
	field = xasprintf("filestore.%s.profiles_bucket", backend);
	/* vroom, where the release has it, keeps profiles in the bucket. */
	if (plan_service(pl, "vroom") == NULL)
		finding_add(out, id, SEV_WARNING, NULL, "filestore.backend", "files "
		    "in %s are never deleted by `sentry cleanup`, and bucket %s "
		    "holds source maps and debug files that releases keep using: "
		    "give it no age limit, watch its size", backend, main_bucket);
	else if (f->profiles_own)
		finding_add(out, id, SEV_WARNING, NULL, field, "files in %s are "
		    "never deleted by `sentry cleanup`: expire the objects of the "
		    "profiles bucket %s after %s days, as upstream does; give the "
		    "file store's bucket %s no age limit, it holds source maps and "
		    "debug files that releases keep using", backend,
		    f->profiles_bucket, days, main_bucket);
	else
		finding_add(out, id, SEV_WARNING, NULL, field, "profiles share "
		    "bucket %s with source maps and debug files, so no age limit "
		    "can clean them up: give %s a bucket of its own and expire that "
		    "one after %s days (`sentry cleanup` deletes nothing in %s)",
		    main_bucket, field, days, backend);
	free(field);
}
