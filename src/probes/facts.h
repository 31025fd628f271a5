/* What the live checks learnt about the servers (facts.c), for the rules. */
#ifndef SHS_FACTS_H
#define SHS_FACTS_H

#include <stddef.h>

#include "xmem.h"

/* What the live checks learnt; everything unknown stays unset (NULL, -1). */
struct topic_fact {
	char	*name;
	long	 partitions;
	long	 replication;
};

struct facts {
	char		*postgres_version;	/* "14.11" */
	char		*clickhouse_version;	/* "23.8.11.29" */
	char		*redis_mode;		/* standalone | cluster | sentinel */
	long		 kafka_brokers;		/* brokers in the metadata, or -1 */
	struct topic_fact *topics;
	size_t		 ntopics;
	struct strlist	 clickhouse_clusters;
	struct strlist	 clickhouse_distributed;	/* db.table */
};

void	facts_init(struct facts *f);
void	facts_free(struct facts *f);
/* The fact about a topic, borrowed from f, or NULL. */
const struct topic_fact *facts_topic(const struct facts *f, const char *name);
/* Moves everything `src` knows into `dst` (which keeps what src does not
 * know) and empties src. */
void	facts_merge(struct facts *dst, struct facts *src);

#endif
