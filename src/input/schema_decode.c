/* Decoding YAML into structs by field tables (see schema.h). */
#include "schema.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "suggest.h"
#include "value_formats.h"

#define FIELD_PTR(obj, f)	((void *)((char *)(obj) + (f)->off))

static int decode_value(const struct field *f, void *obj, const struct ynode *n,
    const char *path, struct decoder *d);

static int problem(struct decoder *d, const struct ynode *n, const char *path,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
problem(struct decoder *d, const struct ynode *n, const char *path,
    const char *fmt, ...)
{
	char what[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (d->paths != NULL)
		sl_add(d->paths, path);
	if (d->file == NULL)	/* a value typed in a form, not read from a file */
		return err_append(d->e, ERR_INPUT, "%s: %s", path, what);
	if (n != NULL && n->line > 0)
		return err_append(d->e, ERR_INPUT, "%s:%d:%d: %s: %s", d->file,
		    n->line, n->col, path, what);
	return err_append(d->e, ERR_INPUT, "%s: %s: %s", d->file, path, what);
}

static void
record(struct decoder *d, const char *path, int line, int col)
{
	struct srcmap *m = d->map;

	if (m == NULL)
		return;
	m->v = xgrow(m->v, &m->cap, m->n + 1, sizeof *m->v);
	m->v[m->n].path = xstrdup(path);
	m->v[m->n].line = line;
	m->v[m->n].col = col;
	m->n++;
}

/* A plain ~, null or empty value means "not given". */
static int
is_null(const struct ynode *n)
{
	return n->kind == Y_SCALAR && !n->quoted && (n->text[0] == '\0' ||
	    strcmp(n->text, "~") == 0 || strcasecmp(n->text, "null") == 0);
}

static const char *
shown(const struct ynode *n)
{
	return n->kind == Y_SCALAR ? n->text : yn_kind_name(n->kind);
}

static int
want_scalar(const struct ynode *n, const char *path, const char *expected,
    struct decoder *d)
{
	if (n->kind == Y_SCALAR)
		return 0;
	return problem(d, n, path, "expected %s, got %s", expected,
	    yn_kind_name(n->kind));
}

static int
check_string(const struct field *f, const struct ynode *n, const char *path,
    struct decoder *d)
{
	const char *s = n->text, *expected;

	if ((f->flags & (F_NONEMPTY | F_HOST)) && s[0] == '\0')
		return problem(d, n, path, "must not be empty");
	if ((f->flags & F_HOST) && strstr(s, "://") != NULL)
		return problem(d, n, path, "expected a host name or IP address, "
		    "not a URL (\"%s\")", s);
	if ((expected = format_mismatch(f->flags, s)) != NULL)
		return problem(d, n, path, "expected %s, got \"%s\"", expected, s);
	return 0;
}

static int
decode_int(const struct field *f, long *out, const struct ynode *n,
    const char *path, struct decoder *d)
{
	const struct int_range *r = f->aux;
	char *end;
	long v;

	if (want_scalar(n, path, "an integer", d) < 0)
		return -1;
	errno = 0;
	v = strtol(n->text, &end, 10);
	if (n->text[0] == '\0' || *end != '\0' || errno != 0 ||
	    isspace((unsigned char)n->text[0]))
		return problem(d, n, path, "expected an integer, got \"%s\"",
		    n->text);
	if (r != NULL && (v < r->min || v > r->max))
		return problem(d, n, path, "expected an integer from %ld to %ld, "
		    "got %ld", r->min, r->max, v);
	*out = v;
	return 0;
}

static int
decode_bool(int *out, const struct ynode *n, const char *path,
    struct decoder *d)
{
	static const char *const yes[] = { "true", "yes", NULL };
	static const char *const no[] = { "false", "no", NULL };

	if (want_scalar(n, path, "true or false", d) < 0)
		return -1;
	for (int i = 0; yes[i] != NULL; i++) {
		if (strcasecmp(n->text, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(n->text, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return problem(d, n, path, "expected true or false, got \"%s\"", n->text);
}

static int
decode_enum(const struct field *f, char **out, const struct ynode *n,
    const char *path, struct decoder *d)
{
	const char *const *values = f->aux;
	struct strbuf all = STRBUF_INIT;
	const char *close;

	if (want_scalar(n, path, "a single value", d) < 0)
		return -1;
	for (size_t i = 0; values[i] != NULL; i++) {
		if (strcmp(n->text, values[i]) == 0) {
			free(*out);
			*out = xstrdup(n->text);
			return 0;
		}
	}
	for (size_t i = 0; values[i] != NULL; i++)
		sb_printf(&all, "%s%s", i ? ", " : "", values[i][0] ? values[i] :
		    "\"\"");
	close = suggest(n->text, values);
	if (close != NULL)
		problem(d, n, path, "\"%s\" is not one of %s (did you mean "
		    "\"%s\"?)", n->text, sb_str(&all), close);
	else
		problem(d, n, path, "\"%s\" is not one of %s", n->text,
		    sb_str(&all));
	sb_free(&all);
	return -1;
}

static int
decode_secret(struct secret *out, const struct ynode *n, const char *path,
    struct decoder *d)
{
	const struct ypair *p;

	/* Helm values say "" for no password: the same as leaving it out. */
	if (n->kind == Y_SCALAR && n->text[0] == '\0') {
		free(out->value);
		out->value = NULL;
		out->kind = SECRET_NONE;
		return 0;
	}
	if (n->kind == Y_SCALAR) {
		out->kind = SECRET_PLAIN;
		out->value = xstrdup(n->text);
		return 0;
	}
	if (n->kind != Y_MAP || n->n != 1)
		return problem(d, n, path, "expected the secret as text, "
		    "{env: VARIABLE} or {file: PATH}");
	p = &n->pairs[0];
	/* The key is not echoed: `password: {S3cret}` is a password that
	 * YAML read as a mapping. */
	if (strcmp(p->key, "env") != 0 && strcmp(p->key, "file") != 0) {
		static const char *const sources[] = { "env", "file", NULL };
		const char *close = suggest(p->key, sources);

		if (close != NULL)
			return problem(d, n, path, "unknown secret source (did "
			    "you mean \"%s\"?)", close);
		return problem(d, n, path, "expected the secret as text, "
		    "{env: VARIABLE} or {file: PATH}; quote a password that "
		    "starts with {, [, &, * or !");
	}
	if (p->val->kind != Y_SCALAR || p->val->text[0] == '\0')
		return problem(d, p->val, path, "expected {%s: ...} to name %s",
		    p->key, strcmp(p->key, "env") == 0 ? "a variable" : "a file");
	if (strcmp(p->key, "env") == 0) {
		if (!valid_env_name(p->val->text))
			return problem(d, p->val, path, "\"%s\" is not a valid "
			    "environment variable name", p->val->text);
		out->kind = SECRET_ENV;
	} else {
		out->kind = SECRET_FILE;
	}
	out->value = xstrdup(p->val->text);
	return 0;
}

static int
decode_strlist(const struct field *f, struct strlist *out, const struct ynode *n,
    const char *path, struct decoder *d)
{
	int rc = 0;

	if (f->type == FT_ARGV && n->kind == Y_SCALAR) {
		const char *s = n->text;

		while (*s != '\0') {
			size_t len;

			s += strspn(s, " \t");
			len = strcspn(s, " \t");
			if (len > 0)
				sl_add_owned(out, xstrndup(s, len));
			s += len;
		}
		return 0;
	}
	if (n->kind != Y_SEQ)
		return problem(d, n, path, "expected a list, got %s", shown(n));
	if ((f->flags & F_NONEMPTY) && n->n == 0)
		return problem(d, n, path, "must list at least one entry");
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *item = n->items[i];
		char *ipath = xasprintf("%s[%zu]", path, i);
		char *host = NULL;
		long port;

		if (item->kind != Y_SCALAR) {
			rc = problem(d, item, ipath, "expected a single value, got %s",
			    yn_kind_name(item->kind));
		} else if (f->type == FT_HOSTPORTS &&
		    parse_hostport(item->text, &host, &port) < 0) {
			rc = problem(d, item, ipath, "expected HOST:PORT (such as "
			    "\"node1.internal:9092\") with a port from 1 to 65535, "
			    "got \"%s\"", item->text);
		} else if (f->type == FT_STRLIST && f->aux != NULL) {
			/* A list of choices: each item as an FT_ENUM. */
			char *choice = NULL;

			if (decode_enum(f, &choice, item, ipath, d) < 0)
				rc = -1;
			else
				sl_add_owned(out, choice);
			record(d, ipath, item->line, item->col);
		} else if (format_mismatch(f->flags, item->text) != NULL) {
			rc = problem(d, item, ipath, "expected %s, got \"%s\"",
			    format_mismatch(f->flags, item->text), item->text);
		} else {
			sl_add(out, item->text);
			record(d, ipath, item->line, item->col);
		}
		free(host);
		free(ipath);
	}
	return rc;
}

static int
decode_kv(const struct field *f, struct kvlist *out, const struct ynode *n,
    const char *path, struct decoder *d)
{
	const char *expected;
	int rc = 0;

	if (n->kind != Y_MAP)
		return problem(d, n, path, "expected a mapping, got %s", shown(n));
	for (size_t i = 0; i < n->n; i++) {
		const struct ypair *p = &n->pairs[i];
		char *kpath = xasprintf("%s.%s", path, p->key);

		if (p->val->kind != Y_SCALAR)
			rc = problem(d, p->val, kpath, "expected a single value, "
			    "got %s", yn_kind_name(p->val->kind));
		else if ((expected = format_mismatch(f->flags & F_LABEL_KEY,
		    p->key)) != NULL)
			rc = problem(d, p->val, kpath, "the key: expected %s, "
			    "got \"%s\"", expected, p->key);
		else if ((expected = format_mismatch(f->flags & F_LABEL_VALUE,
		    p->val->text)) != NULL)
			rc = problem(d, p->val, kpath, "expected %s, got \"%s\"",
			    expected, p->val->text);
		else
			kv_add(out, p->key, p->val->text);
		record(d, kpath, p->line, p->col);
		free(kpath);
	}
	return rc;
}

static int
decode_elements(const struct field *f, struct objlist *out,
    const struct ynode *n, const char *path, struct decoder *d)
{
	const struct table *t = f->aux;
	int rc = 0, dict = f->type == FT_DICT;

	if (n->kind != (dict ? Y_MAP : Y_SEQ))
		return problem(d, n, path, "expected %s, got %s",
		    dict ? "a mapping" : "a list", shown(n));
	out->v = xcalloc(n->n, t->size);
	for (size_t i = 0; i < n->n; i++) {
		void *elem = OBJ_AT(out, t->size, i);
		const struct ynode *val = dict ? n->pairs[i].val : n->items[i];
		char *epath = dict ? xasprintf("%s.%s", path, n->pairs[i].key) :
		    xasprintf("%s[%zu]", path, i);

		schema_init(t->fields, elem);
		out->n++;
		if (dict) {
			*(char **)elem = xstrdup(n->pairs[i].key);
			record(d, epath, n->pairs[i].line, n->pairs[i].col);
		}
		/* A null element (`hosts: [~]`) is an empty one: what it
		 * must hold is reported missing, never skipped. */
		if (is_null(val)) {
			struct ynode *empty = yn_map();

			empty->line = val->line;
			empty->col = val->col;
			if (schema_decode(t->fields, elem, empty, epath, d) < 0)
				rc = -1;
			yn_free(empty);
		} else if (schema_decode(t->fields, elem, val, epath, d) < 0) {
			rc = -1;
		}
		free(epath);
	}
	return rc;
}

static int
decode_value(const struct field *f, void *obj, const struct ynode *n,
    const char *path, struct decoder *d)
{
	void *p = FIELD_PTR(obj, f);

	switch (f->type) {
	case FT_STR:
		if (want_scalar(n, path, "a single value", d) < 0)
			return -1;
		/* "" for the default, as Helm values write it. */
		if ((f->flags & F_EMPTY_DEFAULT) && n->text[0] == '\0') {
			free(*(char **)p);
			*(char **)p = NULL;
			return 0;
		}
		if (check_string(f, n, path, d) < 0)
			return -1;
		free(*(char **)p);
		*(char **)p = xstrdup(n->text);
		return 0;
	case FT_INT:
		return decode_int(f, p, n, path, d);
	case FT_BOOL:
		return decode_bool(p, n, path, d);
	case FT_ENUM:
		return decode_enum(f, p, n, path, d);
	case FT_SECRET:
		return decode_secret(p, n, path, d);
	case FT_STRLIST:
	case FT_HOSTPORTS:
	case FT_ARGV:
		return decode_strlist(f, p, n, path, d);
	case FT_KV:
		return decode_kv(f, p, n, path, d);
	case FT_MAP:
		return schema_decode(((const struct table *)f->aux)->fields, p, n,
		    path, d);
	case FT_LIST:
	case FT_DICT:
		return decode_elements(f, p, n, path, d);
	}
	return 0;
}

static const struct field *
find_field(const struct field *fields, const char *key)
{
	for (const struct field *f = fields; f->key != NULL; f++)
		if (strcmp(f->key, key) == 0)
			return f;
	return NULL;
}

static void
unknown_key(const struct field *fields, const struct ypair *p, const char *path,
    struct decoder *d)
{
	const char *names[128];
	size_t n = 0;
	const char *close;
	struct ynode at = { .line = p->line, .col = p->col };
	char *kpath = path[0] ? xasprintf("%s.%s", path, p->key) :
	    xstrdup(p->key);

	for (const struct field *f = fields; f->key != NULL && n < 127; f++)
		names[n++] = f->key;
	names[n] = NULL;
	close = suggest(p->key, names);
	if (close != NULL)
		problem(d, &at, kpath, "unknown key (did you mean \"%s\"?)", close);
	else
		problem(d, &at, kpath, "unknown key");
	free(kpath);
}

int
schema_decode(const struct field *fields, void *obj, const struct ynode *node,
    const char *path, struct decoder *d)
{
	int rc = 0;

	if (node->kind != Y_MAP)
		return problem(d, node, path[0] ? path : "(top level)",
		    "expected a mapping of keys, got %s", shown(node));
	for (size_t i = 0; i < node->n; i++) {
		const struct ypair *p = &node->pairs[i];
		const struct field *f = find_field(fields, p->key);
		char *fpath;

		if (f == NULL) {
			unknown_key(fields, p, path, d);
			rc = -1;
			continue;
		}
		fpath = path[0] ? xasprintf("%s.%s", path, p->key) :
		    xstrdup(p->key);
		record(d, fpath, p->line, p->col);
		if (!is_null(p->val) && decode_value(f, obj, p->val, fpath, d) < 0)
			rc = -1;
		free(fpath);
	}
	for (const struct field *f = fields; f->key != NULL; f++) {
		const struct ynode *given = yn_get(node, f->key);

		/* `key: ~` decodes to nothing, so it must not satisfy a
		 * required field either. */
		if (!(f->flags & F_REQUIRED) || (given && !is_null(given)))
			continue;
		char *fpath = path[0] ? xasprintf("%s.%s", path, f->key) :
		    xstrdup(f->key);

		if (given)
			problem(d, given, fpath, "empty, but a value is required");
		else
			problem(d, node, fpath, "missing (required)");
		free(fpath);
		rc = -1;
	}
	return rc;
}

static int check_rest(const struct field *fields, void *obj, const char *path,
    const char *rest, const struct ynode *n, struct decoder *d);

/* One field of one element of a list or dict, checked in a scratch element
 * of its own (the others are not known here). */
static int
check_element(const struct table *t, const char *path, const char *rest,
    const struct ynode *n, struct decoder *d)
{
	void *elem = xcalloc(1, t->size);
	int rc;

	schema_init(t->fields, elem);
	rc = check_rest(t->fields, elem, path, rest, n, d);
	schema_free(t->fields, elem);
	free(elem);
	return rc;
}

/* schema_check_at() below one segment: `rest` is what is left of `path`. */
static int
check_rest(const struct field *fields, void *obj, const char *path,
    const char *rest, const struct ynode *n, struct decoder *d)
{
	/* A list's "[N]" belongs to its segment: "hosts[2].port". */
	size_t len = strcspn(rest, ".[");
	char *segment = xstrndup(rest, len);
	const struct field *f = find_field(fields, segment);
	const char *dot = strchr(rest + len, '.');
	const char *next = dot != NULL ? dot + 1 : NULL;

	free(segment);
	if (f == NULL || (rest[len] == '[' && f->type != FT_LIST))
		return err_set(d->e, ERR_INPUT, "%s: no such answer", path);
	if (next == NULL)
		return decode_value(f, obj, n, path, d);
	if (f->type == FT_MAP)
		return check_rest(((const struct table *)f->aux)->fields,
		    FIELD_PTR(obj, f), path, next, n, d);
	if (f->type == FT_LIST)		/* "hosts[2].port" */
		return check_element(f->aux, path, next, n, d);
	if (f->type == FT_DICT && strchr(next, '.') != NULL)
		/* "services.web.replicas": web is a key of the dict. */
		return check_element(f->aux, path, strchr(next, '.') + 1, n, d);
	return err_set(d->e, ERR_INPUT, "%s: no such answer", path);
}

/*
 * Validates one value (`n`) for the field at dotted `path` below `fields`,
 * decoding it into `obj` (a scratch object of the fields' struct, which the
 * caller initialised and frees).
 */
int
schema_check_at(const struct field *fields, void *obj, const char *path,
    const struct ynode *n, const char *file, struct err *e)
{
	struct decoder d = { file, NULL, e, NULL };

	return check_rest(fields, obj, path, path, n, &d);
}
