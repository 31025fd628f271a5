/* What the live checks learnt about the servers, for the rules (facts.h). */
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "printable.h"

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
	facts_free(src);
}
