/* The findings, the rules' words and the live checks' results for people
 * and for automation (report.c). */
#ifndef SHS_REPORT_H
#define SHS_REPORT_H

#include "plan.h"
#include "rule_texts.h"
#include "rules.h"

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
