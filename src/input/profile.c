/* Loading a release profile: decode, merge templates, check consistency. */
#include "profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "suggest.h"

const char *const role_names[] = {
	"singleton", "partitioned-consumer", "stateless-http",
	"stateless-worker", "stateful-per-replica", "job", "scheduled", NULL
};

const char *const role_meanings[] = {
	"exactly one replica; rollouts stop the old one first (Recreate)",
	"a Kafka consumer: useful replicas are at most its topic's partitions",
	"serves HTTP behind a Service; two or more replicas get a "
	"PodDisruptionBudget and are spread over nodes",
	"scales freely and serves nothing; several replicas get a "
	"PodDisruptionBudget",
	"a StatefulSet: each replica keeps its own volume",
	"a Job that runs once, in order, before the services start",
	"a CronJob on a schedule",
	NULL
};

/* The same roles in Docker Swarm's words (swarm_service.c). */
const char *const role_meanings_swarm[] = {
	"exactly one replica; an update stops the old task before the new "
	"one starts (stop-first)",
	"a Kafka consumer: useful replicas are at most its topic's partitions",
	"serves HTTP on the stack's network; updates start the new task "
	"first (start-first)",
	"scales freely and serves nothing; updates start the new task first",
	"each replica keeps its own volume; updates stop the old task first",
	"a replicated-job that runs once, in order, before the services start",
	"a service that repeats its task on an interval (Swarm has no "
	"CronJob)",
	NULL
};

/* Every knob the templates read. A profile that sets another name is
 * rejected, so a typo never silently falls back. */
const struct knob profile_knobs[] = {
	{ "memcached_backend", "django.core.cache.backends.memcached.MemcachedCache",
	  "the Django cache backend class for memcached" },
	{ "memcached_options", "", "\"\", ignore_exc or reconnect: the cache OPTIONS" },
	{ "celery", "", "the release runs Celery (worker, cron; BROKER_URL)" },
	{ "big_ints", "", "sets SENTRY_USE_BIG_INTS (releases before 25.5)" },
	{ "release_health_metrics", "", "release health from metrics" },
	{ "errors_only_setting", "", "has SENTRY_SELF_HOSTED_ERRORS_ONLY" },
	{ "csrf_trusted_origins", "", "Django 4+: CSRF_TRUSTED_ORIGINS" },
	{ "web_workers", "", "uWSGI worker settings of 21.x and later" },
	{ "relay", "", "the release has Relay (trust by relay.static_auth)" },
	{ "snuba_api_bind", "image-default",
	  "flag: `snuba api --bind 0.0.0.0:1218`; image-default: the image "
	  "already serves on 0.0.0.0" },
	{ "django_nodestore", "", "keep event payloads in PostgreSQL" },
	{ "profiles_backend", "", "Sentry and vroom share the profiles store" },

	{ "nginx_read_timeout", "30s", "nginx's proxy_read_timeout (upstream "
	  "nginx.conf)" },
	{ "profiles_dir", PROFILES_DIR, "where vroom keeps profiles with the "
	  "filesystem backend" },
	{ "snuba_settings_module", "", "the Snuba settings module that "
	  "snuba/settings.py extends (releases that read TOPIC_PARTITION_COUNTS)" },
	{ "js_sdk_loader_url", "", "JS_SDK_LOADER_DEFAULT_SDK_URL as upstream's "
	  "example configuration sets it (\"\": Sentry's default, no loader)" },
	{ NULL, NULL, NULL }
};

static int
known_knob(const char *name)
{
	for (const struct knob *k = profile_knobs; k->name != NULL; k++)
		if (strcmp(k->name, name) == 0)
			return 1;
	return 0;
}

enum role
role_from_name(const char *name)
{
	for (int i = 0; name != NULL && role_names[i] != NULL; i++)
		if (strcmp(role_names[i], name) == 0)
			return (enum role)i;
	return ROLE_NONE;
}

static void profile_problem(const struct profile *p, struct err *e,
    const char *path, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
profile_problem(const struct profile *p, struct err *e, const char *path,
    const char *fmt, ...)
{
	char where[512], what[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	srcmap_where(&p->where, path, where, sizeof where);
	err_append(e, ERR_INPUT, "%s%s: %s", where, path, what);
}

static void
copy_strlist(struct strlist *dst, const struct strlist *src)
{
	for (size_t i = 0; i < src->n; i++)
		sl_add(dst, src->v[i]);
}

static void
take_str(char **dst, const char *src)
{
	if (*dst == NULL && src != NULL)
		*dst = xstrdup(src);
}

int
prof_health_kinds(const struct prof_health *h)
{
	return (h->http != NULL) + (h->file != NULL) + (h->exec.n > 0) +
	    (h->grpc == 1) + (h->tcp == 1);
}

static void
merge_health(struct prof_health *dst, const struct prof_health *src)
{
	if (prof_health_kinds(dst) > 0)
		return;
	take_str(&dst->http, src->http);
	take_str(&dst->file, src->file);
	copy_strlist(&dst->exec, &src->exec);
	if (dst->grpc == UNSET_BOOL)
		dst->grpc = src->grpc;
	if (dst->tcp == UNSET_BOOL)
		dst->tcp = src->tcp;
	if (dst->port == UNSET_INT)
		dst->port = src->port;
	if (dst->max_age == UNSET_INT)
		dst->max_age = src->max_age;
	if (dst->start_period == UNSET_INT)
		dst->start_period = src->start_period;
}

/* Fills what `s` leaves unset from template `t`; env and mounts add up. */
static void
merge_template(struct prof_service *s, const struct prof_service *t)
{
	struct kvlist env = { 0 };

	take_str(&s->image, t->image);
	take_str(&s->role, t->role);
	take_str(&s->features, t->features);
	take_str(&s->resources.cpu, t->resources.cpu);
	take_str(&s->resources.memory, t->resources.memory);
	if (s->entrypoint.n == 0)
		copy_strlist(&s->entrypoint, &t->entrypoint);
	if (s->args.n == 0)
		copy_strlist(&s->args, &t->args);
	if (s->replicas == UNSET_INT)
		s->replicas = t->replicas;
	if (s->celery == UNSET_BOOL)
		s->celery = t->celery;
	merge_health(&s->health, &t->health);
	for (size_t i = 0; i < t->env.n; i++)
		kv_add(&env, t->env.v[i].key, t->env.v[i].value);
	for (size_t i = 0; i < s->env.n; i++)
		kv_set(&env, s->env.v[i].key, s->env.v[i].value);
	kv_free(&s->env);
	s->env = env;
	for (size_t i = 0; i < t->mounts.n; i++)
		if (!sl_contains(&s->mounts, t->mounts.v[i]))
			sl_add(&s->mounts, t->mounts.v[i]);
}

static const struct prof_service *
find_in(const struct objlist *l, const char *name)
{
	for (size_t i = 0; name != NULL && i < l->n; i++) {
		const struct prof_service *s = OBJ_AT(l, sizeof *s, i);

		if (strcmp(s->name, name) == 0)
			return s;
	}
	return NULL;
}

static void
check_mounts(const struct profile *p, const struct prof_service *s,
    const char *path, struct err *e)
{
	for (size_t i = 0; i < s->mounts.n; i++) {
		const char *m = s->mounts.v[i], *colon = strchr(m, ':');
		char *vol = colon ? xstrndup(m, (size_t)(colon - m)) : xstrdup(m);

		if (colon == NULL || colon[1] != '/')
			profile_problem(p, e, path, "mount \"%s\": expected "
			    "VOLUME:/path or VOLUME:/path:ro", m);
		else if (profile_volume(p, vol) == NULL)
			profile_problem(p, e, path, "mount \"%s\": no volume "
			    "\"%s\" under volumes:", m, vol);
		else if (strcmp(profile_volume(p, vol)->kind, "per-replica") == 0 &&
		    role_from_name(s->role) != ROLE_STATEFUL_PER_REPLICA)
			profile_problem(p, e, path, "mount \"%s\": a per-replica "
			    "volume needs the stateful-per-replica role", m);
		free(vol);
	}
}

static void
check_health(const struct profile *p, const struct prof_service *s,
    const char *path, struct err *e)
{
	const struct prof_health *h = &s->health;
	int kinds = prof_health_kinds(h);

	if (kinds > 1)
		profile_problem(p, e, path, "health: give one of http, file, "
		    "exec, grpc or tcp");
	if ((h->http != NULL || h->grpc == 1 || h->tcp == 1) &&
	    h->port == UNSET_INT)
		profile_problem(p, e, path, "health: an http, grpc or tcp check "
		    "needs a port");
}

/* Checks one merged service; `group` is "services" or "migrations". */
static void
check_service(const struct profile *p, const struct prof_service *s,
    const char *group, struct err *e)
{
	char path[256];
	enum role role = role_from_name(s->role);

	snprintf(path, sizeof path, "%s.%s", group, s->name);
	if (role == ROLE_NONE) {
		const char *close = s->role ? suggest(s->role, role_names) : NULL;

		profile_problem(p, e, path, "role \"%s\" is not one of singleton, "
		    "partitioned-consumer, stateless-http, stateless-worker, "
		    "stateful-per-replica, job, scheduled%s%s%s", s->role ? s->role : "(none)",
		    close ? " (did you mean \"" : "", close ? close : "",
		    close ? "\"?)" : "");
	}
	if (s->image == NULL || kv_get(&p->images, s->image) == NULL)
		profile_problem(p, e, path, "image \"%s\" is not a key of images:",
		    s->image ? s->image : "(none)");
	if ((role == ROLE_SCHEDULED) != (s->schedule != NULL))
		profile_problem(p, e, path, "a schedule is required for, and only "
		    "for, the scheduled role");
	if (strspn(s->name, "abcdefghijklmnopqrstuvwxyz0123456789-") !=
	    strlen(s->name) || strlen(s->name) > 52)
		profile_problem(p, e, path, "service names are lower-case "
		    "letters, digits and '-' (at most 52)");
	check_mounts(p, s, path, e);
	if (s->cleans != NULL && (profile_volume(p, s->cleans) == NULL ||
	    (strcmp(profile_volume(p, s->cleans)->kind, "cache") != 0 &&
	    strcmp(profile_volume(p, s->cleans)->kind, "filestore") != 0)))
		profile_problem(p, e, path, "cleans: \"%s\" is not a cache or "
		    "filestore volume of volumes:", s->cleans);
	check_health(p, s, path, e);
}

static void
merge_group(struct profile *p, struct objlist *group, const char *gname,
    struct err *e)
{
	for (size_t i = 0; i < group->n; i++) {
		struct prof_service *s = OBJ_AT(group, sizeof *s, i);
		const struct prof_service *t = find_in(&p->templates, s->extends);
		char path[256];

		snprintf(path, sizeof path, "%s.%s.extends", gname, s->name);
		if (s->extends != NULL && t == NULL)
			profile_problem(p, e, path, "no template \"%s\" under "
			    "templates:", s->extends);
		else if (t != NULL)
			merge_template(s, t);
		if (strcmp(gname, "migrations") == 0) {
			free(s->role);
			s->role = xstrdup("job");
		}
		check_service(p, s, gname, e);
	}
}

int
profile_load(const char *path, struct profile *p, struct err *e)
{
	char *text;
	size_t len;
	int rc;

	memset(p, 0, sizeof *p);
	schema_init(profile_fields, p);
	if (fs_read_file(path, &text, &len, e) < 0)
		return -1;
	rc = profile_parse(text, len, path, p, e);
	free(text);
	return rc;
}

/* Every name a profile uses refers to something it defines: knobs the
 * templates read, images under images:, heartbeats that are file checks. */
static void
check_references(const struct profile *p, struct err *problems)
{
	for (size_t i = 0; i < p->config.n; i++) {
		char knob[300];

		snprintf(knob, sizeof knob, "config.%s", p->config.v[i].key);
		if (!known_knob(p->config.v[i].key))
			profile_problem(p, problems, knob, "unknown knob (the "
			    "templates read: see profile_knobs in "
			    "src/input/profile.c)");
	}
	for (size_t i = 0; i < p->image_facts.n; i++) {
		const struct prof_image *im = OBJ_AT(&p->image_facts, sizeof *im, i);
		char at[300];

		snprintf(at, sizeof at, "image_facts.%s", im->name);
		if (kv_get(&p->images, im->name) == NULL)
			profile_problem(p, problems, at, "not a key of images:");
	}
	for (size_t i = 0; i < p->heartbeats.n; i++) {
		const struct prof_heartbeat *hb = OBJ_AT(&p->heartbeats, sizeof *hb, i);
		char at[64];

		snprintf(at, sizeof at, "heartbeats[%zu]", i);
		/* A missing image is reported missing already. */
		if (hb->image != NULL && kv_get(&p->images, hb->image) == NULL)
			profile_problem(p, problems, at, "image \"%s\" is not a "
			    "key of images:", hb->image);
		if (hb->health.file == NULL || prof_health_kinds(&hb->health) != 1)
			profile_problem(p, problems, at, "health: a heartbeat "
			    "is a file check (file:) and nothing else");
	}
}

/* Sentry's feature flags are booleans, as sentry.conf.example.py has them. */
static void
check_feature_flags(const struct profile *p, struct err *problems)
{
	for (size_t i = 0; i < p->sentry_features.n; i++) {
		const char *v = p->sentry_features.v[i].value;
		char at[300];

		snprintf(at, sizeof at, "sentry_features.%s",
		    p->sentry_features.v[i].key);
		if (v == NULL || (strcmp(v, "true") != 0 && strcmp(v, "false") != 0))
			profile_problem(p, problems, at, "\"%s\" is not true or "
			    "false", v ? v : "");
	}
}

/* Snuba and Django name their migrations NNNN_what: anything else is a
 * typo that would make every upgrade check look incomplete. */
static int
is_migration_name(const char *v)
{
	return v != NULL && strlen(v) >= 6 && strspn(v, "0123456789") == 4 &&
	    v[4] == '_';
}

static void
check_migration_names(const struct profile *p, struct err *problems)
{
	for (size_t i = 0; i < p->snuba_migrations.n; i++) {
		const char *v = p->snuba_migrations.v[i].value;
		char at[300];

		snprintf(at, sizeof at, "snuba_migrations.%s",
		    p->snuba_migrations.v[i].key);
		if (!is_migration_name(v))
			profile_problem(p, problems, at, "expected a migration id "
			    "NNNN_name, got \"%s\"", v ? v : "");
	}
	if (p->sentry_migration_head != NULL &&
	    !is_migration_name(p->sentry_migration_head))
		profile_problem(p, problems, "sentry_migration_head", "expected "
		    "a migration name NNNN_name, got \"%s\"",
		    p->sentry_migration_head);
}

/* A successor is a service of this release, of a service it no longer
 * has and says why (former:). */
static void
check_successors(const struct profile *p, struct err *problems)
{
	for (size_t i = 0; i < p->successors.n; i++) {
		const struct kv *s = &p->successors.v[i];
		char at[300];

		snprintf(at, sizeof at, "successors.%s", s->key);
		if (kv_get(&p->former, s->key) == NULL)
			profile_problem(p, problems, at, "not a key of former:");
		if (s->value == NULL || profile_service(p, s->value) == NULL)
			profile_problem(p, problems, at, "\"%s\" is not a service "
			    "of this profile", s->value);
	}
}

int
profile_parse(const char *text, size_t len, const char *path,
    struct profile *p, struct err *e)
{
	struct ynode *root = NULL;
	struct err problems;
	struct decoder d = { path, &p->where, &problems, NULL };

	memset(p, 0, sizeof *p);
	schema_init(profile_fields, p);
	p->path = xstrdup(path);
	p->where.file = xstrdup(path);
	if (yaml_parse(text, len, path, 0, &root, e) < 0)
		return -1;
	if (root == NULL)
		return err_set(e, ERR_INPUT, "%s: the profile is empty", path);
	err_clear(&problems);
	schema_decode(profile_fields, p, root, "", &d);
	yn_free(root);
	check_references(p, &problems);
	check_feature_flags(p, &problems);
	profile_check_users(p, &problems);
	if (problems.kind == ERR_NONE) {
		merge_group(p, &p->services, "services", &problems);
		merge_group(p, &p->migrations, "migrations", &problems);
	}
	check_successors(p, &problems);
	check_migration_names(p, &problems);
	if (problems.kind != ERR_NONE) {
		*e = problems;
		return -1;
	}
	return 0;
}

void
profile_free(struct profile *p)
{
	schema_free(profile_fields, p);
	srcmap_free(&p->where);
	free(p->path);
	p->path = NULL;
}

const struct prof_service *
profile_service(const struct profile *p, const char *name)
{
	return find_in(&p->services, name);
}

const struct prof_volume *
profile_volume(const struct profile *p, const char *name)
{
	for (size_t i = 0; i < p->volumes.n; i++) {
		const struct prof_volume *v = OBJ_AT(&p->volumes, sizeof *v, i);

		if (strcmp(v->name, name) == 0)
			return v;
	}
	return NULL;
}

const struct prof_image *
profile_image(const struct profile *p, const char *key)
{
	for (size_t i = 0; key != NULL && i < p->image_facts.n; i++) {
		const struct prof_image *im = OBJ_AT(&p->image_facts, sizeof *im, i);

		if (strcmp(im->name, key) == 0)
			return im;
	}
	return NULL;
}

size_t
profile_service_count(const struct profile *p, const char *features)
{
	size_t n = 0;

	for (size_t i = 0; i < p->services.n; i++) {
		const struct prof_service *s = OBJ_AT(&p->services, sizeof *s, i);

		/* Services the answers must ask for are not the release's. */
		if (s->when == NULL && (s->features == NULL || features == NULL ||
		    strcmp(s->features, features) == 0))
			n++;
	}
	return n;
}

enum carry
profile_carry(const struct profile *p, const struct ynode *services,
    const char *name, const char **to)
{
	*to = NULL;
	if (profile_service(p, name) != NULL)
		return CARRY_KEEP;
	*to = kv_get(&p->successors, name);
	if (*to != NULL && (services == NULL || yn_get(services, *to) == NULL))
		return CARRY_MOVE;
	*to = NULL;
	return CARRY_DROP;
}
