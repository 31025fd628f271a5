/*
 * The Swarm write-up's sharing test, for real: a short-lived container of
 * the Sentry image, as the image's user (uid and gid 999), writes a token
 * into the shared folder on the first host of `hosts:`; every other host
 * must then see that file, with that owner and that content, where the
 * answers say, as its own containers will. The file is removed after.
 * Only `hostpath` shares are tested this way: an sshfs or NFS volume is
 * one server's folder by construction, and deploy.sh reports a mount that
 * fails.
 */
#include "probe_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "share_diag.h"
#include "ssh_remote.h"

#define TOKEN_BYTES	16
#define OUTPUT_MAX	4096

/* Does service s mount volume v? */
static int
mounts(const struct plan_service *s, const struct plan_volume *v)
{
	for (size_t m = 0; m < s->nmounts; m++)
		if (strcmp(s->mounts[m].volume, v->name) == 0)
			return 1;
	return 0;
}

/* The folder to test and the Sentry image: web's, and the first hostpath
 * volume it mounts (the file store); else any service's (geoipupdate's
 * image has no shell to write with). */
static int
subject(const struct plan *pl, const struct plan_volume **vol,
    const char **image)
{
	for (int pass = 0; pass < 2; pass++)
		for (size_t s = 0; s < pl->nservices; s++) {
			if (pass == 0 && strcmp(pl->services[s].name, "web") != 0)
				continue;
			for (size_t v = 0; v < pl->nvolumes; v++)
				if (pl->volumes[v].backing == BACK_HOSTPATH &&
				    mounts(&pl->services[s], &pl->volumes[v])) {
					*vol = &pl->volumes[v];
					*image = pl->services[s].image;
					return 0;
				}
		}
	return -1;
}

/* What is left of the deadline, never 0: to ssh_remote_run 0 is none. */
static long
left_ms(const struct probe_ctx *c)
{
	long ms = probe_ms_left(c);

	return ms > 0 ? ms : 1;
}

static size_t
count(const struct plan *pl)
{
	const struct plan_volume *v;
	const char *image;

	return strcmp(pl->target.kind, "swarm") == 0 && pl->nhosts >= 2 &&
	    subject(pl, &v, &image) == 0;
}

static void
describe(const struct plan *pl, size_t i, char **endpoint, char **field)
{
	const struct plan_volume *v = NULL;
	const char *image;

	(void)i;
	(void)subject(pl, &v, &image);
	*endpoint = xasprintf("%s, from %s to the other hosts", v ? v->nfs_path :
	    "?", pl->hosts[0].name);
	*field = xstrdup("filestore.shared_volume.hostpath.path");
}

/* A name no one else uses: random hex. */
static int
make_token(char *hex, size_t size)
{
	unsigned char raw[TOKEN_BYTES];
	FILE *f = fopen("/dev/urandom", "rb");
	size_t n = f ? fread(raw, 1, sizeof raw, f) : 0;

	if (f != NULL)
		fclose(f);
	if (n != sizeof raw || size < 2 * sizeof raw + 1)
		return -1;
	for (size_t i = 0; i < sizeof raw; i++)
		snprintf(hex + 2 * i, 3, "%02x", raw[i]);
	return 0;
}

/* The last OUTPUT_MAX bytes: docker's error comes after a pull's
 * progress. */
static void
collect(const char *data, size_t len, void *arg)
{
	struct strbuf *out = arg;

	sb_addn(out, data, len);
	if (out->len > OUTPUT_MAX) {
		memmove(out->s, out->s + out->len - OUTPUT_MAX, OUTPUT_MAX + 1);
		out->len = OUTPUT_MAX;
	}
}

/* The last line docker printed, for the detail. */
static const char *
last_line(const char *text, char *line, size_t size)
{
	const char *end = text + strlen(text), *start;

	while (end > text && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	for (start = end; start > text && start[-1] != '\n'; start--)
		;
	snprintf(line, size, "%.*s", (int)(end - start), start);
	return line;
}

struct share {
	const struct probe_ctx		*c;
	const struct plan_volume	*vol;
	const char			*image;
	char				 token[2 * TOKEN_BYTES + 1];
	char				*file;		/* in the share */
	struct ssh_remote_opts		 o;
};

static int
open_host(const struct share *sh, const struct plan_host *h,
    struct ssh_remote **r, struct probe_result *res)
{
	struct err e;

	err_clear(&e);
	if (ssh_remote_open(h, &sh->o, r, &e) == 0)
		return 0;
	for (char *p = e.msg; *p; p++)
		if (*p == '\n')
			*p = ' ';
	probe_fail(res, PF_SETUP, "make the SSH check of this host pass first",
	    "%s", e.msg);
	return -1;
}

/* On the first host: the token, written by the Sentry image's user. */
static int
write_token(const struct share *sh, struct ssh_remote *a,
    struct probe_result *res)
{
	struct strbuf out = STRBUF_INIT;
	char *cmd, fix[512], line[300];
	const char *says;
	struct err e;
	int status = 0, rc;

	/* --mount, as the stacks bind it: -v would make a missing folder. */
	cmd = xasprintf("docker run --rm --user %ld:%ld --entrypoint sh --mount "
	    "'type=bind,\"source=%s\",target=/probe' '%s' -c 'echo %s "
	    ">/probe/.sentry-ha-setup-share-%s'",
	    sh->vol->uid, sh->vol->gid, sh->vol->nfs_path, sh->image, sh->token,
	    sh->token);
	err_clear(&e);
	rc = ssh_remote_run(a, cmd, left_ms(sh->c), collect, &out,
	    &status, &e);
	if (rc < 0)
		probe_fail(res, PF_REPLY_TIMEOUT, "pull the image on the host "
		    "first (docker pull), or give --timeout more", "docker run on "
		    "%s: %s", sh->c->pl->hosts[0].name, e.msg);
	else if (status != 0) {
		says = share_diagnose(sb_str(&out), status, sh->vol->nfs_path,
		    sh->image, fix, sizeof fix);
		probe_fail(res, PF_SETUP, fix, "on %s, a container of %s as "
		    "%ld:%ld could not write into %s: %s (docker: %s)",
		    sh->c->pl->hosts[0].name, sh->image, sh->vol->uid, sh->vol->gid,
		    sh->vol->nfs_path, says, last_line(sb_str(&out), line,
		    sizeof line));
		rc = -1;
	}
	sb_free(&out);
	free(cmd);
	return rc;
}

/* On another host: the file is there, with its owner and content; 0, or
 * -1 with res failed saying how this host's folder differs. */
static int
read_token(const struct share *sh, const struct plan_host *h,
    struct probe_result *res)
{
	struct ssh_remote *b = NULL;
	unsigned long long size = 0;
	char *text = NULL;
	long uid = -1, gid = -1;
	struct err e;
	int rc;

	if (open_host(sh, h, &b, res) < 0)
		return -1;
	err_clear(&e);
	rc = ssh_remote_stat(b, sh->file, &uid, &gid, &size, &e);
	if (rc == 1)
		probe_fail(res, PF_MISSING, "mount the same share at that path on "
		    "every host (mountpoint -q PATH tells; RUNBOOK.md gives the "
		    "fstab line)", "not shared: the file a container wrote into %s "
		    "on %s is not in %s on %s", sh->vol->nfs_path,
		    sh->c->pl->hosts[0].name, sh->vol->nfs_path, h->name);
	else if (rc == 0 && uid >= 0 && (uid != sh->vol->uid ||
	    gid != sh->vol->gid))
		probe_fail(res, PF_PERMISSION, "mount the share so that the files "
		    "keep their owner (sshfs: uid=999,gid=999 in the fstab line; "
		    "NFS: the same uids everywhere, no squashing)", "shared, but "
		    "a file written as %ld:%ld on %s shows as %ld:%ld on %s: the "
		    "Sentry containers there would not own their files",
		    sh->vol->uid, sh->vol->gid, sh->c->pl->hosts[0].name, uid, gid,
		    h->name);
	else if (rc == 0 && ssh_remote_read(b, sh->file, 64, &text, &e) == 0 &&
	    strncmp(text, sh->token, strlen(sh->token)) != 0)
		probe_fail(res, PF_PROTOCOL, "look for a cache between the hosts "
		    "and the share (sshfs: cache=no)", "shared, but %s on %s holds "
		    "another content than was written on %s", sh->file, h->name,
		    sh->c->pl->hosts[0].name);
	else if (rc < 0 || text == NULL)
		probe_fail(res, PF_SETUP, NULL, "%s", e.msg);
	rc = res->failure == PF_NONE ? 0 : -1;
	free(text);
	ssh_remote_close(b);
	return rc;
}

/* The token goes, over SFTP as the login user, else as the image's user. */
static void
clean_up(const struct share *sh, struct ssh_remote *a)
{
	struct strbuf out = STRBUF_INIT;
	char *cmd;
	struct err e;
	int status;

	err_clear(&e);
	if (ssh_remote_unlink(a, sh->file, &e) == 0)
		return;
	cmd = xasprintf("docker run --rm --user %ld:%ld --entrypoint rm --mount "
	    "'type=bind,\"source=%s\",target=/probe' '%s' -f "
	    "/probe/.sentry-ha-setup-share-%s",
	    sh->vol->uid, sh->vol->gid, sh->vol->nfs_path, sh->image, sh->token);
	(void)ssh_remote_run(a, cmd, left_ms(sh->c), collect, &out,
	    &status, &e);
	free(cmd);
	sb_free(&out);
}

static void
run(const struct probe_ctx *c, struct probe_result *r)
{
	const struct plan *pl = c->pl;
	struct share sh = { .c = c };
	struct ssh_remote *a = NULL;
	size_t i;

	if (subject(pl, &sh.vol, &sh.image) < 0 ||
	    make_token(sh.token, sizeof sh.token) < 0) {
		probe_fail(r, PF_SETUP, NULL, "cannot make a token to test with");
		return;
	}
	sh.o = (struct ssh_remote_opts){ left_ms(c),
		c->accept_new_host_keys };
	sh.file = xasprintf("%s/.sentry-ha-setup-share-%s", sh.vol->nfs_path,
	    sh.token);
	if (open_host(&sh, &pl->hosts[0], &a, r) == 0 &&
	    write_token(&sh, a, r) == 0) {
		for (i = 1; i < pl->nhosts; i++)
			if (read_token(&sh, &pl->hosts[i], r) < 0)
				break;
		clean_up(&sh, a);
		if (i == pl->nhosts)
			probe_ok(r, "a container of %s as %ld:%ld wrote a token into "
			    "%s on %s; %zu other host%s read it there, owned by "
			    "%ld:%ld: the folder is shared", sh.image, sh.vol->uid,
			    sh.vol->gid, sh.vol->nfs_path, pl->hosts[0].name,
			    pl->nhosts - 1, pl->nhosts == 2 ? "" : "s", sh.vol->uid,
			    sh.vol->gid);
	}
	ssh_remote_close(a);
	free(sh.file);
}

const struct probe_kind probe_share = {
	"share", "Shared folder", count, describe, run
};
