/*
 * "Mutual SSH access" (issue 16): can a host of `hosts:` log in to the
 * sshfs server as the vieux/sshfs plugin will, with the key of the folder
 * the plugin takes as its root's ~/.ssh (sshfs.key_source)? The SSH
 * probe runs ssh_mutual_script() on the host, on the session it logged
 * in with (probe_ssh_facts.c); the rest is pure, for the unit tests:
 * whatever the host prints is hostile input, capped and made printable.
 */
#ifndef SHS_SSH_MUTUAL_H
#define SHS_SSH_MUTUAL_H

#include <stddef.h>

#include "kvlist.h"
#include "probe.h"
#include "xmem.h"

/* At most this much of the script's output is read. */
#define SSH_MUTUAL_MAX_OUTPUT	8192

/* The login to try, from which host. Borrowed strings. */
struct ssh_mutual_ask {
	const char	*host;		/* the node, for messages: "10.0.0.11" */
	const char	*keys;		/* the key folder, as answered */
	const char	*server;	/* the sshfs server */
	long		 port;
	const char	*user;		/* the server's user */
	long		 timeout_s;	/* ssh's ConnectTimeout, >= 1 */
};

/* What came of it. The first three are the host's facts, not failures:
 * the check could not tell (the plugin brings its own ssh client, so a
 * host without one may still mount). */
enum ssh_mutual_state {
	MUTUAL_UNKNOWN,		/* the output was cut short or odd */
	MUTUAL_NO_SUDO,		/* sudo -n would not run (a password) */
	MUTUAL_NO_CLIENT,	/* no ssh on the host */
	MUTUAL_OK,
	MUTUAL_NO_KEY,		/* no id_* in the folder */
	MUTUAL_KEY_MODE,	/* ssh would not load the key */
	MUTUAL_HOSTKEY_CHANGED,
	MUTUAL_HOSTKEY_UNKNOWN,	/* known_hosts lacks the server */
	MUTUAL_KEY_REFUSED,	/* Permission denied (publickey) */
	MUTUAL_RESOLVE,
	MUTUAL_REFUSED,
	MUTUAL_TIMEOUT,
	MUTUAL_UNREACHABLE,
	MUTUAL_NO_SFTP,
	MUTUAL_CLOSED,		/* the server hung up before the login */
	MUTUAL_OTHER,
	MUTUAL_NSTATES
};

/* Strings owned, printable; NULL when unknown. */
struct ssh_mutual {
	enum ssh_mutual_state state;
	char	*key;		/* the key file that logged in, or that the
				 * diagnosis is about: "id_ed25519" */
	char	*tried;		/* every key tried: "id_ed25519, id_rsa" */
	char	*said;		/* ssh's (or sudo's) own words on it */
};

/* The script `sh -s` runs on the host: it prints "\n@@shm NAME\n", the
 * output, "\n@@shm rc STATUS\n" per step. Owned by the caller. */
char	*ssh_mutual_script(const struct ssh_mutual_ask *a);

void	ssh_mutual_init(struct ssh_mutual *m);
void	ssh_mutual_free(struct ssh_mutual *m);
/* Reads the script's output (`len` bytes, maybe cut, maybe with NULs). */
void	ssh_mutual_parse(const char *out, size_t len, struct ssh_mutual *m);

/* Does the host's check fail? PF_NONE when not, else the failure's kind
 * and, in *detail and *fix (owned by the caller), what and the remedy. */
enum probe_failure ssh_mutual_failure(const struct ssh_mutual_ask *a,
	    const struct ssh_mutual *m, char **detail, char **fix);
/* One fact line, ending in '\n', and the pairs for --json; appended. */
void	ssh_mutual_text(const struct ssh_mutual_ask *a,
	    const struct ssh_mutual *m, struct strbuf *out);
void	ssh_mutual_pairs(const struct ssh_mutual_ask *a,
	    const struct ssh_mutual *m, struct kvlist *out);

#endif
