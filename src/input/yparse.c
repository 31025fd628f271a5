/* YAML text -> struct ynode tree, through libyaml's event parser. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "fsutil.h"
#include "strmap.h"
#include "ynode.h"

#define MAX_DEPTH	64
#define MAX_NODES	100000

struct frame {
	struct ynode	*node;
	char		*key;		/* pending mapping key, owned */
	int		 key_line, key_col;
	struct strmap	 keys;		/* a mapping's keys -> pair index + 1 */
};

struct builder {
	const char	*name;
	int		 flags;
	struct ynode	*docs;		/* sequence of finished documents */
	struct ynode	*keys;		/* mapping-key nodes, freed at the end */
	struct frame	 stack[MAX_DEPTH + 1];
	int		 depth;
	struct strmap	 anchors;	/* name -> node (the newest wins, as
					 * YAML allows redefining an anchor) */
	size_t		 nodes;		/* created so far, copies included */
	struct err	*e;
};

static int fail_at(struct builder *b, const yaml_mark_t *m, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
fail_at(struct builder *b, const yaml_mark_t *m, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return err_set(b->e, ERR_INPUT, "%s:%zu:%zu: %s", b->name, m->line + 1,
	    m->column + 1, what);
}

static void
remember_anchor(struct builder *b, const yaml_char_t *anchor, struct ynode *n)
{
	if (anchor != NULL)
		strmap_put(&b->anchors, (const char *)anchor, n);
}

/* Places a finished (or just opened) node into its parent. Takes `n`. */
static int
attach(struct builder *b, struct ynode *n, const yaml_mark_t *m)
{
	struct frame *top;

	if (b->depth == 0) {
		yn_seq_add(b->docs, n);
		return 0;
	}
	top = &b->stack[b->depth - 1];
	if (top->node->kind == Y_SEQ) {
		yn_seq_add(top->node, n);
		return 0;
	}
	if (top->key == NULL) {
		if (n->kind != Y_SCALAR) {
			yn_free(n);
			return fail_at(b, m, "a mapping key must be a single "
			    "value, not a list or mapping");
		}
		/* The pair's index + 1, so that the first pair is not NULL. */
		size_t at = (size_t)strmap_get(&top->keys, n->text, NULL);

		if (at != 0) {
			fail_at(b, m, "duplicate key \"%.200s\" (first defined at "
			    "line %d)", n->text, top->node->pairs[at - 1].line);
			yn_free(n);
			return -1;
		}
		top->key = xstrdup(n->text);
		top->key_line = n->line;
		top->key_col = n->col;
		/* Kept until the end: an anchor may point at this key. */
		yn_seq_add(b->keys, n);
		return 0;
	}
	yn_map_set(top->node, top->key, n);
	strmap_put(&top->keys, top->key, (void *)top->node->n);
	top->node->pairs[top->node->n - 1].line = top->key_line;
	top->node->pairs[top->node->n - 1].col = top->key_col;
	free(top->key);
	top->key = NULL;
	return 0;
}

static int
count_node(struct builder *b, size_t more, int alias, const yaml_mark_t *m)
{
	b->nodes += more;
	if (b->nodes <= MAX_NODES)
		return 0;
	if (alias)
		return fail_at(b, m, "aliases expand the document to more than "
		    "%d values (aliases referring to aliases?); refusing to load "
		    "it", MAX_NODES);
	return fail_at(b, m, "the document holds more than %d values, far more "
	    "than an answers file or a profile needs; refusing to load it",
	    MAX_NODES);
}

static struct ynode *
node_at(enum ykind kind, const yaml_mark_t *m)
{
	struct ynode *n = kind == Y_MAP ? yn_map() : yn_seq();

	n->line = (int)m->line + 1;
	n->col = (int)m->column + 1;
	return n;
}

/*
 * Only the tags that restate what the node already is are accepted. Any
 * other tag would be dropped silently, and `password: !S3cret` would lose
 * the password; the tag itself is not echoed, since it may be one.
 */
static int
check_tag(struct builder *b, const yaml_char_t *tag, const char *plain,
    const yaml_mark_t *mark)
{
	if (tag == NULL || strcmp((const char *)tag, plain) == 0)
		return 0;
	return fail_at(b, mark, "YAML tags (!name) are not supported; quote a "
	    "value that starts with !");
}

static int
on_scalar(struct builder *b, const yaml_event_t *ev)
{
	struct ynode *n;

	if (check_tag(b, ev->data.scalar.tag, YAML_STR_TAG, &ev->start_mark) < 0 ||
	    count_node(b, 1, 0, &ev->start_mark) < 0)
		return -1;
	/* A C string would end at the NUL, and the rest be lost unseen. */
	if (memchr(ev->data.scalar.value, '\0', ev->data.scalar.length) != NULL)
		return fail_at(b, &ev->start_mark, "a value may not contain a NUL "
		    "character (\\0)");
	n = yn_str((const char *)ev->data.scalar.value);
	n->line = (int)ev->start_mark.line + 1;
	n->col = (int)ev->start_mark.column + 1;
	/* `!!str 1` is a string as surely as "1" is. */
	n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
	    ev->data.scalar.tag != NULL;
	remember_anchor(b, ev->data.scalar.anchor, n);
	return attach(b, n, &ev->start_mark);
}

static int
on_alias(struct builder *b, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	struct ynode *target = strmap_get(&b->anchors, name, NULL), *copy;

	if (target == NULL)
		return fail_at(b, &ev->start_mark, "unknown alias (a value "
		    "that starts with * must be quoted)");
	if (count_node(b, yn_count(target), 1, &ev->start_mark) < 0)
		return -1;
	copy = yn_copy(target);
	copy->line = (int)ev->start_mark.line + 1;
	copy->col = (int)ev->start_mark.column + 1;
	return attach(b, copy, &ev->start_mark);
}

static int
on_open(struct builder *b, const yaml_event_t *ev, enum ykind kind)
{
	const yaml_char_t *anchor = kind == Y_MAP ?
	    ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
	const yaml_char_t *tag = kind == Y_MAP ?
	    ev->data.mapping_start.tag : ev->data.sequence_start.tag;
	struct ynode *n;

	if (check_tag(b, tag, kind == Y_MAP ? YAML_MAP_TAG : YAML_SEQ_TAG,
	    &ev->start_mark) < 0)
		return -1;
	if (b->depth >= MAX_DEPTH)
		return fail_at(b, &ev->start_mark,
		    "nesting deeper than %d levels", MAX_DEPTH);
	if (count_node(b, 1, 0, &ev->start_mark) < 0)
		return -1;
	n = node_at(kind, &ev->start_mark);
	remember_anchor(b, anchor, n);
	memset(&b->stack[b->depth], 0, sizeof b->stack[b->depth]);
	b->stack[b->depth].node = n;
	b->depth++;
	return 0;
}

static int
on_close(struct builder *b, const yaml_event_t *ev)
{
	struct ynode *n = b->stack[--b->depth].node;

	strmap_free(&b->stack[b->depth].keys);
	return attach(b, n, &ev->start_mark);
}

static int
on_document_start(struct builder *b, const yaml_event_t *ev)
{
	if (!(b->flags & YP_MULTI) && b->docs->n > 0)
		return fail_at(b, &ev->start_mark, "expected a single YAML "
		    "document, found a second one");
	return 0;
}

static int
on_document_end(struct builder *b)
{
	/* An empty document produces no node; keep the slot so that
	 * documents stay numbered as in the file. */
	(void)b;
	return 0;
}

static int
handle(struct builder *b, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return on_scalar(b, ev);
	case YAML_ALIAS_EVENT:
		return on_alias(b, ev);
	case YAML_MAPPING_START_EVENT:
		return on_open(b, ev, Y_MAP);
	case YAML_SEQUENCE_START_EVENT:
		return on_open(b, ev, Y_SEQ);
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		return on_close(b, ev);
	case YAML_DOCUMENT_START_EVENT:
		return on_document_start(b, ev);
	case YAML_DOCUMENT_END_EVENT:
		return on_document_end(b);
	default:
		return 0;
	}
}

static void
builder_free(struct builder *b)
{
	strmap_free(&b->anchors);
	while (b->depth > 0) {
		b->depth--;
		free(b->stack[b->depth].key);
		strmap_free(&b->stack[b->depth].keys);
		yn_free(b->stack[b->depth].node);
	}
	yn_free(b->docs);
	yn_free(b->keys);
}

static int
parser_error(struct builder *b, const yaml_parser_t *p)
{
	const yaml_mark_t *m = p->problem ? &p->problem_mark : &p->mark;

	if (p->context != NULL)
		return err_set(b->e, ERR_INPUT, "%s:%zu:%zu: invalid YAML: %s %s",
		    b->name, m->line + 1, m->column + 1, p->problem ? p->problem :
		    "syntax error", p->context);
	return err_set(b->e, ERR_INPUT, "%s:%zu:%zu: invalid YAML: %s", b->name,
	    m->line + 1, m->column + 1, p->problem ? p->problem : "syntax error");
}

int
yaml_parse(const char *text, size_t len, const char *name, int flags,
    struct ynode **root, struct err *e)
{
	struct builder b = { 0 };
	yaml_parser_t parser;
	yaml_event_t ev;
	int rc = 0, done = 0;

	*root = NULL;
	b.name = name;
	b.flags = flags;
	b.e = e;
	b.docs = yn_seq();
	b.keys = yn_seq();
	if (!yaml_parser_initialize(&parser)) {
		builder_free(&b);
		return err_set(e, ERR_IO, "%s: cannot initialise the YAML parser", name);
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (!done && rc == 0) {
		if (!yaml_parser_parse(&parser, &ev)) {
			rc = parser_error(&b, &parser);
			break;
		}
		rc = handle(&b, &ev);
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	if (rc == 0) {
		if (flags & YP_MULTI) {
			*root = b.docs;
			b.docs = NULL;
		} else if (b.docs->n > 0) {
			*root = b.docs->items[0];
			b.docs->n = 0;
		}
	}
	builder_free(&b);
	return rc;
}

int
yaml_parse_file(const char *path, int flags, struct ynode **root, struct err *e)
{
	char *text;
	size_t len;
	int rc;

	if (fs_read_file(path, &text, &len, e) < 0)
		return -1;
	rc = yaml_parse(text, len, path, flags, root, e);
	free(text);
	return rc;
}
