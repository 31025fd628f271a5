/*
 * libFuzzer target: an answers file, through the plan, the rules and both
 * emitters, with the oracles of oracle.h. The releases are loaded once.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "oracle.h"

static struct releases releases;

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *dir = xasprintf("%s/profiles", fuzz_root());
	struct err e;

	(void)argc;
	(void)argv;
	if (releases_load(dir, &releases, &e) < 0) {
		fprintf(stderr, "fuzz: %s\n", e.msg);
		exit(1);
	}
	free(dir);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct answers a;
	const struct profile *p;
	struct err e;

	err_clear(&e);
	if (answers_parse((const char *)data, size, "fuzz.yaml", &a, &e) == 0) {
		fuzz_answers_reload(&a);
		p = releases_find(&releases, a.sentry.version);
		if (p != NULL)
			fuzz_through(&a, p, a.target.kind);
	}
	answers_free(&a);
	return 0;
}
