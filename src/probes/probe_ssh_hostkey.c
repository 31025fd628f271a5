/*
 * SSH host keys: is the key a server shows the one known_hosts holds for
 * it? Looked up as OpenSSH does (probe_ssh.h).
 */
#include "probe_ssh.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

const struct ssh_key_type ssh_key_types[] = {
	{ LIBSSH2_HOSTKEY_TYPE_RSA, LIBSSH2_KNOWNHOST_KEY_SSHRSA, "RSA" },
	{ LIBSSH2_HOSTKEY_TYPE_DSS, LIBSSH2_KNOWNHOST_KEY_SSHDSS, "DSA" },
	{ LIBSSH2_HOSTKEY_TYPE_ECDSA_256, LIBSSH2_KNOWNHOST_KEY_ECDSA_256, "ECDSA" },
	{ LIBSSH2_HOSTKEY_TYPE_ECDSA_384, LIBSSH2_KNOWNHOST_KEY_ECDSA_384, "ECDSA" },
	{ LIBSSH2_HOSTKEY_TYPE_ECDSA_521, LIBSSH2_KNOWNHOST_KEY_ECDSA_521, "ECDSA" },
	{ LIBSSH2_HOSTKEY_TYPE_ED25519, LIBSSH2_KNOWNHOST_KEY_ED25519, "ED25519" },
};

const size_t ssh_nkey_types = sizeof ssh_key_types / sizeof ssh_key_types[0];

char *
ssh_home_dir(void)
{
	const char *h = getenv("HOME");
	struct passwd pw, *found = NULL;
	char buf[4096];

	if (h != NULL && h[0] != '\0')
		return xstrdup(h);
	if (getpwuid_r(getuid(), &pw, buf, sizeof buf, &found) == 0 &&
	    found != NULL)
		return xstrdup(pw.pw_dir);
	return xstrdup("/");
}

/* The system's known_hosts, read after the user's, as ssh does. */
static const char system_known_hosts[] = "/etc/ssh/ssh_known_hosts";

/* Calls `fn` on each line of a known_hosts file until it returns non-zero;
 * that line's number (1-based), else 0. A missing file has no lines. */
static long
each_known_line(const char *path, int (*fn)(const char *line, size_t n,
    void *arg), void *arg)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	long no = 0, found = 0;
	ssize_t n;

	if (f == NULL)
		return 0;
	while (found == 0 && (n = getline(&line, &cap, f)) > 0) {
		no++;
		if (fn(line, (size_t)n, arg) != 0)
			found = no;
	}
	free(line);
	fclose(f);
	return found;
}

static int
add_line(const char *line, size_t n, void *kh)
{
	(void)libssh2_knownhost_readline(kh, line, n,
	    LIBSSH2_KNOWNHOST_FILE_OPENSSH);
	return 0;
}

/* Reads a known_hosts file line by line: libssh2's own reader stops at the
 * first line it does not understand (a key type it lacks, @cert-authority),
 * which would hide every entry after it. */
static void
read_known(LIBSSH2_KNOWNHOSTS *kh, const char *path)
{
	(void)each_known_line(path, add_line, kh);
}

/* "ED25519 SHA256:<base64>", as ssh-keygen -l shows it. */
static void
fingerprint(LIBSSH2_SESSION *s, const char *type, char *out, size_t size)
{
	const unsigned char *hash = (const unsigned char *)
	    libssh2_hostkey_hash(s, LIBSSH2_HOSTKEY_HASH_SHA256);
	unsigned char b64[64] = "?";
	int n = hash ? EVP_EncodeBlock(b64, hash, 32) : 1;

	while (n > 0 && b64[n - 1] == '=')
		n--;
	snprintf(out, size, "%s SHA256:%.*s", type, n, (const char *)b64);
}

/* What changed_line() looks for. */
struct wanted_key {
	LIBSSH2_SESSION	*s;
	const char	*name, *key;
	size_t		 len;
	int		 typemask;
};

/* Does this line alone hold another key of the type for the name? */
static int
holds_other_key(const char *line, size_t n, void *arg)
{
	const struct wanted_key *w = arg;
	LIBSSH2_KNOWNHOSTS *one = libssh2_knownhost_init(w->s);
	int other;

	if (one == NULL)
		return 0;
	other = libssh2_knownhost_readline(one, line, n,
	    LIBSSH2_KNOWNHOST_FILE_OPENSSH) == 0 &&
	    libssh2_knownhost_checkp(one, w->name, -1, w->key, w->len,
	    w->typemask, NULL) == LIBSSH2_KNOWNHOST_CHECK_MISMATCH;
	libssh2_knownhost_free(one);
	return other;
}

/* The line of `path` (1-based) that holds another key of the server's
 * type for `name`, or 0: the line an operator removes once the new key is
 * confirmed. Each line is judged alone, as read_known() reads them. */
static long
changed_line(LIBSSH2_SESSION *s, const char *path, const char *name,
    const char *key, size_t len, int typemask)
{
	struct wanted_key w = { s, name, key, len, typemask };

	return each_known_line(path, holds_other_key, &w);
}

/* A changed key: refused whatever the options, naming the line to remove
 * (in the user's file, else the system's). */
static void
refuse_changed(const struct ssh_conn *k, const char *name, const char *kh,
    const char *key, size_t len, int typemask, struct probe_result *r)
{
	long line = changed_line(k->s, kh, name, key, len, typemask);
	const char *file = kh;
	char *fix;

	if (line == 0 && (line = changed_line(k->s, system_known_hosts, name,
	    key, len, typemask)) > 0)
		file = system_known_hosts;
	fix = xasprintf("if %s was reinstalled, check its new key with its "
	    "administrator, then remove the old one (ssh-keygen -R '%s' -f %s) "
	    "and add the new (ssh-keyscan -p %ld %s >> ~/.ssh/known_hosts); "
	    "otherwise someone may be in between: do not connect", k->t->host,
	    name, file, k->t->port, k->t->host);
	if (line > 0)
		probe_fail(r, PF_HOSTKEY, fix, "the host key of %s CHANGED: line "
		    "%ld of %s holds another key of this type for it, the server "
		    "now shows %s", name, line, file, k->fingerprint);
	else
		probe_fail(r, PF_HOSTKEY, fix, "the host key of %s CHANGED: %s "
		    "holds another key of this type for it, the server now shows "
		    "%s", name, kh, k->fingerprint);
	free(fix);
}

/* Has another probe added the key since we read the file? (Two endpoints
 * may be one server: a host that is also the sshfs server.) */
static int
added_meanwhile(LIBSSH2_SESSION *s, const char *path, const char *name,
    const char *key, size_t len, int typemask)
{
	LIBSSH2_KNOWNHOSTS *now = libssh2_knownhost_init(s);
	int rc;

	if (now == NULL)
		return 0;
	read_known(now, path);
	rc = libssh2_knownhost_checkp(now, name, -1, key, len, typemask, NULL);
	libssh2_knownhost_free(now);
	return rc == LIBSSH2_KNOWNHOST_CHECK_MATCH;
}

/* OpenSSH's accept-new: the key no file holds goes to the end of the
 * user's known_hosts (made 0600, in a 0700 ~/.ssh, when missing), in one
 * write under an exclusive lock, so that probes of other hosts adding
 * theirs at the same time neither interleave nor add one key twice. 0, or
 * -1 with r failed. */
static int
add_known(struct ssh_conn *k, LIBSSH2_KNOWNHOSTS *kh, const char *name,
    const char *key, size_t len, int typemask, const char *path,
    struct probe_result *r)
{
	struct libssh2_knownhost *entry = NULL;
	char line[8192], *dir = xasprintf("%s/.ssh", k->home);
	size_t n = 0;
	int fd = -1, rc = -1;

	if (libssh2_knownhost_addc(kh, name, NULL, key, len, NULL, 0, typemask,
	    &entry) != 0 || libssh2_knownhost_writeline(kh, entry, line,
	    sizeof line, &n, LIBSSH2_KNOWNHOST_FILE_OPENSSH) != 0)
		probe_fail(r, PF_SETUP, NULL, "the host key of %s could not be "
		    "written as a known_hosts line", name);
	else if ((mkdir(dir, 0700) < 0 && errno != EEXIST) ||
	    (fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0600)) < 0 || flock(fd, LOCK_EX) < 0 ||
	    (!added_meanwhile(k->s, path, name, key, len, typemask) &&
	    (write(fd, line, n) != (ssize_t)n || fsync(fd) < 0)))
		probe_fail(r, PF_SETUP, "make ~/.ssh/known_hosts writable, or "
		    "add the key by hand", "cannot add the host key of %s to %s: "
		    "%s", name, path, strerror(errno));
	else {
		k->accepted = 1;
		rc = 0;
	}
	if (fd >= 0)
		close(fd);
	free(dir);
	return rc;
}

/* The key known_hosts would have under `name`: 0 trusted (or accepted as
 * new), else -1 with r failed. */
static int
judge_key(struct ssh_conn *k, LIBSSH2_KNOWNHOSTS *kh, const char *name,
    const char *key, size_t len, int typemask, const char *path,
    struct probe_result *r)
{
	int rc = libssh2_knownhost_checkp(kh, name, -1, key, len, typemask,
	    NULL);
	char *fix;

	if (rc == LIBSSH2_KNOWNHOST_CHECK_MATCH)
		return 0;
	if (rc == LIBSSH2_KNOWNHOST_CHECK_MISMATCH) {
		refuse_changed(k, name, path, key, len, typemask, r);
		return -1;
	}
	if (rc != LIBSSH2_KNOWNHOST_CHECK_NOTFOUND) {
		probe_fail(r, PF_SETUP, NULL, "the host key of %s could not be "
		    "checked against %s", name, path);
		return -1;
	}
	if (k->c->accept_new_host_keys)
		return add_known(k, kh, name, key, len, typemask, path, r);
	fix = xasprintf("after checking the fingerprint with the server's "
	    "administrator: ssh-keyscan -p %ld %s >> ~/.ssh/known_hosts, or "
	    "run again with --accept-new", k->t->port, k->t->host);
	probe_fail(r, PF_HOSTKEY, fix, "%s shows the host key %s, which %s "
	    "does not hold for %s", k->t->host, k->fingerprint, path, name);
	r->host_key_new = 1;
	free(fix);
	return -1;
}

/*
 * Is the server's key the one known_hosts holds? Entries are looked up as
 * OpenSSH does: "host" on port 22, "[host]:port" on any other port (never
 * the bare name then), in ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts.
 * Only entries of the key's own type count, so that a known ED25519 key
 * does not make an ECDSA one look changed.
 */
int
ssh_check_host_key(struct ssh_conn *k, struct probe_result *r)
{
	size_t len = 0;
	int type = 0, known = 0, rc;
	const char *key = libssh2_session_hostkey(k->s, &len, &type), *tn = "";
	LIBSSH2_KNOWNHOSTS *kh;
	char *path, *name;

	for (size_t i = 0; i < ssh_nkey_types; i++)
		if (ssh_key_types[i].session == type) {
			known = ssh_key_types[i].known;
			tn = ssh_key_types[i].name;
		}
	if (key == NULL || known == 0 || (kh = libssh2_knownhost_init(k->s)) ==
	    NULL) {
		probe_fail(r, PF_PROTOCOL, NULL, "the server's host key is of a "
		    "type libssh2 cannot check");
		return -1;
	}
	fingerprint(k->s, tn, k->fingerprint, sizeof k->fingerprint);
	path = xasprintf("%s/.ssh/known_hosts", k->home);
	read_known(kh, path);
	read_known(kh, system_known_hosts);
	name = k->t->port == 22 ? xstrdup(k->t->host) :
	    xasprintf("[%s]:%ld", k->t->host, k->t->port);
	rc = judge_key(k, kh, name, key, len, LIBSSH2_KNOWNHOST_TYPE_PLAIN |
	    LIBSSH2_KNOWNHOST_KEYENC_RAW | known, path, r);
	libssh2_knownhost_free(kh);
	free(name);
	free(path);
	return rc;
}

