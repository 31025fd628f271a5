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

#include <stdlib.h>
#include <string.h>

/* Neither a label key nor a label value can hold these. */
#define ANY_KEY		"*"
#define SECONDS_WORD	" for "

/* Calls `item` for every non-blank comma-separated item of `text`,
 * trimmed (the item may cut it up). */
static void
each_item(const char *text, void (*item)(struct ynode *out, char *one),
    struct ynode *out)
{
	struct strlist items = { 0 };

	sl_split(&items, text, ',');
	for (size_t i = 0; i < items.n; i++) {
		char *one = wiz_trimmed(items.v[i]);

		if (one[0] != '\0')
			item(out, one);
		free(one);
	}
	sl_free(&items);
}

/* Cuts `one` at the first `sep`: what follows, trimmed and owned, or NULL
 * when there is no `sep`. Neither ':' nor '=' may stand in a label key or
 * value, so the first is the only one of a valid item. */
static char *
cut_after(char *one, int sep)
{
	char *at = strchr(one, sep);

	if (at == NULL)
		return NULL;
	*at = '\0';
	return wiz_trimmed(at + 1);
}

/* "key" alone is a key with the empty value, which a label may have. */
static void
pair_item(struct ynode *map, char *one)
{
	char *val = cut_after(one, '='), *key = wiz_trimmed(one);

	yn_map_put(map, key, yn_quoted(val != NULL ? val : ""));
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

/* In the order a reader looks for them: key, operator, value, effect. */
static void
toleration_item(struct ynode *seq, char *one)
{
	struct ynode *t = yn_map();
	long secs = take_seconds(one);
	char *effect = cut_after(one, ':'), *value = cut_after(one, '=');
	char *key = wiz_trimmed(one);

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
