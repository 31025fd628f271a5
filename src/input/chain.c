/*
 * The chain of hops from one release to another through every hard stop
 * between them (chain.h). The profiles are sorted oldest first
 * (releases_load), so the hard stops come out in order.
 */
#include "chain.h"

#include <stdlib.h>
#include <string.h>

static void
add_hop(struct chain *c, const char *from, const struct profile *to)
{
	c->v = xrealloc(c->v, (c->n + 1) * sizeof *c->v);
	c->v[c->n].from = from;
	c->v[c->n].to = to;
	c->n++;
}

static int
no_profile(const struct releases *rs, const char *to, struct err *e)
{
	struct strbuf known = STRBUF_INIT;
	int rc;

	for (size_t i = 0; i < rs->n; i++)
		sb_printf(&known, "%s%s", i ? ", " : "", rs->v[i].release);
	sb_add(&known, "");
	rc = err_set(e, ERR_USAGE, "--to %s: no profile for Sentry %s (the "
	    "profiles are %s)", to, to, sb_str(&known));
	sb_free(&known);
	return rc;
}

int
chain_build(const struct releases *rs, const char *from, const char *to,
    struct chain *out, struct err *e)
{
	const struct profile *target = releases_find(rs, to);
	const char *at = from;

	memset(out, 0, sizeof *out);
	if (target == NULL)
		return no_profile(rs, to, e);
	if (version_cmp(to, from) < 0)
		return err_set(e, ERR_USAGE, "--to %s: the deployment runs %s, "
		    "and Sentry cannot be downgraded (its database migrations "
		    "only go forward); restore a backup of %s instead", to,
		    from, to);
	if (version_cmp(to, from) == 0)
		return err_set(e, ERR_USAGE, "--to %s: the deployment runs %s "
		    "already: there is nothing to upgrade", to, from);
	for (size_t i = 0; i < rs->n; i++) {
		const struct profile *p = &rs->v[i];

		if (p->hard_stop && version_cmp(p->release, from) > 0 &&
		    version_cmp(p->release, to) < 0) {
			add_hop(out, at, p);
			at = p->release;
		}
	}
	add_hop(out, at, target);
	return 0;
}

void
chain_free(struct chain *c)
{
	free(c->v);
	memset(c, 0, sizeof *c);
}
