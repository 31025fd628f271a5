/* The rest of the field-table machinery: defaults, freeing, encoding, and the
 * small value checks shared with the validators. */
#include "schema.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value_formats.h"

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

int
valid_env_name(const char *s)
{
	if (!(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	for (; *s != '\0'; s++)
		if (!(isalnum((unsigned char)*s) || *s == '_'))
			return 0;
	return 1;
}

int
parse_hostport(const char *s, char **host, long *port)
{
	const char *colon, *hend;
	char *end;
	long p;

	*host = NULL;
	if (s[0] == '[') {
		hend = strchr(s, ']');
		if (hend == NULL || hend[1] != ':')
			return -1;
		colon = hend + 1;
		s++;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL || memchr(s, ':', (size_t)(colon - s)) != NULL)
			return -1;
		hend = colon;
	}
	if (hend == s || colon[1] == '\0')
		return -1;
	p = strtol(colon + 1, &end, 10);
	if (*end != '\0' || p < 1 || p > 65535 || !isdigit((unsigned char)colon[1]))
		return -1;
	*host = xstrndup(s, (size_t)(hend - s));
	if (!valid_host(*host)) {
		free(*host);
		*host = NULL;
		return -1;
	}
	*port = p;
	return 0;
}

const struct srcpos *
srcmap_find(const struct srcmap *m, const char *path)
{
	if (m == NULL)
		return NULL;
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->v[i].path, path) == 0)
			return &m->v[i];
	return NULL;
}

const char *
srcmap_where(const struct srcmap *m, const char *path, char *buf, size_t size)
{
	const struct srcpos *p = srcmap_find(m, path);

	if (p != NULL)
		snprintf(buf, size, "%s:%d:%d: ", m->file, p->line, p->col);
	else if (m != NULL && m->file != NULL)
		snprintf(buf, size, "%s: ", m->file);
	else
		buf[0] = '\0';
	return buf;
}

void
srcmap_free(struct srcmap *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].path);
	free(m->v);
	free(m->file);
	memset(m, 0, sizeof *m);
}

void
srcmap_copy(struct srcmap *to, const struct srcmap *from)
{
	memset(to, 0, sizeof *to);
	to->file = xstrdup(from->file);
	to->v = xcalloc(from->n + 1, sizeof *to->v);
	for (size_t i = 0; i < from->n; i++) {
		to->v[i] = from->v[i];
		to->v[i].path = xstrdup(from->v[i].path);
	}
	to->n = to->cap = from->n;
}

void
kv_add(struct kvlist *l, const char *key, const char *value)
{
	l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n].key = xstrdup(key);
	l->v[l->n].value = xstrdup(value);
	l->n++;
}

void
kv_set(struct kvlist *l, const char *key, const char *value)
{
	for (size_t i = 0; i < l->n; i++) {
		if (strcmp(l->v[i].key, key) == 0) {
			free(l->v[i].value);
			l->v[i].value = xstrdup(value);
			return;
		}
	}
	kv_add(l, key, value);
}

const char *
kv_get(const struct kvlist *l, const char *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0)
			return l->v[i].value;
	return NULL;
}

void
kv_free(struct kvlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].value);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

void
secret_free(struct secret *s)
{
	free(s->value);
	s->value = NULL;
	s->kind = SECRET_NONE;
}
