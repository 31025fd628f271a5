/*
 * The answers with their defaults: the one place where a default of the
 * field table (answers_fields.c) becomes a value. The plan is built from
 * this copy, so no output applies a default of its own.
 */
#include <stdlib.h>
#include <string.h>

#include "answers.h"

/* Other words for a choice, as operators write them: the resolved answers
 * hold the table's own word, so nothing downstream knows the alias. */
static const struct { const char *path, *alias, *value; } aliases[] = {
	{ "smtp.tls", "ssl", "tls" },	/* Sentry's mail.use-ssl */
};

static void
apply_aliases(struct ynode *doc)
{
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
		struct ynode *n = yn_path(doc, aliases[i].path);

		if (n != NULL && n->kind == Y_SCALAR &&
		    strcmp(n->text, aliases[i].alias) == 0) {
			free(n->text);
			n->text = xstrdup(aliases[i].value);
		}
	}
}

const struct field *
answers_field(const char *path)
{
	return schema_field_at(answers_fields, path);
}

int
answers_resolve(const struct answers *a, struct answers *out, struct err *e)
{
	struct ynode *doc = schema_encode(answers_fields, a);
	struct decoder d = { NULL, NULL, e, NULL };
	int rc;

	memset(out, 0, sizeof *out);
	schema_init(answers_fields, out);
	apply_aliases(doc);
	/* The copy is decoded from what was decoded already: it cannot fail
	 * but for a table whose encoding and decoding disagree. */
	rc = schema_decode(answers_fields, out, doc, "", &d);
	yn_free(doc);
	if (rc == 0)
		schema_fill_defaults(answers_fields, out);
	return rc;
}
