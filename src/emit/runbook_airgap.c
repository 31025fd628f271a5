/*
 * The runbook's air gap: each step of the release that needs the Internet
 * with its offline equivalent and whether the answers turned it on, and
 * the copy of the operator's GeoLite2 file into the geoip volume.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runbook.h"

/* Kubernetes: a pod of the Sentry image (it has tar, which kubectl cp
 * needs) mounts the claim read-write for the copy, then goes. Any backing
 * of the volume works, and nothing new is pulled. */
static void
geoip_load_k8s(const struct plan *pl, struct strbuf *md)
{
	const struct plan_service *web = plan_service(pl, "web");
	const struct plan_volume *v = plan_volume(pl, "geoip");
	const char *ns = pl->target.namespace;
	char *source = v->backing == BACK_NFS ?
	    xasprintf("\"nfs\": {\"server\": \"%s\", \"path\": \"%s\"}",
	    v->nfs_server, v->nfs_path) :
	    xstrdup("\"persistentVolumeClaim\": {\"claimName\": \"geoip\"}");

	sb_printf(md, "First the GeoIP database, which Relay opens when it "
	    "starts: copy `%s` into the geoip volume (there since step 4) "
	    "through a pod that mounts it read-write:\n\n```sh\n"
	    "kubectl -n %s run geoip-load --restart=Never --image=%s "
	    "--overrides='{\"spec\": {\"volumes\": [{\"name\": \"geoip\", "
	    "%s}], "
	    "\"containers\": [{\"name\": \"geoip-load\", \"image\": \"%s\", "
	    "\"command\": [\"sleep\", \"3600\"], \"volumeMounts\": "
	    "[{\"name\": \"geoip\", \"mountPath\": \"" GEOIP_DIR "\"}]}]}}'\n"
	    "kubectl -n %s wait --for=condition=Ready --timeout=5m pod/geoip-load\n"
	    "kubectl -n %s cp '%s' geoip-load:" GEOIP_DIR "/" GEOIP_FILE "\n"
	    "kubectl -n %s delete pod geoip-load\n```\n\n",
	    pl->geoip.database_file, ns, web->image, source, web->image, ns,
	    ns, pl->geoip.database_file, ns);
	free(source);
}

/* Swarm: the volume is a folder of the NFS export, the SSHFS host or the
 * share every node mounts, so the file is copied there directly. */
static void
geoip_load_swarm(const struct plan *pl, struct strbuf *md)
{
	const struct plan_volume *v = plan_volume(pl, "geoip");

	sb_printf(md, "Then the GeoIP database, which Relay opens when it "
	    "starts: copy `%s` into the geoip folder (it is only read):\n\n"
	    "```sh\n", pl->geoip.database_file);
	if (v->backing == BACK_SSHFS)
		sb_printf(md, "scp -P %ld '%s' %s@%s:%s/" GEOIP_FILE "\n",
		    v->ssh_port, pl->geoip.database_file, v->ssh_user,
		    v->nfs_server, v->nfs_path);
	else if (v->backing == BACK_HOSTPATH && pl->nhosts > 0)
		/* Any node will do: the folder is the same on all. */
		sb_printf(md, "scp -P %ld '%s' %s@%s:%s/" GEOIP_FILE "\n",
		    pl->hosts[0].port, pl->geoip.database_file,
		    pl->hosts[0].user, pl->hosts[0].address, v->nfs_path);
	else if (v->backing == BACK_HOSTPATH)
		sb_printf(md, "cp '%s' %s/" GEOIP_FILE "   # on any node\n",
		    pl->geoip.database_file, v->nfs_path);
	else
		sb_printf(md, "scp '%s' root@%s:%s/" GEOIP_FILE "\n",
		    pl->geoip.database_file, v->nfs_server, v->nfs_path);
	sb_add(md, "```\n\n");
}

void
runbook_geoip_load(const struct plan *pl, struct strbuf *md)
{
	if (pl->geoip.database_file == NULL || plan_volume(pl, "geoip") == NULL)
		return;
	if (strcmp(pl->target.kind, "kubernetes") == 0)
		geoip_load_k8s(pl, md);
	else
		geoip_load_swarm(pl, md);
}

void
runbook_internet(const struct plan *pl, struct strbuf *md)
{
	const struct strlist *ids = &pl->profile->internet_steps;

	if (ids->n == 0)
		return;
	sb_printf(md, "## Air gap: the steps that need the Internet\n\n%s\n\n",
	    pl->air_gapped ? "The answers say `air_gapped: true`: each step "
	    "below is done without the Internet where it says **on**; "
	    "`sentry-ha-setup check` reports every step that is not." :
	    "The answers do not say `air_gapped: true`, so these reach the "
	    "Internet unless they say **on**. On a network without it, set "
	    "`air_gapped: true` and the answers each fix names, then generate "
	    "again.");
	for (size_t i = 0; i < ids->n; i++) {
		const struct internet_step *s = internet_step(ids->v[i]);

		if (s == NULL)
			continue;
		sb_printf(md, "- `%s`: %s.\n  Offline: %s. **%s**", s->id, s->need,
		    s->offline, s->unused && s->unused(pl) ? "not used" :
		    s->handled(pl) ? "on" : "off");
		if (!s->handled(pl))
			sb_printf(md, ": give %s", s->fix);
		sb_add(md, ".\n");
	}
	sb_add(md, "\nNothing is built: every image is used as its publisher "
	    "pushed it, so the mirror needs no build step and no package "
	    "mirror.\n\n");
}
