/*
 * Field lookups by dotted path, and the defaults of the field tables
 * (schema.h): what answers_resolve fills in once, for every output alike.
 */
#include "schema.h"

#include <string.h>

#include "xmem.h"

#define FIELD_PTR(obj, f)	((void *)((char *)(obj) + (f)->off))

/* The field below `fields` at one segment of a path; the segment ends at
 * '.', and a list's "[N]" belongs to it. */
static const struct field *
field_at(const struct field *fields, const char *path)
{
	size_t len = strcspn(path, ".[");
	const char *next = path + strcspn(path, ".");
	const struct field *f = NULL;
	const struct table *t;

	for (const struct field *c = fields; c->key != NULL && f == NULL; c++)
		if (strlen(c->key) == len && strncmp(c->key, path, len) == 0)
			f = c;
	if (f == NULL || *next == '\0')
		return f;
	next++;
	if (f->type == FT_DICT) {	/* "services.web.replicas": past "web" */
		next += strcspn(next, ".");
		if (*next++ == '\0')
			return NULL;
	}
	if (f->type != FT_MAP && f->type != FT_LIST && f->type != FT_DICT)
		return NULL;
	t = f->aux;
	return field_at(t->fields, next);
}

const struct field *
schema_field_at(const struct field *fields, const char *path)
{
	return field_at(fields, path);
}

/* Sets one unset field from its default, decoded as if it were written:
 * a table of that field alone, and a mapping of its key to the default. */
static void
fill_default(const struct field *f, void *obj)
{
	struct field one[2] = { *f, { NULL, 0, 0, NULL, 0, NULL, NULL } };
	struct decoder d = { NULL, NULL, NULL, NULL };
	struct ynode *map;
	struct err e;

	if (f->def == NULL)
		return;
	err_clear(&e);
	d.e = &e;
	map = yn_map();
	yn_set_str(map, f->key, f->def);
	/* The tables are tested to hold valid defaults (test_answers.c). */
	if (schema_decode(one, obj, map, "", &d) < 0)
		fatal("the default of %s is no valid value of it: %s", f->key,
		    e.msg);
	yn_free(map);
}

static int
is_unset(const struct field *f, const void *p)
{
	switch (f->type) {
	case FT_INT:
		return *(const long *)p == UNSET_INT;
	case FT_BOOL:
		return *(const int *)p == UNSET_BOOL;
	case FT_STR:
	case FT_ENUM:
		return *(char *const *)p == NULL;
	case FT_STRLIST:
	case FT_HOSTPORTS:
	case FT_ARGV:
		return ((const struct strlist *)p)->n == 0;
	default:
		return 0;
	}
}

void
schema_fill_defaults(const struct field *fields, void *obj)
{
	for (const struct field *f = fields; f->key != NULL; f++) {
		void *p = FIELD_PTR(obj, f);
		const struct table *t = f->aux;

		if (f->type == FT_MAP) {
			schema_fill_defaults(t->fields, p);
		} else if (f->type == FT_LIST || f->type == FT_DICT) {
			struct objlist *l = p;

			for (size_t i = 0; i < l->n; i++)
				schema_fill_defaults(t->fields, OBJ_AT(l, t->size, i));
		} else if (is_unset(f, p)) {
			fill_default(f, obj);
		}
	}
}
