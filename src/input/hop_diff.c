/*
 * What one hop changes (chain.h): the services, their roles, the images,
 * the configuration knobs and the middleware each release requires, from
 * the two profiles alone. Image tags change at every release; the diff
 * names an image once, not every service that runs it.
 */
#include "chain.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct prof_service *
service_at(const struct profile *p, size_t i)
{
	return OBJ_AT(&p->services, sizeof(struct prof_service), i);
}

static void __attribute__((format(printf, 2, 3)))
addf(struct strlist *l, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	sl_add_owned(l, sb_take(&sb));
}

/* Does `name` of b take over a service of a that b no longer has? */
static int
succeeds(const struct profile *a, const struct profile *b, const char *name)
{
	for (size_t i = 0; i < b->successors.n; i++)
		if (strcmp(b->successors.v[i].value, name) == 0 &&
		    profile_service(a, b->successors.v[i].key) != NULL)
			return 1;
	return 0;
}

static void
diff_services(const struct profile *a, const struct profile *b,
    struct hop_diff *d)
{
	for (size_t i = 0; i < b->services.n; i++) {
		const struct prof_service *s = service_at(b, i);
		const struct prof_service *was = profile_service(a, s->name);

		/* A successor is listed as the rename, not as new. */
		if (was == NULL && succeeds(a, b, s->name))
			continue;
		if (was == NULL && s->features != NULL)
			addf(&d->added, "%s (%s)", s->name, s->features);
		else if (was == NULL)
			addf(&d->added, "%s", s->name);
		else if (strcmp(was->role, s->role) != 0)
			addf(&d->roles, "%s: %s -> %s", s->name, was->role, s->role);
	}
	for (size_t i = 0; i < a->services.n; i++) {
		const struct prof_service *s = service_at(a, i);
		const char *to = kv_get(&b->successors, s->name);
		const char *why = kv_get(&b->former, s->name);

		if (profile_service(b, s->name) != NULL)
			continue;
		if (to != NULL)
			addf(&d->renamed, "%s -> %s", s->name, to);
		else
			addf(&d->removed, "%s%s%s", s->name, why ? ": " : "",
			    why ? why : "");
	}
}

static void
diff_kv(const struct kvlist *a, const struct kvlist *b, struct strlist *out)
{
	for (size_t i = 0; i < b->n; i++) {
		const char *was = kv_get(a, b->v[i].key);

		if (was == NULL)
			addf(out, "%s: (none) -> %s", b->v[i].key, b->v[i].value);
		else if (strcmp(was, b->v[i].value) != 0)
			addf(out, "%s: %s -> %s", b->v[i].key, was, b->v[i].value);
	}
	for (size_t i = 0; i < a->n; i++)
		if (kv_get(b, a->v[i].key) == NULL)
			addf(out, "%s: %s -> (none)", a->v[i].key, a->v[i].value);
}

static char *
range_text(const struct prof_range *r)
{
	if (r->min != NULL && r->max != NULL)
		return xasprintf("%s to %s", r->min, r->max);
	if (r->min != NULL)
		return xasprintf("%s or later", r->min);
	if (r->max != NULL)
		return xasprintf("up to %s", r->max);
	return xstrdup("any version");
}

static void
diff_range(const char *what, const struct prof_range *a,
    const struct prof_range *b, struct strlist *out)
{
	char *was = a ? range_text(a) : NULL, *now = range_text(b);

	if (was == NULL && strcmp(now, "any version") != 0)
		addf(out, "%s: %s", what, now);
	else if (was != NULL && strcmp(was, now) != 0)
		addf(out, "%s: %s -> %s", what, was, now);
	free(was);
	free(now);
}

static void
diff_requires(const struct profile *a, const struct profile *b,
    struct strlist *out)
{
	static const struct {
		const char	*what;
		size_t		 off;
	} ranges[] = {
		{ "PostgreSQL", offsetof(struct prof_requires, postgres) },
		{ "ClickHouse", offsetof(struct prof_requires, clickhouse) },
		{ "Redis", offsetof(struct prof_requires, redis) },
		{ "Kafka", offsetof(struct prof_requires, kafka) },
		{ "Memcached", offsetof(struct prof_requires, memcached) },
	};

	for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
		diff_range(ranges[i].what, a ? (const struct prof_range *)
		    ((const char *)&a->requires + ranges[i].off) : NULL,
		    (const struct prof_range *)((const char *)&b->requires +
		    ranges[i].off), out);
	if (a != NULL && a->requires.zookeeper != b->requires.zookeeper)
		addf(out, "ZooKeeper: %s -> %s", a->requires.zookeeper ?
		    "needed" : "not needed", b->requires.zookeeper ? "needed" :
		    "not needed");
}

void
hop_diff(const struct profile *a, const struct profile *b,
    struct hop_diff *out)
{
	memset(out, 0, sizeof *out);
	diff_requires(a, b, &out->requires);
	if (a == NULL)
		return;
	diff_services(a, b, out);
	diff_kv(&a->images, &b->images, &out->images);
	diff_kv(&a->config, &b->config, &out->knobs);
}

void
hop_diff_free(struct hop_diff *d)
{
	struct strlist *all[] = { &d->added, &d->removed, &d->renamed,
		&d->roles, &d->images, &d->knobs, &d->requires };

	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		sl_free(all[i]);
}

void
hop_diff_text(const struct hop_diff *d, struct strbuf *out)
{
	const struct {
		const char		*title;
		const struct strlist	*l;
	} parts[] = {
		{ "Services added", &d->added },
		{ "Services removed", &d->removed },
		{ "Services renamed (their replicas carry over)", &d->renamed },
		{ "Roles changed", &d->roles },
		{ "Images", &d->images },
		{ "Configuration", &d->knobs },
		{ "Middleware requirements", &d->requires },
	};

	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		if (parts[i].l->n == 0)
			continue;
		sb_printf(out, "### %s\n\n", parts[i].title);
		for (size_t j = 0; j < parts[i].l->n; j++)
			sb_printf(out, "- `%s`\n", parts[i].l->v[j]);
		sb_add(out, "\n");
	}
}
