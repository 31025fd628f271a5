/*
 * The problems of the answers as a whole (required fields, fields that go
 * together), placed next to the fields of the screen they concern.
 */
#include "wiz.h"

#include <stdlib.h>
#include <string.h>

#include "answers.h"

/* How the problem at `path` concerns field `f`: AT it or below it, or
 * ABOVE it (a whole section missing, "postgres: missing"). */
enum reach { NOT, AT, ABOVE };

static enum reach
reach(const char *path, const char *field)
{
	size_t n = strlen(field), m = strlen(path);

	if (strncmp(path, field, n) == 0 &&
	    (path[n] == '\0' || path[n] == '.' || path[n] == '['))
		return AT;
	if (m < n && strncmp(path, field, m) == 0 && field[m] == '.')
		return ABOVE;
	return NOT;
}

/* `path` without its list indexes: "hosts[1].port" is at "hosts.port". */
static char *
unindexed(const char *path)
{
	struct strbuf sb = STRBUF_INIT;

	for (const char *p = path; *p != '\0'; p++) {
		if (*p == '[' && strchr(p, ']') != NULL)
			p = strchr(p, ']');
		else
			sb_addc(&sb, *p);
	}
	sb_add(&sb, "");
	return sb_take(&sb);
}

static int
required(const char *field)
{
	const struct field *f = answers_field(field);

	return f != NULL && (f->flags & F_REQUIRED);
}

/* One line of the problems says "WHERE: PATH: what"; the part after the
 * path is what the form shows. */
static char *
message_of(const char *line, const char *path)
{
	char *key = xasprintf("%s: ", path);
	const char *at = strstr(line, key);
	char *msg = xstrdup(at ? at + strlen(key) : line);

	free(key);
	return msg;
}

static void
add(struct wiz_problems *out, const char *path, char *message)
{
	out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
	out->v[out->n].path = xstrdup(path);
	out->v[out->n].message = message;
	out->n++;
}

void
wiz_screen_problems(const struct wiz *w, size_t i, struct wiz_problems *out)
{
	const struct wiz_screen *s = wiz_screen_at(i);
	struct strbuf text = STRBUF_INIT;
	struct strlist paths = { 0 }, lines = { 0 };
	struct answers a;
	struct err e;

	memset(out, 0, sizeof *out);
	err_clear(&e);
	if (yaml_emit(w->doc, 0, &text, &e) < 0)
		return;
	if (answers_parse_paths(text.s, text.len, w->path, &a, &e, &paths) < 0)
		sl_split(&lines, e.msg, '\n');
	/* Lines and paths pair up: one path per problem line. A section
	 * that is missing as a whole marks only the fields it requires: the
	 * others have defaults, or may be left out. */
	for (size_t j = 0; j < paths.n && j < lines.n; j++) {
		char *at = unindexed(paths.v[j]);

		for (size_t k = 0; k < s->nfields; k++) {
			const char *field = s->fields[k].path;
			enum reach r = reach(at, field);

			if (!wiz_field_shown(w, &s->fields[k]) || r == NOT ||
			    (r == ABOVE && !required(field)))
				continue;
			add(out, r == AT ? paths.v[j] : field, r == AT ?
			    message_of(lines.v[j], paths.v[j]) :
			    xstrdup("missing (required)"));
			if (r == AT)
				break;
		}
		free(at);
	}
	answers_free(&a);
	sl_free(&paths);
	sl_free(&lines);
	sb_free(&text);
}

void
wiz_problems_free(struct wiz_problems *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].path);
		free(p->v[i].message);
	}
	free(p->v);
	memset(p, 0, sizeof *p);
}
