/* The words of the rules, from assets/rules/catalogue.yaml. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule_texts.h"
#include "rules.h"

static const char *const severities[] = { "error", "warning", "info", NULL };

#define S struct rule_text
static const struct field rule_text_fields[] = {
	{ "title", FT_STR, offsetof(S, title), NULL, F_REQUIRED | F_NONEMPTY, NULL, NULL },
	{ "severity", FT_ENUM, offsetof(S, severity), severities, F_REQUIRED, NULL, NULL },
	{ "releases", FT_STR, offsetof(S, releases), NULL, F_REQUIRED | F_NONEMPTY, NULL, NULL },
	{ "why", FT_STR, offsetof(S, why), NULL, F_REQUIRED | F_NONEMPTY, NULL, NULL },
	{ "fix", FT_STR, offsetof(S, fix), NULL, F_REQUIRED | F_NONEMPTY, NULL, NULL },
	{ "source", FT_STR, offsetof(S, source), NULL, F_REQUIRED | F_NONEMPTY, NULL, NULL },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};
#undef S

static const struct field catalogue_field[] = {
	{ "rules", FT_DICT, offsetof(struct rule_texts, rules),
	  &(const struct table){ rule_text_fields, sizeof(struct rule_text) }, 0, NULL, NULL },
	{ NULL, 0, 0, NULL, 0, NULL, NULL }
};

const struct rule_text *
rule_texts_find(const struct rule_texts *c, const char *id)
{
	for (size_t i = 0; i < c->rules.n; i++) {
		const struct rule_text *t = OBJ_AT(&c->rules, sizeof *t, i);

		if (strcmp(t->id, id) == 0)
			return t;
	}
	return NULL;
}

/* Every rule has words, and every entry is a rule. */
static int
cross_check(const struct rule_texts *c, const char *path, struct err *e)
{
	int rc = 0;

	for (size_t i = 0; i < rule_count(); i++)
		if (rule_texts_find(c, rule_id(i)) == NULL)
			rc = err_append(e, ERR_IO, "%s: no entry for rule %s", path,
			    rule_id(i));
	for (size_t i = 0; i < c->rules.n; i++) {
		const struct rule_text *t = OBJ_AT(&c->rules, sizeof *t, i);
		size_t j;

		for (j = 0; j < rule_count() && strcmp(rule_id(j), t->id) != 0; j++)
			;
		if (j == rule_count())
			rc = err_append(e, ERR_IO, "%s: \"%s\" is not a rule of this "
			    "build", path, t->id);
	}
	return rc;
}

int
rule_texts_load(const char *assets_dir, struct rule_texts *c, struct err *e)
{
	char *path = xasprintf("%s/rules/catalogue.yaml", assets_dir);
	struct ynode *root = NULL, *wrapper;
	struct err problems;
	struct decoder d = { path, &c->where, &problems, NULL };
	int rc;

	memset(c, 0, sizeof *c);
	c->where.file = xstrdup(path);
	rc = yaml_parse_file(path, 0, &root, e);
	if (rc < 0)
		e->kind = ERR_IO;	/* our own data file, missing or unreadable */
	if (rc == 0 && root == NULL)
		rc = err_set(e, ERR_IO, "%s: empty", path);
	if (rc == 0) {
		/* The file is the mapping of rules itself. */
		wrapper = yn_map();
		yn_map_set(wrapper, "rules", root);
		err_clear(&problems);
		if (schema_decode(catalogue_field, c, wrapper, "", &d) < 0 ||
		    cross_check(c, path, &problems) < 0) {
			problems.kind = ERR_IO;	/* our own data file is broken */
			*e = problems;
			rc = -1;
		}
		yn_free(wrapper);
	}
	free(path);
	return rc;
}

void
rule_texts_free(struct rule_texts *c)
{
	schema_free(catalogue_field, c);
	srcmap_free(&c->where);
}
