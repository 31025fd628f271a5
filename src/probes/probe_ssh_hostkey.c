/*
 * SSH host keys: is the key a server shows the one known_hosts holds for
 * it? Looked up as OpenSSH does (probe_ssh.h).
 */
#include "probe_ssh.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* Reads a known_hosts file line by line: libssh2's own reader stops at the
 * first line it does not understand (a key type it lacks, @cert-authority),
 * which would hide every entry after it. A missing file adds nothing. */
static void
read_known(LIBSSH2_KNOWNHOSTS *kh, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (f == NULL)
		return;
	while ((n = getline(&line, &cap, f)) > 0)
		(void)libssh2_knownhost_readline(kh, line, (size_t)n,
		    LIBSSH2_KNOWNHOST_FILE_OPENSSH);
	free(line);
	fclose(f);
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

/* The key known_hosts would have under `name`: 0 trusted, else -1 with r
 * failed. */
static int
judge_key(const struct ssh_conn *k, int rc, const char *name, const char *kh,
    struct probe_result *r)
{
	char *fix = NULL;

	if (rc == LIBSSH2_KNOWNHOST_CHECK_MATCH)
		return 0;
	if (rc == LIBSSH2_KNOWNHOST_CHECK_MISMATCH) {
		fix = xasprintf("if %s was reinstalled, check its new key with "
		    "its administrator, then: ssh-keygen -R '%s' && ssh-keyscan "
		    "-p %ld %s >> ~/.ssh/known_hosts; otherwise someone may be in "
		    "between: do not connect", k->t->host, name, k->t->port,
		    k->t->host);
		probe_fail(r, PF_HOSTKEY, fix, "the host key of %s CHANGED: %s "
		    "holds another key of this type for it, the server now shows "
		    "%s", name, kh, k->fingerprint);
	} else if (rc == LIBSSH2_KNOWNHOST_CHECK_NOTFOUND) {
		fix = xasprintf("after checking the fingerprint with the "
		    "server's administrator: ssh-keyscan -p %ld %s >> "
		    "~/.ssh/known_hosts", k->t->port, k->t->host);
		probe_fail(r, PF_HOSTKEY, fix, "%s shows the host key %s, which "
		    "%s does not hold for %s", k->t->host, k->fingerprint, kh,
		    name);
	} else
		probe_fail(r, PF_SETUP, NULL, "the host key of %s could not be "
		    "checked against %s", name, kh);
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
	read_known(kh, "/etc/ssh/ssh_known_hosts");
	name = k->t->port == 22 ? xstrdup(k->t->host) :
	    xasprintf("[%s]:%ld", k->t->host, k->t->port);
	rc = libssh2_knownhost_checkp(kh, name, -1, key, len,
	    LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | known,
	    NULL);
	libssh2_knownhost_free(kh);
	rc = judge_key(k, rc, name, path, r);
	free(name);
	free(path);
	return rc;
}

