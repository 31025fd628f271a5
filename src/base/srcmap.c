/* Where each value of a file stood (srcmap.h). */
#include "srcmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmem.h"

const struct srcpos *
srcmap_find(const struct srcmap *m, const char *path)
{
	if (m == NULL)
		return NULL;
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->v[i].path, path) == 0)
			return &m->v[i];
	return NULL;
}

const char *
srcmap_where(const struct srcmap *m, const char *path, char *buf, size_t size)
{
	const struct srcpos *p = srcmap_find(m, path);

	if (p != NULL)
		snprintf(buf, size, "%s:%d:%d: ", m->file, p->line, p->col);
	else if (m != NULL && m->file != NULL)
		snprintf(buf, size, "%s: ", m->file);
	else
		buf[0] = '\0';
	return buf;
}

void
srcmap_copy(struct srcmap *to, const struct srcmap *from)
{
	memset(to, 0, sizeof *to);
	to->file = xstrdup(from->file);
	to->v = xcalloc(from->n + 1, sizeof *to->v);
	for (size_t i = 0; i < from->n; i++) {
		to->v[i] = from->v[i];
		to->v[i].path = xstrdup(from->v[i].path);
	}
	to->n = to->cap = from->n;
}

void
srcmap_free(struct srcmap *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].path);
	free(m->v);
	free(m->file);
	memset(m, 0, sizeof *m);
}
