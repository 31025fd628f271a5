#include "suggest.h"

#include <string.h>

#include <stdlib.h>

#include "xmem.h"

size_t
suggest_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row = xcalloc(lb + 1, sizeof *row), result;

	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	result = row[lb];
	free(row);
	return result;
}

/* How far a likely typo of `word` may be from it. */
static size_t
typo_limit(const char *word)
{
	size_t limit = strlen(word) / 3;

	return limit < 2 ? 2 : limit;
}

const char *
suggest(const char *word, const char *const *candidates)
{
	size_t limit = typo_limit(word), best = (size_t)-1;
	const char *choice = NULL;

	for (; *candidates != NULL; candidates++) {
		size_t d = suggest_distance(word, *candidates);

		if (d < best) {
			best = d;
			choice = *candidates;
		}
	}
	return best <= limit ? choice : NULL;
}

size_t
suggest_nearest(const char *word, const char *const *candidates,
    const char **out, size_t max)
{
	size_t limit = typo_limit(word), n = 0;
	size_t *dist = xcalloc(max + 1, sizeof *dist);

	for (; max > 0 && *candidates != NULL; candidates++) {
		size_t d = suggest_distance(word, *candidates), at;
		int dup = 0;

		for (size_t i = 0; i < n; i++)
			dup |= strcmp(out[i], *candidates) == 0;
		if (d > limit || dup)
			continue;
		/* Insertion into the few kept so far, nearest first; equals
		 * keep the candidates' order. */
		for (at = n; at > 0 && dist[at - 1] > d; at--)
			;
		if (at == max)
			continue;
		if (n < max)
			n++;
		memmove(out + at + 1, out + at, (n - 1 - at) * sizeof *out);
		memmove(dist + at + 1, dist + at, (n - 1 - at) * sizeof *dist);
		out[at] = *candidates;
		dist[at] = d;
	}
	free(dist);
	return n;
}
