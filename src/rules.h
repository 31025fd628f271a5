/*
 * The constraint engine: rules over a plan (and, when the live checks have
 * run, over facts about the servers) that produce findings. The rules are a
 * table in rules.c; their words (title, why, fix, source) are data in
 * assets/rules/catalogue.yaml.
 */
#ifndef SHS_RULES_H
#define SHS_RULES_H

#include "err.h"
#include "plan.h"
#include "schema.h"

enum severity { SEV_INFO, SEV_WARNING, SEV_ERROR };

extern const char *const severity_names[];	/* "info", "warning", "error" */

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
const struct rule_text *rule_texts_find(const struct rule_texts *c, const char *id);
void	rule_texts_free(struct rule_texts *c);

/* What the live checks learnt; everything unknown stays unset (NULL, -1). */
struct topic_fact {
	char	*name;
	long	 partitions;
	long	 replication;
};

struct facts {
	char		*postgres_version;	/* "14.11" */
	char		*clickhouse_version;	/* "23.8.11.29" */
	char		*redis_mode;		/* standalone | cluster | sentinel */
	long		 kafka_brokers;		/* brokers in the metadata, or -1 */
	struct topic_fact *topics;
	size_t		 ntopics;
	struct strlist	 clickhouse_clusters;
	struct strlist	 clickhouse_distributed;	/* db.table */
};

void	facts_init(struct facts *f);
void	facts_free(struct facts *f);
const struct topic_fact *facts_topic(const struct facts *f, const char *name);
/* Moves everything `src` knows into `dst` (which keeps what src does not
 * know) and empties src. */
void	facts_merge(struct facts *dst, struct facts *src);

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

/* The rules, in evaluation order: how many, and the id of each. */
size_t	rule_count(void);
const char *rule_id(size_t i);

/* report_text() flags. */
#define REPORT_VERBOSE	0x1	/* say why for every finding */
#define REPORT_PROBLEMS	0x2	/* errors and warnings only */

struct probe_results;
struct probe_result;

/* Human-readable report and the stable JSON document (check --json);
 * `probes` is NULL when no live check ran (--offline). */
void	report_text(const struct findings *f, const struct rule_texts *c,
	    const struct plan *pl, int flags, struct strbuf *out);
void	report_json(const struct findings *f, const struct rule_texts *c,
	    const struct plan *pl, const struct probe_results *probes,
	    struct strbuf *out);
/* One live check's result, as `check` prints it when it arrives. */
void	report_probe_text(const struct probe_result *r, const struct plan *pl,
	    struct strbuf *out);
/* "sentry-ha.yaml:12:5" for a finding's field, or "" (into buf). */
const char *finding_where(const struct finding *fd, const struct plan *pl,
	    char *buf, size_t size);

#endif
