/* Config templates: substitution, quoting, sections, and loud typos. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "tmpl.h"

static struct vars vs;

static void
setup(void)
{
	struct strlist hosts = { 0 };

	memset(&vs, 0, sizeof vs);
	vars_text(&vs, "host", "pg.internal");
	vars_text(&vs, "tricky", "a\"b\\c\nd");
	vars_text(&vs, "backend", "s3");
	vars_text(&vs, "empty", "");
	vars_bool(&vs, "on", 1);
	vars_bool(&vs, "off", 0);
	vars_secret(&vs, "password", "hunter2");
	sl_add(&hosts, "mc1:11211");
	sl_add(&hosts, "mc2:11211");
	vars_list(&vs, "hosts", &hosts);
	vars_text(&vs, "flags", "a:b,c:d");
	sl_free(&hosts);
	sl_add(&hosts, "events=3");
	sl_add(&hosts, "rate=1.0");
	sl_add(&hosts, "on=True");
	sl_add(&hosts, "half=1.");
	sl_add(&hosts, "odd\"name=x); import os");
	vars_list(&vs, "counts", &hosts);
	sl_free(&hosts);
	sl_add(&hosts, "no-equals");
	vars_list(&vs, "broken", &hosts);
	sl_free(&hosts);
}

static void
teardown(void)
{
	vars_free(&vs);
}

static char *
render(const char *text, int *secret, struct err *e)
{
	struct strbuf out = STRBUF_INIT;
	int used = 0;

	err_clear(e);
	if (tmpl_render(text, "t.tmpl", &vs, &out, &used, e) < 0) {
		sb_free(&out);
		return NULL;
	}
	if (secret)
		*secret = used;
	return sb_take(&out);
}

START_TEST(variables_and_filters)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "host={{host}}\n", "host=pg.internal\n" },
		{ "{{ host }}", "pg.internal" },
		{ "x = {{tricky|py}}", "x = \"a\\\"b\\\\c\\nd\"" },
		{ "x: {{tricky|yaml}}", "x: \"a\\\"b\\\\c\\nd\"" },
		{ "{{hosts|pylist}}", "[\"mc1:11211\", \"mc2:11211\"]" },
		{ "{{hosts|yamllist}}", "[\"mc1:11211\", \"mc2:11211\"]" },
		{ "{{hosts}}", "mc1:11211,mc2:11211" },
		{ "{{flags|pycsv}}", "[\"a:b\", \"c:d\"]" },
		{ "{{on|bool}} {{off|bool}} {{on|pybool}}", "true false True" },
		/* Numbers stay numbers; anything else is a string, never code. */
		{ "{{counts|pydict}}", "{\n    \"events\": 3,\n    \"rate\": 1.0,\n"
		  "    \"on\": True,\n    \"half\": \"1.\",\n    \"odd\\\"name\": "
		  "\"x); import os\",\n}" },
	};
	struct err e;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *out = render(cases[i].in, NULL, &e);

		ck_assert_msg(out != NULL, "%s", e.msg);
		ck_assert_str_eq(out, cases[i].out);
		free(out);
	}
}
END_TEST

START_TEST(sections_and_standalone_lines)
{
	static const char in[] =
	    "a\n"
	    "{{#on}}\n"
	    "on-line\n"
	    "{{/on}}\n"
	    "{{#off}}\n"
	    "off-line\n"
	    "{{/off}}\n"
	    "  {{^off}}\n"
	    "not-off\n"
	    "  {{/off}}\n"
	    "{{#backend=s3}}s3 {{host}}{{/backend}}{{#backend=gcs}}gcs{{/backend}}\n"
	    "{{! a comment line }}\n"
	    "{{#empty}}never{{/empty}}{{^empty}}empty{{/empty}}\n"
	    "z\n";
	struct err e;
	char *out = render(in, NULL, &e);

	ck_assert_msg(out != NULL, "%s", e.msg);
	ck_assert_str_eq(out, "a\non-line\nnot-off\ns3 pg.internal\nempty\nz\n");
	free(out);
}
END_TEST

START_TEST(secret_use_is_reported)
{
	struct err e;
	int secret = 0;
	char *out = render("user={{host}}\n", &secret, &e);

	ck_assert_int_eq(secret, 0);
	free(out);
	out = render("{{#off}}{{password}}{{/off}}", &secret, &e);
	ck_assert_int_eq(secret, 0);
	free(out);
	out = render("pw={{password|yaml}}", &secret, &e);
	ck_assert_int_eq(secret, 1);
	ck_assert_str_eq(out, "pw=\"hunter2\"");
	free(out);
}
END_TEST

START_TEST(mistakes_are_errors)
{
	static const struct { const char *in, *expect; } cases[] = {
		{ "ok\n{{hots}}\n", "t.tmpl:2: unknown variable \"hots\"" },
		{ "{{host|json5}}", "t.tmpl:1: unknown filter \"json5\"" },
		{ "{{#on}}\nx\n", "section never closed: \"on\"" },
		{ "{{#on}}{{#off}}{{/on}}{{/off}}", "section closed out of order: \"on\"" },
		{ "{{/on}}", "closing a section that is not open: \"on\"" },
		{ "{{host", "unclosed tag" },
		{ "{{host|pylist}}", "a list filter on a single value" },
		{ "{{host|pydict}}", "a list filter on a single value" },
		{ "{{broken|pydict}}", "a pydict item without '='" },
		{ "{{#nope}}x{{/nope}}", "unknown variable \"nope\"" },
	};
	struct err e;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *out = render(cases[i].in, NULL, &e);

		ck_assert_ptr_null(out);
		ck_assert_contains(e.msg, cases[i].expect);
	}
}
END_TEST

Suite *
suite_tmpl(void)
{
	Suite *s = suite_create("templates");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, variables_and_filters);
	tcase_add_test(tc, sections_and_standalone_lines);
	tcase_add_test(tc, secret_use_is_reported);
	tcase_add_test(tc, mistakes_are_errors);
	suite_add_tcase(s, tc);
	return s;
}
