/*
 * The plan's services and migration jobs: each profile service with its
 * image (under the answers' registry), its command and environment with
 * the plan's variables substituted, its mounts and its replicas.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "plan_internal.h"

/* Variables whose answer has another name. */
static const struct { const char *var, *field; } var_fields[] = {
	{ "kafka.bootstrap", "kafka.brokers" },
	{ "features", "sentry.features" },
	{ "namespace", "target.namespace" },
};

static char *
var_source(const struct plan *pl, const char *var)
{
	const char *field = var;

	for (size_t i = 0; i < sizeof var_fields / sizeof var_fields[0]; i++)
		if (strcmp(var_fields[i].var, var) == 0)
			field = var_fields[i].field;
	if (srcmap_find(&pl->where, field) == NULL)
		return NULL;
	return xasprintf("answers:%s", field);
}

int
plan_subst(const struct plan *pl, const char *text, const char *where,
    char **out, char **secret_ref, char **source, struct err *e)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = text;

	*out = *secret_ref = *source = NULL;
	if (strncmp(text, "${secret:", 9) == 0 && text[strlen(text) - 1] == '}') {
		/* ${secret:KEY} or ${secret:KEY|VARIABLE}: the variable stands
		 * in when the answers have no such secret. */
		char *key = xstrndup(text + 9, strlen(text) - 10);
		char *bar = strchr(key, '|');
		int rc = 0;

		if (bar != NULL)
			*bar++ = '\0';
		if (kv_get(&pl->secrets, key) != NULL) {
			*secret_ref = key;
			return 0;
		}
		if (bar != NULL) {
			char *fallback = xasprintf("${%s}", bar);

			rc = plan_subst(pl, fallback, where, out, secret_ref,
			    source, e);
			free(fallback);
		}
		free(key);
		return rc;
	}
	while (*p != '\0') {
		const char *open = strstr(p, "${"), *close;
		const struct var *v;
		char *name, *value;

		if (open == NULL) {
			sb_add(&sb, p);
			break;
		}
		sb_addn(&sb, p, (size_t)(open - p));
		close = strchr(open, '}');
		if (close == NULL) {
			sb_free(&sb);
			return err_set(e, ERR_INPUT, "%s: unclosed ${ in \"%s\"",
			    where, text);
		}
		name = xstrndup(open + 2, (size_t)(close - open - 2));
		v = vars_get(&pl->vars, name);
		if (v == NULL || v->secret) {
			err_set(e, ERR_INPUT, "%s: %s \"${%s}\" (a secret must be a "
			    "whole value: ${secret:KEY})", where, v ? "a secret "
			    "inside text" : "unknown variable", name);
			free(name);
			sb_free(&sb);
			return -1;
		}
		value = var_string(v);
		sb_add(&sb, value);
		if (*source == NULL)
			*source = var_source(pl, name);
		free(value);
		free(name);
		p = close + 1;
	}
	*out = sb_take(&sb);
	return 0;
}

void
plan_set_env(struct plan_service *s, const char *name, const char *value,
    const char *secret_ref)
{
	struct plan_env *env = NULL;

	for (size_t i = 0; i < s->nenv; i++)
		if (strcmp(s->env[i].name, name) == 0)
			env = &s->env[i];
	if (env == NULL) {
		s->env = xrealloc(s->env, (s->nenv + 1) * sizeof *s->env);
		env = &s->env[s->nenv++];
		env->name = xstrdup(name);
	} else {
		free(env->value);
		free(env->secret_ref);
	}
	env->value = xstrdup(value);
	env->secret_ref = xstrdup(secret_ref);
}

void
plan_add_source(struct plan_service *s, const char *field, const char *origin)
{
	const char *before = kv_get(&s->sources, field);
	char *both;

	if (before == NULL || strncmp(before, "rule:", 5) != 0) {
		kv_set(&s->sources, field, origin);
		return;
	}
	both = xasprintf("%s, %s", before, origin);
	kv_set(&s->sources, field, both);
	free(both);
}

void
plan_add_mount(struct plan_service *s, const char *volume, const char *path,
    int read_only)
{
	for (size_t i = 0; i < s->nmounts; i++)
		if (strcmp(s->mounts[i].path, path) == 0)
			return;
	s->mounts = xrealloc(s->mounts, (s->nmounts + 1) * sizeof *s->mounts);
	s->mounts[s->nmounts].volume = xstrdup(volume);
	s->mounts[s->nmounts].path = xstrdup(path);
	s->mounts[s->nmounts].read_only = read_only;
	s->nmounts++;
}

void
plan_note(struct plan *pl, const char *rule, const char *service,
    const char *what, int changed)
{
	pl->fixes = xrealloc(pl->fixes, (pl->nfixes + 1) * sizeof *pl->fixes);
	pl->fixes[pl->nfixes].rule = xstrdup(rule);
	pl->fixes[pl->nfixes].service = xstrdup(service);
	pl->fixes[pl->nfixes].what = xstrdup(what);
	pl->fixes[pl->nfixes].changed = changed;
	pl->nfixes++;
}

static int
subst_list(struct plan *pl, const struct strlist *in, struct strlist *out,
    const char *where, struct plan_service *s, struct err *e)
{
	for (size_t i = 0; i < in->n; i++) {
		char *value, *key, *source;

		if (plan_subst(pl, in->v[i], where, &value, &key, &source, e) < 0)
			return -1;
		if (key != NULL || value == NULL) {
			free(key);
			return err_set(e, ERR_INPUT, "%s: a secret may not appear "
			    "in a command line (it would show in `ps`)", where);
		}
		sl_add_owned(out, value);
		if (source != NULL)
			kv_set(&s->sources, "args", source);
		free(source);
	}
	return 0;
}

static int
build_env(struct plan *pl, struct plan_service *s, const char *where,
    struct err *e)
{
	const struct kvlist *env = &s->prof->env;

	for (size_t i = 0; i < env->n; i++) {
		char *value, *key, *source, *ewhere;
		int rc;

		ewhere = xasprintf("%s.env.%s", where, env->v[i].key);
		rc = plan_subst(pl, env->v[i].value, ewhere, &value, &key, &source,
		    e);
		free(ewhere);
		if (rc < 0)
			return -1;
		/* An empty value means "not configured": the program's own
		 * default is better than an empty setting (an empty
		 * KAFKA_SASL_MECHANISM is an error, an absent one is not). */
		if ((value != NULL && value[0] != '\0') || key != NULL)
			plan_set_env(s, env->v[i].key, value, key);
		if (source != NULL) {
			char *field = xasprintf("env.%s", env->v[i].key);

			kv_set(&s->sources, field, source);
			free(field);
		}
		free(value);
		free(key);
		free(source);
	}
	return 0;
}

static void
build_mounts(struct plan_service *s)
{
	for (size_t i = 0; i < s->prof->mounts.n; i++) {
		const char *m = s->prof->mounts.v[i], *colon = strchr(m, ':');
		char *vol = xstrndup(m, (size_t)(colon - m));
		char *path = xstrdup(colon + 1);
		size_t len = strlen(path);
		int ro = len > 3 && strcmp(path + len - 3, ":ro") == 0;

		if (ro)
			path[len - 3] = '\0';
		plan_add_mount(s, vol, path, ro);
		free(vol);
		free(path);
	}
}

/* The image reference, moved under the answers' registry if there is one:
 * the original registry host is dropped, the repository path kept. */
char *
plan_image_ref(const struct plan *pl, const char *ref)
{
	const char *registry = pl->target.registry, *slash = strchr(ref, '/');
	size_t rlen;

	if (registry == NULL)
		return xstrdup(ref);
	if (slash != NULL && (memchr(ref, '.', (size_t)(slash - ref)) != NULL ||
	    memchr(ref, ':', (size_t)(slash - ref)) != NULL ||
	    strncmp(ref, "localhost/", 10) == 0))
		ref = slash + 1;
	rlen = strlen(registry);
	while (rlen > 0 && registry[rlen - 1] == '/')
		rlen--;
	return xasprintf("%.*s/%s", (int)rlen, registry, ref);
}

/* A consumer's default: two, so that a lost node pauses no topic, but no
 * more than a topic that must keep its count has partitions. */
static long
consumer_default(const struct plan *pl, const struct plan_service *s)
{
	for (size_t i = 0; s->prof->topic != NULL && i < pl->ntopics; i++)
		if (pl->topics[i].fixed &&
		    strcmp(pl->topics[i].name, s->prof->topic) == 0 &&
		    pl->topics[i].partitions < CONSUMER_REPLICAS)
			return pl->topics[i].partitions;
	return CONSUMER_REPLICAS;
}

static long
replicas_for(const struct plan *pl, const struct answers *a,
    struct plan_service *s)
{
	long r = answers_replicas(a, s->name);
	char *field;

	if (r != UNSET_INT) {
		field = xasprintf("answers:services.%s.replicas", s->name);
		kv_set(&s->sources, "replicas", field);
		free(field);
		return r;
	}
	if (s->prof->replicas != UNSET_INT)
		return s->prof->replicas;
	return s->role == ROLE_PARTITIONED_CONSUMER ? consumer_default(pl, s) : 1;
}

static int
build_service(struct plan *pl, const struct answers *a, struct plan_service *s,
    const struct prof_service *ps, const char *group, struct err *e)
{
	char *where = xasprintf("%s: %s.%s", pl->profile->path, group, ps->name);
	int rc;

	memset(s, 0, sizeof *s);
	s->name = xstrdup(ps->name);
	s->prof = ps;
	s->health = &ps->health;
	s->role = role_from_name(ps->role);
	s->image = plan_image_ref(pl, kv_get(&pl->profile->images, ps->image));
	if (pl->target.registry != NULL)
		kv_set(&s->sources, "image", "answers:registry");
	rc = subst_list(pl, &ps->entrypoint, &s->command, where, s, e);
	if (rc == 0)
		rc = subst_list(pl, &ps->args, &s->args, where, s, e);
	if (rc == 0)
		rc = build_env(pl, s, where, e);
	build_mounts(s);
	s->replicas = s->role == ROLE_JOB || s->role == ROLE_SCHEDULED ? 1 :
	    replicas_for(pl, a, s);
	plan_size_service(pl, a, s);
	plan_place_service(pl, a, s);
	free(where);
	return rc;
}

int
plan_enabled(const struct plan *pl, const struct prof_service *ps)
{
	if (ps->when != NULL && strcmp(ps->when, "geoip") == 0 &&
	    pl->geoip.account_id == NULL)	/* only the download runs */
		return 0;
	return ps->features == NULL || strcmp(ps->features, pl->features) == 0;
}

int
plan_volume_per_pod(const struct plan *pl, const char *volume)
{
	const struct prof_volume *v = profile_volume(pl->profile, volume);

	if (v == NULL)
		return 0;
	if (strcmp(v->kind, "cache") == 0)
		return pl->filestore.shared_kind == NULL;
	return strcmp(v->kind, "filestore") == 0 &&
	    strcmp(pl->filestore.backend, "filesystem") != 0;
}

/* A cleanup of a volume that each pod keeps for itself cannot reach it:
 * a file store folder then holds nothing (the bucket has it all), and
 * Kubernetes empties a cache by its size limit. On Swarm a cache's
 * cleanup runs on every node instead (swarm_service.c). */
static int
cleans_nothing(struct plan *pl, const struct prof_service *ps)
{
	const struct prof_volume *v;
	char *what;

	if (ps->cleans == NULL || !plan_volume_per_pod(pl, ps->cleans))
		return 0;
	v = profile_volume(pl->profile, ps->cleans);
	if (strcmp(v->kind, "cache") == 0) {
		if (strcmp(pl->target.kind, "kubernetes") != 0)
			return 0;
		what = xasprintf("%s is left out: with no shared volume each pod "
		    "keeps its own %s, emptied when it outgrows its size",
		    ps->name, ps->cleans);
		plan_note(pl, "symbolicator-shared-data", NULL, what, 1);
	} else {
		what = xasprintf("%s is left out: with %s the files it would prune "
		    "are in the bucket (give it a lifecycle rule)", ps->name,
		    pl->filestore.backend);
		plan_note(pl, "filestore-external-cleanup", NULL, what, 1);
	}
	free(what);
	return 1;
}

static int
build_group(struct plan *pl, const struct answers *a, const struct objlist *src,
    const char *group, struct plan_service **dst, size_t *n, struct err *e)
{
	*dst = xcalloc(src->n, sizeof **dst);
	for (size_t i = 0; i < src->n; i++) {
		const struct prof_service *ps = OBJ_AT(src, sizeof *ps, i);

		if (!plan_enabled(pl, ps) || cleans_nothing(pl, ps))
			continue;
		if (build_service(pl, a, &(*dst)[(*n)++], ps, group, e) < 0)
			return -1;
	}
	return 0;
}


int
plan_build_services(struct plan *pl, const struct answers *a, struct err *e)
{
	const struct profile *p = pl->profile;

	if (build_group(pl, a, &p->services, "services", &pl->services,
	    &pl->nservices, e) < 0)
		return -1;
	return build_group(pl, a, &p->migrations, "migrations", &pl->migrations,
	    &pl->nmigrations, e);
}
