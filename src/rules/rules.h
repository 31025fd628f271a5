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
/* Errors first, then warnings, then info, each in rule order. */
void	findings_sort(struct findings *f);
size_t	findings_count(const struct findings *f, enum severity s);
void	findings_free(struct findings *f);

/*
 * Whether the databases stand where Sentry pl->release leaves them
 * (rules_reached.c): every squash boundary that its hard-stop checks look
 * for in django_migrations, app sentry's newest migration at the last one
 * the release ships (where its profile names it, sentry_migration_head),
 * every Snuba group at the release's last migration, nothing in progress. Findings are appended (unsorted).
 *
 * REACH_STANDING asks it of the release an upgrade starts from (rule
 * upgrade-standing): databases behind or ahead of it are errors, since the
 * chain would start in the wrong place; what was not checked says nothing.
 * REACH_VERIFY asks it of the release a hop has just reached (rule
 * upgrade-hop-verified): what could not be checked is an error too, since
 * nothing may be taken as done unseen.
 */
enum reach { REACH_STANDING, REACH_VERIFY };

void	rules_reached(const struct plan *pl, const struct facts *facts,
	    enum reach mode, struct findings *out);

/* The rules, in evaluation order: how many, and the id of each (static). */
size_t	rule_count(void);
const char *rule_id(size_t i);

#endif
