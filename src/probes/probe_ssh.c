/*
 * SSH, through libssh2: every host of `hosts` (the nodes the runbook and
 * deploy.sh reach with ssh) and the sshfs server of the shared volume. Each
 * must show a host key that known_hosts trusts and let the answers' user in
 * with this machine's key (ssh-agent, else a key file without passphrase),
 * as `ssh -o BatchMode=yes` would. For sshfs, the folder must exist: it is
 * looked up over SFTP, which is what sshfs speaks.
 */
#include "probe_ssh.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libssh2_sftp.h>

/* The key files OpenSSH tries, in its order. */
static const char *const key_files[] = { "id_ed25519", "id_ecdsa", "id_rsa" };

/* Why libssh2 gave up, in the operator's terms. */
static const struct {
	int			 rc;
	enum probe_failure	 failure;
	const char		*fix;
	const char		*says;
} ssh_errors[] = {
	{ LIBSSH2_ERROR_TIMEOUT, PF_REPLY_TIMEOUT, "check that the port is an "
	  "SSH server's and that it is not overloaded",
	  "connected, but no answer within the deadline" },
	{ LIBSSH2_ERROR_BANNER_RECV, PF_PROTOCOL, "check that the port is an "
	  "SSH server's", "it did not greet as an SSH server does" },
	{ LIBSSH2_ERROR_KEX_FAILURE, PF_PROTOCOL, "allow a key exchange libssh2 "
	  "knows (curve25519-sha256, ...)", "no key exchange method in common" },
	{ LIBSSH2_ERROR_SOCKET_DISCONNECT, PF_PROTOCOL, "look in the server's "
	  "log (MaxStartups, AllowUsers, MaxAuthTries)", "the server hung up" },
	{ LIBSSH2_ERROR_SOCKET_RECV, PF_PROTOCOL, "look in the server's log",
	  "the connection broke" },
};

static size_t
count(const struct plan *pl)
{
	return pl->nhosts + (pl->filestore.sshfs.host != NULL);
}

/* Endpoint i: the hosts first, then the sshfs server. */
static void
target(const struct plan *pl, size_t i, struct ssh_target *t)
{
	if (i < pl->nhosts) {
		const struct plan_host *h = &pl->hosts[i];

		t->host = h->address;
		t->port = h->port;
		t->user = h->user;
		t->path = NULL;
	} else {
		const struct plan_sshfs *s = &pl->filestore.sshfs;

		t->host = s->host;
		t->port = s->port;
		t->user = s->user;
		t->path = s->path ? s->path : "/";
	}
}

static void
describe(const struct plan *pl, size_t i, char **endpoint, char **field)
{
	struct ssh_target t;

	target(pl, i, &t);
	*endpoint = probe_hostport(t.host, t.port);
	*field = i < pl->nhosts ? xasprintf("hosts[%zu].address", i) :
	    xstrdup("filestore.shared_volume.sshfs.host");
}

void
ssh_bound(const struct ssh_conn *k)
{
	long left = probe_ms_left(k->c);

	/* 0 would mean "no timeout" to libssh2. */
	libssh2_session_set_timeout(k->s, left > 0 ? left : 1);
}

static void
ssh_failed(const struct ssh_conn *k, int rc, const char *doing,
    struct probe_result *r)
{
	char *msg = NULL;

	for (size_t i = 0; i < sizeof ssh_errors / sizeof ssh_errors[0]; i++)
		if (ssh_errors[i].rc == rc) {
			probe_fail(r, ssh_errors[i].failure, ssh_errors[i].fix,
			    "%s (%s)", ssh_errors[i].says, doing);
			return;
		}
	libssh2_session_last_error(k->s, &msg, NULL, 0);
	probe_fail(r, PF_PROTOCOL, NULL, "%s failed: %s", doing, msg ? msg :
	    "unknown libssh2 error");
}

int
ssh_connection_lost(int rc)
{
	return rc == LIBSSH2_ERROR_TIMEOUT || rc == LIBSSH2_ERROR_SOCKET_SEND ||
	    rc == LIBSSH2_ERROR_SOCKET_RECV || rc == LIBSSH2_ERROR_SOCKET_TIMEOUT ||
	    rc == LIBSSH2_ERROR_SOCKET_DISCONNECT;
}

/* The agent's keys, in its order: 1 logged in, 0 not, -1 the connection
 * failed (r failed). No agent (SSH_AUTH_SOCK unset or dead) is 0. */
static int
try_agent(struct ssh_conn *k, struct strbuf *tried, struct probe_result *r)
{
	const char *user = k->t->user;
	struct libssh2_agent_publickey *id = NULL, *prev = NULL;
	LIBSSH2_AGENT *ag;
	int rc = 0, keys = 0;

	if (getenv("SSH_AUTH_SOCK") == NULL ||
	    (ag = libssh2_agent_init(k->s)) == NULL)
		return 0;
	if (libssh2_agent_connect(ag) == 0 &&
	    libssh2_agent_list_identities(ag) == 0) {
		while (rc == 0 && libssh2_agent_get_identity(ag, &id, prev) == 0) {
			int got;

			keys++;
			ssh_bound(k);
			got = libssh2_agent_userauth(ag, user, id);
			if (got == 0) {
				snprintf(k->used, sizeof k->used, "ssh-agent's key "
				    "%.200s", id->comment ? id->comment : "");
				rc = 1;
			} else if (ssh_connection_lost(got)) {
				ssh_failed(k, got, "logging in", r);
				rc = -1;
			}
			prev = id;
		}
		libssh2_agent_disconnect(ag);
	}
	libssh2_agent_free(ag);
	if (rc == 0 && keys > 0)
		sb_printf(tried, "ssh-agent's %d key%s (refused)", keys,
		    keys == 1 ? "" : "s");
	return rc;
}

/* ~/.ssh/id_* without a passphrase, as try_agent(). */
static int
try_files(struct ssh_conn *k, struct strbuf *tried, int *rsa_refused,
    struct probe_result *r)
{
	const char *user = k->t->user;

	for (size_t i = 0; i < sizeof key_files / sizeof key_files[0]; i++) {
		char *priv = xasprintf("%s/.ssh/%s", k->home, key_files[i]);
		char *pub = xasprintf("%s.pub", priv);
		int rc = 1;

		if (access(priv, R_OK) == 0) {
			ssh_bound(k);
			/* No passphrase: an encrypted key fails, never prompts. */
			rc = libssh2_userauth_publickey_fromfile_ex(k->s, user,
			    (unsigned)strlen(user), access(pub, R_OK) == 0 ? pub :
			    NULL, priv, NULL);
			if (rc != 0 && !ssh_connection_lost(rc))
				sb_printf(tried, "%s~/.ssh/%s (%s)", tried->len ?
				    ", " : "", key_files[i], rc == LIBSSH2_ERROR_FILE ?
				    "unreadable, or it has a passphrase" : "refused");
			*rsa_refused |= rc != 0 && rc != LIBSSH2_ERROR_FILE &&
			    strcmp(key_files[i], "id_rsa") == 0;
		}
		free(priv);
		free(pub);
		if (rc == 0) {
			snprintf(k->used, sizeof k->used, "~/.ssh/%s",
			    key_files[i]);
			return 1;
		}
		if (ssh_connection_lost(rc)) {
			ssh_failed(k, rc, "logging in", r);
			return -1;
		}
	}
	return 0;
}

static void
no_login(const struct ssh_conn *k, const struct strbuf *tried, int rsa,
    struct probe_result *r)
{
	char *fix = xasprintf("add this machine's public key to ~%s/.ssh/"
	    "authorized_keys on %s (ssh-copy-id -p %ld %s@%s)", k->t->user,
	    k->t->host, k->t->port, k->t->user, k->t->host);

	if (tried->len == 0)
		probe_fail(r, PF_SETUP, "create a key (ssh-keygen -t ed25519) and "
		    "install it on the server (ssh-copy-id), or start ssh-agent "
		    "with one", "no key to log in with: no ssh-agent "
		    "(SSH_AUTH_SOCK) and none of ~/.ssh/id_ed25519, id_ecdsa, "
		    "id_rsa");
	else
		probe_fail(r, PF_AUTH, fix, "%s@%s refused every key: %s%s",
		    k->t->user, k->t->host, tried->s, LIBSSH2_VERSION_NUM <
		    0x010b00 && rsa ? "; libssh2 " LIBSSH2_VERSION " signs RSA "
		    "keys with SHA-1, which OpenSSH 8.8 and later refuse: use an "
		    "ed25519 key" : "");
	free(fix);
}

/* Logs in as the answers' user with this machine's keys; 0 or -1 with r
 * failed. */
static int
log_in(struct ssh_conn *k, struct probe_result *r)
{
	const char *user = k->t->user;
	struct strbuf tried = STRBUF_INIT;
	char *methods;
	int rc, rsa = 0;

	ssh_bound(k);
	methods = libssh2_userauth_list(k->s, user, (unsigned)strlen(user));
	if (methods == NULL && libssh2_userauth_authenticated(k->s)) {
		k->method = "none";
		snprintf(k->used, sizeof k->used, "no key at all");
		return 0;
	}
	if (methods == NULL) {
		ssh_failed(k, libssh2_session_last_errno(k->s), "asking how to "
		    "log in", r);
		return -1;
	}
	if (strstr(methods, "publickey") == NULL) {
		probe_fail(r, PF_AUTH, "allow publickey logins for this user "
		    "(sshd_config: PubkeyAuthentication yes)", "%s@%s may log "
		    "in only with %s, not with a key", user, k->t->host, methods);
		return -1;
	}
	k->method = "publickey";
	rc = try_agent(k, &tried, r);
	if (rc == 0)
		rc = try_files(k, &tried, &rsa, r);
	if (rc == 0)
		no_login(k, &tried, rsa, r);
	sb_free(&tried);
	return rc == 1 ? 0 : -1;
}

/* sshfs: the folder exists, as SFTP (what sshfs speaks) sees it. */
static int
check_folder(struct ssh_conn *k, struct probe_result *r)
{
	const char *path = k->t->path;
	LIBSSH2_SFTP_ATTRIBUTES at;
	LIBSSH2_SFTP *sftp;
	unsigned long why;
	int rc;

	ssh_bound(k);
	if ((sftp = libssh2_sftp_init(k->s)) == NULL) {
		rc = libssh2_session_last_errno(k->s);
		if (ssh_connection_lost(rc))
			ssh_failed(k, rc, "starting SFTP", r);
		else
			probe_fail(r, PF_PROTOCOL, "enable SFTP on the server "
			    "(sshd_config: Subsystem sftp internal-sftp)", "the "
			    "server offers no SFTP, which sshfs needs");
		return -1;
	}
	ssh_bound(k);
	rc = libssh2_sftp_stat_ex(sftp, path, (unsigned)strlen(path),
	    LIBSSH2_SFTP_STAT, &at);
	why = rc == LIBSSH2_ERROR_SFTP_PROTOCOL ? libssh2_sftp_last_error(sftp) : 0;
	/* The share's free space, as the server's file system has it. */
	if (rc == 0 && (at.flags & LIBSSH2_SFTP_ATTR_PERMISSIONS) &&
	    LIBSSH2_SFTP_S_ISDIR(at.permissions))
		ssh_sftp_space(k, sftp, r);
	libssh2_sftp_shutdown(sftp);
	if (why == LIBSSH2_FX_NO_SUCH_FILE || why == LIBSSH2_FX_NO_SUCH_PATH) {
		char *fix = xasprintf("create it on %s: mkdir -p %s",
		    k->t->host, path);

		probe_fail(r, PF_MISSING, fix, "%s does not exist on %s", path,
		    k->t->host);
		free(fix);
	} else if (why == LIBSSH2_FX_PERMISSION_DENIED)
		probe_fail(r, PF_PERMISSION, "let the user reach the folder",
		    "%s may not look at %s", k->t->user, path);
	else if (rc != 0)
		ssh_failed(k, rc, "looking at the folder", r);
	else if (!(at.flags & LIBSSH2_SFTP_ATTR_PERMISSIONS) ||
	    !LIBSSH2_SFTP_S_ISDIR(at.permissions))
		probe_fail(r, PF_MISSING, "give filestore.shared_volume.sshfs.path "
		    "a folder", "%s on %s is not a folder", path, k->t->host);
	else
		return 0;
	return -1;
}

/*
 * ssh's order of host key types, so that the key ssh stored in known_hosts
 * is the one the server shows us (libssh2 would pick ECDSA over ED25519).
 * Only the types this libssh2 has are named: 1.10 drops the others with an
 * overlapping memcpy (AddressSanitizer rightly aborts).
 */
static void
prefer_hostkeys(LIBSSH2_SESSION *s)
{
	static const char *const order[] = { "ssh-ed25519",
	    "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
	    "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa" };
	struct strbuf pref = STRBUF_INIT;
	const char **algs = NULL;
	int n = libssh2_session_supported_algs(s, LIBSSH2_METHOD_HOSTKEY, &algs);

	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
		for (int j = 0; j < n; j++)
			if (strcmp(order[i], algs[j]) == 0)
				sb_printf(&pref, "%s%s", pref.len ? "," : "",
				    order[i]);
	if (pref.len > 0)
		(void)libssh2_session_method_pref(s, LIBSSH2_METHOD_HOSTKEY,
		    pref.s);
	if (n > 0)
		libssh2_free(s, (void *)algs);
	sb_free(&pref);
}

int
ssh_log_in(struct ssh_conn *k, int fd, int *up, struct probe_result *r)
{
	int rc;

	prefer_hostkeys(k->s);
	ssh_bound(k);
	if ((rc = libssh2_session_handshake(k->s, fd)) != 0) {
		ssh_failed(k, rc, "the SSH handshake", r);
		return -1;
	}
	*up = 1;
	return ssh_check_host_key(k, r) < 0 || log_in(k, r) < 0 ? -1 : 0;
}

/* Logged in, and (sshfs) the folder is there; 0 when all is well. */
static int
converse(struct ssh_conn *k, int fd, int *up, struct probe_result *r)
{
	if (ssh_log_in(k, fd, up, r) < 0)
		return -1;
	return k->t->path != NULL ? check_folder(k, r) : 0;
}

static void
run(const struct probe_ctx *c, struct probe_result *r)
{
	struct ssh_target t;
	struct ssh_conn k = { .c = c, .t = &t };
	const char *banner;
	int fd, up = 0;

	target(c->pl, c->index, &t);
	if ((fd = net_connect(c, t.host, t.port, r)) < 0)
		return;
	if ((k.s = libssh2_session_init()) == NULL) {
		probe_fail(r, PF_SETUP, NULL, "cannot start libssh2");
		net_close(c, fd);
		return;
	}
	k.home = ssh_home_dir();
	libssh2_session_set_blocking(k.s, 1);
	if (converse(&k, fd, &up, r) == 0) {
		banner = libssh2_session_banner_get(k.s);
		probe_ok(r, "%s; host key %s %s; logged in as %s by %s, with "
		    "%s%s%s%s", banner ? banner : "SSH", k.fingerprint,
		    k.accepted ? "was new: added to ~/.ssh/known_hosts" : "known",
		    t.user,
		    k.method, k.used,
		    t.path ? "; " : "", t.path ? t.path : "", t.path ?
		    " is a folder" : "");
		/* The facts of a node; the sshfs server is only a server. */
		if (t.path == NULL)
			ssh_gather_facts(&k, r);
	}
	if (up) {
		ssh_bound(&k);
		libssh2_session_disconnect(k.s, "sentry-ha-setup: check done");
	}
	libssh2_session_free(k.s);
	net_close(c, fd);
	free(k.home);
}

const struct probe_kind probe_ssh = {
	"ssh", "SSH", count, describe, run
};
