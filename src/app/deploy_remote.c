/*
 * deploy.h, the manager's half: the copy, the rename and deploy.sh. Each
 * step that runs a command there is built once, by the functions below,
 * for doing it and for --dry-run's list alike, so that the list is what a
 * real run does. Commands go through `sh -c`, whatever the login shell.
 */
#include "deploy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "printable.h"
#include "shell.h"

#define UPLOAD		"swarm.upload"
#define DRY		"swarm.dry-run"
#define FINAL		"swarm"
#define PREVIOUS	"swarm.previous"
/* deploy.sh's process id while it runs, for the next deploy to see. */
#define PID_FILE	"deploy.pid"
/* The guard's exit status when a deploy.sh still runs (EX_TEMPFAIL). */
#define STILL_RUNNING	75
/* What a step that fails may quote of its own words. */
#define STEP_OUTPUT_MAX	512

/* The remote folder, quoted for sh; owned by the caller. */
static char *
quoted(const struct deploy *d)
{
	struct strbuf q = STRBUF_INIT;

	sh_quote(&q, d->remote);
	return sb_take(&q);
}

/*
 * A deploy.sh that an earlier deploy started may still run there (its
 * client was killed, or lost the connection): a second copy would swap
 * its folder from under it. Only a live process that is deploy.sh counts:
 * a stale file, or a process id that another program has since taken, is
 * no deploy (where /proc is not, kill -0 alone must do).
 */
static char *
clear_command(const struct deploy *d, int dry)
{
	char *q = quoted(d), *guard, *cmd;

	/* A dry run changes nothing that a running deploy.sh uses. */
	guard = dry ? xstrdup("") : xasprintf("if [ -f %s/" PID_FILE " ]; then "
	    "p=$(cat %s/" PID_FILE "); if [ -n \"$p\" ] && kill -0 \"$p\" "
	    "2>/dev/null && { [ ! -d /proc/$p ] || grep -q deploy.sh "
	    "/proc/$p/cmdline; }; then echo \"deploy.sh is still running there "
	    "(pid $p)\"; exit %d; fi; fi && ", q, q, STILL_RUNNING);
	cmd = xasprintf("mkdir -p %s && %srm -rf %s/%s", q, guard, q,
	    dry ? DRY : UPLOAD);
	free(guard);
	free(q);
	return cmd;
}

static char *
swap_command(const struct deploy *d)
{
	char *q = quoted(d), *cmd = xasprintf("cd %s && rm -rf " PREVIOUS " && "
	    "{ [ ! -e " FINAL " ] || mv " FINAL " " PREVIOUS "; } && mv " UPLOAD
	    " " FINAL, q);

	free(q);
	return cmd;
}

/*
 * A dry run leaves nothing behind, whatever deploy.sh says. A real one
 * must not depend on this connection: deploy.sh runs under nohup into
 * DEPLOY_LOG, which tail follows until deploy.sh ends (GNU tail's --pid),
 * so that a dropped connection ends the tail, not the deploy.
 */
static char *
run_command(const struct deploy *d, int dry)
{
	char *q = quoted(d), *cmd;

	if (dry)
		cmd = xasprintf("cd %s/" DRY " && sh deploy.sh --dry-run; "
		    "status=$?; rm -rf %s/" DRY "; exit $status", q, q);
	else
		cmd = xasprintf("cd %s/" FINAL " && : >../" DEPLOY_LOG " && "
		    "{ nohup sh deploy.sh >>../" DEPLOY_LOG " 2>&1 </dev/null & "
		    "} && pid=$! && echo $pid >../" PID_FILE " && { tail -n +1 -f "
		    "--pid=$pid ../" DEPLOY_LOG " & } && wait $pid; status=$?; "
		    "rm -f ../" PID_FILE "; wait; exit $status", q);
	free(q);
	return cmd;
}

/* The remote folder for people: a relative one is in the home folder. */
static char *
shown(const struct deploy *d, const char *folder)
{
	return xasprintf("%s%s/%s", d->remote[0] == '/' ? "" : "~/", d->remote,
	    folder);
}

static void
add_ssh(const struct deploy *d, const char *cmd, struct strbuf *text)
{
	struct strbuf inner = STRBUF_INIT;

	/* As an operator types it: one word, which the login shell runs. */
	sh_quote(&inner, cmd);
	sb_printf(text, "ssh -p %ld %s@%s %s\n", d->host->port,
	    d->host->user, d->host->address, sb_str(&inner));
	sb_free(&inner);
}

static mode_t
dir_mode(const struct deploy *d, const char *dir)
{
	char *path = xasprintf("%s/%s", d->local, dir);
	struct stat st;
	mode_t mode = stat(path, &st) == 0 ? st.st_mode & 0777 : 0700;

	free(path);
	return mode;
}

/* The copy, as commands, into `folder`. */
static void
copy_commands(const struct deploy *d, const char *folder, struct strbuf *text)
{
	char *clear = clear_command(d, strcmp(folder, DRY) == 0);

	add_ssh(d, clear, text);
	free(clear);
	sb_printf(text, "sftp: mkdir -m 0700 %s/%s\n", d->remote, folder);
	for (size_t i = 0; i < d->dirs.n; i++)
		sb_printf(text, "sftp: mkdir -m %04o %s/%s/%s\n",
		    (unsigned)dir_mode(d, d->dirs.v[i]), d->remote, folder,
		    d->dirs.v[i]);
	for (size_t i = 0; i < d->nfiles; i++)
		sb_printf(text, "sftp: put -m %04o %s/%s %s/%s/%s  (%zu bytes)\n",
		    (unsigned)d->files[i].mode, d->local, d->files[i].path,
		    d->remote, folder, d->files[i].path, d->files[i].len);
}

void
deploy_commands(const struct deploy *d, struct strbuf *text)
{
	char *swap = swap_command(d), *run = run_command(d, 0);

	sb_printf(text, "# Logged in to %s (%s@%s, port %ld). A deploy runs:\n",
	    d->host->name, d->host->user, d->host->address, d->host->port);
	copy_commands(d, UPLOAD, text);
	add_ssh(d, swap, text);
	add_ssh(d, run, text);
	free(swap);
	free(run);
}

void
deploy_describe(const struct deploy *d, int width, struct strbuf *text)
{
	char *upload = shown(d, UPLOAD), *final = shown(d, FINAL), *step;
	char *log = shown(d, DEPLOY_LOG);
	char *jobs = sl_join(&d->jobs, ", "), *stacks = sl_join(&d->stacks, ", ");

	sb_printf(text, "Deploy onto %s (%s@%s, port %ld):\n", d->host->name,
	    d->host->user, d->host->address, d->host->port);
	step = xasprintf("copy %zu files (%zu KiB) from %s to %s there, secrets "
	    "in 0600 files; then rename it to %s, keeping the one there now as "
	    PREVIOUS ";", d->nfiles, (d->bytes + 1023) / 1024, d->local, upload,
	    final);
	sb_wrap(text, "  1. ", step, 5, width);
	free(step);
	step = xasprintf("run deploy.sh there: %zu migration job%s (%s), then "
	    "%zu stack%s (%s); its output also goes to %s, and "
	    "it goes on there if the connection drops.", d->jobs.n,
	    d->jobs.n == 1 ? "" : "s", jobs, d->stacks.n, d->stacks.n == 1 ?
	    "" : "s", stacks, log);
	sb_wrap(text, "  2. ", step, 5, width);
	if (d->answers_newer)
		sb_wrap(text, "Note: ", "the answers changed after the output was "
		    "written: generate first to deploy them.", 6, width);
	free(step);
	free(jobs);
	free(stacks);
	free(upload);
	free(final);
	free(log);
}

/* `cmd` as sh runs it, whatever the login shell; owned by the caller. */
static char *
through_sh(const char *cmd)
{
	struct strbuf wrapped = STRBUF_INIT;

	sb_add(&wrapped, "sh -c ");
	sh_quote(&wrapped, cmd);
	return sb_take(&wrapped);
}

static void
keep_output(const char *data, size_t len, void *arg)
{
	struct strbuf *kept = arg;

	if (kept->len < STEP_OUTPUT_MAX)
		sb_addn(kept, data, len < STEP_OUTPUT_MAX - kept->len ? len :
		    STEP_OUTPUT_MAX - kept->len);
}

/* A step whose words matter only when it fails: they go in the error. */
static int
run_quietly(const struct deploy *d, struct ssh_remote *r, char *cmd,
    struct err *e)
{
	struct strbuf said = STRBUF_INIT;
	char *wrapped = through_sh(cmd), *words, *log;
	int status = 0, rc;

	rc = ssh_remote_run(r, wrapped, SSH_REMOTE_STEP, keep_output, &said,
	    &status, e);
	/* Its first line: the guard's sentence, or a command's complaint. */
	if (said.s != NULL)
		said.s[said.len = strcspn(said.s, "\n")] = '\0';
	words = printable(sb_str(&said));
	if (rc == 0 && status == STILL_RUNNING) {
		log = shown(d, DEPLOY_LOG);
		rc = err_set(e, ERR_IO, "on %s, %s: an earlier deploy has not "
		    "ended; wait for it (tail -f %s shows how it goes), then "
		    "deploy again", d->host->name, words, log);
		free(log);
	} else if (rc == 0 && status != 0) {
		rc = err_set(e, ERR_IO, "on the host, `%s` exited with status "
		    "%d%s%s", cmd, status, words[0] ? ": " : "", words);
	}
	free(words);
	sb_free(&said);
	free(wrapped);
	free(cmd);
	return rc;
}

int
deploy_copy(const struct deploy *d, struct ssh_remote *r, int dry,
    struct err *e)
{
	const char *folder = dry ? DRY : UPLOAD;
	char *base = xasprintf("%s/%s", d->remote, folder), *path;
	int rc = run_quietly(d, r, clear_command(d, dry), e);

	if (rc == 0)
		rc = ssh_remote_mkdir(r, base, 0700, e);
	for (size_t i = 0; rc == 0 && i < d->dirs.n; i++) {
		path = xasprintf("%s/%s", base, d->dirs.v[i]);
		rc = ssh_remote_mkdir(r, path, dir_mode(d, d->dirs.v[i]), e);
		free(path);
	}
	for (size_t i = 0; rc == 0 && i < d->nfiles; i++) {
		const struct deploy_file *f = &d->files[i];

		path = xasprintf("%s/%s", base, f->path);
		rc = ssh_remote_put(r, path, f->content, f->len, f->mode, e);
		free(path);
	}
	free(base);
	return rc;
}

int
deploy_swap(const struct deploy *d, struct ssh_remote *r, struct err *e)
{
	return run_quietly(d, r, swap_command(d), e);
}

int
deploy_run(const struct deploy *d, struct ssh_remote *r, int dry,
    ssh_output_fn *out, void *arg, int *status, struct err *e)
{
	char *cmd = run_command(d, dry), *wrapped = through_sh(cmd);
	int rc;

	rc = ssh_remote_run(r, wrapped, 0, out, arg, status, e);
	if (rc < 0 && !dry) {
		/* deploy.sh runs under nohup: only the view of it is lost. */
		char *log = shown(d, DEPLOY_LOG);

		err_append(e, ERR_IO, "deploy.sh goes on there: ssh -p %ld "
		    "%s@%s tail -f %s shows how it ends", d->host->port,
		    d->host->user, d->host->address, log);
		free(log);
	}
	free(wrapped);
	free(cmd);
	return rc;
}
