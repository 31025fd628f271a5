/* The placement and resources lines of `explain SERVICE` (explain_place.h). */
#include "explain_place.h"

#include <string.h>

#include "quantity.h"

#define INDENT	"               "	/* under the 15 columns of a label */

/* Appends `text` (which it frees) after `prefix`, re-flowed under it. */
static void
wrapped(struct strbuf *out, const char *prefix, struct strbuf *text)
{
	sb_wrap(out, prefix, sb_str(text), 15, 78);
	sb_free(text);
}

static void
selector_text(const struct plan_service *s, struct strbuf *out)
{
	struct strbuf t = STRBUF_INIT;

	sb_printf(&t, "node selector: ");
	if (s->node_selector.n == 0)
		sb_printf(&t, "none (any node)");
	for (size_t i = 0; i < s->node_selector.n; i++)
		sb_printf(&t, "%s%s=%s", i ? ", " : "", s->node_selector.v[i].key,
		    s->node_selector.v[i].value);
	wrapped(out, "  placement    ", &t);
}

static void
tolerations_text(const struct plan_service *s, struct strbuf *sb)
{
	struct strbuf text = STRBUF_INIT, *out = &text;

	sb_printf(out, "tolerates: ");
	if (s->ntolerations == 0)
		sb_printf(out, "no taint");
	for (size_t i = 0; i < s->ntolerations; i++) {
		const struct plan_toleration *t = &s->tolerations[i];

		if (i > 0)
			sb_printf(out, "; ");
		if (t->key == NULL)
			sb_printf(out, "every taint");
		else if (strcmp(t->operator, "Exists") == 0)
			sb_printf(out, "%s (any value)", t->key);
		else
			sb_printf(out, "%s=%s", t->key, t->value ? t->value : "");
		if (t->effect != NULL)
			sb_printf(out, ":%s", t->effect);
		if (t->seconds != UNSET_INT)
			sb_printf(out, " for %lds", t->seconds);
	}
	wrapped(sb, INDENT, &text);
}

static void
spread_text(const struct plan *pl, const struct plan_service *s,
    struct strbuf *out)
{
	struct strbuf t = STRBUF_INIT;

	if (s->replicas <= 1 || s->role == ROLE_SINGLETON)
		sb_printf(&t, "spread: none (%s)", s->role == ROLE_SINGLETON ?
		    "a singleton" : "one replica");
	else
		sb_printf(&t, "spread: kubernetes.io/hostname%s (preferred)",
		    pl->target.zones ? ", topology.kubernetes.io/zone" : "");
	wrapped(out, INDENT, &t);
}

static void
priority_text(const struct plan *pl, const struct plan_service *s,
    struct strbuf *out)
{
	struct strbuf t = STRBUF_INIT;

	if (s->priority_class == NULL)
		sb_printf(&t, "priority class: none (the cluster's default)");
	else
		sb_printf(&t, "priority class: %s (%s)", s->priority_class,
		    pl->target.priority_class_own ? "the ingest path's, in "
		    "priorityclass.yaml" : "target.priority_class");
	wrapped(out, INDENT, &t);
}

static void
resources_text(const struct plan_service *s, struct strbuf *out)
{
	char cpu[32], mem[32], lim[32];

	cpu_quantity(s->cpu_millis, cpu, sizeof cpu);
	memory_quantity(s->memory_mib, mem, sizeof mem);
	memory_quantity(s->memory_limit_mib, lim, sizeof lim);
	sb_printf(out, "  %-12s requests cpu %s, memory %s; limits memory %s "
	    "(none for cpu)\n", "resources", cpu, mem, lim);
}

void
explain_placement(const struct plan *pl, const struct plan_service *s,
    struct strbuf *out)
{
	if (strcmp(pl->target.kind, "kubernetes") == 0) {
		selector_text(s, out);
		tolerations_text(s, out);
		spread_text(pl, s, out);
		priority_text(pl, s, out);
	}
	resources_text(s, out);
}
