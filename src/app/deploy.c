/*
 * deploy.h, the local half: which host, and what `generate` left in the
 * output folder. The files are those its marker lists below swarm/, read
 * once into memory, so that what is copied is what was there when the
 * operator was asked, however long the question waited.
 */
#include "deploy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fsutil.h"
#include "outset.h"

#define SWARM_FOLDER	"swarm/"

static int
has_role(const struct plan_host *h, const char *role)
{
	return sl_contains(&h->roles, role);
}

static int
pick_host(struct deploy *d, const struct plan *pl, const char *name,
    struct err *e)
{
	for (size_t i = 0; i < pl->nhosts; i++) {
		const struct plan_host *h = &pl->hosts[i];

		if (name != NULL ? strcmp(h->name, name) == 0 :
		    has_role(h, "manager")) {
			d->host = h;
			return 0;
		}
	}
	if (name != NULL)
		return err_set(e, ERR_USAGE, "--host %s: no host of that name in "
		    "hosts: of %s", name, pl->answers_file);
	return err_set(e, ERR_INPUT, "%s: hosts: names no manager, and deploy "
	    "runs on one: give a host roles: [manager], or pass --host NAME",
	    pl->answers_file);
}

/* The marker's list, for the files below swarm/ (a relative path each). */
static int
listed_files(const char *dir, struct strlist *files, time_t *written,
    struct err *e)
{
	char *marker = xasprintf("%s/%s", dir, OUTPUT_MARKER), *text = NULL;
	const char *p;
	struct stat st;
	size_t len;
	int rc = -1;

	if (stat(marker, &st) != 0 || fs_read_file(marker, &text, &len, e) < 0)
		err_set(e, ERR_IO, "%s: no output of sentry-ha-setup here (no %s): "
		    "run sentry-ha-setup generate -o %s first", dir, OUTPUT_MARKER,
		    dir);
	else if ((p = strstr(text, "\nfiles:\n")) == NULL)
		err_set(e, ERR_IO, "%s: written by an older sentry-ha-setup: run "
		    "generate again", marker);
	else {
		for (p += strlen("\nfiles:\n"); strncmp(p, "  ", 2) == 0;) {
			const char *end = strchr(p, '\n');
			size_t n = end ? (size_t)(end - p) : strlen(p);

			if (n > 2 + strlen(SWARM_FOLDER) && strncmp(p + 2,
			    SWARM_FOLDER, strlen(SWARM_FOLDER)) == 0)
				sl_add_owned(files, xstrndup(p + 2 +
				    strlen(SWARM_FOLDER), n - 2 -
				    strlen(SWARM_FOLDER)));
			p += n + (end != NULL);
		}
		*written = st.st_mtime;
		rc = 0;
	}
	free(marker);
	free(text);
	return rc;
}

/* Each folder of `path` (below swarm/), parents first, once. */
static void
add_dirs(struct deploy *d, const char *path)
{
	for (const char *s = strchr(path, '/'); s != NULL; s = strchr(s + 1, '/')) {
		char *dir = xstrndup(path, (size_t)(s - path));

		if (!sl_contains(&d->dirs, dir))
			sl_add(&d->dirs, dir);
		free(dir);
	}
}

static int
read_one(struct deploy *d, const char *rel, struct err *e)
{
	char *path = xasprintf("%s/%s", d->local, rel);
	struct deploy_file *f;
	struct stat st;
	int rc = -1;

	if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
		err_set(e, ERR_IO, "%s: missing or not a plain file, though the "
		    "last generate wrote it: run generate again", path);
	else {
		d->files = xrealloc(d->files, (d->nfiles + 1) * sizeof *d->files);
		f = &d->files[d->nfiles];
		memset(f, 0, sizeof *f);
		if (fs_read_file(path, &f->content, &f->len, e) == 0) {
			f->path = xstrdup(rel);
			f->mode = st.st_mode & 0777;
			d->bytes += f->len;
			d->nfiles++;
			add_dirs(d, rel);
			rc = 0;
		}
	}
	free(path);
	return rc;
}

/* deploy.sh's stacks and jobs, from its `deploy_stack GROUP NAME` and
 * `run_job FILE NAME` lines, for the question. */
static void
read_script(struct deploy *d, const char *text)
{
	for (const char *p = text; p != NULL && *p != '\0';) {
		const char *end = strchr(p, '\n');
		char *line = end ? xstrndup(p, (size_t)(end - p)) : xstrdup(p);
		struct strlist *into = strncmp(line, "deploy_stack ", 13) == 0 ?
		    &d->stacks : strncmp(line, "run_job ", 8) == 0 ? &d->jobs :
		    NULL;
		const char *name = strrchr(line, ' ');

		if (into != NULL && name != NULL && name[1] != '\0')
			sl_add(into, name + 1);
		free(line);
		p = end ? end + 1 : NULL;
	}
}

static const struct deploy_file *
find_file(const struct deploy *d, const char *path)
{
	for (size_t i = 0; i < d->nfiles; i++)
		if (strcmp(d->files[i].path, path) == 0)
			return &d->files[i];
	return NULL;
}

static int
read_output(struct deploy *d, const struct plan *pl, const char *dir,
    struct err *e)
{
	struct strlist files = { 0 };
	const struct deploy_file *script;
	struct stat st;
	time_t written = 0;
	int rc;

	d->local = xasprintf("%s/%.*s", dir, (int)strlen(SWARM_FOLDER) - 1,
	    SWARM_FOLDER);
	rc = listed_files(dir, &files, &written, e);
	for (size_t i = 0; rc == 0 && i < files.n; i++)
		rc = read_one(d, files.v[i], e);
	sl_free(&files);
	if (rc < 0)
		return -1;
	if ((script = find_file(d, "deploy.sh")) == NULL)
		return err_set(e, ERR_IO, "%s: no swarm/deploy.sh: this output is "
		    "not for Docker Swarm; run sentry-ha-setup generate -o %s",
		    dir, dir);
	read_script(d, script->content);
	d->answers_newer = stat(pl->answers_file, &st) == 0 &&
	    st.st_mtime > written;
	return 0;
}

int
deploy_prepare(struct deploy *d, const struct plan *pl, const char *dir,
    const char *host_name, const char *remote_dir, struct err *e)
{
	memset(d, 0, sizeof *d);
	d->remote = xstrdup(remote_dir ? remote_dir : pl->target.deploy_dir ?
	    pl->target.deploy_dir : DEPLOY_REMOTE_DIR);
	/* Neither SFTP nor a quoted word expands ~, and a leading - would be
	 * an option to mkdir, rm and cd. */
	if (d->remote[0] == '\0' || d->remote[0] == '~' || d->remote[0] == '-' ||
	    strchr(d->remote, '\n') != NULL)
		return err_set(e, remote_dir ? ERR_USAGE : ERR_INPUT, "%s: \"%s\": "
		    "expected a folder's path on the host, absolute or relative to "
		    "the login user's home (no ~, no leading -)", remote_dir ?
		    "--remote-dir" : "target.deploy_dir", d->remote);
	if (strcmp(pl->target.kind, "swarm") != 0)
		return err_set(e, ERR_INPUT, "%s: target.kind is %s: deploy is for "
		    "Docker Swarm; on Kubernetes, follow RUNBOOK.md with kubectl "
		    "(README says why)", pl->answers_file, pl->target.kind);
	if (pick_host(d, pl, host_name, e) < 0)
		return -1;
	return read_output(d, pl, dir, e);
}

void
deploy_free(struct deploy *d)
{
	for (size_t i = 0; i < d->nfiles; i++) {
		free(d->files[i].path);
		free(d->files[i].content);
	}
	free(d->files);
	free(d->local);
	free(d->remote);
	sl_free(&d->dirs);
	sl_free(&d->stacks);
	sl_free(&d->jobs);
	memset(d, 0, sizeof *d);
}
