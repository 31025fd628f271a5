/*
 * The placement answers' checks that span fields (answers.h): what the
 * Kubernetes API server would refuse at apply time, said at load time
 * with the answer's path instead.
 */
#include <stdio.h>
#include <string.h>

#include "answers.h"

typedef void report_fn(void *ctx, const char *path, const char *message);

static void
check_toleration(const struct ans_toleration *t, const char *path,
    report_fn *report, void *ctx)
{
	char at[256];
	int exists = t->operator != NULL && strcmp(t->operator, "Exists") == 0;

	if (exists && t->value != NULL && t->value[0] != '\0') {
		snprintf(at, sizeof at, "%s.value", path);
		report(ctx, at, "operator Exists matches any value: leave value "
		    "out, or use operator Equal");
	}
	/* An empty key matches every taint, which only Exists can mean. */
	if (!exists && t->key == NULL) {
		snprintf(at, sizeof at, "%s.key", path);
		report(ctx, at, "required with operator Equal (only Exists may "
		    "leave it out, to tolerate every taint)");
	}
	if (t->toleration_seconds != UNSET_INT && (t->effect == NULL ||
	    strcmp(t->effect, "NoExecute") != 0)) {
		snprintf(at, sizeof at, "%s.toleration_seconds", path);
		report(ctx, at, "only with effect NoExecute (how long a pod stays "
		    "on a node tainted after it started)");
	}
}

static void
check_tolerations(const struct objlist *list, const char *path,
    report_fn *report, void *ctx)
{
	for (size_t i = 0; i < list->n; i++) {
		char at[200];

		snprintf(at, sizeof at, "%s[%zu]", path, i);
		check_toleration(OBJ_AT(list, sizeof(struct ans_toleration), i),
		    at, report, ctx);
	}
}

void
answers_check_place(const struct answers *a, report_fn *report, void *ctx)
{
	const char *pc = a->target.priority_class;

	check_tolerations(&a->target.tolerations, "target.tolerations", report,
	    ctx);
	for (size_t i = 0; i < a->services.n; i++) {
		const struct ans_service *s = OBJ_AT(&a->services, sizeof *s, i);
		char at[160];

		snprintf(at, sizeof at, "services.%s.tolerations", s->name);
		check_tolerations(&s->tolerations, at, report, ctx);
	}
	/* Kubernetes keeps the system- prefix for its own classes. */
	if (pc != NULL && strncmp(pc, "system-", 7) == 0)
		report(ctx, "target.priority_class", "names starting with "
		    "\"system-\" are reserved for Kubernetes' own classes");
}
