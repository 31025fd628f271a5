/* RUNBOOK.md: the ordered next steps with the exact commands. */
#ifndef SHS_RUNBOOK_H
#define SHS_RUNBOOK_H

#include "err.h"
#include "outset.h"
#include "plan.h"

/* runbook.c */
int	runbook_k8s(const struct plan *pl, struct outset *out, struct err *e);

/* Sections both targets' runbooks share; `n` is the section's number. */
void	runbook_images(const struct plan *pl, struct strbuf *md, int n);
void	runbook_topics(const struct plan *pl, struct strbuf *md, int n);
void	runbook_applied(const struct plan *pl, struct strbuf *md);
void	runbook_internet(const struct plan *pl, struct strbuf *md);

/* runbook_swarm.c: the stack files are `f`. */
struct swarm_files;
int	runbook_swarm(const struct plan *pl, const struct swarm_files *f,
	    struct outset *out, struct err *e);

#endif
