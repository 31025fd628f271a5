#include "ynode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct ynode *
node_new(enum ykind kind)
{
	struct ynode *n = xcalloc(1, sizeof *n);

	n->kind = kind;
	return n;
}

struct ynode *
yn_map(void)
{
	return node_new(Y_MAP);
}

struct ynode *
yn_seq(void)
{
	return node_new(Y_SEQ);
}

static struct ynode *
scalar(const char *s, enum ytype type)
{
	struct ynode *n = node_new(Y_SCALAR);

	n->text = xstrdup(s ? s : "");
	n->type = type;
	return n;
}

struct ynode *
yn_str(const char *s)
{
	return scalar(s, YT_STR);
}

struct ynode *
yn_quoted(const char *s)
{
	return scalar(s, YT_QUOTED);
}

struct ynode *
yn_block(const char *s)
{
	return scalar(s, YT_BLOCK);
}

struct ynode *
yn_int(long v)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%ld", v);
	return scalar(buf, YT_RAW);
}

struct ynode *
yn_bool(int v)
{
	return scalar(v ? "true" : "false", YT_RAW);
}

struct ynode *
yn_strseq(const struct strlist *l)
{
	struct ynode *seq = yn_seq();

	for (size_t i = 0; i < l->n; i++)
		yn_seq_add(seq, yn_str(l->v[i]));
	return seq;
}

struct ynode *
yn_map_set(struct ynode *map, const char *key, struct ynode *val)
{
	map->pairs = xgrow(map->pairs, &map->cap, map->n + 1, sizeof *map->pairs);
	map->pairs[map->n].key = xstrdup(key);
	map->pairs[map->n].line = 0;
	map->pairs[map->n].col = 0;
	map->pairs[map->n].val = val;
	map->n++;
	return val;
}

struct ynode *
yn_seq_add(struct ynode *seq, struct ynode *val)
{
	seq->items = xgrow(seq->items, &seq->cap, seq->n + 1, sizeof *seq->items);
	seq->items[seq->n++] = val;
	return val;
}

void
yn_set_str(struct ynode *map, const char *key, const char *s)
{
	yn_map_set(map, key, yn_str(s));
}

void
yn_set_int(struct ynode *map, const char *key, long v)
{
	yn_map_set(map, key, yn_int(v));
}

struct ynode *
yn_set_map(struct ynode *map, const char *key)
{
	return yn_map_set(map, key, yn_map());
}

struct ynode *
yn_set_seq(struct ynode *map, const char *key)
{
	return yn_map_set(map, key, yn_seq());
}

struct ynode *
yn_get(const struct ynode *map, const char *key)
{
	if (map == NULL || map->kind != Y_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (strcmp(map->pairs[i].key, key) == 0)
			return map->pairs[i].val;
	return NULL;
}

struct ynode *
yn_path(const struct ynode *root, const char *dotted)
{
	char key[256];
	const struct ynode *cur = root;

	while (cur != NULL && *dotted != '\0') {
		size_t n = strcspn(dotted, ".");

		if (n >= sizeof key)
			return NULL;
		memcpy(key, dotted, n);
		key[n] = '\0';
		cur = yn_get(cur, key);
		dotted += n;
		if (*dotted == '.')
			dotted++;
	}
	return (struct ynode *)cur;
}

const char *
yn_path_text(const struct ynode *root, const char *dotted)
{
	const struct ynode *n = yn_path(root, dotted);

	return n != NULL && n->kind == Y_SCALAR ? n->text : NULL;
}

struct ynode *
yn_copy(const struct ynode *src)
{
	struct ynode *n = node_new(src->kind);

	n->type = src->type;
	n->line = src->line;
	n->col = src->col;
	n->quoted = src->quoted;
	n->text = xstrdup(src->text);
	for (size_t i = 0; i < src->n; i++) {
		if (src->kind == Y_SEQ) {
			yn_seq_add(n, yn_copy(src->items[i]));
		} else if (src->kind == Y_MAP) {
			yn_map_set(n, src->pairs[i].key, yn_copy(src->pairs[i].val));
			n->pairs[i].line = src->pairs[i].line;
			n->pairs[i].col = src->pairs[i].col;
		}
	}
	return n;
}

void
yn_keep_plain(struct ynode *n)
{
	if (n->kind == Y_SCALAR && !n->quoted && n->line > 0)
		n->type = YT_RAW;
	for (size_t i = 0; n->kind == Y_SEQ && i < n->n; i++)
		yn_keep_plain(n->items[i]);
	for (size_t i = 0; n->kind == Y_MAP && i < n->n; i++)
		yn_keep_plain(n->pairs[i].val);
}

int
yn_equal(const struct ynode *a, const struct ynode *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	if (a->kind != b->kind || a->n != b->n)
		return 0;
	if (a->kind == Y_SCALAR)
		return strcmp(a->text ? a->text : "", b->text ? b->text : "") == 0;
	for (size_t i = 0; i < a->n; i++)
		if (a->kind == Y_SEQ ? !yn_equal(a->items[i], b->items[i]) :
		    !yn_equal(a->pairs[i].val, yn_get(b, a->pairs[i].key)))
			return 0;
	return 1;
}

size_t
yn_count(const struct ynode *n)
{
	size_t count = 1;

	if (n == NULL)
		return 0;
	for (size_t i = 0; i < n->n; i++)
		count += yn_count(n->kind == Y_SEQ ? n->items[i] : n->pairs[i].val);
	return count;
}

void
yn_free(struct ynode *n)
{
	if (n == NULL)
		return;
	for (size_t i = 0; i < n->n; i++) {
		if (n->kind == Y_SEQ) {
			yn_free(n->items[i]);
		} else if (n->kind == Y_MAP) {
			free(n->pairs[i].key);
			yn_free(n->pairs[i].val);
		}
	}
	free(n->items);
	free(n->pairs);
	free(n->text);
	free(n);
}

const char *
yn_kind_name(enum ykind k)
{
	switch (k) {
	case Y_SCALAR:
		return "a single value";
	case Y_SEQ:
		return "a list";
	case Y_MAP:
		return "a mapping";
	}
	return "?";
}

struct ynode *
yn_map_put(struct ynode *map, const char *key, struct ynode *val)
{
	for (size_t i = 0; i < map->n; i++) {
		if (strcmp(map->pairs[i].key, key) == 0) {
			yn_free(map->pairs[i].val);
			map->pairs[i].val = val;
			return val;
		}
	}
	return yn_map_set(map, key, val);
}

void
yn_map_del(struct ynode *map, const char *key)
{
	for (size_t i = 0; i < map->n; i++) {
		if (strcmp(map->pairs[i].key, key) != 0)
			continue;
		free(map->pairs[i].key);
		yn_free(map->pairs[i].val);
		memmove(&map->pairs[i], &map->pairs[i + 1],
		    (map->n - i - 1) * sizeof *map->pairs);
		map->n--;
		return;
	}
}
