/* An open-addressing hash map from strings to pointers (strmap.h). */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xmem.h"

struct strmap_slot {
	char	*key;		/* NULL: empty */
	void	*value;
};

/* FNV-1a: simple, and good enough for keys an operator wrote. */
static size_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return (size_t)h;
}

static struct strmap_slot *
slot_for(struct strmap_slot *slots, size_t cap, const char *key)
{
	size_t i = hash(key) & (cap - 1);

	while (slots[i].key != NULL && strcmp(slots[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static void
grow(struct strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 16;
	struct strmap_slot *slots = xcalloc(cap, sizeof *slots);

	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key != NULL)
			*slot_for(slots, cap, m->slots[i].key) = m->slots[i];
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
}

void
strmap_put(struct strmap *m, const char *key, void *value)
{
	struct strmap_slot *s;

	/* At most half full, so that every probe ends soon. */
	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	s = slot_for(m->slots, m->cap, key);
	if (s->key == NULL) {
		s->key = xstrdup(key);
		m->n++;
	}
	s->value = value;
}

void *
strmap_get(const struct strmap *m, const char *key, int *found)
{
	const struct strmap_slot *s = m->cap ? slot_for(m->slots, m->cap, key) :
	    NULL;

	if (found != NULL)
		*found = s != NULL && s->key != NULL;
	return s != NULL && s->key != NULL ? s->value : NULL;
}

void
strmap_free(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	memset(m, 0, sizeof *m);
}
