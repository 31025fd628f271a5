/* Where each value of a decoded file stood, by field path, for messages
 * that name FILE:LINE:COL. */
#ifndef SHS_SRCMAP_H
#define SHS_SRCMAP_H

#include <stddef.h>

/* Where each decoded value stood in its file, by field path. */
struct srcpos {
	char	*path;	/* "kafka.brokers[1]" (owned) */
	int	 line, col;
};

struct srcmap {
	char		*file;	/* owned */
	struct srcpos	*v;
	size_t		 n, cap;
};

/* Borrowed position of a field path, or NULL. */
const struct srcpos *srcmap_find(const struct srcmap *m, const char *path);
/* "FILE:LINE:COL: " for a path (or "FILE: " when unknown), into buf. */
const char *srcmap_where(const struct srcmap *m, const char *path, char *buf,
	    size_t size);
/* A deep copy, released with srcmap_free. */
void	srcmap_copy(struct srcmap *to, const struct srcmap *from);
void	srcmap_free(struct srcmap *m);

#endif
