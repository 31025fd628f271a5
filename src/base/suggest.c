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

const char *
suggest(const char *word, const char *const *candidates)
{
	size_t limit = strlen(word) / 3, best = (size_t)-1;
	const char *choice = NULL;

	if (limit < 2)
		limit = 2;
	for (; *candidates != NULL; candidates++) {
		size_t d = suggest_distance(word, *candidates);

		if (d < best) {
			best = d;
			choice = *candidates;
		}
	}
	return best <= limit ? choice : NULL;
}
