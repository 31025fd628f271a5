/*
 * The answers with their defaults: the one place where a default of the
 * field table (answers_fields.c) becomes a value. The plan is built from
 * this copy, so no output applies a default of its own.
 */
#include <string.h>

#include "answers.h"

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
	/* The copy is decoded from what was decoded already: it cannot fail
	 * but for a table whose encoding and decoding disagree. */
	rc = schema_decode(answers_fields, out, doc, "", &d);
	yn_free(doc);
	if (rc == 0)
		schema_fill_defaults(answers_fields, out);
	return rc;
}
