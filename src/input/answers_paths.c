/*
 * Which answers the operator set to something other than their default:
 * what the output must own up to when it ignores one (rule
 * answer-ignored). Walks the answers as they would be saved, so a
 * value the table's default already gives ("network_policy: false") counts
 * as not set, as it changes nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "answers.h"

/* A scalar equal to the default changes nothing, nor does "" where it
 * stands for the default; a list, a mapping or a secret is saved only when
 * it holds something, and no default is one. */
static int
differs_from_default(const struct field *f, const struct ynode *value)
{
	if (value->kind != Y_SCALAR)
		return 1;
	if ((f->flags & F_EMPTY_DEFAULT) && value->text[0] == '\0')
		return 0;
	return f->def == NULL || strcmp(value->text, f->def) != 0;
}

static void walk_map(const struct field *fields, const struct ynode *map,
    const char *prefix, struct strlist *out);

static void
walk_value(const struct field *f, const struct ynode *value, const char *path,
    struct strlist *out)
{
	const struct table *t = f->aux;
	char *elem;

	switch (f->type) {
	case FT_MAP:
		walk_map(t->fields, value, path, out);
		break;
	case FT_DICT:	/* services.web.max_replicas */
		for (size_t i = 0; value->kind == Y_MAP && i < value->n; i++) {
			elem = xasprintf("%s.%s", path, value->pairs[i].key);
			walk_map(t->fields, value->pairs[i].val, elem, out);
			free(elem);
		}
		break;
	case FT_LIST:	/* hosts[0].roles, target.tolerations[1].effect */
		for (size_t i = 0; value->kind == Y_SEQ && i < value->n; i++) {
			elem = xasprintf("%s[%zu]", path, i);
			walk_map(t->fields, value->items[i], elem, out);
			free(elem);
		}
		break;
	default:
		if (differs_from_default(f, value))
			sl_add(out, path);
	}
}

static void
walk_map(const struct field *fields, const struct ynode *map,
    const char *prefix, struct strlist *out)
{
	for (size_t i = 0; map->kind == Y_MAP && i < map->n; i++) {
		const struct field *f = schema_field_at(fields,
		    map->pairs[i].key);
		char *path;

		if (f == NULL)
			continue;
		path = xasprintf("%s%s%s", prefix, prefix[0] ? "." : "",
		    map->pairs[i].key);
		walk_value(f, map->pairs[i].val, path, out);
		free(path);
	}
}

void
answers_set_paths(const struct answers *a, struct strlist *out)
{
	struct ynode *doc = schema_encode(answers_fields, a);

	walk_map(answers_fields, doc, "", out);
	yn_free(doc);
}
