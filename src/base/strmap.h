/*
 * A map from strings to pointers (strmap.c), for lookups that must stay
 * linear in the size of what a file holds: duplicate keys, YAML anchors.
 * The keys are copied; the values are the caller's.
 */
#ifndef SHS_STRMAP_H
#define SHS_STRMAP_H

#include <stddef.h>

struct strmap {
	struct strmap_slot	*slots;
	size_t			 n, cap;	/* cap: 0 or a power of two */
};

#define STRMAP_INIT	{ NULL, 0, 0 }

/* Sets key -> value (replacing an earlier value of key). */
void	strmap_put(struct strmap *m, const char *key, void *value);
/* The value of key, or NULL; *found (may be NULL) tells a NULL value from
 * none. */
void	*strmap_get(const struct strmap *m, const char *key, int *found);
void	strmap_free(struct strmap *m);

#endif
