/* The plan's volumes: how each is backed, and the rendered config files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan_internal.h"
#include "tmpl.h"

static int
mounted_in(const struct plan_service *group, size_t n, const char *volume)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < group[i].nmounts; j++)
			if (strcmp(group[i].mounts[j].volume, volume) == 0)
				return 1;
	return 0;
}

static int
is_used(const struct plan *pl, const char *volume)
{
	return mounted_in(pl->services, pl->nservices, volume) ||
	    mounted_in(pl->migrations, pl->nmigrations, volume);
}

static struct plan_volume *
new_volume(struct plan *pl, const char *name, enum backing backing)
{
	struct plan_volume *v;

	pl->volumes = xrealloc(pl->volumes, (pl->nvolumes + 1) * sizeof *v);
	v = &pl->volumes[pl->nvolumes++];
	memset(v, 0, sizeof *v);
	v->name = xstrdup(name);
	v->backing = backing;
	return v;
}

static void
add_file(struct plan_volume *v, const char *name, char *content,
    const char *secret_ref)
{
	v->files = xrealloc(v->files, (v->nfiles + 1) * sizeof *v->files);
	v->files[v->nfiles].name = xstrdup(name);
	v->files[v->nfiles].content = content;
	v->files[v->nfiles].secret_ref = xstrdup(secret_ref);
	v->files[v->nfiles].mode = 0;
	v->nfiles++;
}

static int
render_files(struct plan *pl, struct plan_volume *v,
    const struct prof_volume *pv, const char *assets_dir, struct err *e)
{
	for (size_t i = 0; i < pv->files.n; i++) {
		char *path = xasprintf("%s/templates/%s", assets_dir,
		    pv->files.v[i].value), *text;
		struct strbuf out = STRBUF_INIT;
		size_t len;
		int used_secret = 0, rc;

		rc = fs_read_file(path, &text, &len, e);
		if (rc == 0) {
			rc = tmpl_render(text, path, &pl->vars, &out, &used_secret, e);
			free(text);
		}
		free(path);
		if (rc < 0) {
			/* The templates are this installation's own files, not
			 * the operator's input: missing or broken, the
			 * installation is at fault (exit 3). */
			e->kind = ERR_IO;
			sb_free(&out);
			return -1;
		}
		add_file(v, pv->files.v[i].key, sb_take(&out), NULL);
		/* A file that holds a secret goes to a Secret, never to a
		 * ConfigMap. */
		v->secret |= used_secret;
	}
	return 0;
}

/* The shared-volume kinds each target can mount. */
static const struct {
	const char	*target;
	const char	*kinds;		/* space-separated */
	const char	*advice;
} mountable[] = {
	{ "kubernetes", "pvc nfs", "use pvc (a ReadWriteMany storage class) or "
	  "nfs; sshfs needs a Docker volume plugin, and hostpath binds a folder "
	  "that every Swarm node mounts" },
	{ "swarm", "nfs sshfs hostpath", "use nfs or sshfs (volume drivers), or "
	  "hostpath (a folder every node mounts); a pvc is a Kubernetes claim" },
};

int
plan_can_mount(const char *target, const char *kind, const char **advice)
{
	for (size_t i = 0; i < sizeof mountable / sizeof mountable[0]; i++) {
		const char *k = mountable[i].kinds;
		size_t len = strlen(kind);

		if (strcmp(mountable[i].target, target) != 0)
			continue;
		*advice = mountable[i].advice;
		for (; *k != '\0'; k += strcspn(k, " "), k += *k == ' ')
			if (strncmp(k, kind, len) == 0 && (k[len] == ' ' ||
			    k[len] == '\0'))
				return 1;
		return 0;
	}
	return 1;
}

static void
sshfs_backing(struct plan *pl, struct plan_volume *v, const char *name)
{
	const struct plan_sshfs *ssh = &pl->filestore.sshfs;

	v->backing = BACK_SSHFS;
	v->nfs_server = xstrdup(ssh->host);
	v->nfs_path = xasprintf("%s/%s", ssh->path, name);
	v->ssh_user = xstrdup(ssh->user);
	v->ssh_port = ssh->port;
	/* By default the Sentry image's user, since the files must look like
	 * theirs (DESIGN §7 swarm-sshfs-uid). */
	v->uid = ssh->uid;
	v->gid = ssh->gid;
	v->source = xstrdup("answers:filestore.shared_volume.sshfs");
}

/* The volume is PATH/NAME, so that each has its own folder as on NFS and
 * sshfs, owned by the Sentry image's user; the mount is the nodes' own. */
static int
hostpath_backing(struct plan *pl, struct plan_volume *v, const char *name,
    struct err *e)
{
	char where[512];

	if (pl->filestore.hostpath == NULL) {
		plan_where(pl, "filestore.shared_volume.kind", where, sizeof where);
		return err_set(e, ERR_INPUT, "%sfilestore.shared_volume.hostpath."
		    "path: required for hostpath (the folder every node mounts)",
		    where);
	}
	v->backing = BACK_HOSTPATH;
	v->nfs_path = xasprintf("%s%s%s", pl->filestore.hostpath,
	    strcmp(pl->filestore.hostpath, "/") == 0 ? "" : "/", name);
	v->uid = SENTRY_UID;
	v->gid = SENTRY_GID;
	v->source = xstrdup("answers:filestore.shared_volume.hostpath");
	return 0;
}

/* A volume every replica of several services must see the same way. */
static int
shared_backing(struct plan *pl, struct plan_volume *v,
    const struct prof_volume *pv, int is_filestore, struct err *e)
{
	const struct plan_filestore *f = &pl->filestore;
	const char *advice = "";
	char where[512];

	if (f->shared_kind == NULL) {
		plan_where(pl, "filestore", where, sizeof where);
		return err_set(e, ERR_INPUT, "%sfilestore.shared_volume: required: "
		    "Sentry %s shares the volume \"%s\" between pods; give kind: "
		    "%s", where, pl->release, pv->name, strcmp(pl->target.kind,
		    "swarm") == 0 ? "nfs, kind: sshfs or kind: hostpath" :
		    "pvc (a ReadWriteMany storage class) or kind: nfs");
	}
	if (!plan_can_mount(pl->target.kind, f->shared_kind, &advice)) {
		plan_where(pl, "filestore.shared_volume.kind", where, sizeof where);
		return err_set(e, ERR_INPUT, "%sfilestore.shared_volume.kind: %s "
		    "cannot be mounted on %s: %s", where, f->shared_kind,
		    pl->target.kind, advice);
	}
	if (strcmp(f->shared_kind, "nfs") == 0) {
		v->backing = BACK_NFS;
		v->nfs_server = xstrdup(f->nfs_server);
		/* Each volume gets its own folder of the export. */
		v->nfs_path = xasprintf("%s/%s", f->nfs_path, pv->name);
		v->source = xstrdup("answers:filestore.shared_volume.nfs");
	} else if (strcmp(f->shared_kind, "sshfs") == 0) {
		sshfs_backing(pl, v, pv->name);
	} else if (strcmp(f->shared_kind, "hostpath") == 0) {
		if (hostpath_backing(pl, v, pv->name, e) < 0)
			return -1;
	} else {
		v->backing = BACK_CLAIM;
		v->source = xstrdup("answers:filestore.shared_volume.kind");
	}
	v->size = xstrdup(is_filestore && f->shared_size ? f->shared_size :
	    pv->size ? pv->size : "10Gi");
	return 0;
}

static int
add_profile_volume(struct plan *pl, const struct prof_volume *pv,
    const char *assets_dir, struct err *e)
{
	const char *backend = pl->filestore.backend;
	struct plan_volume *v;

	if (strcmp(pv->kind, "config") == 0) {
		v = new_volume(pl, pv->name, BACK_CONFIG);
		return render_files(pl, v, pv, assets_dir, e);
	}
	if (strcmp(pv->kind, "per-replica") == 0) {
		v = new_volume(pl, pv->name, BACK_PER_REPLICA);
		v->size = xstrdup(pv->size ? pv->size : "10Gi");
		return 0;
	}
	if (strcmp(pv->kind, "cache") == 0 && plan_volume_per_pod(pl, pv->name)) {
		v = new_volume(pl, pv->name, BACK_SCRATCH);
		v->size = xstrdup(pv->size ? pv->size : "10Gi");
		v->source = xstrdup("answers:filestore.shared_volume");
		return 0;
	}
	if (strcmp(pv->kind, "scratch") == 0 || (strcmp(pv->kind, "filestore") == 0
	    && strcmp(backend, "filesystem") != 0)) {
		v = new_volume(pl, pv->name, BACK_SCRATCH);
		if (strcmp(pv->kind, "filestore") == 0)
			v->source = xstrdup("answers:filestore.backend");
		return 0;
	}
	v = new_volume(pl, pv->name, BACK_CLAIM);
	return shared_backing(pl, v, pv, strcmp(pv->kind, "filestore") == 0, e);
}

/* The images that open the file store themselves: Sentry, and vroom for
 * profiles (through Google's default credentials lookup). */
static const char *const gcs_clients[] = { "sentry", "vroom", NULL };

static int
opens_file_store(const struct plan_service *s)
{
	for (const char *const *image = gcs_clients; *image != NULL; image++)
		if (plan_uses_image(s, *image))
			return 1;
	return 0;
}

/* GCS: the credentials file reaches every container that opens the bucket,
 * from the Secret. */
static void
add_gcs_credentials(struct plan *pl)
{
	struct plan_volume *v = new_volume(pl, "gcs-credentials", BACK_SECRET);
	struct plan_service *groups[] = { pl->services, pl->migrations };
	size_t counts[] = { pl->nservices, pl->nmigrations };

	add_file(v, "credentials.json", NULL, "gcs-credentials");
	v->source = xstrdup("answers:filestore.gcs.credentials_file");
	for (size_t g = 0; g < 2; g++) {
		for (size_t i = 0; i < counts[g]; i++) {
			struct plan_service *s = &groups[g][i];

			if (!opens_file_store(s))
				continue;
			plan_add_mount(s, "gcs-credentials", GCS_CREDENTIALS_DIR, 1);
			plan_set_env(s, "GOOGLE_APPLICATION_CREDENTIALS",
			    GCS_CREDENTIALS_PATH, NULL);
		}
	}
}

/* The private CAs (public, a config) and the client certificates (a
 * Secret); the emitters put the CAs into each container's bundle. */
static void
add_tls_volumes(struct plan *pl)
{
	struct plan_volume *v = NULL;
	char name[64];

	if (pl->tls.ca_pem != NULL) {
		struct plan_volume *ca = new_volume(pl, CA_VOLUME, BACK_CONFIG);

		add_file(ca, CA_FILE, xstrdup(pl->tls.ca_pem), NULL);
		ca->source = xstrdup("answers:tls.ca_file");
	}
	for (const struct plan_client_end *end = plan_client_ends;
	    end->section != NULL; end++) {
		const struct plan_client_cert *c = plan_client(pl, end);

		if (c->cert_ref == NULL)
			continue;
		if (v == NULL) {
			v = new_volume(pl, "tls-client", BACK_SECRET);
			v->source = xstrdup("answers:client_cert");
		}
		snprintf(name, sizeof name, "%s.crt", end->section);
		add_file(v, name, NULL, c->cert_ref);
		v->files[v->nfiles - 1].mode = 0444;
		snprintf(name, sizeof name, "%s.key", end->section);
		add_file(v, name, NULL, c->key_ref);
		v->files[v->nfiles - 1].mode = end->key_mode;
	}
}

int
plan_build_volumes(struct plan *pl, const char *assets_dir, struct err *e)
{
	const struct profile *p = pl->profile;

	for (size_t i = 0; i < p->volumes.n; i++) {
		const struct prof_volume *pv = OBJ_AT(&p->volumes, sizeof *pv, i);

		if (!is_used(pl, pv->name))
			continue;
		if (add_profile_volume(pl, pv, assets_dir, e) < 0)
			return -1;
	}
	if (strcmp(pl->filestore.backend, "gcs") == 0)
		add_gcs_credentials(pl);
	add_tls_volumes(pl);
	return 0;
}
