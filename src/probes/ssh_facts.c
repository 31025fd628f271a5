/* The facts script, and reading what it printed on a host (ssh_facts.h). */
#include "ssh_facts.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "printable.h"

/* stderr joins stdout, so that a failure says why; docker gets no stdin,
 * which is the script itself. The docker sections run only after docker
 * answered, so that a hung daemon is waited for once, and one `docker
 * info` (the slow call) tells both the Swarm state and the data root; the
 * node's only on a manager, the only one that can inspect it (a worker's
 * role is its ControlAvailable). The root's folder is what follows the
 * first two words, spaces and all, and a failed `docker info` runs no df. */
static const char script[] =
    "exec 2>&1\n"
    "s() { printf '\\n@@shs %s\\n' \"$1\"; }\n"
    "r() { printf '\\n@@shs rc %s\\n' \"$1\"; }\n"
    "s uname; uname -sr; r $?\n"
    "s os; sed -n 's/^PRETTY_NAME=//p' /etc/os-release; r $?\n"
    "s nproc; nproc; r $?\n"
    "s mem; sed -n 's/^MemTotal:[[:space:]]*//p' /proc/meminfo; r $?\n"
    "s docker; docker version --format "
    "'{{.Server.Version}} {{.Server.APIVersion}}' </dev/null; d=$?; r $d\n"
    "if [ \"$d\" = 0 ]; then s swarm; w=$(docker info --format "
    "'{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}} "
    "{{.DockerRootDir}}' </dev/null); e=$?; printf '%s\\n' \"$w\"; r $e\n"
    "case $w in \"active true \"*) s node; docker node inspect self --format "
    "'{{.Spec.Role}} {{.Spec.Availability}} {{json .Spec.Labels}}'"
    " </dev/null; r $?;; esac\n"
    "s plugin; docker plugin ls --format '{{.Name}} {{.Enabled}}'"
    " </dev/null; r $?\n"
    "if [ \"$e\" = 0 ]; then s df; p=${w#* * }; printf '%s\\n' \"$p\";"
    " df -Pk \"$p\" | tail -n 1; r $?; fi; fi\n"
    /* hostpath: the share's folder, which the probe names in SHS_SHARED
     * before the script; df's own status, its complaint (stderr) on the
     * second line when it fails. */
    "if [ -n \"${SHS_SHARED:-}\" ]; then s shared; printf '%s\\n' "
    "\"$SHS_SHARED\"; o=$(df -Pk \"$SHS_SHARED\" </dev/null); e=$?;"
    " printf '%s\\n' \"$o\" | tail -n 1; r $e; fi\n";

enum {
	S_UNAME, S_OS, S_NPROC, S_MEM, S_DOCKER, S_SWARM, S_NODE, S_PLUGIN,
	S_DF, S_SHARED, NSECTIONS
};

static const char *const section_names[NSECTIONS] = {
	"uname", "os", "nproc", "mem", "docker", "swarm", "node", "plugin", "df",
	"shared"
};

/* One section as read: its first two non-empty lines and its status; or,
 * for a list (`every`), what every line of it said of vieux/sshfs. */
struct section {
	int	 seen;
	int	 rc;		/* -1: no status line (cut off) */
	int	 every;		/* each line counts, not the first two */
	int	 sshfs;		/* with every: the best SSHFS_* of any line */
	char	*line, *line2;	/* owned, printable */
};

const char *
ssh_facts_script(void)
{
	return script;
}

void
ssh_sh_quote(struct strbuf *out, const char *s)
{
	sb_addc(out, '\'');
	for (; *s != '\0'; s++)
		if (*s == '\'')
			sb_add(out, "'\\''");
		else
			sb_addc(out, *s);
	sb_addc(out, '\'');
}

void
ssh_facts_init(struct ssh_facts *f)
{
	memset(f, 0, sizeof *f);
	f->cpus = f->mem_kib = -1;
	f->swarm_manager = f->sshfs_plugin = -1;
	f->docker_root_free_kib = -1;
	f->docker_root_total_kib = -1;
	f->shared_free_kib = f->shared_total_kib = -1;
}

void
ssh_facts_free(struct ssh_facts *f)
{
	free(f->kernel);
	free(f->os);
	free(f->docker_version);
	free(f->docker_api);
	free(f->docker_none);
	free(f->swarm_state);
	free(f->node_role);
	free(f->node_availability);
	free(f->node_labels);
	free(f->docker_root);
	free(f->shared_path);
	free(f->shared_failed);
	free(f->failed);
	ssh_facts_init(f);
}

/* The line [s, s+n) capped, cut at a NUL, made printable; owned. */
static char *
keep(const char *s, size_t n)
{
	char raw[SSH_FACT_MAX + 1];
	size_t i;

	for (i = 0; i < n && i < SSH_FACT_MAX && s[i] != '\0'; i++)
		raw[i] = s[i];
	while (i > 0 && isspace((unsigned char)raw[i - 1]))
		i--;
	raw[i] = '\0';
	return printable(raw);
}

int
ssh_status_code(const char *s, size_t n)
{
	int v = 0;

	if (n == 0 || n > 3)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* What a line of `docker plugin ls` says of vieux/sshfs (any tag), as
 * SSHFS_*, or -1 for another plugin or an odd line. */
static int
sshfs_state(const char *line)
{
	static const char name[] = "vieux/sshfs";
	const char *p;

	if (strncmp(line, name, sizeof name - 1) != 0)
		return -1;
	p = line + sizeof name - 1;
	if (*p == ':')
		p += strcspn(p, " ");
	if (*p != ' ')
		return -1;	/* vieux/sshfsX is another one */
	return strcmp(p + 1, "true") == 0 ? SSHFS_ENABLED :
	    strcmp(p + 1, "false") == 0 ? SSHFS_DISABLED : -1;
}

/* A non-empty line within a section. */
static void
read_content(const char *s, size_t n, struct section *sec)
{
	char *line;
	int st;

	if (!sec->every) {
		if (sec->line == NULL)
			sec->line = keep(s, n);
		else if (sec->line2 == NULL)
			sec->line2 = keep(s, n);
		return;
	}
	line = keep(s, n);
	if ((st = sshfs_state(line)) > sec->sshfs)
		sec->sshfs = st;
	free(line);
}

/* One line of output, for the section `*cur` (-1: none open). */
static void
read_line(const char *s, size_t n, struct section *sec, int *cur)
{
	static const char mark[] = "@@shs ", rc[] = "@@shs rc ";

	if (n >= sizeof rc - 1 && memcmp(s, rc, sizeof rc - 1) == 0) {
		if (*cur >= 0)
			sec[*cur].rc = ssh_status_code(s + sizeof rc - 1, n - (sizeof rc - 1));
		*cur = -1;
	} else if (n >= sizeof mark - 1 && memcmp(s, mark, sizeof mark - 1) == 0) {
		*cur = -1;
		for (int i = 0; i < NSECTIONS; i++)
			if (n - (sizeof mark - 1) == strlen(section_names[i]) &&
			    memcmp(s + sizeof mark - 1, section_names[i],
			    n - (sizeof mark - 1)) == 0 && !sec[i].seen) {
				sec[i].seen = 1;
				*cur = i;
			}
	} else if (*cur >= 0 && n > 0 && !(n == 1 && s[0] == '\r'))
		read_content(s, n, &sec[*cur]);
}

/* A whole number within [0, max] at *p, which moves past it; else -1. */
static long
digits(const char **p, long max)
{
	long v = 0;

	if (!isdigit((unsigned char)**p))
		return -1;
	for (; isdigit((unsigned char)**p); (*p)++) {
		if (v > (max - (**p - '0')) / 10)
			return -1;
		v = v * 10 + (**p - '0');
	}
	return v;
}

/* A whole number within [1, max], as the whole of the text up to an
 * optional `unit` (" kB"); else -1. */
static long
number(const char *s, long max, const char *unit)
{
	const char *p = s;
	long v = s != NULL ? digits(&p, max) : -1;

	if (v < 1 || (*p != '\0' && (unit == NULL || strcmp(p, unit) != 0)))
		return -1;
	return v;
}

/* The line of a section that finished well, or NULL. */
static const char *
ok_line(const struct section *s)
{
	return s->rc == 0 ? s->line : NULL;
}

static void
read_docker(const struct section *sec, struct ssh_facts *f)
{
	const struct section *d = &sec[S_DOCKER], *w = &sec[S_SWARM];
	const char *sp;

	if (d->rc == 0 && d->line != NULL) {
		sp = strchr(d->line, ' ');
		f->docker_version = sp ? xstrndup(d->line, (size_t)(sp - d->line)) :
		    xstrdup(d->line);
		f->docker_api = sp && sp[1] ? xstrdup(sp + 1) : NULL;
	} else if (d->rc == 127)
		f->docker_none = xstrdup("docker is not installed");
	else if (d->rc > 0)
		f->docker_none = d->line ? xstrdup(d->line) :
		    xasprintf("docker version exited with status %d", d->rc);
	if (ok_line(w) == NULL)
		return;
	/* "STATE CONTROL ROOT": the root is the df section's. */
	sp = strchr(w->line, ' ');
	f->swarm_state = sp ? xstrndup(w->line, (size_t)(sp - w->line)) :
	    xstrdup(w->line);
	if (sp != NULL) {
		size_t n = strcspn(sp + 1, " ");

		f->swarm_manager = n == 4 && memcmp(sp + 1, "true", 4) == 0 ? 1 :
		    n == 5 && memcmp(sp + 1, "false", 5) == 0 ? 0 : -1;
	}
}

/* The word [s, s+n) if it is one of `words` (NULL-ended), else NULL. */
static const char *
one_of(const char *s, size_t n, const char *const *words)
{
	for (; *words != NULL; words++)
		if (strlen(*words) == n && memcmp(s, *words, n) == 0)
			return *words;
	return NULL;
}

/* One "key":"value" of a JSON object at *p, appended as key=value; 0, or
 * -1 for anything else (an escape, a number: not worth a JSON parser). */
static int
json_label(const char **p, struct strbuf *out)
{
	const char *k = *p + 1, *v;
	size_t kn, vn;

	if (**p != '"' || k[kn = strcspn(k, "\"\\")] != '"' ||
	    k[kn + 1] != ':' || k[kn + 2] != '"')
		return -1;
	v = k + kn + 3;
	if (v[vn = strcspn(v, "\"\\")] != '"')
		return -1;
	sb_printf(out, "%s%.*s=%.*s", out->len ? ", " : "", (int)kn, k,
	    (int)vn, v);
	*p = v + vn + 1;
	return 0;
}

/* `{{json .Spec.Labels}}` as "k=v, k=v" ("" for none); the text as it is
 * when it is not that simple (or was cut). */
static char *
labels(const char *json)
{
	struct strbuf out = STRBUF_INIT;
	const char *p = json + 1;

	if (strcmp(json, "null") == 0 || strcmp(json, "{}") == 0)
		return xstrdup("");
	if (json[0] != '{')
		return xstrdup(json);
	while (json_label(&p, &out) == 0 && *p == ',')
		p++;
	if (out.len == 0 || strcmp(p, "}") != 0) {
		sb_free(&out);
		return xstrdup(json);
	}
	return sb_take(&out);
}

/* "ROLE AVAILABILITY LABELS", the words known ones, or nothing is kept. */
static void
read_node(const char *line, struct ssh_facts *f)
{
	static const char *const roles[] = { "manager", "worker", NULL };
	static const char *const avail[] = { "active", "pause", "drain", NULL };
	const char *sp1, *sp2, *role, *av;

	if (line == NULL || (sp1 = strchr(line, ' ')) == NULL ||
	    (sp2 = strchr(sp1 + 1, ' ')) == NULL)
		return;
	role = one_of(line, (size_t)(sp1 - line), roles);
	av = one_of(sp1 + 1, (size_t)(sp2 - sp1 - 1), avail);
	if (role == NULL || av == NULL)
		return;
	f->node_role = xstrdup(role);
	f->node_availability = xstrdup(av);
	f->node_labels = labels(sp2 + 1);
}

/* df -P's line: "FS KIB USED AVAIL PCT% MOUNT", its size and what is
 * available; 0, or -1. A line cut short has no space after its last
 * number, so no number of it is taken whole that was not. */
static int
df_line(const char *line, long *total, long *avail)
{
	const char *p = line + strcspn(line, " ");	/* past the file system */
	long v[3];

	for (int i = 0; i < 3; i++) {
		p += strspn(p, " ");
		if ((v[i] = digits(&p, 1L << 50)) < 0 || *p != ' ')
			return -1;
	}
	p += strspn(p, " ");
	if (digits(&p, 100) < 0 || *p != '%')
		return -1;
	*total = v[0];
	*avail = v[2];
	return 0;
}

/* The folder, then df's line for it. */
static void
read_df(const struct section *s, struct ssh_facts *f)
{
	long total, avail;

	if (s->rc != 0 || s->line == NULL || s->line[0] != '/' ||
	    s->line2 == NULL || df_line(s->line2, &total, &avail) < 0)
		return;
	f->docker_root = xstrdup(s->line);
	f->docker_root_free_kib = avail;
	f->docker_root_total_kib = total;
}

/* hostpath: the same, or df's complaint (a folder not there). */
static void
read_shared(const struct section *s, struct ssh_facts *f)
{
	long total, avail;

	if (s->rc < 0 || s->line == NULL || s->line[0] != '/')
		return;
	if (s->rc > 0)
		f->shared_failed = s->line2 ? xstrdup(s->line2) :
		    xasprintf("df exited with status %d", s->rc);
	else if (s->line2 == NULL || df_line(s->line2, &total, &avail) < 0)
		return;
	else {
		f->shared_free_kib = avail;
		f->shared_total_kib = total;
	}
	f->shared_path = xstrdup(s->line);
}

void
ssh_facts_parse(const char *out, size_t len, struct ssh_facts *f)
{
	struct section sec[NSECTIONS];
	const char *os;
	int cur = -1;

	for (int i = 0; i < NSECTIONS; i++)
		sec[i] = (struct section){ 0, -1, i == S_PLUGIN, SSHFS_ABSENT,
		    NULL, NULL };
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(out + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (out + at)) : len - at;

		read_line(out + at, n, sec, &cur);
		at += n + 1;
	}
	if (ok_line(&sec[S_UNAME]) != NULL)
		f->kernel = xstrdup(sec[S_UNAME].line);
	if ((os = ok_line(&sec[S_OS])) != NULL) {
		size_t n = strlen(os);

		/* os-release quotes it, or not. */
		if (n >= 2 && (os[0] == '"' || os[0] == '\'') && os[n - 1] == os[0])
			f->os = xstrndup(os + 1, n - 2);
		else if (n > 0)
			f->os = xstrdup(os);
	}
	f->cpus = number(ok_line(&sec[S_NPROC]), 1L << 20, NULL);
	f->mem_kib = number(ok_line(&sec[S_MEM]), 1L << 40, " kB");
	read_docker(sec, f);
	read_node(ok_line(&sec[S_NODE]), f);
	if (sec[S_PLUGIN].rc == 0)
		f->sshfs_plugin = sec[S_PLUGIN].sshfs;
	read_df(&sec[S_DF], f);
	read_shared(&sec[S_SHARED], f);
	for (int i = 0; i < NSECTIONS; i++) {
		free(sec[i].line);
		free(sec[i].line2);
	}
}
