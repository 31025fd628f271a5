/* Swarm: one service of a stack file (compose format 3.8). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"
#include "quantity.h"
#include "swarm_names.h"
#include "swarm_service.h"
#include "tmpl.h"

#define SECRETS_DIR	"/run/secrets/"

/* The command that starts the program: the service's own entrypoint, or
 * the image's (empty when the image has none). */
static const struct strlist *
entry_of(const struct plan *pl, const struct plan_service *s)
{
	const struct prof_image *im = profile_image(pl->profile, s->prof->image);

	if (s->command.n > 0)
		return &s->command;
	return im != NULL ? &im->entrypoint : NULL;
}

/* Secrets a non-Sentry program reads from its environment. (Sentry reads
 * them from /run/secrets itself: sentry.conf.py.) */
static size_t
env_secrets(const struct plan_service *s)
{
	size_t n = 0;

	if (plan_uses_image(s, "sentry"))
		return 0;
	for (size_t i = 0; i < s->nenv; i++)
		n += s->env[i].secret_ref != NULL;
	return n;
}

enum wrap_need
swarm_wrap_need(const struct plan *pl, const struct plan_service *s)
{
	const struct prof_image *im = profile_image(pl->profile, s->prof->image);
	int looped = s->role == ROLE_SCHEDULED;

	if (env_secrets(s) == 0 && !looped)
		return WRAP_NONE;
	if (im == NULL || strcmp(im->shell, "none") == 0 ||
	    (looped && strcmp(im->shell, "sh") != 0))
		return WRAP_IMPOSSIBLE;
	return WRAP_POSSIBLE;
}

/* sh -c 'export A="$(cat /run/secrets/a)"; [while :; do] exec ENTRY "$@" ...' */
static struct ynode *
sh_wrapper(const struct plan *pl, const struct plan_service *s)
{
	const struct strlist *entry = entry_of(pl, s);
	struct strbuf script = STRBUF_INIT;
	struct ynode *ep = yn_seq();
	long every = s->role == ROLE_SCHEDULED ?
	    swarm_interval(s->prof->schedule) : 0;

	for (size_t i = 0; env_secrets(s) > 0 && i < s->nenv; i++)
		if (s->env[i].secret_ref != NULL)
			sb_printf(&script, "export %s=\"$(cat " SECRETS_DIR "%s)\"; ",
			    s->env[i].name, s->env[i].secret_ref);
	/* The loop's sh is PID 1, which ignores SIGTERM unless it traps it:
	 * without the trap every stop and update of the service waits out the
	 * grace period (60 s) and ends in SIGKILL. It runs the command and
	 * the sleep in the background, so that the trap acts at once. */
	if (every > 0)
		sb_add(&script, "trap 'kill $c 2>/dev/null; exit 0' TERM INT; "
		    "while :; do ");
	else
		sb_add(&script, "exec ");
	for (size_t i = 0; entry != NULL && i < entry->n; i++) {
		sh_quote(&script, entry->v[i]);
		sb_addc(&script, ' ');
	}
	sb_add(&script, "\"$@\"");
	if (every > 0)
		sb_printf(&script, " & c=$!; wait $c; sleep %ld & c=$!; wait $c; done",
		    every);
	yn_seq_add(ep, yn_str("/bin/sh"));
	yn_seq_add(ep, yn_str("-c"));
	yn_seq_add(ep, yn_quoted(sb_str(&script)));
	yn_seq_add(ep, yn_str("sentry-ha-setup"));	/* $0 */
	sb_free(&script);
	return ep;
}

static void
py_command(struct strbuf *sb, const struct strlist *cmd)
{
	sb_addc(sb, '[');
	for (size_t i = 0; i < cmd->n; i++) {
		if (i)
			sb_add(sb, ", ");
		quote_python(sb, cmd->v[i]);
	}
	sb_addc(sb, ']');
}

/* python3 -c '...': for images with Python but no shell. It tries the
 * image's entrypoint, then its alternative (a tag may have either). */
static struct ynode *
py_wrapper(const struct plan *pl, const struct plan_service *s)
{
	const struct prof_image *im = profile_image(pl->profile, s->prof->image);
	struct strbuf script = STRBUF_INIT;
	struct ynode *ep = yn_seq();

	sb_add(&script, "import os, sys\nfor name, var in [");
	for (size_t i = 0, n = 0; i < s->nenv; i++) {
		if (s->env[i].secret_ref == NULL)
			continue;
		sb_add(&script, n++ ? ", (" : "(");
		quote_python(&script, s->env[i].secret_ref);
		sb_add(&script, ", ");
		quote_python(&script, s->env[i].name);
		sb_addc(&script, ')');
	}
	sb_add(&script, "]:\n    with open(\"" SECRETS_DIR "\" + name) as f:\n"
	    "        os.environ[var] = f.read()\nfor cmd in [");
	py_command(&script, s->command.n ? &s->command : &im->entrypoint);
	if (s->command.n == 0 && im->alternative.n > 0) {
		sb_add(&script, ", ");
		py_command(&script, &im->alternative);
	}
	sb_add(&script, "]:\n    path = cmd[1] if cmd[0].startswith(\"python\") "
	    "else cmd[0]\n    if \"/\" not in path or os.path.exists(path):\n"
	    "        os.execvp(cmd[0], cmd + sys.argv[1:])\n"
	    "sys.exit(\"sentry-ha-setup: no entrypoint found\")\n");
	yn_seq_add(ep, yn_str(im->python ? im->python : "python3"));
	yn_seq_add(ep, yn_str("-c"));
	yn_seq_add(ep, yn_block(sb_str(&script)));
	sb_free(&script);
	return ep;
}

static void
add_start(struct ynode *svc, const struct plan *pl, const struct plan_service *s)
{
	const struct prof_image *im = profile_image(pl->profile, s->prof->image);

	switch (swarm_wrap_need(pl, s)) {
	case WRAP_POSSIBLE:
		yn_map_set(svc, "entrypoint", strcmp(im->shell, "sh") == 0 ?
		    sh_wrapper(pl, s) : py_wrapper(pl, s));
		break;
	case WRAP_IMPOSSIBLE:	/* reported by the rule swarm-secret-files */
	case WRAP_NONE:
		if (s->command.n > 0)
			yn_map_set(svc, "entrypoint", yn_strseq(&s->command));
		break;
	}
	if (s->args.n > 0)
		yn_map_set(svc, "command", yn_strseq(&s->args));
}

/* Plain settings in the stack file; secrets never (they are files). */
static void
add_environment(struct ynode *svc, const struct plan_service *s)
{
	struct ynode *env = NULL;

	for (size_t i = 0; i < s->nenv; i++) {
		if (s->env[i].secret_ref != NULL)
			continue;
		if (env == NULL)
			env = yn_set_map(svc, "environment");
		yn_map_set(env, s->env[i].name, yn_quoted(s->env[i].value));
	}
}

static struct ynode *
object_ref(const char *source, const char *target, int mode)
{
	struct ynode *r = yn_map();

	yn_set_str(r, "source", source);
	yn_set_str(r, "target", target);
	/* Readable by whatever user the image runs as, unless the file
	 * says otherwise (a key libpq reads). */
	yn_map_set(r, "mode", yn_int(mode != 0 ? mode : 0444));
	return r;
}

static void
add_file_mounts(struct ynode *svc, const struct plan *pl,
    const struct plan_service *s, struct swarm_uses *uses)
{
	struct ynode *configs = NULL, *secrets = NULL;

	for (size_t i = 0; i < s->nmounts; i++) {
		const struct plan_volume *v = plan_volume(pl, s->mounts[i].volume);

		if (v == NULL || (v->backing != BACK_CONFIG &&
		    v->backing != BACK_SECRET))
			continue;
		for (size_t j = 0; j < v->nfiles; j++) {
			char *key = v->backing == BACK_SECRET ?
			    xstrdup(v->files[j].secret_ref) :
			    swarm_file_key(v->name, v->files[j].name);
			char *target = xasprintf("%s/%s", s->mounts[i].path,
			    v->files[j].name);
			int secret = v->backing == BACK_SECRET || v->secret;
			struct strlist *list = secret ? &uses->secrets : &uses->configs;
			struct ynode **seq = secret ? &secrets : &configs;

			if (*seq == NULL)
				*seq = yn_set_seq(svc, secret ? "secrets" : "configs");
			yn_seq_add(*seq, object_ref(key, target, v->files[j].mode));
			if (!sl_contains(list, key))
				sl_add(list, key);
			free(target);
			free(key);
		}
	}
	/* The image's roots and the private CAs, built by deploy.sh. */
	if (pl->tls.ca_pem != NULL) {
		if (configs == NULL)
			configs = yn_set_seq(svc, "configs");
		yn_seq_add(configs, object_ref(SWARM_TRUST_KEY, CA_BUNDLE_PATH, 0));
		if (!sl_contains(&uses->configs, SWARM_TRUST_KEY))
			sl_add(&uses->configs, SWARM_TRUST_KEY);
	}
	/* Secrets read from the environment or by sentry.conf.py. */
	for (size_t i = 0; i < s->nenv; i++) {
		const char *key = s->env[i].secret_ref;

		if (key == NULL)
			continue;
		if (secrets == NULL)
			secrets = yn_set_seq(svc, "secrets");
		yn_seq_add(secrets, object_ref(key, key, 0));
		if (!sl_contains(&uses->secrets, key))
			sl_add(&uses->secrets, key);
	}
}

static int
per_node_cache(const struct plan *pl, const struct plan_volume *v)
{
	const struct prof_volume *pv = v ? profile_volume(pl->profile, v->name) :
	    NULL;

	return v != NULL && v->backing == BACK_SCRATCH && pv != NULL &&
	    strcmp(pv->kind, "cache") == 0;
}

static void
add_volumes(struct ynode *svc, const struct plan *pl,
    const struct plan_service *s, struct swarm_uses *uses)
{
	struct ynode *vols = NULL;

	for (size_t i = 0; i < s->nmounts; i++) {
		const struct plan_volume *v = plan_volume(pl, s->mounts[i].volume);
		struct ynode *m;

		if (v == NULL || v->backing == BACK_CONFIG || v->backing == BACK_SECRET)
			continue;
		if (vols == NULL)
			vols = yn_set_seq(svc, "volumes");
		m = yn_seq_add(vols, yn_map());
		/* A folder every node mounts is bound as it is: no Docker
		 * volume, and no copy of the image's files into it. A node
		 * without the mount has no such sub-folder, and Docker then
		 * refuses the task instead of writing to the node's disk. */
		yn_set_str(m, "type", v->backing == BACK_HOSTPATH ? "bind" :
		    "volume");
		if (v->backing == BACK_HOSTPATH)
			yn_set_str(m, "source", v->nfs_path);
		/* Scratch space is an anonymous volume of the task; a cache
		 * kept per node is a named local volume, which the node's
		 * tasks and its cleanup share. */
		else if (v->backing != BACK_SCRATCH || per_node_cache(pl, v)) {
			yn_set_str(m, "source", v->name);
			if (!sl_contains(&uses->volumes, v->name))
				sl_add(&uses->volumes, v->name);
		}
		yn_set_str(m, "target", s->mounts[i].path);
		if (s->mounts[i].read_only)
			yn_map_set(m, "read_only", yn_bool(1));
		/* Never copy the image's files into a shared volume. */
		if (v->backing == BACK_SSHFS || v->backing == BACK_NFS)
			yn_map_set(yn_set_map(m, "volume"), "nocopy", yn_bool(1));
	}
}

/* A health command that needs nothing but the image's own tools. */
static struct ynode *
health_test(const struct plan *pl, const struct plan_service *s)
{
	const struct prof_health *h = s->health;
	const struct prof_image *im = profile_image(pl->profile, s->prof->image);
	const char *py = im != NULL ? im->python : NULL;
	struct ynode *test = yn_seq();
	char *script = NULL;

	yn_seq_add(test, yn_str("CMD"));
	if (h->file != NULL && py != NULL)
		script = xasprintf("import os, sys, time; sys.exit(0 if time.time()"
		    " - os.path.getmtime('%s') < %ld else 1)", h->file,
		    h->max_age != UNSET_INT ? h->max_age : 180);
	else if (h->http != NULL && py != NULL)
		script = xasprintf("import sys\ntry:\n    from urllib.request import "
		    "urlopen\nexcept ImportError:\n    from urllib2 import urlopen\n"
		    "sys.exit(0 if urlopen('http://127.0.0.1:%ld%s', timeout=10)."
		    "getcode() == 200 else 1)\n", h->port, h->http);
	if (script != NULL) {
		yn_seq_add(test, yn_str(py));
		yn_seq_add(test, yn_str("-c"));
		yn_seq_add(test, yn_quoted(script));
		free(script);
		return test;
	}
	if (h->exec.n > 0 || (im != NULL && im->healthcheck.n > 0)) {
		const struct strlist *cmd = h->exec.n ? &h->exec : &im->healthcheck;

		for (size_t i = 0; i < cmd->n; i++)
			yn_seq_add(test, yn_str(cmd->v[i]));
		return test;
	}
	yn_free(test);
	return NULL;
}

static void
add_healthcheck(struct ynode *svc, const struct plan *pl,
    const struct plan_service *s)
{
	const struct prof_health *h = s->health;
	struct ynode *test, *hc;
	char buf[32];

	if (s->role == ROLE_JOB || s->role == ROLE_SCHEDULED ||
	    (test = health_test(pl, s)) == NULL)
		return;
	hc = yn_set_map(svc, "healthcheck");
	yn_map_set(hc, "test", test);
	yn_set_str(hc, "interval", h->file != NULL ? "60s" : "30s");
	yn_set_str(hc, "timeout", "10s");
	yn_set_int(hc, "retries", 3);
	snprintf(buf, sizeof buf, "%lds", h->start_period != UNSET_INT ?
	    h->start_period : 60);
	yn_set_str(hc, "start_period", buf);
}

/* A singleton must stop before its successor starts; so must a
 * repeating cleanup, or an update runs two at once. */
int
swarm_stop_first(const struct plan_service *s)
{
	return s->role == ROLE_SINGLETON || s->role == ROLE_STATEFUL_PER_REPLICA ||
	    s->role == ROLE_SCHEDULED;
}

/* Pins a group's services to the hosts whose roles name the group. */
static void
add_placement(struct ynode *deploy, const struct plan *pl,
    const struct plan_service *s)
{
	const char *group = swarm_group(s) + 3;	/* past "NN-" */
	for (size_t i = 0; i < pl->nhosts; i++) {
		const struct plan_host *h = &pl->hosts[i];
		char *c;

		if (!sl_contains(&h->roles, group))
			continue;
		c = xasprintf("node.labels.sentry.%s == true", group);
		yn_seq_add(yn_set_seq(yn_set_map(deploy, "placement"),
		    "constraints"), yn_str(c));
		free(c);
		return;
	}
}

/* A cleanup of a cache that each node keeps in a local volume runs on
 * every node, so that every node's copy is pruned. */
int
swarm_on_every_node(const struct plan *pl, const struct plan_service *s)
{
	return s->prof->cleans != NULL &&
	    per_node_cache(pl, plan_volume(pl, s->prof->cleans));
}

static void
add_deploy(struct ynode *svc, const struct plan *pl,
    const struct plan_service *s, int job)
{
	struct ynode *d = yn_set_map(svc, "deploy"), *rp, *uc, *res;
	char c[32], m[32];

	if (swarm_on_every_node(pl, s)) {
		yn_set_str(d, "mode", "global");
	} else {
		yn_set_str(d, "mode", job ? "replicated-job" : "replicated");
		yn_set_int(d, "replicas", s->replicas);
	}
	rp = yn_set_map(d, "restart_policy");
	yn_set_str(rp, "condition", job ? "none" : "any");
	yn_set_str(rp, "delay", "5s");
	if (!job) {
		uc = yn_set_map(d, "update_config");
		yn_set_int(uc, "parallelism", 1);
		yn_set_str(uc, "delay", "10s");
		yn_set_str(uc, "order", swarm_stop_first(s) ? "stop-first" :
		    "start-first");
		yn_set_str(uc, "failure_action", "rollback");
	}
	add_placement(d, pl, s);
	res = yn_set_map(yn_set_map(d, "resources"), "reservations");
	cpu_compose(s->cpu_millis, c, sizeof c);
	memory_compose(s->memory_mib, m, sizeof m);
	yn_map_set(res, "cpus", yn_quoted(c));
	yn_set_str(res, "memory", m);
	/* Memory only, as on Kubernetes (plan_sizing.c says why). */
	memory_compose(s->memory_limit_mib, m, sizeof m);
	yn_set_str(yn_set_map(yn_get(d, "resources"), "limits"), "memory", m);
}

/* The public entry point publishes port 9000 on every node, as
 * self-hosted's SENTRY_BIND does: nginx when the release has it, else web. */
static void
add_ports(struct ynode *svc, const struct plan *pl, const struct plan_service *s)
{
	const struct plan_service *entry = plan_service(pl, "nginx");
	const struct prof_port *port;
	struct ynode *p;

	if (entry == NULL)
		entry = plan_service(pl, "web");
	if (entry != s || s->prof->ports.n == 0)
		return;
	port = OBJ_AT(&s->prof->ports, sizeof *port, 0);
	p = yn_seq_add(yn_set_seq(svc, "ports"), yn_map());
	yn_set_int(p, "target", port->port);
	yn_set_int(p, "published", 9000);
	yn_set_str(p, "protocol", "tcp");
	yn_set_str(p, "mode", "ingress");
}

struct ynode *
swarm_service(const struct plan *pl, const struct plan_service *s, int job,
    struct swarm_uses *uses)
{
	struct ynode *svc = yn_map(), *labels;

	yn_set_str(svc, "image", s->image);
	add_start(svc, pl, s);
	add_ports(svc, pl, s);
	add_environment(svc, s);
	add_file_mounts(svc, pl, s, uses);
	add_volumes(svc, pl, s, uses);
	yn_seq_add(yn_set_seq(svc, "networks"), yn_str("sentry"));
	add_healthcheck(svc, pl, s);
	/* Consumers and workers get time to finish and commit what they hold. */
	if (plan_uses_image(s, "sentry") || plan_uses_image(s, "snuba"))
		yn_set_str(svc, "stop_grace_period", "60s");
	labels = yn_set_map(svc, "labels");
	yn_set_str(labels, "app.kubernetes.io/part-of", "sentry");
	yn_set_str(labels, "app.kubernetes.io/managed-by", "sentry-ha-setup");
	yn_set_str(labels, "sentry-ha-setup.role", role_names[s->role]);
	for (size_t i = 0; i < s->sources.n; i++) {
		char *key = xasprintf("sentry-ha-setup.source.%s", s->sources.v[i].key);

		yn_set_str(labels, key, s->sources.v[i].value);
		free(key);
	}
	add_deploy(svc, pl, s, job);
	return svc;
}
