/*
 * One line of a form for answers that are mappings or lists of objects:
 * node selectors typed "disktype=ssd, zone-group=a", tolerations typed the
 * way `kubectl taint` writes a taint, "dedicated=sentry:NoSchedule". Both
 * directions are lossless for what the answers can hold, so that opening
 * and leaving a field never changes a hand-written file:
 *
 *   key=value:Effect   operator Equal (value may be empty: "key=")
 *   key:Effect         operator Exists
 *   *:Effect           no key: every taint of that effect
 *   ... for 300s       tolerationSeconds (NoExecute only)
 *
 * The effect may be left out (every effect). Nothing is checked here: the
 * node is checked by the answers' own field table, which names the item.
 */
#include "wiz.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Neither a label key nor a label value can hold these. */
#define ANY_KEY		"*"
#define SECONDS_WORD	" for "

/* `s[0..len)` without the blanks around it; owned by the caller. */
static char *
trim_n(const char *s, size_t len)
{
	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	return xstrndup(s, len);
}

/* Calls `item` for every non-blank comma-separated item of `text`. */
static void
each_item(const char *text, void (*item)(struct ynode *out, char *one),
    struct ynode *out)
{
	while (*text != '\0') {
		const char *comma = strchr(text, ',');
		size_t len = comma != NULL ? (size_t)(comma - text) : strlen(text);
		char *one = trim_n(text, len);

		if (one[0] != '\0')
			item(out, one);
		free(one);
		text += len + (comma != NULL);
	}
}

static void
pair_item(struct ynode *map, char *one)
{
	char *eq = strchr(one, '=');
	char *key, *val;

	/* "key" alone is a key with an empty value, which the label check
	 * refuses with the key's name. */
	key = trim_n(one, eq != NULL ? (size_t)(eq - one) : strlen(one));
	val = eq != NULL ? trim_n(eq + 1, strlen(eq + 1)) : xstrdup("");
	yn_map_put(map, key, yn_quoted(val));
	free(key);
	free(val);
}

struct ynode *
wiz_map_node(const char *text)
{
	struct ynode *map = yn_map();

	each_item(text, pair_item, map);
	return map;
}

/* " for 300s" at the end of `one`: cut off; UNSET (-1) when absent. A
 * malformed one is left in the effect, which the check then refuses. */
static long
take_seconds(char *one)
{
	char *at = strstr(one, SECONDS_WORD), *end;
	long secs;

	if (at == NULL)
		return -1;
	secs = strtol(at + strlen(SECONDS_WORD), &end, 10);
	if (end == at + strlen(SECONDS_WORD) || strcmp(end, "s") != 0)
		return -1;
	*at = '\0';
	return secs;
}

/* Cuts `one` at the last `sep`: what follows, trimmed and owned, or NULL
 * when there is no `sep`. */
static char *
cut_after(char *one, int sep)
{
	char *at = sep == ':' ? strrchr(one, sep) : strchr(one, sep);
	char *tail;

	if (at == NULL)
		return NULL;
	tail = trim_n(at + 1, strlen(at + 1));
	*at = '\0';
	return tail;
}

/* In the order a reader looks for them: key, operator, value, effect. */
static void
toleration_item(struct ynode *seq, char *one)
{
	struct ynode *t = yn_map();
	long secs = take_seconds(one);
	char *effect = cut_after(one, ':'), *value = cut_after(one, '=');
	char *key = trim_n(one, strlen(one));

	if (strcmp(key, ANY_KEY) != 0)
		yn_map_set(t, "key", yn_str(key));
	if (value == NULL)
		yn_map_set(t, "operator", yn_str("Exists"));
	else
		yn_map_set(t, "value", yn_quoted(value));
	if (effect != NULL)
		yn_map_set(t, "effect", yn_str(effect));
	if (secs >= 0)
		yn_map_set(t, "toleration_seconds", yn_int(secs));
	yn_seq_add(seq, t);
	free(key);
	free(value);
	free(effect);
}

struct ynode *
wiz_tolerations_node(const char *text)
{
	struct ynode *seq = yn_seq();

	each_item(text, toleration_item, seq);
	return seq;
}

char *
wiz_map_text(const struct ynode *map)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; map->kind == Y_MAP && i < map->n; i++) {
		const struct ynode *v = map->pairs[i].val;

		sb_printf(&sb, "%s%s=%s", sb.len ? ", " : "", map->pairs[i].key,
		    v->kind == Y_SCALAR ? v->text : "");
	}
	sb_add(&sb, "");
	return sb_take(&sb);
}

static const char *
text_of(const struct ynode *t, const char *key)
{
	const struct ynode *v = yn_get(t, key);

	return v != NULL && v->kind == Y_SCALAR ? v->text : NULL;
}

static void
toleration_text(struct strbuf *sb, const struct ynode *t)
{
	const char *key = text_of(t, "key"), *op = text_of(t, "operator");
	const char *value = text_of(t, "value"), *effect = text_of(t, "effect");
	const char *secs = text_of(t, "toleration_seconds");

	sb_add(sb, key != NULL ? key : ANY_KEY);
	if (op == NULL || strcmp(op, "Exists") != 0)
		sb_printf(sb, "=%s", value != NULL ? value : "");
	if (effect != NULL)
		sb_printf(sb, ":%s", effect);
	if (secs != NULL)
		sb_printf(sb, "%s%ss", SECONDS_WORD, secs);
}

char *
wiz_tolerations_text(const struct ynode *seq)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; seq->kind == Y_SEQ && i < seq->n; i++) {
		if (seq->items[i]->kind != Y_MAP)
			continue;
		if (sb.len > 0)
			sb_add(&sb, ", ");
		toleration_text(&sb, seq->items[i]);
	}
	sb_add(&sb, "");
	return sb_take(&sb);
}
