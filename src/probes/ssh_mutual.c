/* The sshfs login from a host, as the vieux/sshfs plugin makes it
 * (ssh_mutual.h): the script, and reading what it printed. */
#include "ssh_mutual.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "printable.h"
#include "ssh_facts.h"

/* The key files the plugin's ssh finds in its ~/.ssh, ed25519 first as
 * the probe's own login (probe_ssh.c). */
static const char *const key_names[] = { "id_ed25519", "id_ecdsa", "id_rsa" };
#define NKEYS	(sizeof key_names / sizeof key_names[0])

/* What of a line is kept (before printable()). */
#define LINE_MAX_KEPT	200

/* The folder without its trailing slashes ("" for "/"); owned. */
static char *
folder(const char *keys)
{
	size_t n = strlen(keys);

	while (n > 0 && keys[n - 1] == '/')
		n--;
	return xstrndup(keys, n);
}

/*
 * As the plugin's sshfs would: only the folder's keys and known_hosts
 * (its config, if any, for the rest: the plugin reads it as its
 * ~/.ssh/config), never a prompt, and the SFTP subsystem, which is what
 * sshfs asks for (an account limited to SFTP has no shell to run `true`).
 * -F also keeps ssh from creating root's own ~/.ssh. As root, since the
 * folder is root's (the plugin's); the loop goes on to the next key only
 * when this one was refused. stdin is /dev/null: the script is sh's.
 * What sudo and ssh say comes after "| " on each line (p), so that no
 * words of theirs (a server's, say) can pass for the script's marks.
 */
static const char script_body[] =
    "exec 2>&1\n"
    "s() { printf '\\n@@shm %s\\n' \"$1\"; }\n"
    "r() { printf '\\n@@shm rc %s\\n' \"$1\"; }\n"
    "p() { printf '%s\\n' \"$1\" | sed 's/^/| /'; }\n"
    "S=\n"
    "if [ \"$(id -u)\" != 0 ]; then s sudo; o=$(sudo -n true </dev/null 2>&1);"
    " e=$?; p \"$o\"; r $e; [ \"$e\" = 0 ] || exit 0; S='sudo -n'; fi\n"
    "s keys; for f in $N; do $S test -f \"$K/$f\" && echo \"$f\"; done; r 0\n"
    "s client; command -v ssh; e=$?; r $e; [ \"$e\" = 0 ] || exit 0\n"
    "c=/dev/null; $S test -f \"$K/config\" && c=$K/config\n"
    "for f in $N; do $S test -f \"$K/$f\" || continue; s \"try $f\"\n"
    "o=$($S ssh -F \"$c\" -o BatchMode=yes -o StrictHostKeyChecking=yes"
    " -o \"UserKnownHostsFile=$K/known_hosts\" -o GlobalKnownHostsFile=/dev/null"
    " -o IdentitiesOnly=yes -o \"IdentityFile=$K/$f\" -o \"ConnectTimeout=$T\""
    " -o LogLevel=ERROR -p \"$P\" -l \"$U\" -s \"$H\" sftp </dev/null 2>&1)\n"
    "e=$?; p \"$o\"; r $e\n"
    "case $o in *'Permission denied'*) ;; *) break;; esac; done\n"
    "s end; r 0\n";

char *
ssh_mutual_script(const struct ssh_mutual_ask *a)
{
	struct strbuf sb = STRBUF_INIT;
	char *dir = folder(a->keys);

	sb_add(&sb, "K=");
	ssh_sh_quote(&sb, dir);
	sb_add(&sb, "\nH=");
	ssh_sh_quote(&sb, a->server);
	sb_add(&sb, "\nU=");
	ssh_sh_quote(&sb, a->user);
	sb_printf(&sb, "\nP=%ld\nT=%ld\nN='", a->port, a->timeout_s > 0 ?
	    a->timeout_s : 1);
	for (size_t i = 0; i < NKEYS; i++)
		sb_printf(&sb, "%s%s", i ? " " : "", key_names[i]);
	sb_add(&sb, "'\n");
	sb_add(&sb, script_body);
	free(dir);
	return sb_take(&sb);
}

/*
 * What ssh says, in the order that decides: the line that names the
 * cause comes before a consequence printed with it (a key not loaded,
 * then "Permission denied"; a changed key, then "Host key verification
 * failed").
 */
static const struct {
	const char		*says;
	enum ssh_mutual_state	 state;
} patterns[] = {
	{ "has changed and you have requested strict", MUTUAL_HOSTKEY_CHANGED },
	{ "REMOTE HOST IDENTIFICATION HAS CHANGED", MUTUAL_HOSTKEY_CHANGED },
	{ "host key is known for", MUTUAL_HOSTKEY_UNKNOWN },
	{ "Load key", MUTUAL_KEY_MODE },
	{ "UNPROTECTED PRIVATE KEY FILE", MUTUAL_KEY_MODE },
	{ "Host key verification failed", MUTUAL_HOSTKEY_UNKNOWN },
	{ "Could not resolve hostname", MUTUAL_RESOLVE },
	{ "Connection refused", MUTUAL_REFUSED },
	{ "No route to host", MUTUAL_UNREACHABLE },
	{ "Network is unreachable", MUTUAL_UNREACHABLE },
	{ "timed out", MUTUAL_TIMEOUT },
	{ "subsystem request failed", MUTUAL_NO_SFTP },
	{ "Permission denied", MUTUAL_KEY_REFUSED },
	{ "Connection closed", MUTUAL_CLOSED },
	{ "Connection reset", MUTUAL_CLOSED },
	{ "kex_exchange_identification", MUTUAL_CLOSED },
};
#define NPATTERNS	(sizeof patterns / sizeof patterns[0])

/* A step of the script as read. */
struct step {
	int	 seen, rc;		/* rc -1: no status line (cut off) */
	size_t	 pattern;		/* a try: the best match; NPATTERNS */
	char	*said;			/* that line, or the first one */
};

/* The sections: sudo, keys, client, the end, then a try per key. */
enum { ST_SUDO, ST_KEYS, ST_CLIENT, ST_END, ST_TRY, NSTEPS = ST_TRY + NKEYS };

struct reading {
	struct step	 st[NSTEPS];
	int		 cur;		/* -1: none open */
	int		 has_key[NKEYS];
};

/* The line [s, s+n) capped, cut at a NUL, trimmed, made printable. */
static char *
keep(const char *s, size_t n)
{
	char raw[LINE_MAX_KEPT + 1];
	size_t i;

	for (i = 0; i < n && i < LINE_MAX_KEPT && s[i] != '\0'; i++)
		raw[i] = s[i];
	while (i > 0 && isspace((unsigned char)raw[i - 1]))
		i--;
	raw[i] = '\0';
	return printable(raw);
}

static int
key_index(const char *s, size_t n)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strlen(key_names[i]) == n && memcmp(s, key_names[i], n) == 0)
			return (int)i;
	return -1;
}

/* "@@shm NAME": which step, or -1. */
static int
step_named(const char *s, size_t n)
{
	static const char *const fixed[] = { "sudo", "keys", "client", "end" };

	for (int i = 0; i < ST_TRY; i++)
		if (strlen(fixed[i]) == n && memcmp(s, fixed[i], n) == 0)
			return i;
	if (n > 4 && memcmp(s, "try ", 4) == 0 && key_index(s + 4, n - 4) >= 0)
		return ST_TRY + key_index(s + 4, n - 4);
	return -1;
}

/* A line of a step's output: a key's name, or what ssh or sudo said. */
static void
content(const char *s, size_t n, struct reading *rd)
{
	struct step *st = &rd->st[rd->cur];
	char *line;

	if (rd->cur == ST_KEYS) {
		if (key_index(s, n) >= 0)
			rd->has_key[key_index(s, n)] = 1;
		return;
	}
	if (n < 2 || s[0] != '|' || s[1] != ' ')
		return;		/* not theirs: p() marks every line */
	line = keep(s + 2, n - 2);
	for (size_t p = 0; p < st->pattern; p++)
		if (strstr(line, patterns[p].says) != NULL) {
			st->pattern = p;
			free(st->said);
			st->said = line;
			return;
		}
	if (st->said == NULL && line[0] != '\0')
		st->said = line;
	else
		free(line);
}

static void
read_line(const char *s, size_t n, struct reading *rd)
{
	static const char mark[] = "@@shm ", rc[] = "@@shm rc ";
	const size_t ml = sizeof mark - 1, rl = sizeof rc - 1;

	if (n > 0 && s[n - 1] == '\r')
		n--;
	if (n >= rl && memcmp(s, rc, rl) == 0) {
		if (rd->cur >= 0)
			rd->st[rd->cur].rc = ssh_status_code(s + rl, n - rl);
		rd->cur = -1;
	} else if (n >= ml && memcmp(s, mark, ml) == 0) {
		int i = step_named(s + ml, n - ml);

		rd->cur = i >= 0 && !rd->st[i].seen ? i : -1;
		if (rd->cur >= 0)
			rd->st[i].seen = 1;
	} else if (rd->cur >= 0 && n > 0)
		content(s, n, rd);
}

static void
set(struct ssh_mutual *m, enum ssh_mutual_state state, const char *key,
    const char *said)
{
	m->state = state;
	m->key = key ? xstrdup(key) : NULL;
	m->said = said ? xstrdup(said) : NULL;
}

/* The tries: one that logged in, else the one whose cause is clearest,
 * once the end shows that no try is missing (a key refused is followed
 * by the next one's try). */
static void
judge_tries(const struct reading *rd, struct ssh_mutual *m)
{
	struct strbuf tried = STRBUF_INIT;
	const struct step *best = NULL;
	size_t bk = 0;
	int cut = 0, ok = -1;

	for (size_t k = 0; k < NKEYS && ok < 0; k++) {
		const struct step *t = &rd->st[ST_TRY + k];

		if (!t->seen)
			continue;
		sb_printf(&tried, "%s%s", tried.len ? ", " : "", key_names[k]);
		if (t->rc == 0)
			ok = (int)k;
		else if (t->rc < 0)
			cut = 1;	/* it might have logged in */
		else if (best == NULL || t->pattern < best->pattern) {
			best = t;
			bk = k;
		}
	}
	if (ok >= 0)
		set(m, MUTUAL_OK, key_names[ok], NULL);
	else if (cut || best == NULL || rd->st[ST_END].rc != 0)
		set(m, MUTUAL_UNKNOWN, NULL, NULL);
	else
		set(m, best->pattern < NPATTERNS ? patterns[best->pattern].state :
		    MUTUAL_OTHER, key_names[bk], best->said);
	m->tried = tried.len ? sb_take(&tried) : NULL;
	sb_free(&tried);
}

static void
judge(const struct reading *rd, struct ssh_mutual *m)
{
	const struct step *sudo = &rd->st[ST_SUDO], *keys = &rd->st[ST_KEYS],
	    *client = &rd->st[ST_CLIENT];
	int nkeys = 0;

	for (size_t k = 0; k < NKEYS; k++)
		nkeys += rd->has_key[k];
	if (sudo->seen && sudo->rc != 0)
		set(m, sudo->rc < 0 ? MUTUAL_UNKNOWN : MUTUAL_NO_SUDO, NULL,
		    sudo->said);
	else if (!keys->seen || keys->rc != 0)
		set(m, MUTUAL_UNKNOWN, NULL, NULL);
	else if (nkeys == 0)
		set(m, MUTUAL_NO_KEY, NULL, NULL);
	else if (client->seen && client->rc > 0)
		set(m, MUTUAL_NO_CLIENT, NULL, NULL);
	else if (!client->seen || client->rc < 0)
		set(m, MUTUAL_UNKNOWN, NULL, NULL);
	else
		judge_tries(rd, m);
}

void
ssh_mutual_init(struct ssh_mutual *m)
{
	memset(m, 0, sizeof *m);
	m->state = MUTUAL_UNKNOWN;
}

void
ssh_mutual_free(struct ssh_mutual *m)
{
	free(m->key);
	free(m->tried);
	free(m->said);
	ssh_mutual_init(m);
}

void
ssh_mutual_parse(const char *out, size_t len, struct ssh_mutual *m)
{
	struct reading rd;

	memset(&rd, 0, sizeof rd);
	rd.cur = -1;
	for (int i = 0; i < NSTEPS; i++) {
		rd.st[i].rc = -1;
		rd.st[i].pattern = NPATTERNS;
	}
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(out + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (out + at)) : len - at;

		/* A last line without its newline was cut: not read. */
		if (nl != NULL)
			read_line(out + at, n, &rd);
		at += n + 1;
	}
	ssh_mutual_free(m);
	judge(&rd, m);
	for (int i = 0; i < NSTEPS; i++)
		free(rd.st[i].said);
}
