/*
 * Between a form's text and the answers' YAML: lists are typed
 * comma-separated, a secret "env:NAME" or "file:PATH" refers to where the
 * password is, every value is checked by the answers' own field table
 * before it is stored, and every stored value is saved at once.
 */
#include "wiz.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"

char *
wiz_trimmed(const char *text)
{
	size_t len;

	while (isspace((unsigned char)*text))
		text++;
	len = strlen(text);
	while (len > 0 && isspace((unsigned char)text[len - 1]))
		len--;
	return xstrndup(text, len);
}

static struct ynode *
list_node(const char *text)
{
	struct ynode *seq = yn_seq();
	struct strlist items = { 0 };

	sl_split(&items, text, ',');
	for (size_t i = 0; i < items.n; i++) {
		char *item = wiz_trimmed(items.v[i]);

		if (item[0] != '\0')
			yn_seq_add(seq, yn_quoted(item));
		free(item);
	}
	sl_free(&items);
	return seq;
}

static struct ynode *
secret_node(const char *text)
{
	static const char *const refs[] = { "env", "file" };

	for (size_t i = 0; i < 2; i++) {
		size_t n = strlen(refs[i]);

		if (strncmp(text, refs[i], n) == 0 && text[n] == ':') {
			struct ynode *m = yn_map();
			char *where = wiz_trimmed(text + n + 1);

			yn_map_set(m, refs[i], yn_str(where));
			free(where);
			return m;
		}
	}
	return yn_quoted(text);
}

/* The YAML value a form's text stands for. */
static struct ynode *
value_node(enum wiz_kind kind, const char *text)
{
	switch (kind) {
	case WF_NUMBER:
		return yn_str(text);	/* checked as an integer */
	case WF_LIST:
		return list_node(text);
	case WF_SECRET:
		return secret_node(text);
	case WF_MAP:
		return wiz_map_node(text);
	case WF_TOLERATIONS:
		return wiz_tolerations_node(text);
	default:
		return yn_str(text);	/* quoted by the emitter when needed */
	}
}

/* The node below `m` at one segment of a path: "key", or "key[N]", an
 * element of a list of mappings (hosts[1]). With `create`, a missing
 * mapping is made on the way, and so is the element just past a list's
 * end (or the list, for its first): that is how a new host begins. */
static struct ynode *
step(struct ynode *m, char *seg, int create)
{
	char *open = strchr(seg, '[');
	struct ynode *next, *seq;
	char *end;
	unsigned long i;

	if (open == NULL) {
		next = yn_get(m, seg);
		if ((next == NULL || next->kind != Y_MAP) && create)
			next = yn_map_put(m, seg, yn_map());
		return next != NULL && next->kind == Y_MAP ? next : NULL;
	}
	*open = '\0';
	i = strtoul(open + 1, &end, 10);
	if (end == open + 1 || *end != ']')
		return NULL;
	seq = yn_get(m, seg);
	if ((seq == NULL || seq->kind != Y_SEQ) && create && i == 0)
		seq = yn_map_put(m, seg, yn_seq());
	if (seq == NULL || seq->kind != Y_SEQ || i > seq->n)
		return NULL;
	if (i == seq->n)
		return create ? yn_seq_add(seq, yn_map()) : NULL;
	return seq->items[i]->kind == Y_MAP ? seq->items[i] : NULL;
}

/* The mapping that holds the last segment of `path`, created on the way
 * when `create`; *last points into `path`, which is cut up. */
static struct ynode *
parent_of(struct ynode *doc, char *path, char **last, int create)
{
	struct ynode *m = doc;
	char *seg = path, *dot;

	while (m != NULL && (dot = strchr(seg, '.')) != NULL) {
		*dot = '\0';
		m = step(m, seg, create);
		seg = dot + 1;
	}
	*last = seg;
	return m;
}

/* The node at a path with list elements ("hosts[1].port"), or NULL. */
static const struct ynode *
node_at(const struct ynode *doc, const char *path)
{
	char *where = xstrdup(path), *last;
	/* Not changed: without `create`, parent_of only looks. */
	struct ynode *parent = parent_of((struct ynode *)doc, where, &last, 0);
	const struct ynode *n = parent != NULL ? yn_get(parent, last) : NULL;

	free(where);
	return n;
}

char *
wiz_get(const struct wiz *w, const char *path)
{
	const struct ynode *n = node_at(w->doc, path);
	enum wiz_kind kind = wiz_path_kind(path);
	struct strbuf sb = STRBUF_INIT;

	if (n == NULL)
		return xstrdup("");
	if (kind == WF_MAP)
		return wiz_map_text(n);
	if (kind == WF_TOLERATIONS)
		return wiz_tolerations_text(n);
	if (n->kind == Y_SCALAR)
		return xstrdup(n->text);
	if (n->kind == Y_SEQ) {
		for (size_t i = 0; i < n->n; i++)
			if (n->items[i]->kind == Y_SCALAR)
				sb_printf(&sb, "%s%s", sb.len ? ", " : "",
				    n->items[i]->text);
		sb_add(&sb, "");
		return sb_take(&sb);
	}
	/* {env: NAME} or {file: PATH}, as typed. */
	if (n->n == 1 && n->pairs[0].val->kind == Y_SCALAR)
		return xasprintf("%s:%s", n->pairs[0].key, n->pairs[0].val->text);
	return xstrdup("");
}

static int
check_release(const struct wiz *w, const char *text, struct err *e)
{
	if (releases_find(&w->releases, text) != NULL)
		return 0;
	return err_set(e, ERR_INPUT, "sentry.version: no profile for Sentry "
	    "\"%s\"", text);
}

/* The node `text` stands for at `path`, checked; NULL for an empty text
 * (which removes the answer). -1 with e set when it is not valid. */
static int
checked_node(const struct wiz *w, const char *path, const char *value,
    struct ynode **out, struct err *e)
{
	enum wiz_kind kind = wiz_path_kind(path);
	const struct field *f = answers_field(path);
	struct ynode *node;
	int rc;

	*out = NULL;
	if (value[0] == '\0')
		return 0;
	node = value_node(kind, value);
	rc = answers_check_value(path, node, e);
	if (rc == 0 && strcmp(path, "sentry.version") == 0)
		rc = check_release(w, value, e);
	if (rc == 0 && kind == WF_NUMBER) {
		/* Written as a number, not as the text "5432". */
		yn_free(node);
		node = yn_int(strtol(value, NULL, 10));
	} else if (rc == 0 && f != NULL && f->type == FT_BOOL) {
		yn_free(node);
		node = yn_bool(strcmp(value, "true") == 0);
	}
	if (rc < 0) {
		yn_free(node);
		return -1;
	}
	*out = node;
	return 0;
}

int
wiz_tree_put(struct ynode *doc, const char *path, struct ynode *node)
{
	char *where = xstrdup(path), *last;
	struct ynode *parent = parent_of(doc, where, &last, 1);

	if (parent != NULL)
		yn_map_put(parent, last, node);
	else		/* an element past the end of its list, or no list */
		yn_free(node);
	free(where);
	return parent != NULL ? 0 : -1;
}

void
wiz_tree_del(struct ynode *doc, const char *path)
{
	char *where = xstrdup(path), *last;
	struct ynode *parent = parent_of(doc, where, &last, 0);

	if (parent != NULL)
		yn_map_del(parent, last);
	free(where);
}

int
wiz_check(const struct wiz *w, const char *path, const char *text,
    struct err *e)
{
	char *value = wiz_trimmed(text);
	struct ynode *node;
	int rc = checked_node(w, path, value, &node, e);

	yn_free(node);
	free(value);
	return rc;
}

/* After a change of the answers: what it hid goes aside, what it shows
 * again (and the services of a new release) come back, and it is saved. */
static int
changed(struct wiz *w, struct err *e)
{
	w->revision++;
	w->unsaved = 1;
	wiz_stash_sync(w);
	return wiz_save(w, e);
}

int
wiz_set(struct wiz *w, const char *path, const char *text, struct err *e)
{
	char *value = wiz_trimmed(text);
	struct ynode *node;
	int rc = checked_node(w, path, value, &node, e);

	if (rc == 0 && node != NULL && wiz_tree_put(w->doc, path, node) < 0)
		rc = err_set(e, ERR_INPUT, "%s: no such answer: its list is "
		    "shorter", path);
	else if (rc == 0 && node == NULL)
		wiz_tree_del(w->doc, path);
	if (rc == 0)
		rc = changed(w, e);
	free(value);
	return rc;
}

size_t
wiz_list_count(const struct wiz *w, const char *path)
{
	const struct ynode *n = node_at(w->doc, path);

	return n != NULL && n->kind == Y_SEQ ? n->n : 0;
}

int
wiz_list_remove(struct wiz *w, const char *path, size_t i, struct err *e)
{
	struct ynode *seq = (struct ynode *)node_at(w->doc, path);

	if (seq == NULL || seq->kind != Y_SEQ || i >= seq->n)
		return err_set(e, ERR_INPUT, "%s[%zu]: no such answer", path, i);
	yn_free(seq->items[i]);
	memmove(&seq->items[i], &seq->items[i + 1], (seq->n - i - 1) *
	    sizeof *seq->items);
	/* The last one gone: no "hosts: []" left behind in the file. */
	if (--seq->n == 0)
		wiz_tree_del(w->doc, path);
	return changed(w, e);
}
