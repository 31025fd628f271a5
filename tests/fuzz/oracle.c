/* The fuzzers' oracles (oracle.h). */
#include "oracle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "rule_texts.h"
#include "rules.h"
#include "targets.h"
#include "ynode.h"

static int
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n >= m && strcmp(s + n - m, tail) == 0;
}

static void
must_parse(const char *what, const char *text, size_t len)
{
	struct ynode *root = NULL;
	struct err e;

	err_clear(&e);
	if (yaml_parse(text, len, what, YP_MULTI, &root, &e) < 0) {
		fprintf(stderr, "oracle: %s does not parse again: %s\n", what,
		    e.msg);
		abort();
	}
	yn_free(root);
}

const char *
fuzz_root(void)
{
	const char *root = getenv("SHS_ROOT");

	return root != NULL ? root : ".";
}

const struct keys *
fuzz_keys(void)
{
	static struct keys k = {
		"kl(w@dpu&etgtzt+3ajgz_i154j#pc7fdv6f#ol2d%60zupx=@",
		"0d4d355b-dd43-4868-af25-d532746477b1",
		"aI0O29ke63ZQHIcP1GUUassdfSQfhgU4QFvvhtTvCBM",
		"YMhC1mW9pUNdcKmWwVdLL4sWfUapib83-YSWvD-px1JojQ7b2R7rdlAchw_UZRRq"
		"yx19JB-GBThAW--G1O8IEw",
		"2xPm0-0VGEfrqEBi2djmvViyyHemwJNA",
		0,
	};

	return &k;
}

void
fuzz_through(const struct answers *a, const struct profile *p,
    const char *target)
{
	char *assets = xasprintf("%s/assets", fuzz_root());
	struct plan_opts opts = { target, assets, PLAN_NO_SECRET_VALUES, NULL };
	struct rule_texts texts;
	struct findings f = { 0 };
	struct outset out = { 0 };
	struct strbuf json = STRBUF_INIT;
	struct plan pl;
	struct err e;

	err_clear(&e);
	if (plan_build(a, p, fuzz_keys(), &opts, &pl, &e) == 0) {
		rules_evaluate(&pl, NULL, &f);
		if (rule_texts_load(assets, &texts, &e) == 0) {
			report_json(&f, &texts, &pl, NULL, &json);
			must_parse("the check --json report", json.s, json.len);
			rule_texts_free(&texts);
		}
		if (target_find(target)->emit(&pl, &out, &e) == 0)
			for (size_t i = 0; i < out.n; i++)
				if (ends_with(out.v[i].path, ".yaml") ||
				    ends_with(out.v[i].path, ".yml") ||
				    ends_with(out.v[i].path, ".json"))
					must_parse(out.v[i].path, out.v[i].content,
					    out.v[i].len);
	}
	plan_free(&pl);
	findings_free(&f);
	outset_free(&out);
	sb_free(&json);
	free(assets);
}

void
fuzz_answers_reload(const struct answers *a)
{
	struct ynode *doc = schema_encode(answers_fields, a);
	struct strbuf text = STRBUF_INIT;
	struct answers again;
	struct err e;

	err_clear(&e);
	if (yaml_emit(doc, 0, &text, &e) < 0 ||
	    answers_parse(text.s, text.len, "saved.yaml", &again, &e) < 0) {
		fprintf(stderr, "oracle: saved answers do not load again: %s\n%s",
		    e.msg, text.s ? text.s : "");
		abort();
	}
	answers_free(&again);
	yn_free(doc);
	sb_free(&text);
}
