/*
 * The way from one Sentry release to another: Sentry refuses to skip a
 * hard stop ("It looks like you've skipped a hard stop in our upgrade
 * process"), so an upgrade is a chain of hops, one to each hard stop
 * between the two releases and a last one to the target (chain.c); and
 * what each hop changes in the services and the configuration
 * (hop_diff.c).
 */
#ifndef SHS_CHAIN_H
#define SHS_CHAIN_H

#include <stddef.h>

#include "err.h"
#include "profile.h"
#include "xmem.h"

struct hop {
	const char		*from;	/* the release it starts at (borrowed) */
	const struct profile	*to;	/* the release it reaches (borrowed) */
};

struct chain {
	struct hop	*v;	/* owned, n of them, in order */
	size_t		 n;
};

/*
 * The hops from `from` (where the deployment stands: any release, with a
 * profile or not) to the profile of `to`, through every hard stop strictly
 * between them. ERR_USAGE, with the reason, for a `to` that has no profile
 * (the message lists those there are), a downgrade, or a `to` equal to
 * `from` (nothing to do); the chain then holds nothing. Borrowed pointers
 * live as long as `rs`.
 */
int	chain_build(const struct releases *rs, const char *from, const char *to,
	    struct chain *out, struct err *e);
void	chain_free(struct chain *c);

/* What a hop changes, in lines an operator reads top to bottom: services
 * added, removed and renamed (a successor), role and image changes,
 * configuration knobs and the middleware it newly requires. */
struct hop_diff {
	struct strlist	 added, removed, renamed;	/* "worker -> taskworker" */
	struct strlist	 roles, images, knobs, requires;
};

/* The difference between profiles `a` (the release before the hop) and
 * `b`; the caller frees it. `a` may be NULL (a release without a profile):
 * then only what `b` requires is said. */
void	hop_diff(const struct profile *a, const struct profile *b,
	    struct hop_diff *out);
void	hop_diff_free(struct hop_diff *d);
/* The diff as Markdown lists under "### " headings, appended to out. */
void	hop_diff_text(const struct hop_diff *d, struct strbuf *out);

#endif
