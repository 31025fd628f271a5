/* Findings as a readable report and as the stable JSON document. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"
#include "report.h"
#include "tmpl.h"

#define JSON_SCHEMA	1
#define WRAP		76

const char *
finding_where(const struct finding *fd, const struct plan *pl, char *buf,
    size_t size)
{
	const struct srcpos *p;

	buf[0] = '\0';
	if (fd->field == NULL)
		return buf;
	p = srcmap_find(&pl->where, fd->field);
	if (p != NULL)
		snprintf(buf, size, "%s:%d:%d", pl->answers_file, p->line,
		    p->col);
	return buf;
}

static void
wrapped(struct strbuf *out, const char *prefix, const char *text, int indent)
{
	sb_wrap(out, prefix, text, indent, WRAP);
}

static void
header(const struct findings *f, const struct plan *pl, int flags,
    struct strbuf *out)
{
	size_t errors = findings_count(f, SEV_ERROR);
	size_t warnings = findings_count(f, SEV_WARNING);

	sb_printf(out, "Sentry %s on %s, from %s: %zu error%s, %zu "
	    "warning%s", pl->release, strcmp(pl->target.kind, "swarm") == 0 ?
	    "Docker Swarm" : "Kubernetes", pl->answers_file, errors,
	    errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
	if (!(flags & REPORT_PROBLEMS))
		sb_printf(out, ", %zu applied or noted", findings_count(f, SEV_INFO));
	sb_addc(out, '\n');
}

void
report_text(const struct findings *f, const struct rule_texts *c,
    const struct plan *pl, int flags, struct strbuf *out)
{
	static const char *const tags[] = { "info", "WARNING", "ERROR" };
	int verbose = flags & REPORT_VERBOSE;
	char where[512];
	int listed_info = 0;

	header(f, pl, flags, out);
	for (size_t i = 0; i < f->n; i++) {
		const struct finding *fd = &f->v[i];
		const struct rule_text *t = rule_texts_find(c, fd->rule);

		finding_where(fd, pl, where, sizeof where);
		if (fd->severity == SEV_INFO && (flags & REPORT_PROBLEMS))
			continue;
		if (fd->severity == SEV_INFO && !verbose) {
			/* What was done for the operator: one entry each. */
			char *prefix = xasprintf("  %s: ", fd->rule);

			if (!listed_info++)
				sb_add(out, "\nApplied and noted:\n");
			wrapped(out, prefix, fd->message, 4);
			free(prefix);
			continue;
		}
		sb_printf(out, "\n%-8s %s", tags[fd->severity], fd->rule);
		if (fd->field != NULL)
			sb_printf(out, "  %s%s%s%s", fd->field, where[0] ? " (" : "",
			    where, where[0] ? ")" : "");
		sb_addc(out, '\n');
		wrapped(out, "         ", fd->message, 9);
		if (verbose)
			wrapped(out, "         Why: ", t->why, 9);
		wrapped(out, "         Fix: ", t->fix, 9);
	}
	if (f->n > 0)
		sb_add(out, "\nsentry-ha-setup explain RULE tells why each rule "
		    "exists.\n");
}

static void
json_field(struct strbuf *out, const char *key, const char *value, int last)
{
	sb_printf(out, "\"%s\": ", key);
	if (value == NULL)
		sb_add(out, "null");
	else
		quote_json(out, value);
	sb_add(out, last ? "" : ", ");
}

/* What a probe learnt about the machine, a wrapped line per line. */
static void
about_text(struct strbuf *out, const char *about)
{
	while (about != NULL && *about != '\0') {
		const char *nl = strchr(about, '\n');
		char *line = nl ? xstrndup(about, (size_t)(nl - about)) :
		    xstrdup(about);

		wrapped(out, "      ", line, 6);
		free(line);
		about = nl ? nl + 1 : NULL;
	}
}

/* The pairs as a JSON object, or null. */
static void
about_json(struct strbuf *out, const struct kvlist *pairs)
{
	if (pairs->n == 0) {
		sb_add(out, "\"about\": null, ");
		return;
	}
	sb_add(out, "\"about\": {");
	for (size_t i = 0; i < pairs->n; i++)
		json_field(out, pairs->v[i].key, pairs->v[i].value,
		    i + 1 == pairs->n);
	sb_add(out, "}, ");
}

void
report_probe_text(const struct probe_result *r, const struct plan *pl,
    struct strbuf *out)
{
	char where[512];
	const struct srcpos *p = srcmap_find(&pl->where, r->field);

	where[0] = '\0';
	if (p != NULL)
		snprintf(where, sizeof where, "%s:%d:%d", pl->answers_file,
		    p->line, p->col);
	if (r->failure == PF_NONE || r->failure == PF_SKIPPED)
		sb_printf(out, "%s  %s %s (%.2f s)\n", r->failure == PF_NONE ?
		    "ok  " : "skip", r->service, r->endpoint,
		    r->elapsed_ms / 1000.0);
	else
		sb_printf(out, "FAIL  %s %s: %s (%.2f s)\n", r->service,
		    r->endpoint, probe_failure_name(r->failure),
		    r->elapsed_ms / 1000.0);
	wrapped(out, "      ", r->detail, 6);
	about_text(out, r->about);
	if (r->failure == PF_NONE || r->failure == PF_SKIPPED)
		return;
	if (r->fix != NULL)
		wrapped(out, "      Fix: ", r->fix, 6);
	if (where[0] != '\0')
		sb_printf(out, "      (%s at %s)\n", r->field, where);
}

static void
probes_json(const struct probe_results *probes, const struct plan *pl,
    struct strbuf *out)
{
	if (probes == NULL) {
		sb_add(out, "null");
		return;
	}
	sb_addc(out, '[');
	for (size_t i = 0; i < probes->n; i++) {
		const struct probe_result *r = &probes->v[i];
		const struct srcpos *p = srcmap_find(&pl->where, r->field);
		char *where = p ? xasprintf("%s:%d:%d", pl->answers_file,
		    p->line, p->col) : NULL;

		sb_add(out, i ? ",\n    {" : "\n    {");
		json_field(out, "service", r->service, 0);
		json_field(out, "endpoint", r->endpoint, 0);
		json_field(out, "field", r->field, 0);
		json_field(out, "where", where, 0);
		json_field(out, "status", r->failure == PF_NONE ? "ok" :
		    r->failure == PF_SKIPPED ? "skipped" : "failed", 0);
		json_field(out, "failure", r->failure == PF_NONE ||
		    r->failure == PF_SKIPPED ? NULL :
		    probe_failure_name(r->failure), 0);
		json_field(out, "detail", r->detail, 0);
		json_field(out, "fix", r->failure == PF_NONE ? NULL : r->fix, 0);
		about_json(out, &r->about_pairs);
		sb_printf(out, "\"elapsed_ms\": %ld}", r->elapsed_ms);
		free(where);
	}
	sb_add(out, probes->n ? "\n  ]" : "]");
}

void
report_json(const struct findings *f, const struct rule_texts *c,
    const struct plan *pl, const struct probe_results *probes,
    struct strbuf *out)
{
	char where[512];

	sb_printf(out, "{\n  \"schema\": %d,\n  ", JSON_SCHEMA);
	json_field(out, "release", pl->release, 1);
	sb_add(out, ",\n  ");
	json_field(out, "target", pl->target.kind, 1);
	sb_add(out, ",\n  ");
	json_field(out, "answers", pl->answers_file, 1);
	sb_printf(out, ",\n  \"summary\": {\"error\": %zu, \"warning\": %zu, "
	    "\"info\": %zu, \"failed_probes\": ", findings_count(f, SEV_ERROR),
	    findings_count(f, SEV_WARNING), findings_count(f, SEV_INFO));
	if (probes != NULL)
		sb_printf(out, "%zu},\n  \"probes\": ", probe_failures(probes));
	else
		sb_add(out, "null},\n  \"probes\": ");
	probes_json(probes, pl, out);
	sb_add(out, ",\n  \"findings\": [");
	for (size_t i = 0; i < f->n; i++) {
		const struct finding *fd = &f->v[i];
		const struct rule_text *t = rule_texts_find(c, fd->rule);

		finding_where(fd, pl, where, sizeof where);
		sb_add(out, i ? ",\n    {" : "\n    {");
		json_field(out, "id", fd->rule, 0);
		json_field(out, "severity", severity_names[fd->severity], 0);
		json_field(out, "subject", fd->subject, 0);
		json_field(out, "field", fd->field, 0);
		json_field(out, "where", where[0] ? where : NULL, 0);
		json_field(out, "message", fd->message, 0);
		json_field(out, "title", t->title, 0);
		json_field(out, "why", t->why, 0);
		json_field(out, "fix", t->fix, 0);
		json_field(out, "source", t->source, 1);
		sb_addc(out, '}');
	}
	sb_add(out, f->n ? "\n  ]\n}\n" : "]\n}\n");
}
