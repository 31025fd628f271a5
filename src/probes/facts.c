/* What the live checks learnt about the servers, for the rules (facts.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "printable.h"

/*
 * The names come from upgrade-facts.md, Table 1 and Note 1. Each stop is the
 * release named there as the hard stop of that check: 0200 (21.7 and later
 * check it, 21.6.3 is the stop), 0642 (the releases after 24.8.0), 0904
 * (after 25.5.1, squashed right after it, getsentry/sentry#92034). Which
 * check tests 0484 is not verified (the tuple 24.x checks after #64323 is
 * unknown), so it proves no stop. `after`: 0484 is of 2023 (#50761), long
 * after 21.6.3; 0642 is the rebase of 2024-08 (#76507), after 23.11.0;
 * 0904 comes 262 migrations after 0642, past 24.8.0.
 */
const struct sentry_boundary sentry_boundaries[] = {
	{ "0200_release_indices", "0001_squashed_0200_release_indices",
	  "21.6.3", NULL },
	{ "0484_break_org_member_user_fk",
	  "0001_squashed_0484_break_org_member_user_fk", NULL, "21.6.3" },
	{ "0642_index_together_release", NULL, "24.8.0", "23.11.0" },
	{ "0904_onboarding_task_project_id_idx",
	  "0001_squashed_0904_onboarding_task_project_id_idx", "25.5.1",
	  "24.8.0" },
	{ NULL, NULL, NULL, NULL }
};

int
sentry_boundary_crossed(const struct facts *f, const struct sentry_boundary *b)
{
	return sl_contains(&f->sentry_boundaries, b->name) ||
	    (b->squash != NULL && sl_contains(&f->sentry_boundaries, b->squash));
}

void
facts_init(struct facts *f)
{
	memset(f, 0, sizeof *f);
	f->kafka_brokers = -1;
}

void
facts_free(struct facts *f)
{
	free(f->postgres_version);
	free(f->clickhouse_version);
	free(f->redis_mode);
	for (size_t i = 0; i < f->ntopics; i++)
		free(f->topics[i].name);
	free(f->topics);
	sl_free(&f->clickhouse_clusters);
	sl_free(&f->clickhouse_distributed);
	sl_free(&f->sentry_boundaries);
	kv_free(&f->sentry_app_heads);
	kv_free(&f->snuba_completed);
	kv_free(&f->snuba_in_progress);
	for (size_t i = 0; i < f->nclocks; i++)
		free(f->clocks[i].host);
	free(f->clocks);
	for (size_t i = 0; i < f->nspaces; i++) {
		free(f->spaces[i].where);
		free(f->spaces[i].path);
		free(f->spaces[i].field);
	}
	free(f->spaces);
	for (size_t i = 0; i < f->nhosts; i++) {
		free(f->hosts[i].host);
		free(f->hosts[i].availability);
		free(f->hosts[i].docker_root);
	}
	free(f->hosts);
	facts_init(f);
}

const struct topic_fact *
facts_topic(const struct facts *f, const char *name)
{
	for (size_t i = 0; i < f->ntopics; i++)
		if (strcmp(f->topics[i].name, name) == 0)
			return &f->topics[i];
	return NULL;
}

static void
take_string(char **dst, char **src)
{
	if (*src == NULL)
		return;
	free(*dst);
	/* What a server said goes into findings and messages. */
	*dst = printable(*src);
	free(*src);
	*src = NULL;
}

static void
take_list(struct strlist *dst, struct strlist *src)
{
	for (size_t i = 0; i < src->n; i++)
		sl_add_owned(dst, printable(src->v[i]));
	sl_free(src);
}

static void
take_pairs(struct kvlist *dst, struct kvlist *src)
{
	for (size_t i = 0; i < src->n; i++) {
		char *k = printable(src->v[i].key), *v = printable(src->v[i].value);

		kv_add(dst, k, v);
		free(k);
		free(v);
	}
	kv_free(src);
}

/* The same, for a map with one value per key (an app's newest
 * migration): a key dst knows already takes src's value, since a key
 * given twice would be two answers to one question. */
static void
take_map(struct kvlist *dst, struct kvlist *src)
{
	for (size_t i = 0; i < src->n; i++) {
		char *k = printable(src->v[i].key), *v = printable(src->v[i].value);

		kv_set(dst, k, v);
		free(k);
		free(v);
	}
	kv_free(src);
}

/* Every broker of kafka.brokers is checked on its own and reports the
 * same cluster's topics: a topic dst knows already is replaced, not
 * listed twice (a rule would name it twice). */
static void
take_topics(struct facts *dst, struct facts *src)
{
	dst->topics = xrealloc(dst->topics, (dst->ntopics + src->ntopics) *
	    sizeof *dst->topics);
	for (size_t i = 0; i < src->ntopics; i++) {
		struct topic_fact t = src->topics[i];
		size_t at = 0;

		printable_in_place(&t.name);
		while (at < dst->ntopics && strcmp(dst->topics[at].name, t.name) != 0)
			at++;
		if (at < dst->ntopics)
			free(dst->topics[at].name);
		else
			dst->ntopics++;
		dst->topics[at] = t;
	}
	free(src->topics);
	src->topics = NULL;
	src->ntopics = 0;
}

/* Each host is probed once: its clocks are appended. */
static void
take_clocks(struct facts *dst, struct facts *src)
{
	dst->clocks = xrealloc(dst->clocks, (dst->nclocks + src->nclocks + 1) *
	    sizeof *dst->clocks);
	for (size_t i = 0; i < src->nclocks; i++)
		dst->clocks[dst->nclocks++] = src->clocks[i];
	free(src->clocks);
	src->clocks = NULL;
	src->nclocks = 0;
}

/* Each host and server measures once: its spaces are appended. */
static void
take_spaces(struct facts *dst, struct facts *src)
{
	dst->spaces = xrealloc(dst->spaces, (dst->nspaces + src->nspaces + 1) *
	    sizeof *dst->spaces);
	for (size_t i = 0; i < src->nspaces; i++)
		dst->spaces[dst->nspaces++] = src->spaces[i];
	free(src->spaces);
	src->spaces = NULL;
	src->nspaces = 0;
}

/* Each host is probed once: its facts are appended. */
static void
take_hosts(struct facts *dst, struct facts *src)
{
	dst->hosts = xrealloc(dst->hosts, (dst->nhosts + src->nhosts + 1) *
	    sizeof *dst->hosts);
	for (size_t i = 0; i < src->nhosts; i++)
		dst->hosts[dst->nhosts++] = src->hosts[i];
	free(src->hosts);
	src->hosts = NULL;
	src->nhosts = 0;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
facts_add_host(struct facts *f, const struct host_fact *h)
{
	struct host_fact *to;

	f->hosts = xrealloc(f->hosts, (f->nhosts + 1) * sizeof *f->hosts);
	to = &f->hosts[f->nhosts++];
	*to = *h;
	to->host = dup_or_null(h->host);
	to->availability = dup_or_null(h->availability);
	to->docker_root = dup_or_null(h->docker_root);
}

int
docker_root_low(long free_kib, long total_kib)
{
	return free_kib < DOCKER_ROOT_LOW_KIB || (total_kib > 0 &&
	    (double)free_kib * 100 < (double)total_kib * DOCKER_ROOT_LOW_PERCENT);
}

void
facts_add_space(struct facts *f, const char *where, const char *path,
    const char *field, long free_kib, long total_kib)
{
	f->spaces = xrealloc(f->spaces, (f->nspaces + 1) * sizeof *f->spaces);
	f->spaces[f->nspaces++] = (struct space_fact){ xstrdup(where),
	    xstrdup(path), xstrdup(field), free_kib, total_kib };
}

int
space_low(long free_kib, long total_kib)
{
	return free_kib < SPACE_LOW_KIB || (total_kib > 0 &&
	    (double)free_kib * 100 < (double)total_kib * SPACE_LOW_PERCENT);
}

void
facts_merge(struct facts *dst, struct facts *src)
{
	take_string(&dst->postgres_version, &src->postgres_version);
	take_string(&dst->clickhouse_version, &src->clickhouse_version);
	take_string(&dst->redis_mode, &src->redis_mode);
	if (src->kafka_brokers >= 0)
		dst->kafka_brokers = src->kafka_brokers;
	if (src->ntopics > 0)
		take_topics(dst, src);
	take_list(&dst->clickhouse_clusters, &src->clickhouse_clusters);
	take_list(&dst->clickhouse_distributed, &src->clickhouse_distributed);
	if (src->sentry_history != TABLE_UNKNOWN)
		dst->sentry_history = src->sentry_history;
	take_list(&dst->sentry_boundaries, &src->sentry_boundaries);
	take_map(&dst->sentry_app_heads, &src->sentry_app_heads);
	if (src->snuba_history != TABLE_UNKNOWN)
		dst->snuba_history = src->snuba_history;
	take_pairs(&dst->snuba_completed, &src->snuba_completed);
	take_pairs(&dst->snuba_in_progress, &src->snuba_in_progress);
	take_clocks(dst, src);
	take_spaces(dst, src);
	take_hosts(dst, src);
	facts_free(src);
}

int
clock_skew_measure(double before, double after, const char *remote,
    double *skew, double *uncertainty)
{
	double whole = 0, frac = 0, scale = 0.1;
	const char *p = remote;
	int digits = 0;

	if (p == NULL || after < before)
		return -1;
	/* By hand, not strtod: a host's text must not be read as hex, inf
	 * or nan, nor in this machine's locale. */
	for (; isdigit((unsigned char)*p) && digits < 15; p++, digits++)
		whole = whole * 10 + (*p - '0');
	/* A number and nothing else but a fraction ("0x3e8" is no time). */
	if (digits == 0 || (*p != '\0' && *p != '.' && !isspace((unsigned char)*p)))
		return -1;
	*uncertainty = (after - before) / 2;
	if (*p == '.' && isdigit((unsigned char)p[1])) {
		for (p++; isdigit((unsigned char)*p); p++, scale /= 10)
			frac += (*p - '0') * scale;
	} else {
		/* Truncated to the second (no %N): it was up to 1 s later. */
		frac = 0.5;
		*uncertainty += 0.5;
	}
	*skew = whole + frac - (before + after) / 2;
	return 0;
}

int
clock_skew_beyond(double skew, double uncertainty, double limit)
{
	return (skew < 0 ? -skew : skew) - uncertainty > limit;
}
