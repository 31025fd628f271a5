/*
 * ssh_remote.h over probe_ssh.c's connection and login. Each step gets a
 * deadline of its own (the probes' context, re-armed), except a command
 * run without one: deploy.sh may wait minutes for a migration job while
 * printing nothing, so then TCP keepalives are what notice a host that
 * went away.
 */
#include "ssh_remote.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <libssh2_sftp.h>

#include "printable.h"
#include "probe_ssh.h"

/* A dead host is noticed after KEEPALIVE_IDLE_S + KEEPALIVE_COUNT *
 * KEEPALIVE_INTERVAL_S seconds of silence: a minute. */
#define KEEPALIVE_IDLE_S	30
#define KEEPALIVE_INTERVAL_S	10
#define KEEPALIVE_COUNT		3

struct ssh_remote {
	struct probe_ctx	 ctx;
	struct ssh_target	 t;
	struct ssh_conn		 k;
	LIBSSH2_SFTP		*sftp;
	const char		*name;
	long			 step_ms;	/* each step's deadline */
	int			 fd, up;
	char			*about;
};

/* SFTP's status codes (what OpenSSH's sftp-server sends), in words. */
static const struct {
	unsigned long	 code;
	const char	*says;
} sftp_errors[] = {
	{ LIBSSH2_FX_NO_SUCH_FILE, "no such file or folder" },
	{ LIBSSH2_FX_NO_SUCH_PATH, "no such file or folder" },
	{ LIBSSH2_FX_PERMISSION_DENIED, "permission denied" },
	{ LIBSSH2_FX_FILE_ALREADY_EXISTS, "it exists already" },
	{ LIBSSH2_FX_NO_SPACE_ON_FILESYSTEM, "no space left on the disk" },
	{ LIBSSH2_FX_QUOTA_EXCEEDED, "the user's disk quota is exceeded" },
	{ LIBSSH2_FX_FAILURE, "refused (it may exist already, or the disk "
	  "is full or read-only)" },
};

static int	run_failed(const struct ssh_remote *r, const char *doing,
		    struct err *e);

static void
arm(struct ssh_remote *r, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, &r->ctx.deadline);
	r->ctx.deadline.tv_sec += ms / 1000;
	r->ctx.deadline.tv_nsec += (ms % 1000) * 1000000L;
	if (r->ctx.deadline.tv_nsec >= 1000000000L) {
		r->ctx.deadline.tv_sec++;
		r->ctx.deadline.tv_nsec -= 1000000000L;
	}
	r->ctx.timeout_ms = ms;
}

/* The probe's words for a failure, as the error of this host. */
static int
failed_as(const struct ssh_remote *r, const struct probe_result *pr,
    struct err *e)
{
	err_set(e, ERR_IO, "%s (%s@%s:%ld): %s", r->name, r->t.user, r->t.host,
	    r->t.port, pr->detail ? pr->detail : "the SSH login failed");
	if (pr->fix != NULL)
		err_append(e, ERR_IO, "  fix: %s", pr->fix);
	return -1;
}

static void
free_result(struct probe_result *pr)
{
	free(pr->detail);
	free(pr->fix);
	free(pr->about);
	kv_free(&pr->about_pairs);
}

static void
keep_alive(int fd)
{
	int on = 1, idle = KEEPALIVE_IDLE_S, intvl = KEEPALIVE_INTERVAL_S,
	    cnt = KEEPALIVE_COUNT;

	(void)setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
	(void)setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
	(void)setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof intvl);
	(void)setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt);
}

static int
connect_and_log_in(struct ssh_remote *r, struct err *e)
{
	struct probe_result pr = { 0 };
	const char *banner;
	int rc = -1;

	if ((r->fd = net_connect(&r->ctx, r->t.host, r->t.port, &pr)) < 0) {
		failed_as(r, &pr, e);
		free_result(&pr);
		return -1;
	}
	keep_alive(r->fd);
	if ((r->k.s = libssh2_session_init()) == NULL) {
		free_result(&pr);
		return err_set(e, ERR_IO, "%s: cannot start libssh2", r->name);
	}
	libssh2_session_set_blocking(r->k.s, 1);
	if (ssh_log_in(&r->k, r->fd, &r->up, &pr) < 0)
		failed_as(r, &pr, e);
	else {
		banner = libssh2_session_banner_get(r->k.s);
		r->about = xasprintf("%s, host key %s %s", banner ? banner :
		    "SSH", r->k.fingerprint, r->k.accepted ? "was new: added to "
		    "~/.ssh/known_hosts" : "known");
		rc = 0;
	}
	free_result(&pr);
	return rc;
}

int
ssh_remote_open(const struct plan_host *h, const struct ssh_remote_opts *o,
    struct ssh_remote **out, struct err *e)
{
	struct ssh_remote *r = xcalloc(1, sizeof *r);

	r->t = (struct ssh_target){ h->address, h->port, h->user, NULL };
	r->name = h->name;
	r->fd = -1;
	r->ctx.accept_new_host_keys = o->accept_new_host_keys;
	r->k.c = &r->ctx;
	r->k.t = &r->t;
	r->k.home = ssh_home_dir();
	r->step_ms = o->timeout_ms;
	arm(r, r->step_ms);
	if (connect_and_log_in(r, e) < 0) {
		ssh_remote_close(r);
		return -1;
	}
	*out = r;
	return 0;
}

const char *
ssh_remote_about(const struct ssh_remote *r)
{
	return r->about;
}

/* libssh2's or the SFTP server's reason for failing `doing` `path`. */
static int
sftp_failed(const struct ssh_remote *r, const char *doing, const char *path,
    struct err *e)
{
	unsigned long code = r->sftp ? libssh2_sftp_last_error(r->sftp) : 0;
	char *msg = NULL, *says;

	if (libssh2_session_last_errno(r->k.s) == LIBSSH2_ERROR_SFTP_PROTOCOL)
		for (size_t i = 0; i < sizeof sftp_errors / sizeof sftp_errors[0]; i++)
			if (sftp_errors[i].code == code)
				return err_set(e, ERR_IO, "%s: %s %s: %s", r->name,
				    doing, path, sftp_errors[i].says);
	libssh2_session_last_error(r->k.s, &msg, NULL, 0);
	says = printable(msg ? msg : "unknown libssh2 error");
	err_set(e, ERR_IO, "%s: %s %s: %s", r->name, doing, path, says);
	free(says);
	return -1;
}

static int
start_sftp(struct ssh_remote *r, struct err *e)
{
	if (r->sftp != NULL)
		return 0;
	ssh_bound(&r->k);
	if ((r->sftp = libssh2_sftp_init(r->k.s)) != NULL)
		return 0;
	if (ssh_connection_lost(libssh2_session_last_errno(r->k.s)))
		return run_failed(r, "starting SFTP", e);
	return err_set(e, ERR_IO, "%s: the server offers no SFTP (sshd_config: "
	    "Subsystem sftp internal-sftp)", r->name);
}

int
ssh_remote_mkdir(struct ssh_remote *r, const char *path, long mode,
    struct err *e)
{
	LIBSSH2_SFTP_ATTRIBUTES at = { .flags = LIBSSH2_SFTP_ATTR_PERMISSIONS,
		.permissions = (unsigned long)mode };

	arm(r, r->step_ms);
	if (start_sftp(r, e) < 0)
		return -1;
	ssh_bound(&r->k);
	if (libssh2_sftp_mkdir_ex(r->sftp, path, (unsigned)strlen(path), mode) != 0)
		return sftp_failed(r, "making the folder", path, e);
	/* The server's umask applied to mkdir's mode: set it exactly. */
	ssh_bound(&r->k);
	if (libssh2_sftp_stat_ex(r->sftp, path, (unsigned)strlen(path),
	    LIBSSH2_SFTP_SETSTAT, &at) != 0)
		return sftp_failed(r, "setting the mode of", path, e);
	return 0;
}

static int
write_all(struct ssh_remote *r, LIBSSH2_SFTP_HANDLE *f, const char *data,
    size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n;

		ssh_bound(&r->k);
		if ((n = libssh2_sftp_write(f, data + done, len - done)) < 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

int
ssh_remote_put(struct ssh_remote *r, const char *path, const char *data,
    size_t len, long mode, struct err *e)
{
	LIBSSH2_SFTP_ATTRIBUTES at = { .flags = LIBSSH2_SFTP_ATTR_PERMISSIONS,
		.permissions = (unsigned long)mode };
	LIBSSH2_SFTP_HANDLE *f;
	int rc = -1;

	arm(r, r->step_ms);
	if (start_sftp(r, e) < 0)
		return -1;
	ssh_bound(&r->k);
	f = libssh2_sftp_open_ex(r->sftp, path, (unsigned)strlen(path),
	    LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT | LIBSSH2_FXF_EXCL, mode,
	    LIBSSH2_SFTP_OPENFILE);
	if (f == NULL)
		return sftp_failed(r, "creating", path, e);
	ssh_bound(&r->k);
	/* Exactly `mode` before a byte is in: a secret is never readable. */
	if (libssh2_sftp_fsetstat(f, &at) != 0)
		sftp_failed(r, "setting the mode of", path, e);
	else if (write_all(r, f, data, len) < 0)
		sftp_failed(r, "writing", path, e);
	else if (libssh2_sftp_fsync(f) != 0 &&
	    libssh2_sftp_last_error(r->sftp) != LIBSSH2_FX_OP_UNSUPPORTED)
		sftp_failed(r, "syncing", path, e);
	else
		rc = 0;
	ssh_bound(&r->k);
	if (libssh2_sftp_close_handle(f) != 0 && rc == 0)
		rc = sftp_failed(r, "closing", path, e);
	return rc;
}

int
ssh_remote_stat(struct ssh_remote *r, const char *path, long *uid, long *gid,
    unsigned long long *size, struct err *e)
{
	LIBSSH2_SFTP_ATTRIBUTES at;
	unsigned long code;

	arm(r, r->step_ms);
	if (start_sftp(r, e) < 0)
		return -1;
	ssh_bound(&r->k);
	if (libssh2_sftp_stat_ex(r->sftp, path, (unsigned)strlen(path),
	    LIBSSH2_SFTP_STAT, &at) != 0) {
		code = libssh2_sftp_last_error(r->sftp);
		if (libssh2_session_last_errno(r->k.s) ==
		    LIBSSH2_ERROR_SFTP_PROTOCOL && (code ==
		    LIBSSH2_FX_NO_SUCH_FILE || code == LIBSSH2_FX_NO_SUCH_PATH))
			return 1;
		return sftp_failed(r, "looking at", path, e);
	}
	*uid = at.flags & LIBSSH2_SFTP_ATTR_UIDGID ? (long)at.uid : -1;
	*gid = at.flags & LIBSSH2_SFTP_ATTR_UIDGID ? (long)at.gid : -1;
	*size = at.flags & LIBSSH2_SFTP_ATTR_SIZE ? at.filesize : 0;
	return 0;
}

int
ssh_remote_read(struct ssh_remote *r, const char *path, size_t max,
    char **text, struct err *e)
{
	LIBSSH2_SFTP_HANDLE *f;
	char *buf = xmalloc(max + 1);
	size_t len = 0;
	ssize_t n = 1;

	arm(r, r->step_ms);
	if (start_sftp(r, e) < 0) {
		free(buf);
		return -1;
	}
	ssh_bound(&r->k);
	if ((f = libssh2_sftp_open_ex(r->sftp, path, (unsigned)strlen(path),
	    LIBSSH2_FXF_READ, 0, LIBSSH2_SFTP_OPENFILE)) == NULL) {
		free(buf);
		return sftp_failed(r, "opening", path, e);
	}
	while (len < max && n > 0) {
		ssh_bound(&r->k);
		if ((n = libssh2_sftp_read(f, buf + len, max - len)) > 0)
			len += (size_t)n;
	}
	ssh_bound(&r->k);
	libssh2_sftp_close_handle(f);
	if (n < 0) {
		free(buf);
		return sftp_failed(r, "reading", path, e);
	}
	buf[len] = '\0';
	*text = buf;
	return 0;
}

int
ssh_remote_unlink(struct ssh_remote *r, const char *path, struct err *e)
{
	arm(r, r->step_ms);
	if (start_sftp(r, e) < 0)
		return -1;
	ssh_bound(&r->k);
	if (libssh2_sftp_unlink_ex(r->sftp, path, (unsigned)strlen(path)) != 0)
		return sftp_failed(r, "removing", path, e);
	return 0;
}

/* Hands what the command prints on, until it ends (0) or the connection
 * or the deadline fails (-1). */
static int
relay_output(struct ssh_remote *r, LIBSSH2_CHANNEL *ch, long timeout_ms,
    ssh_output_fn *out, void *arg)
{
	char buf[8192];
	ssize_t n;

	for (;;) {
		if (timeout_ms != 0)
			ssh_bound(&r->k);
		n = libssh2_channel_read(ch, buf, sizeof buf);
		if (n == 0 && libssh2_channel_eof(ch))
			return 0;
		if (n < 0)
			return -1;
		if (n > 0 && out != NULL)
			out(buf, (size_t)n, arg);
	}
}

/* The exit status, or -1 with e for a command a signal ended. */
static int
exit_status(const struct ssh_remote *r, LIBSSH2_CHANNEL *ch, const char *cmd,
    int *status, struct err *e)
{
	char *signal = NULL;
	size_t len = 0;

	if (libssh2_channel_get_exit_signal(ch, &signal, &len, NULL, NULL, NULL,
	    NULL) == 0 && signal != NULL) {
		err_set(e, ERR_IO, "%s: `%s` was ended by SIG%.*s", r->name, cmd,
		    (int)len, signal);
		libssh2_free(r->k.s, signal);
		return -1;
	}
	*status = libssh2_channel_get_exit_status(ch);
	return 0;
}

static int
run_failed(const struct ssh_remote *r, const char *doing, struct err *e)
{
	char *msg = NULL, *says;

	libssh2_session_last_error(r->k.s, &msg, NULL, 0);
	says = printable(msg ? msg : "the connection failed");
	err_set(e, ERR_IO, "%s: %s: %s", r->name, doing, says);
	free(says);
	return -1;
}

int
ssh_remote_run(struct ssh_remote *r, const char *cmd, long timeout_ms,
    ssh_output_fn *out, void *arg, int *status, struct err *e)
{
	LIBSSH2_CHANNEL *ch;
	int rc = -1;

	arm(r, timeout_ms > 0 ? timeout_ms : r->step_ms);
	ssh_bound(&r->k);
	if ((ch = libssh2_channel_open_session(r->k.s)) == NULL)
		return run_failed(r, "opening a session channel", e);
	(void)libssh2_channel_handle_extended_data2(ch,
	    LIBSSH2_CHANNEL_EXTENDED_DATA_MERGE);
	ssh_bound(&r->k);
	if (libssh2_channel_exec(ch, cmd) != 0)
		run_failed(r, "the server would not run a command", e);
	else {
		if (timeout_ms == 0)
			libssh2_session_set_timeout(r->k.s, 0);
		if (relay_output(r, ch, timeout_ms, out, arg) < 0)
			run_failed(r, "the connection broke while the command ran", e);
		else {
			arm(r, r->step_ms);
			ssh_bound(&r->k);
			(void)libssh2_channel_close(ch);
			/* The exit status may come after the output's end: without
			 * it, 0 would be a guess. */
			if (libssh2_channel_wait_closed(ch) != 0)
				run_failed(r, "the command's exit status did not arrive", e);
			else
				rc = exit_status(r, ch, cmd, status, e);
		}
	}
	libssh2_channel_free(ch);
	return rc;
}

void
ssh_remote_close(struct ssh_remote *r)
{
	if (r == NULL)
		return;
	arm(r, r->step_ms);
	if (r->sftp != NULL) {
		ssh_bound(&r->k);
		libssh2_sftp_shutdown(r->sftp);
	}
	if (r->up) {
		ssh_bound(&r->k);
		libssh2_session_disconnect(r->k.s, "sentry-ha-setup: done");
	}
	if (r->k.s != NULL)
		libssh2_session_free(r->k.s);
	if (r->fd >= 0)
		net_close(&r->ctx, r->fd);
	free(r->k.home);
	free(r->about);
	free(r);
}
