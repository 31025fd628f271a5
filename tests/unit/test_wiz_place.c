/*
 * The wizard's one-line fields for node selectors and tolerations: what is
 * typed becomes the answers' YAML, every hand-written answer reads back as
 * a line that means the same, and a bad item is named by the field table.
 */
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "harness.h"
#include "wiz_testing.h"
#include "xmem.h"

static void
open_fresh(struct wiz *w, const char *name)
{
	char *dir = fresh_dir(name);

	open_in(w, dir);
	free(dir);
}

static char *
saved(const struct wiz *w)
{
	char *text;
	size_t len;
	struct err e;

	ck_assert_int_eq(fs_read_file(w->path, &text, &len, &e), 0);
	return text;
}

START_TEST(a_node_selector_is_typed_as_pairs)
{
	struct wiz w;
	char *text;

	open_fresh(&w, "wiz-selector");
	ck_assert_int_eq(wiz_path_kind("target.node_selector"), WF_MAP);
	set_ok(&w, "target.node_selector",
	    " node-role.example.com/sentry = true,disktype=ssd, ");
	assert_value(&w, "target.node_selector",
	    "node-role.example.com/sentry=true, disktype=ssd");
	text = saved(&w);
	ck_assert_contains(text, "node_selector:\n    "
	    "node-role.example.com/sentry: \"true\"\n    disktype: \"ssd\"\n");
	free(text);
	/* A key alone is the empty value, which a label may have; a value
	 * may not hold '='. */
	set_ok(&w, "target.node_selector", "disktype, zone-group=a");
	assert_value(&w, "target.node_selector", "disktype=, zone-group=a");
	set_ok(&w, "target.node_selector",
	    "node-role.example.com/sentry=true, disktype=ssd");
	set_bad(&w, "target.node_selector", "disktype=a=b",
	    "target.node_selector");
	set_bad(&w, "target.node_selector", "Bad Key=x", "target.node_selector");
	assert_value(&w, "target.node_selector",
	    "node-role.example.com/sentry=true, disktype=ssd");
	set_ok(&w, "target.node_selector", "");
	assert_value(&w, "target.node_selector", "");
	wiz_close(&w);
}
END_TEST

START_TEST(tolerations_are_typed_as_taints)
{
	struct wiz w;
	char *text;

	open_fresh(&w, "wiz-tolerations");
	ck_assert_int_eq(wiz_path_kind("target.tolerations"), WF_TOLERATIONS);
	set_ok(&w, "target.tolerations", "dedicated=sentry:NoSchedule, "
	    "edge, node.kubernetes.io/unreachable:NoExecute for 120s, "
	    "*:PreferNoSchedule, blank=");
	assert_value(&w, "target.tolerations", "dedicated=sentry:NoSchedule, "
	    "edge, node.kubernetes.io/unreachable:NoExecute for 120s, "
	    "*:PreferNoSchedule, blank=");
	text = saved(&w);
	ck_assert_contains(text, "  - key: dedicated\n    value: \"sentry\"\n"
	    "    effect: NoSchedule\n  - key: edge\n    operator: Exists\n");
	ck_assert_contains(text, "    effect: NoExecute\n"
	    "    toleration_seconds: 120\n");
	ck_assert_contains(text, "  - operator: Exists\n"
	    "    effect: PreferNoSchedule\n");
	free(text);
	/* Each refusal names the item and what it expected. */
	set_bad(&w, "target.tolerations", "a=b:NoSchedul",
	    "target.tolerations[0].effect");
	set_bad(&w, "target.tolerations", "ok:NoSchedule, x:NoSchedule for 9s",
	    "target.tolerations[1]");
	set_bad(&w, "target.tolerations", "*=x:NoSchedule",
	    "target.tolerations[0]");
	set_bad(&w, "target.tolerations", "a:NoExecute for soon",
	    "target.tolerations[0].effect");
	assert_value(&w, "target.tolerations", "dedicated=sentry:NoSchedule, "
	    "edge, node.kubernetes.io/unreachable:NoExecute for 120s, "
	    "*:PreferNoSchedule, blank=");
	wiz_close(&w);
}
END_TEST

/* What a hand-written file holds reads back as a line that stands for
 * the same tolerations, item for item. */
START_TEST(hand_written_tolerations_read_back)
{
	struct ynode *seq = yn_seq(), *t = yn_seq_add(seq, yn_map()), *again;
	char *line, *line2;

	yn_map_set(t, "key", yn_str("batch"));
	yn_map_set(t, "operator", yn_str("Equal"));
	yn_map_set(t, "value", yn_str("yes"));
	yn_map_set(t, "effect", yn_str("NoExecute"));
	yn_map_set(t, "toleration_seconds", yn_int(30));
	t = yn_seq_add(seq, yn_map());
	yn_map_set(t, "operator", yn_str("Exists"));
	line = wiz_tolerations_text(seq);
	ck_assert_str_eq(line, "batch=yes:NoExecute for 30s, *");
	again = wiz_tolerations_node(line);
	line2 = wiz_tolerations_text(again);
	ck_assert_str_eq(line2, line);
	ck_assert_int_eq(again->n, 2);
	ck_assert_ptr_null(yn_get(again->items[1], "key"));
	free(line);
	free(line2);
	yn_free(again);
	yn_free(seq);
}
END_TEST

Suite *
suite_wiz_place(void)
{
	Suite *s = suite_create("wizard_place");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, a_node_selector_is_typed_as_pairs);
	tcase_add_test(tc, tolerations_are_typed_as_taints);
	tcase_add_test(tc, hand_written_tolerations_read_back);
	suite_add_tcase(s, tc);
	return s;
}
