/* struct ynode tree -> YAML text, through libyaml's emitter (which does the
 * quoting and escaping of arbitrary text correctly). */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "fsutil.h"
#include "ynode.h"

/* Words that YAML 1.1 readers (go-yaml among them) take for booleans or null. */
static const char *const special_words[] = {
	"y", "yes", "n", "no", "true", "false", "on", "off", "null", "~", NULL
};

/*
 * May `s` be written unquoted and still read back as the same string by
 * every YAML reader? Conservative on purpose: anything that could look like
 * a number, boolean, null, date or indicator is quoted.
 */
static int
plain_is_safe(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '/' ||
	    s[0] == '_'))
		return 0;
	if (s[len - 1] == ' ' || s[len - 1] == ':')
		return 0;
	for (const char *const *w = special_words; *w != NULL; w++)
		if (strcasecmp(s, *w) == 0)
			return 0;
	for (const char *p = s; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && strchr("_./@%+=,-:() ", *p) == NULL)
			return 0;
		if ((*p == ':' || *p == ' ') && (p[1] == ' ' || p[1] == '#'))
			return 0;
	}
	return 1;
}

struct emit_ctx {
	yaml_emitter_t	 em;
	yaml_event_t	 ev;
	struct err	*e;
};

/* `initialized` is what libyaml's *_event_initialize returned: it refuses
 * text that is not UTF-8, and the event must then not be emitted. */
static int
emit_event(struct emit_ctx *c, int initialized)
{
	if (!initialized)
		return err_set(c->e, ERR_IO, "YAML emitter: a value is not "
		    "valid UTF-8 text");
	if (!yaml_emitter_emit(&c->em, &c->ev))
		return err_set(c->e, ERR_IO, "YAML emitter: %s",
		    c->em.problem ? c->em.problem : "failed");
	return 0;
}

static int
emit_scalar(struct emit_ctx *c, const char *text, enum ytype type)
{
	yaml_scalar_style_t style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	int ok;

	if (type == YT_RAW || (type == YT_STR && plain_is_safe(text)))
		style = YAML_PLAIN_SCALAR_STYLE;
	else if (type == YT_BLOCK && strchr(text, '\n') != NULL)
		style = YAML_LITERAL_SCALAR_STYLE;
	ok = yaml_scalar_event_initialize(&c->ev, NULL, NULL,
	    (yaml_char_t *)(uintptr_t)text, (int)strlen(text), 1, 1, style);
	return emit_event(c, ok);
}

static int
emit_node(struct emit_ctx *c, const struct ynode *n)
{
	size_t i;
	int ok;

	switch (n->kind) {
	case Y_SCALAR:
		return emit_scalar(c, n->text, n->type);
	case Y_SEQ:
		ok = yaml_sequence_start_event_initialize(&c->ev, NULL, NULL, 1,
		    n->n ? YAML_BLOCK_SEQUENCE_STYLE : YAML_FLOW_SEQUENCE_STYLE);
		if (emit_event(c, ok) < 0)
			return -1;
		for (i = 0; i < n->n; i++)
			if (emit_node(c, n->items[i]) < 0)
				return -1;
		ok = yaml_sequence_end_event_initialize(&c->ev);
		return emit_event(c, ok);
	case Y_MAP:
		ok = yaml_mapping_start_event_initialize(&c->ev, NULL, NULL, 1,
		    n->n ? YAML_BLOCK_MAPPING_STYLE : YAML_FLOW_MAPPING_STYLE);
		if (emit_event(c, ok) < 0)
			return -1;
		for (i = 0; i < n->n; i++) {
			if (emit_scalar(c, n->pairs[i].key, YT_STR) < 0 ||
			    emit_node(c, n->pairs[i].val) < 0)
				return -1;
		}
		ok = yaml_mapping_end_event_initialize(&c->ev);
		return emit_event(c, ok);
	}
	return 0;
}

static int
write_to_strbuf(void *data, unsigned char *buffer, size_t size)
{
	sb_addn(data, (const char *)buffer, size);
	return 1;
}

static int
emit_document(struct emit_ctx *c, const struct ynode *doc, int explicit_start)
{
	int ok;

	ok = yaml_document_start_event_initialize(&c->ev, NULL, NULL, NULL,
	    !explicit_start);
	if (emit_event(c, ok) < 0 || emit_node(c, doc) < 0)
		return -1;
	ok = yaml_document_end_event_initialize(&c->ev, 1);
	return emit_event(c, ok);
}

int
yaml_emit(const struct ynode *doc, int flags, struct strbuf *out, struct err *e)
{
	struct emit_ctx c = { .e = e };
	int rc = 0, ok;

	if (!yaml_emitter_initialize(&c.em))
		return err_set(e, ERR_IO, "cannot initialise the YAML emitter");
	yaml_emitter_set_output(&c.em, write_to_strbuf, out);
	yaml_emitter_set_unicode(&c.em, 1);
	yaml_emitter_set_width(&c.em, -1);
	yaml_emitter_set_indent(&c.em, 2);
	ok = yaml_stream_start_event_initialize(&c.ev, YAML_UTF8_ENCODING);
	rc = emit_event(&c, ok);
	if (flags & YP_MULTI) {
		for (size_t i = 0; rc == 0 && i < doc->n; i++)
			rc = emit_document(&c, doc->items[i], 1);
	} else if (rc == 0) {
		rc = emit_document(&c, doc, 0);
	}
	if (rc == 0) {
		ok = yaml_stream_end_event_initialize(&c.ev);
		rc = emit_event(&c, ok);
	}
	if (rc == 0 && !yaml_emitter_flush(&c.em))
		rc = err_set(e, ERR_IO, "YAML emitter: cannot flush");
	yaml_emitter_delete(&c.em);
	return rc;
}

int
yaml_save(const char *path, const char *header, const struct ynode *doc,
    mode_t mode, struct err *e)
{
	struct strbuf out = STRBUF_INIT;
	int rc;

	sb_add(&out, header);
	rc = yaml_emit(doc, 0, &out, e);
	if (rc == 0)
		rc = fs_write_atomic(path, out.s, out.len, mode, e);
	sb_free(&out);
	return rc;
}
