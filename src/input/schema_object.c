/* Field-table objects: setting them to "unset", freeing what they own, and
 * encoding them back to YAML (schema.h). */
#include "schema.h"

#include <stdlib.h>
#include <string.h>

#define FIELD_PTR(obj, f)	((void *)((char *)(obj) + (f)->off))
#define FIELD_CPTR(obj, f)	((const void *)((const char *)(obj) + (f)->off))

void
schema_init(const struct field *fields, void *obj)
{
	for (const struct field *f = fields; f->key != NULL; f++) {
		void *p = FIELD_PTR(obj, f);

		if (f->type == FT_INT)
			*(long *)p = UNSET_INT;
		else if (f->type == FT_BOOL)
			*(int *)p = UNSET_BOOL;
		else if (f->type == FT_MAP)
			schema_init(((const struct table *)f->aux)->fields, p);
	}
}

static void
free_elements(const struct table *t, struct objlist *l, int dict)
{
	for (size_t i = 0; i < l->n; i++) {
		void *elem = OBJ_AT(l, t->size, i);

		if (dict)
			free(*(char **)elem);
		schema_free(t->fields, elem);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void
schema_free(const struct field *fields, void *obj)
{
	for (const struct field *f = fields; f->key != NULL; f++) {
		void *p = FIELD_PTR(obj, f);

		switch (f->type) {
		case FT_STR:
		case FT_ENUM:
			free(*(char **)p);
			*(char **)p = NULL;
			break;
		case FT_SECRET:
			secret_free(p);
			break;
		case FT_STRLIST:
		case FT_HOSTPORTS:
		case FT_ARGV:
			sl_free(p);
			break;
		case FT_KV:
			kv_free(p);
			break;
		case FT_MAP:
			schema_free(((const struct table *)f->aux)->fields, p);
			break;
		case FT_LIST:
		case FT_DICT:
			free_elements(f->aux, p, f->type == FT_DICT);
			break;
		case FT_INT:
		case FT_BOOL:
			break;
		}
	}
}

static struct ynode *
encode_secret(const struct secret *s)
{
	struct ynode *m;

	if (s->kind == SECRET_PLAIN)
		return yn_quoted(s->value);
	m = yn_map();
	yn_set_str(m, s->kind == SECRET_ENV ? "env" : "file", s->value);
	return m;
}

static struct ynode *
encode_elements(const struct field *f, const struct objlist *l)
{
	const struct table *t = f->aux;
	struct ynode *out = f->type == FT_DICT ? yn_map() : yn_seq();

	for (size_t i = 0; i < l->n; i++) {
		const void *elem = OBJ_AT(l, t->size, i);
		struct ynode *val = schema_encode(t->fields, elem);

		if (f->type == FT_DICT)
			yn_map_set(out, *(char *const *)elem, val);
		else
			yn_seq_add(out, val);
	}
	return out;
}

/* The node for one field, or NULL when the field is not set. */
static struct ynode *
encode_value(const struct field *f, const void *p)
{
	const struct strlist *sl = p;
	const struct kvlist *kv = p;
	struct ynode *n;

	switch (f->type) {
	case FT_STR:
	case FT_ENUM:
		return *(char *const *)p ? yn_str(*(char *const *)p) : NULL;
	case FT_INT:
		return *(const long *)p != UNSET_INT ? yn_int(*(const long *)p) : NULL;
	case FT_BOOL:
		return *(const int *)p != UNSET_BOOL ? yn_bool(*(const int *)p) : NULL;
	case FT_SECRET:
		return ((const struct secret *)p)->kind != SECRET_NONE ?
		    encode_secret(p) : NULL;
	case FT_STRLIST:
	case FT_HOSTPORTS:
	case FT_ARGV:
		return sl->n ? yn_strseq(sl) : NULL;
	case FT_KV:
		if (kv->n == 0)
			return NULL;
		n = yn_map();
		for (size_t i = 0; i < kv->n; i++)
			yn_set_str(n, kv->v[i].key, kv->v[i].value);
		return n;
	case FT_MAP:
		n = schema_encode(((const struct table *)f->aux)->fields, p);
		if (n->n == 0) {
			yn_free(n);
			return NULL;
		}
		return n;
	case FT_LIST:
	case FT_DICT:
		return ((const struct objlist *)p)->n ? encode_elements(f, p) : NULL;
	}
	return NULL;
}

struct ynode *
schema_encode(const struct field *fields, const void *obj)
{
	struct ynode *map = yn_map();

	for (const struct field *f = fields; f->key != NULL; f++) {
		struct ynode *val = encode_value(f, FIELD_CPTR(obj, f));

		if (val != NULL)
			yn_map_set(map, f->key, val);
	}
	return map;
}

void
secret_free(struct secret *s)
{
	free(s->value);
	s->value = NULL;
	s->kind = SECRET_NONE;
}
