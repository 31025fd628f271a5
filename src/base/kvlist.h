/* Ordered key/value lists of owned strings (environment variables, knobs,
 * the plan's secrets, the sources of values). */
#ifndef SHS_KVLIST_H
#define SHS_KVLIST_H

#include <stddef.h>

struct kv {
	char	*key;	/* owned */
	char	*value;	/* owned */
};

/* An ordered list of key/value pairs (environment variables, knobs). */
struct kvlist {
	struct kv	*v;
	size_t		 n, cap;
};

/* Appends a copy of key and value. */
void	kv_add(struct kvlist *l, const char *key, const char *value);
/* Replaces the value of key if present, else appends. */
void	kv_set(struct kvlist *l, const char *key, const char *value);
/* The value of `key` (borrowed), or NULL: also for a NULL key, which a
 * half-decoded file leaves where a required string was missing. */
const char *kv_get(const struct kvlist *l, const char *key);
void	kv_free(struct kvlist *l);

#endif
