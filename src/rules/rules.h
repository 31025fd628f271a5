/*
 * The constraint engine (rules.c): rules over a plan (and, when the live
 * checks have run, over facts about the servers, facts.h) that produce
 * findings. The rules are a table in rules.c, their checks in rules_*.c;
 * their words (title, why, fix, source) are data in
 * assets/rules/catalogue.yaml (rule_texts.h), and report.h prints them.
 */
#ifndef SHS_RULES_H
#define SHS_RULES_H

#include "err.h"
#include "facts.h"
#include "plan.h"

enum severity { SEV_INFO, SEV_WARNING, SEV_ERROR };

extern const char *const severity_names[];	/* "info", "warning", "error" */

struct finding {
	const char	*rule;		/* rule id (static) */
	enum severity	 severity;
	char		*subject;	/* a service, or NULL for the deployment */
	char		*field;		/* the answer it concerns, or NULL */
	char		*message;	/* what was found, specifically */
	size_t		 order;		/* when it was found (for a stable sort) */
};

struct findings {
	struct finding	*v;
	size_t		 n, cap;
};

/* Evaluates every rule. `facts` may be NULL (offline). Findings come out
 * sorted: errors first, then warnings, then info, each in rule order. */
void	rules_evaluate(const struct plan *pl, const struct facts *facts,
	    struct findings *out);
size_t	findings_count(const struct findings *f, enum severity s);
void	findings_free(struct findings *f);

/* The rules, in evaluation order: how many, and the id of each (static). */
size_t	rule_count(void);
const char *rule_id(size_t i);

#endif
