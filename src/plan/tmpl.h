/*
 * Config-file templates (assets/templates/): plain text with
 *   {{name}} or {{name|filter}}   a variable; filters: py (a Python string),
 *                                 pylist, pycsv (a,b -> Python list), pybool,
 *                                 pydict (a list of k=v -> {"k": v}),
 *                                 yaml (a quoted YAML string), yamllist,
 *                                 bool (true/false), csv
 *   {{#name}} ... {{/name}}       kept when the variable is true / non-empty
 *   {{^name}} ... {{/name}}       kept when it is false / empty
 *   {{#name=value}} ... {{/name}} kept when the variable equals value
 *   {{! comment }}
 * A line holding nothing but a section or comment tag disappears entirely.
 * Unknown variables and filters are errors (TEMPLATE:LINE), so a typo never
 * renders as an empty setting.
 */
#ifndef SHS_TMPL_H
#define SHS_TMPL_H

#include "err.h"
#include "vars.h"
#include "xmem.h"

/* Renders `text` (named `name` in messages) into `out`. *used_secret is set
 * when a secret variable was written into the output. */
int	tmpl_render(const char *text, const char *name, const struct vars *vs,
	    struct strbuf *out, int *used_secret, struct err *e);

/* Quoting helpers, also used by the emitters. */
void	quote_python(struct strbuf *out, const char *s);
void	quote_json(struct strbuf *out, const char *s);
/* The same, or null for NULL. */
void	quote_json_or_null(struct strbuf *out, const char *s);

#endif
