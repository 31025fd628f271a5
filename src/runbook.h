/* RUNBOOK.md: the ordered next steps with the exact commands. */
#ifndef SHS_RUNBOOK_H
#define SHS_RUNBOOK_H

#include "err.h"
#include "outset.h"
#include "plan.h"

int	runbook_k8s(const struct plan *pl, struct outset *out, struct err *e);

#endif
