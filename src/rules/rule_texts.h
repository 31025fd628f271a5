/* The words of the rules (rule_texts.c): assets/rules/catalogue.yaml. */
#ifndef SHS_RULE_TEXTS_H
#define SHS_RULE_TEXTS_H

#include "err.h"
#include "schema.h"

/* The words of one rule (from the catalogue file). */
struct rule_text {
	char	*id;		/* first member: FT_DICT key */
	char	*title;
	char	*severity;
	char	*releases;
	char	*why;
	char	*fix;
	char	*source;
};

struct rule_texts {
	struct objlist	 rules;		/* of struct rule_text */
	struct srcmap	 where;
};

/* Loads assets/rules/catalogue.yaml; every rule of the engine must have an
 * entry and every entry a rule (checked here). */
int	rule_texts_load(const char *assets_dir, struct rule_texts *c, struct err *e);
/* The words of rule `id`, borrowed from c, or NULL. */
const struct rule_text *rule_texts_find(const struct rule_texts *c, const char *id);
void	rule_texts_free(struct rule_texts *c);

#endif
