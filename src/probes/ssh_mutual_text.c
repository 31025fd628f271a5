/* What the sshfs login from a host (ssh_mutual.h) means, for people and
 * for --json: one table, a row per outcome. */
#include "ssh_mutual.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * In the texts: %H the host, %K the key folder, %k the key file, %T the
 * keys tried, %S the server, %P its port, %U its user, %B the server as
 * known_hosts names it, %W what ssh or sudo said.
 *
 * Every outcome but the first three fails the host: without that login
 * the plugin cannot mount the volume there. A host key that known_hosts
 * lacks fails too, although the plugin's sshfs runs with
 * StrictHostKeyChecking=no (vieux/docker-volume-sshfs, main.go) and
 * would mount: then no one ever compared the server's key with the real
 * one, and the write-up's step "every host reaches the others by ssh
 * without a password" (seeds/004) is not done.
 */
static const struct outcome {
	const char		*name;		/* --json's sshfs_login */
	enum probe_failure	 failure;
	const char		*fact;
	const char		*detail;
	const char		*fix;
} outcomes[MUTUAL_NSTATES] = {
	[MUTUAL_UNKNOWN] = { "unchecked", PF_NONE, "sshfs login to %U@%S:%P "
	  "from here not checked: the answer was cut short or odd", NULL, NULL },
	[MUTUAL_NO_SUDO] = { "unchecked", PF_NONE, "sshfs login to %U@%S:%P "
	  "from here not checked: the plugin reads %K as root, and sudo -n "
	  "would not run (%W)", NULL, NULL },
	[MUTUAL_NO_CLIENT] = { "unchecked", PF_NONE, "sshfs login to %U@%S:%P "
	  "from here not checked: no ssh client on this host (the plugin "
	  "brings its own)", NULL, NULL },
	[MUTUAL_OK] = { "ok", PF_NONE, "sshfs server %U@%S:%P reached with "
	  "%K/%k, as the vieux/sshfs plugin will; its host key is known "
	  "(%K/known_hosts)", NULL, NULL },
	[MUTUAL_NO_KEY] = { "no-key", PF_MISSING, "sshfs server %U@%S:%P: no "
	  "key for the plugin in %K",
	  "%H has no key for the vieux/sshfs plugin to log in to %U@%S with: "
	  "none of %K/id_ed25519, id_ecdsa, id_rsa",
	  "on %H, as root: ssh-keygen -t ed25519 -N '' -f %K/id_ed25519, then "
	  "append %K/id_ed25519.pub to ~%U/.ssh/authorized_keys on %S" },
	[MUTUAL_KEY_MODE] = { "key-unusable", PF_PERMISSION, "sshfs server "
	  "%U@%S:%P: ssh will not use %K/%k",
	  "ssh on %H will not use the plugin's key %K/%k (%W)",
	  "on %H, as root: chown root %K/%k && chmod 600 %K/%k" },
	[MUTUAL_HOSTKEY_CHANGED] = { "host-key-changed", PF_HOSTKEY, "sshfs "
	  "server %U@%S:%P: its host key is not the one %K/known_hosts holds",
	  "%K/known_hosts on %H holds another host key for %S:%P than the one "
	  "it shows (%W)",
	  "if the server's key did change, on %H as root: ssh-keygen -R '%B' -f "
	  "%K/known_hosts && ssh-keyscan -p %P %S >> %K/known_hosts, then "
	  "compare ssh-keygen -lf %K/known_hosts with the key of %S; if not, "
	  "find out who answers as %S" },
	[MUTUAL_HOSTKEY_UNKNOWN] = { "host-key-unknown", PF_HOSTKEY, "sshfs "
	  "server %U@%S:%P: %K/known_hosts lacks its host key",
	  "%K/known_hosts on %H does not hold the host key of %S:%P (%W)",
	  "on %H, as root: ssh-keyscan -p %P %S >> %K/known_hosts, then check "
	  "that the fingerprint it shows (ssh-keygen -lf %K/known_hosts) is "
	  "that of %S (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub there)" },
	[MUTUAL_KEY_REFUSED] = { "key-refused", PF_AUTH, "sshfs server "
	  "%U@%S:%P: refused the plugin's keys (%T in %K)",
	  "%U@%S refused every key that the vieux/sshfs plugin of %H would log "
	  "in with: %T in %K (%W)",
	  "append %K/%k.pub of %H to ~%U/.ssh/authorized_keys on %S (with no "
	  "passphrase on the key: the plugin cannot type one)" },
	[MUTUAL_RESOLVE] = { "resolve", PF_RESOLVE, "sshfs server %U@%S:%P: "
	  "%S does not resolve here",
	  "%H cannot resolve %S, the sshfs server (%W)",
	  "make %S resolvable on %H (DNS or /etc/hosts): the plugin looks it "
	  "up there" },
	[MUTUAL_REFUSED] = { "refused", PF_REFUSED, "sshfs server %U@%S:%P: "
	  "refused the connection from here",
	  "from %H, %S:%P refuses the connection (%W)",
	  "that is what %H sees, not this machine: check that sshd listens on "
	  "%S:%P for %H and that no firewall between them rejects it" },
	[MUTUAL_TIMEOUT] = { "timeout", PF_CONNECT_TIMEOUT, "sshfs server "
	  "%U@%S:%P: no answer from here",
	  "from %H, %S:%P does not answer in time (%W)",
	  "check the network from %H to %S:%P (firewalls, security groups, "
	  "routes): that is %H's path, not this machine's" },
	[MUTUAL_UNREACHABLE] = { "unreachable", PF_CONNECT_TIMEOUT, "sshfs "
	  "server %U@%S:%P: unreachable from here",
	  "from %H, %S is unreachable (%W)",
	  "check the routes of %H to %S" },
	[MUTUAL_NO_SFTP] = { "no-sftp", PF_PROTOCOL, "sshfs server %U@%S:%P: "
	  "no SFTP",
	  "%S gives %U no SFTP, which sshfs speaks (%W)",
	  "enable SFTP on %S (sshd_config: Subsystem sftp internal-sftp)" },
	[MUTUAL_CLOSED] = { "closed", PF_PROTOCOL, "sshfs server %U@%S:%P: "
	  "hung up on this host",
	  "%S hung up on %H before the login (%W)",
	  "look in the sshd log of %S (MaxStartups, AllowUsers, DenyUsers, "
	  "hosts.deny) for the address of %H" },
	[MUTUAL_OTHER] = { "failed", PF_PROTOCOL, "sshfs server %U@%S:%P: "
	  "the login failed",
	  "from %H, ssh to %U@%S:%P with %K/%k failed (%W)",
	  "run it on %H to see why: ssh -F /dev/null -o IdentitiesOnly=yes -i "
	  "%K/%k -o UserKnownHostsFile=%K/known_hosts -p %P %U@%S" },
};

/* The template `t` with its %-names filled in. */
static void
expand(const struct ssh_mutual_ask *a, const struct ssh_mutual *m,
    const char *t, struct strbuf *out)
{
	char port[24], known[300], keys[300];
	size_t kn = strlen(a->keys);
	const struct { char name; const char *value; } names[] = {
		{ 'H', a->host }, { 'K', keys },
		{ 'k', m->key ? m->key : "id_ed25519" },
		{ 'T', m->tried ? m->tried : "" }, { 'S', a->server },
		{ 'P', port }, { 'U', a->user }, { 'B', known },
		{ 'W', m->said ? m->said : "it said nothing" },
	};

	while (kn > 0 && a->keys[kn - 1] == '/')
		kn--;	/* "%K/x" has one slash */
	snprintf(keys, sizeof keys, "%.*s", (int)kn, a->keys);
	snprintf(port, sizeof port, "%ld", a->port);
	/* known_hosts names a server on another port than 22 so. */
	if (a->port == 22)
		snprintf(known, sizeof known, "%s", a->server);
	else
		snprintf(known, sizeof known, "[%s]:%ld", a->server, a->port);
	for (; *t != '\0'; t++) {
		size_t i = 0;

		if (*t == '%')
			while (i < sizeof names / sizeof names[0] &&
			    names[i].name != t[1])
				i++;
		if (*t != '%' || i == sizeof names / sizeof names[0])
			sb_addc(out, *t);
		else {
			sb_add(out, names[i].value);
			t++;
		}
	}
}

static char *
expanded(const struct ssh_mutual_ask *a, const struct ssh_mutual *m,
    const char *t)
{
	struct strbuf sb = STRBUF_INIT;

	expand(a, m, t, &sb);
	return sb_take(&sb);
}

enum probe_failure
ssh_mutual_failure(const struct ssh_mutual_ask *a, const struct ssh_mutual *m,
    char **detail, char **fix)
{
	const struct outcome *o = &outcomes[m->state];

	*detail = *fix = NULL;
	if (o->failure == PF_NONE)
		return PF_NONE;
	*detail = expanded(a, m, o->detail);
	*fix = expanded(a, m, o->fix);
	return o->failure;
}

void
ssh_mutual_text(const struct ssh_mutual_ask *a, const struct ssh_mutual *m,
    struct strbuf *out)
{
	expand(a, m, outcomes[m->state].fact, out);
	sb_addc(out, '\n');
}

void
ssh_mutual_pairs(const struct ssh_mutual_ask *a, const struct ssh_mutual *m,
    struct kvlist *out)
{
	kv_add(out, "sshfs_login", outcomes[m->state].name);
	if (m->key != NULL) {
		char *key = expanded(a, m, "%K/%k");

		kv_add(out, "sshfs_login_key", key);
		free(key);
	}
	if (m->said != NULL && m->state != MUTUAL_OK)
		kv_add(out, "sshfs_login_said", m->said);
}
