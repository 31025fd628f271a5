/* "Did you mean ...?" for misspelt keys, values and names. */
#ifndef SHS_SUGGEST_H
#define SHS_SUGGEST_H

#include <stddef.h>

/* Edit distance between two strings (case-sensitive). */
size_t	suggest_distance(const char *a, const char *b);

/*
 * The candidate closest to `word`, when it is close enough to be a likely
 * typo (at most 2 edits, or a third of the word's length for long words);
 * otherwise NULL. `candidates` is NULL-terminated; the result is borrowed.
 */
const char *suggest(const char *word, const char *const *candidates);

/*
 * Up to `max` candidates close enough to `word` by the same measure, nearest
 * first (ties in the candidates' order, each name once), into out[]; returns
 * how many. The strings are borrowed from `candidates`.
 */
size_t	suggest_nearest(const char *word, const char *const *candidates,
	    const char **out, size_t max);

#endif
