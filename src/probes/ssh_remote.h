/*
 * A logged-in SSH session to one host of `hosts:`, for the commands that
 * act on a host rather than look at it (deploy). The connection, the host
 * key and the login are `check`'s own (probe_ssh.c): a host that `check`
 * passes is one these reach, with the same keys and the same refusals. On
 * the session: SFTP to copy files, and commands whose output is handed on
 * as it comes.
 */
#ifndef SHS_SSH_REMOTE_H
#define SHS_SSH_REMOTE_H

#include <stddef.h>

#include "err.h"
#include "plan.h"

struct ssh_remote;

#define SSH_REMOTE_STEP	(-1L)

struct ssh_remote_opts {
	long	timeout_ms;	/* the deadline of each step: connecting and
				 * logging in, one folder, one file */
	int	accept_new_host_keys;	/* OpenSSH's accept-new */
};

/* What a command printed (stdout and stderr merged), piece by piece. */
typedef void ssh_output_fn(const char *data, size_t len, void *arg);

/*
 * Connects to host `h` and logs in as check does. 0 with *out (owned by
 * the caller: ssh_remote_close()), or -1 with e (ERR_IO) naming the host,
 * what failed and the fix. `h` is borrowed until ssh_remote_close().
 */
int	ssh_remote_open(const struct plan_host *h, const struct ssh_remote_opts *o,
	    struct ssh_remote **out, struct err *e);
/* "SSH-2.0-OpenSSH_9.2p1 ..., host key ED25519 SHA256:... known" (or "was
 * new: added to ~/.ssh/known_hosts"); borrowed until ssh_remote_close(). */
const char *ssh_remote_about(const struct ssh_remote *r);

/* A new folder (an existing one is an error) with exactly `mode`. */
int	ssh_remote_mkdir(struct ssh_remote *r, const char *path, long mode,
	    struct err *e);
/* A new file (an existing one is an error) with `len` bytes of `data` and
 * exactly `mode`, synced to the host's disk before it is closed. */
int	ssh_remote_put(struct ssh_remote *r, const char *path, const char *data,
	    size_t len, long mode, struct err *e);

/* What SFTP says of a file: 0 with its owner (-1: the server did not
 * say) and size, 1 when there is none, or -1 with e. */
int	ssh_remote_stat(struct ssh_remote *r, const char *path, long *uid,
	    long *gid, unsigned long long *size, struct err *e);
/* The first `max` bytes of a file into *text (owned by the caller,
 * NUL-terminated), or -1 with e. */
int	ssh_remote_read(struct ssh_remote *r, const char *path, size_t max,
	    char **text, struct err *e);
/* Removes a file: 0, or -1 with e. */
int	ssh_remote_unlink(struct ssh_remote *r, const char *path, struct err *e);

/*
 * Runs `cmd` with the login user's shell and hands its output to `out` as
 * it comes, within timeout_ms (SSH_REMOTE_STEP: the step's of the
 * options). With 0 there is no deadline (a deploy waits for its jobs):
 * TCP keepalives then notice a host that is gone. 0 with *status its
 * exit status; -1 with e when it could not run, or ended by a signal.
 */
int	ssh_remote_run(struct ssh_remote *r, const char *cmd, long timeout_ms,
	    ssh_output_fn *out, void *arg, int *status, struct err *e);

/* Says goodbye and frees; NULL is nothing. */
void	ssh_remote_close(struct ssh_remote *r);

#endif
