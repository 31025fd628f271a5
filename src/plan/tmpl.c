#include "tmpl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NESTING	16

struct section {
	char	*name;
	int	 active;
};

struct render {
	const char		*name;
	const struct vars	*vs;
	struct strbuf		*out;
	int			*used_secret;
	struct err		*e;
	int			 line;
	struct section		 stack[MAX_NESTING];
	int			 depth;
};

void
quote_python(struct strbuf *out, const char *s)
{
	sb_addc(out, '"');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\\' || c == '"')
			sb_printf(out, "\\%c", c);
		else if (c == '\n')
			sb_add(out, "\\n");
		else if (c < 0x20 || c == 0x7f)
			sb_printf(out, "\\x%02x", c);
		else
			sb_addc(out, (char)c);
	}
	sb_addc(out, '"');
}

void
quote_json(struct strbuf *out, const char *s)
{
	sb_addc(out, '"');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\\' || c == '"')
			sb_printf(out, "\\%c", c);
		else if (c == '\n')
			sb_add(out, "\\n");
		else if (c == '\t')
			sb_add(out, "\\t");
		else if (c < 0x20 || c == 0x7f)
			sb_printf(out, "\\u%04x", c);
		else
			sb_addc(out, (char)c);
	}
	sb_addc(out, '"');
}

void
quote_json_or_null(struct strbuf *out, const char *s)
{
	if (s == NULL)
		sb_add(out, "null");
	else
		quote_json(out, s);
}

static int
active(const struct render *r)
{
	for (int i = 0; i < r->depth; i++)
		if (!r->stack[i].active)
			return 0;
	return 1;
}

static int
fail(struct render *r, const char *what, const char *arg)
{
	return err_set(r->e, ERR_INPUT, "%s:%d: %s \"%s\"", r->name, r->line,
	    what, arg);
}

static const struct var *
lookup(struct render *r, const char *name)
{
	const struct var *v = vars_get(r->vs, name);

	if (v == NULL)
		fail(r, "unknown variable", name);
	return v;
}

static void
put_list(struct strbuf *out, const struct var *v, int python)
{
	sb_addc(out, '[');
	for (size_t i = 0; i < v->list.n; i++) {
		if (i)
			sb_add(out, ", ");
		if (python)
			quote_python(out, v->list.v[i]);
		else
			quote_json(out, v->list.v[i]);
	}
	sb_addc(out, ']');
}

/* A number ("3", "-1", "1.0") or True, False or None: written as it is. */
static int
python_constant(const char *v)
{
	size_t digits;

	if (strcmp(v, "True") == 0 || strcmp(v, "False") == 0 ||
	    strcmp(v, "None") == 0)
		return 1;
	v += *v == '-';
	digits = strspn(v, "0123456789");
	if (digits == 0)
		return 0;
	v += digits;
	if (*v == '.' && strspn(v + 1, "0123456789") > 0)
		v += 1 + strspn(v + 1, "0123456789");
	return *v == '\0';
}

/* ["name=3", ...] as a Python dict, one item per line; a value that is
 * not a number or constant stays a string, so nothing can become code. */
static int
put_dict_python(struct render *r, const struct var *v)
{
	sb_add(r->out, v->list.n ? "{\n" : "{");
	for (size_t i = 0; i < v->list.n; i++) {
		const char *item = v->list.v[i], *eq = strchr(item, '=');
		char *key;

		if (eq == NULL)
			return fail(r, "a pydict item without '='", item);
		key = xstrndup(item, (size_t)(eq - item));
		sb_add(r->out, "    ");
		quote_python(r->out, key);
		sb_add(r->out, ": ");
		if (python_constant(eq + 1))
			sb_add(r->out, eq + 1);
		else
			quote_python(r->out, eq + 1);
		sb_add(r->out, ",\n");
		free(key);
	}
	sb_addc(r->out, '}');
	return 0;
}

/* "a,b,c" as a Python list of strings. */
static void
put_csv_python(struct strbuf *out, const char *text)
{
	struct strlist items = { 0 };
	struct var v = { .kind = V_LIST };

	while (*text != '\0') {
		size_t n = strcspn(text, ",");

		if (n > 0)
			sl_add_owned(&items, xstrndup(text, n));
		text += n + (text[n] == ',');
	}
	v.list = items;
	put_list(out, &v, 1);
	sl_free(&items);
}

static int
substitute(struct render *r, char *expr)
{
	char *bar = strchr(expr, '|'), *text;
	const char *filter = bar ? bar + 1 : "";
	const struct var *v;

	if (bar)
		*bar = '\0';
	if ((v = lookup(r, expr)) == NULL)
		return -1;
	if (!active(r))
		return 0;
	if (v->secret)
		*r->used_secret = 1;
	if (strcmp(filter, "pydict") == 0) {
		if (v->kind != V_LIST)
			return fail(r, "a list filter on a single value", expr);
		return put_dict_python(r, v);
	}
	if (strcmp(filter, "pylist") == 0 || strcmp(filter, "yamllist") == 0) {
		if (v->kind != V_LIST)
			return fail(r, "a list filter on a single value", expr);
		put_list(r->out, v, filter[0] == 'p');
		return 0;
	}
	text = var_string(v);
	if (strcmp(filter, "pycsv") == 0)
		put_csv_python(r->out, text);
	else if (strcmp(filter, "bool") == 0)
		sb_add(r->out, var_truthy(v) ? "true" : "false");
	else if (strcmp(filter, "pybool") == 0)
		sb_add(r->out, var_truthy(v) ? "True" : "False");
	else if (strcmp(filter, "py") == 0)
		quote_python(r->out, text);
	else if (strcmp(filter, "yaml") == 0)
		quote_json(r->out, text);
	else if (filter[0] == '\0' || strcmp(filter, "csv") == 0)
		sb_add(r->out, text);
	else {
		free(text);
		return fail(r, "unknown filter", filter);
	}
	free(text);
	return 0;
}

static int
open_section(struct render *r, char *expr, int inverted)
{
	char *eq = strchr(expr, '=');
	const struct var *v;
	int truth;

	if (eq)
		*eq = '\0';
	if ((v = lookup(r, expr)) == NULL)
		return -1;
	if (r->depth == MAX_NESTING)
		return fail(r, "sections nested too deeply at", expr);
	if (eq != NULL) {
		char *s = var_string(v);

		truth = strcmp(s, eq + 1) == 0;
		free(s);
	} else {
		truth = var_truthy(v);
	}
	r->stack[r->depth].name = xstrdup(expr);
	r->stack[r->depth].active = inverted ? !truth : truth;
	r->depth++;
	return 0;
}

static int
close_section(struct render *r, const char *expr)
{
	if (r->depth == 0)
		return fail(r, "closing a section that is not open:", expr);
	if (strcmp(r->stack[r->depth - 1].name, expr) != 0)
		return fail(r, "section closed out of order:", expr);
	free(r->stack[--r->depth].name);
	return 0;
}

/* Handles the tag whose inside (between the braces) is `inner`. */
static int
tag(struct render *r, const char *inner, size_t len)
{
	char *expr = xstrndup(inner, len), *p = expr;
	int rc;

	while (*p == ' ')
		p++;
	for (size_t n = strlen(p); n > 0 && p[n - 1] == ' '; n--)
		p[n - 1] = '\0';
	switch (p[0]) {
	case '!':
		rc = 0;
		break;
	case '#':
		rc = open_section(r, p + 1, 0);
		break;
	case '^':
		rc = open_section(r, p + 1, 1);
		break;
	case '/':
		rc = close_section(r, p + 1);
		break;
	default:
		rc = substitute(r, p);
		break;
	}
	free(expr);
	return rc;
}

/* A line that is only whitespace and one section/comment tag. */
static int
standalone(const char *line, size_t len, const char **inner, size_t *ilen)
{
	const char *p = line, *end = line + len, *close;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (end - p < 5 || strncmp(p, "{{", 2) != 0 || strchr("#^/!", p[2]) == NULL)
		return 0;
	close = strstr(p, "}}");
	if (close == NULL || close >= end)
		return 0;
	for (const char *q = close + 2; q < end; q++)
		if (*q != ' ' && *q != '\t' && *q != '\n' && *q != '\r')
			return 0;
	*inner = p + 2;
	*ilen = (size_t)(close - p - 2);
	return 1;
}

static int
render_line(struct render *r, const char *line, size_t len)
{
	const char *p = line, *end = line + len, *inner;
	size_t ilen;

	if (standalone(line, len, &inner, &ilen))
		return tag(r, inner, ilen);
	while (p < end) {
		const char *open = strstr(p, "{{"), *close;

		if (open == NULL || open >= end) {
			if (active(r))
				sb_addn(r->out, p, (size_t)(end - p));
			break;
		}
		if (active(r))
			sb_addn(r->out, p, (size_t)(open - p));
		close = strstr(open + 2, "}}");
		if (close == NULL || close >= end)
			return fail(r, "unclosed tag", "{{");
		if (tag(r, open + 2, (size_t)(close - open - 2)) < 0)
			return -1;
		p = close + 2;
	}
	return 0;
}

int
tmpl_render(const char *text, const char *name, const struct vars *vs,
    struct strbuf *out, int *used_secret, struct err *e)
{
	struct render r = { name, vs, out, used_secret, e, 0, { { 0 } }, 0 };
	const char *p = text;
	int rc = 0;

	*used_secret = 0;
	while (rc == 0 && *p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);

		r.line++;
		rc = render_line(&r, p, len);
		p += len;
	}
	if (rc == 0 && r.depth > 0)
		rc = fail(&r, "section never closed:", r.stack[r.depth - 1].name);
	while (r.depth > 0)
		free(r.stack[--r.depth].name);
	return rc;
}
