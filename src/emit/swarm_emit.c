/*
 * Swarm: stack files by group, deployed in order by deploy.sh; configs and
 * secrets as files that deploy.sh turns into (immutable, versioned) Swarm
 * objects; shared volumes through the sshfs plugin or NFS, or bound from a
 * folder every node mounts (hostpath, which needs no volume definition).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "runbook.h"
#include "swarm.h"
#include "swarm_deploy.h"
#include "swarm_names.h"
#include "swarm_service.h"

/* The content behind a config or secret key of this plan. */
static const char *
object_content(const struct plan *pl, const char *key, int *secret)
{
	const char *v = kv_get(&pl->secrets, key);

	*secret = 1;
	if (v != NULL)
		return v;
	if (strcmp(key, SWARM_TRUST_KEY) == 0 && pl->tls.ca_pem != NULL) {
		*secret = 0;
		return pl->tls.ca_pem;
	}
	for (size_t i = 0; i < pl->nvolumes; i++) {
		const struct plan_volume *vol = &pl->volumes[i];

		for (size_t j = 0; vol->backing == BACK_CONFIG && j < vol->nfiles; j++) {
			char *k = swarm_file_key(vol->name, vol->files[j].name);
			int same = strcmp(k, key) == 0;

			free(k);
			if (same) {
				*secret = vol->secret;
				return vol->files[j].content;
			}
		}
	}
	return "";
}

/* Driver options are strings to Docker, numbers too ("999"). */
static void
driver_number(struct ynode *opts, const char *key, long value)
{
	char *text = xasprintf("%ld", value);

	yn_map_set(opts, key, yn_quoted(text));
	free(text);
}

static struct ynode *
volume_definition(const struct plan *pl, const struct plan_volume *v)
{
	struct ynode *d = yn_map(), *o;
	char *name = v->backing == BACK_PER_REPLICA ?
	    xasprintf("%s_%s-{{.Task.Slot}}", pl->target.stack, v->name) :
	    xasprintf("%s_%s", pl->target.stack, v->name);
	char *s;

	/* One name in every stack file, so that all of them share it. */
	yn_set_str(d, "name", name);
	free(name);
	if (v->backing == BACK_SSHFS) {
		yn_set_str(d, "driver", "vieux/sshfs");
		o = yn_set_map(d, "driver_opts");
		s = swarm_sshcmd(v);
		yn_map_set(o, "sshcmd", yn_quoted(s));
		free(s);
		driver_number(o, "port", v->ssh_port);
		yn_map_set(o, "allow_other", yn_quoted(""));
		driver_number(o, "uid", v->uid);
		driver_number(o, "gid", v->gid);
		yn_map_set(o, "reconnect", yn_quoted(""));
	} else if (v->backing == BACK_NFS) {
		yn_set_str(d, "driver", "local");
		o = yn_set_map(d, "driver_opts");
		yn_set_str(o, "type", "nfs");
		s = xasprintf("addr=%s,rw,nfsvers=4", v->nfs_server);
		yn_map_set(o, "o", yn_quoted(s));
		free(s);
		s = xasprintf(":%s", v->nfs_path);
		yn_map_set(o, "device", yn_quoted(s));
		free(s);
	}
	return d;
}

static void
add_objects(struct ynode *doc, const struct plan *pl, const char *section,
    const struct strlist *keys, struct strlist *creates)
{
	struct ynode *m;

	if (keys->n == 0)
		return;
	m = yn_set_map(doc, section);
	for (size_t i = 0; i < keys->n; i++) {
		int secret;
		const char *content = object_content(pl, keys->v[i], &secret);
		char *name = swarm_object_name(pl, secret ? "secret" : "config",
		    keys->v[i], content);
		struct ynode *o = yn_set_map(m, keys->v[i]);
		char *line = xasprintf("%s %s %s/%s", secret ? "secret" : "config",
		    name, secret ? "secrets" : "configs", keys->v[i]);

		/* deploy.sh creates them; the stacks only refer to them. */
		yn_map_set(o, "external", yn_bool(1));
		yn_set_str(o, "name", name);
		if (!sl_contains(creates, line))
			sl_add(creates, line);
		free(line);
		free(name);
	}
}

/* Compose expands $VAR in every value: a literal $ is written $$. */
static void
escape_dollars(struct ynode *n)
{
	if (n->kind == Y_SCALAR && strchr(n->text, '$') != NULL) {
		struct strbuf sb = STRBUF_INIT;

		for (const char *p = n->text; *p != '\0'; p++)
			sb_add(&sb, *p == '$' ? "$$" : (char[]){ *p, '\0' });
		free(n->text);
		n->text = sb_take(&sb);
	}
	for (size_t i = 0; i < n->n; i++)
		escape_dollars(n->kind == Y_SEQ ? n->items[i] : n->pairs[i].val);
}

/* A service under its key (swarm_service_key); a shortened one keeps its
 * name on the network, where the others reach it. */
static void
add_service(struct ynode *services, const struct plan *pl,
    const struct plan_service *s, const char *stack, int job,
    struct swarm_uses *uses)
{
	struct ynode *svc = swarm_service(pl, s, job, uses), *net;
	char *key = swarm_service_key(stack, s->name);

	if (strcmp(key, s->name) != 0) {
		net = yn_map();
		yn_seq_add(yn_set_seq(yn_set_map(net, "sentry"), "aliases"),
		    yn_str(s->name));
		yn_map_put(svc, "networks", net);
	}
	yn_map_set(services, key, svc);
	free(key);
}

/* One stack file from services `v[0..n)`; adds the objects it needs to
 * `creates` and the volume definitions to `volumes_text`. */
static char *
stack_file(const struct plan *pl, const struct plan_service *const *v,
    size_t n, int jobs, struct strlist *creates, struct strbuf *volumes_text,
    struct err *e)
{
	struct ynode *doc = yn_map(), *services, *net, *vols;
	struct swarm_uses uses = { { 0 }, { 0 }, { 0 } };
	struct strbuf out = STRBUF_INIT;
	char *stack = jobs ? swarm_job_stack(pl) :
	    swarm_stack_of(pl, swarm_group(v[0]));

	yn_map_set(doc, "version", yn_quoted("3.8"));
	services = yn_set_map(doc, "services");
	for (size_t i = 0; i < n; i++)
		add_service(services, pl, v[i], stack, jobs, &uses);
	free(stack);
	net = yn_set_map(yn_set_map(doc, "networks"), "sentry");
	yn_map_set(net, "external", yn_bool(1));
	yn_set_str(net, "name", pl->target.stack);
	add_objects(doc, pl, "configs", &uses.configs, creates);
	add_objects(doc, pl, "secrets", &uses.secrets, creates);
	if (uses.volumes.n > 0) {
		vols = yn_set_map(doc, "volumes");
		for (size_t i = 0; i < uses.volumes.n; i++)
			yn_map_set(vols, uses.volumes.v[i], volume_definition(pl,
			    plan_volume(pl, uses.volumes.v[i])));
		yaml_emit(vols, 0, volumes_text, e);
	}
	sl_free(&uses.configs);
	sl_free(&uses.secrets);
	sl_free(&uses.volumes);
	escape_dollars(doc);
	sb_add(&out, "# Generated by sentry-ha-setup; deploy with ../deploy.sh "
	    "(it keeps the order).\n");
	if (yaml_emit(doc, 0, &out, e) < 0) {
		yn_free(doc);
		sb_free(&out);
		return NULL;
	}
	yn_free(doc);
	return sb_take(&out);
}

static int
add_stack(struct outset *out, struct strlist *stacks, const char *file,
    char *text)
{
	char *path = xasprintf("swarm/stacks/%s.yml", file);

	if (text == NULL) {
		free(path);
		return -1;
	}
	outset_add(out, path, text, 0644);
	sl_add(stacks, file);
	free(path);
	return 0;
}

static int
emit_stacks(const struct plan *pl, struct outset *out, struct swarm_files *f,
    struct strlist *creates, struct strbuf *volumes_text, struct err *e)
{
	const struct plan_service **v = xcalloc(pl->nservices + 1, sizeof *v);
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < pl->nmigrations; i++) {
		const struct plan_service *one = &pl->migrations[i];
		char *file = xasprintf("%02zu-%s", i + 1, one->name);

		rc = add_stack(out, &f->jobs, file, stack_file(pl, &one, 1, 1,
		    creates, volumes_text, e));
		free(file);
	}
	for (size_t g = 0; rc == 0 && swarm_group_at(g) != NULL; g++) {
		const char *group = swarm_group_at(g);
		size_t n = 0;

		for (size_t i = 0; i < pl->nservices; i++)
			if (strcmp(swarm_group(&pl->services[i]), group) == 0)
				v[n++] = &pl->services[i];
		if (n > 0)
			rc = add_stack(out, &f->groups, group,
			    stack_file(pl, v, n, 0, creates, volumes_text, e));
	}
	free(v);
	return rc;
}

/* The files deploy.sh creates the configs and secrets from. */
static void
emit_object_files(const struct plan *pl, const struct strlist *creates,
    struct outset *out)
{
	for (size_t i = 0; i < creates->n; i++) {
		const char *line = creates->v[i], *path = strrchr(line, ' ') + 1;
		const char *key = strchr(path, '/') + 1;
		int secret;
		const char *content = object_content(pl, key, &secret);
		char *rel = xasprintf("swarm/%s", path);

		if (outset_find(out, rel) == NULL)
			outset_add(out, rel, xstrdup(content), secret ? 0600 : 0644);
		free(rel);
	}
}

int
swarm_emit(const struct plan *pl, struct outset *out, struct err *e)
{
	struct swarm_files files = { { 0 }, { 0 } };
	struct strlist creates = { 0 };
	struct strbuf volumes_text = STRBUF_INIT;
	char *digest;
	int rc;

	rc = emit_stacks(pl, out, &files, &creates, &volumes_text, e);
	if (rc == 0) {
		emit_object_files(pl, &creates, out);
		digest = digest8(sb_str(&volumes_text), volumes_text.len);
		outset_add(out, "swarm/deploy.sh", swarm_deploy_script(pl, &files,
		    &creates, digest), 0755);
		free(digest);
		rc = runbook_swarm(pl, &files, out, e);
	}
	sl_free(&files.jobs);
	sl_free(&files.groups);
	sl_free(&creates);
	sb_free(&volumes_text);
	return rc;
}
