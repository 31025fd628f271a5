/* YAML tree: parsing with positions and limits, emitting with safe quoting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "ynode.h"

static int
parse(const char *text, struct ynode **root, struct err *e)
{
	err_clear(e);
	return yaml_parse(text, strlen(text), "t.yaml", 0, root, e);
}

START_TEST(positions_are_recorded)
{
	struct ynode *root;
	struct err e;

	ck_assert_int_eq(parse("a: 1\nb:\n  c: [x, y]\n", &root, &e), 0);
	ck_assert_int_eq(root->kind, Y_MAP);
	ck_assert_int_eq(root->pairs[1].line, 2);
	ck_assert_str_eq(yn_path_text(root, "b.c") ? "" : "seq", "seq");
	ck_assert_int_eq(yn_path(root, "b.c")->items[1]->col, 10);
	yn_free(root);
}
END_TEST

START_TEST(duplicate_keys_are_rejected)
{
	struct ynode *root;
	struct err e;

	ck_assert_int_eq(parse("a: 1\nb: 2\na: 3\n", &root, &e), -1);
	ck_assert_contains(e.msg, "t.yaml:3:1: duplicate key \"a\" (first defined at line 1)");
	ck_assert_int_eq(e.kind, ERR_INPUT);
}
END_TEST

START_TEST(alias_bomb_is_refused)
{
	static const char bomb[] =
	    "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
	    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
	    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
	    "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n";
	struct ynode *root;
	struct err e;

	ck_assert_int_eq(parse(bomb, &root, &e), -1);
	ck_assert_contains(e.msg, "aliases expand the document to more than 100000 values");
}
END_TEST

START_TEST(small_aliases_are_expanded)
{
	struct ynode *root;
	struct err e;

	ck_assert_int_eq(parse("x: &p {host: h}\ny: *p\n", &root, &e), 0);
	ck_assert_str_eq(yn_path_text(root, "y.host"), "h");
	yn_free(root);
}
END_TEST

START_TEST(anchored_key_survives)
{
	struct ynode *root;
	struct err e;

	ck_assert_int_eq(parse("&k key: 1\nother: *k\n", &root, &e), 0);
	ck_assert_str_eq(yn_path_text(root, "other"), "key");
	yn_free(root);
}
END_TEST

START_TEST(bad_documents_are_explained)
{
	static const struct {
		const char *text, *expect;
	} cases[] = {
		{ "a: [1, 2\n", "t.yaml:2:1: invalid YAML" },
		{ "? [a]\n: 1\n", "a mapping key must be a single value" },
		{ "a: *S3cret\n", "t.yaml:1:4: unknown alias (a value that starts "
		  "with * must be quoted)" },
		{ "a: 1\n---\nb: 2\n", "expected a single YAML document" },
		{ "\tkey: value\n", "invalid YAML" },
		/* A tag that would be dropped silently: the value is lost. */
		{ "a: !S3cret\n", "t.yaml:1:4: YAML tags (!name) are not supported" },
		{ "a: !S3cret x\n", "YAML tags (!name) are not supported" },
		{ "a: !!int 1\n", "YAML tags (!name) are not supported" },
		{ "a: !S3cret [x]\n", "YAML tags (!name) are not supported" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ynode *root = NULL;
		struct err e;

		ck_assert_int_eq(parse(cases[i].text, &root, &e), -1);
		ck_assert_contains(e.msg, cases[i].expect);
		/* What looks like a password is not repeated. */
		ck_assert_ptr_null(strstr(e.msg, "S3cret"));
		ck_assert_ptr_null(root);
	}
}
END_TEST

START_TEST(deep_nesting_is_refused)
{
	char text[400];
	struct ynode *root;
	struct err e;

	memset(text, '[', 100);
	text[100] = '\0';
	ck_assert_int_eq(parse(text, &root, &e), -1);
	ck_assert_contains(e.msg, "nesting deeper than 64 levels");
}
END_TEST

/* Strings that break naive YAML writers come back exactly. */
START_TEST(emitted_strings_read_back_exactly)
{
	static const char *const values[] = {
		"p\"a's", "a: b", "x #y", "&anchor", "*alias", "|pipe", "back\\slash",
		"two\nlines\n", "ünïcödé ✓", "yes", "No", "on", "0123", "1e3", "~",
		"", " lead", "trail ", "- dash", "{flow}", "[seq]", "%percent",
		"@at", "`tick", "null", "true", "0x1F", "12:30", "\ttab", "a\rb",
	};
	struct ynode *doc = yn_map(), *back;
	struct strbuf out = STRBUF_INIT;
	struct err e;
	char key[16];

	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		snprintf(key, sizeof key, "k%zu", i);
		yn_map_set(doc, key, yn_str(values[i]));
	}
	ck_assert_int_eq(yaml_emit(doc, 0, &out, &e), 0);
	ck_assert_int_eq(parse(out.s, &back, &e), 0);
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		const struct ynode *n;

		snprintf(key, sizeof key, "k%zu", i);
		n = yn_get(back, key);
		ck_assert_str_eq(n->text, values[i]);
		/* Anything YAML 1.1 would read as non-string must be quoted. */
		if (i >= 9 && i <= 14)
			ck_assert_int_eq(n->quoted, 1);
	}
	yn_free(doc);
	yn_free(back);
	sb_free(&out);
}
END_TEST

START_TEST(plain_when_unambiguous)
{
	struct ynode *doc = yn_map();
	struct strbuf out = STRBUF_INIT;
	struct err e;

	yn_set_str(doc, "image", "getsentry/sentry:24.8.0");
	yn_set_int(doc, "replicas", 3);
	yn_map_set(doc, "text", yn_block("line one\nline two\n"));
	ck_assert_int_eq(yaml_emit(doc, 0, &out, &e), 0);
	ck_assert_str_eq(out.s, "image: getsentry/sentry:24.8.0\nreplicas: 3\n"
	    "text: |\n  line one\n  line two\n");
	yn_free(doc);
	sb_free(&out);
}
END_TEST

START_TEST(bytes_that_are_not_text_are_refused)
{
	struct ynode *doc = yn_map();
	struct strbuf out = STRBUF_INIT;
	struct err e;

	yn_set_str(doc, "password", "a\xff\xfe");
	ck_assert_int_eq(yaml_emit(doc, 0, &out, &e), -1);
	ck_assert_contains(e.msg, "not valid UTF-8");
	yn_free(doc);
	sb_free(&out);
}
END_TEST

Suite *
suite_yaml(void)
{
	Suite *s = suite_create("yaml");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, positions_are_recorded);
	tcase_add_test(tc, duplicate_keys_are_rejected);
	tcase_add_test(tc, alias_bomb_is_refused);
	tcase_add_test(tc, small_aliases_are_expanded);
	tcase_add_test(tc, anchored_key_survives);
	tcase_add_test(tc, bad_documents_are_explained);
	tcase_add_test(tc, deep_nesting_is_refused);
	tcase_add_test(tc, emitted_strings_read_back_exactly);
	tcase_add_test(tc, plain_when_unambiguous);
	tcase_add_test(tc, bytes_that_are_not_text_are_refused);
	suite_add_tcase(s, tc);
	return s;
}
