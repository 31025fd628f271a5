/*
 * Shared by probe_ssh.c (connection, login, the sshfs folder),
 * probe_ssh_hostkey.c (known_hosts), probe_ssh_facts.c and ssh_remote.c
 * (a session for the commands that act on a host); not part of the core's
 * interface.
 */
#ifndef SHS_PROBE_SSH_H
#define SHS_PROBE_SSH_H

#include <libssh2.h>

#include "probe_internal.h"

/* What is checked at one endpoint. */
struct ssh_target {
	const char	*host;
	long		 port;
	const char	*user;
	const char	*path;		/* sshfs: the folder; NULL for a host */
};

/* One connection, and what was learnt on it. */
struct ssh_conn {
	const struct probe_ctx	*c;
	const struct ssh_target	*t;
	LIBSSH2_SESSION		*s;
	char			*home;
	char			 fingerprint[64];	/* "ED25519 SHA256:..." */
	const char		*method;	/* the SSH auth method used */
	char			 used[300];	/* with which key */
	int			 accepted;	/* the key was new, and added
						 * (--accept-new) */
};

/* Host key types: libssh2's session type, its known_hosts type, a name. */
struct ssh_key_type {
	int		 session;
	int		 known;
	const char	*name;
};

extern const struct ssh_key_type ssh_key_types[];
extern const size_t ssh_nkey_types;

/* This user's home: $HOME, as ssh uses, else the password database's.
 * Owned by the caller. */
char	*ssh_home_dir(void);
/* Is the server's key the one known_hosts holds? 0, else -1 with r failed
 * (PF_HOSTKEY). Sets k->fingerprint. */
int	ssh_check_host_key(struct ssh_conn *k, struct probe_result *r);

/* The handshake on the connected socket `fd`, the host key and the login
 * as k->t->user, as `check` does them: 0, or -1 with r failed. *up once the
 * session got far enough to be closed politely. */
int	ssh_log_in(struct ssh_conn *k, int fd, int *up, struct probe_result *r);

/* A libssh2 failure that ends the connection, not just one step. */
int	ssh_connection_lost(int rc);

/* Every blocking libssh2 call waits at most until the deadline: sets the
 * session's timeout to what is left of it. */
void	ssh_bound(const struct ssh_conn *k);
/* Runs the facts commands on the logged-in host (probe_ssh_facts.c) and
 * sets r->about and r->about_pairs, and the clock into the probe's facts;
 * with an sshfs volume it also logs in from the host to the sshfs server
 * as the plugin will (ssh_mutual.h), and fails r when that login would
 * fail. A host that cannot tell is a fact, not a failure. */
void	ssh_gather_facts(struct ssh_conn *k, struct probe_result *r);

/* sshfs: the folder's free space as the server's SFTP tells it
 * (probe_ssh_space.c), a fact of r and of the probe; nothing when the
 * server cannot tell. Call with the SFTP session of the folder check
 * (a LIBSSH2_SFTP: its struct named, so that this needs no header). */
struct _LIBSSH2_SFTP;
void	ssh_sftp_space(struct ssh_conn *k, struct _LIBSSH2_SFTP *sftp,
	    struct probe_result *r);

#endif
