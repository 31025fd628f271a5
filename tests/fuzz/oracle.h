/*
 * What must hold of every input the fuzzers make the core accept: each
 * emitted YAML or JSON file, and the `check --json` report, parses again;
 * saved answers load again. A broken oracle aborts, which libFuzzer
 * records as a crash with the input that caused it.
 */
#ifndef SHS_FUZZ_ORACLE_H
#define SHS_FUZZ_ORACLE_H

#include "answers.h"
#include "keys.h"
#include "plan.h"
#include "profile.h"

/* The source tree (profiles/, assets/): $SHS_ROOT, or ".". */
const char *fuzz_root(void);
/* Fixed keys (tests/data/keys-fixture.yaml's values); static. */
const struct keys *fuzz_keys(void);
/* Builds the plan of `a` on `p` for `target`, evaluates the rules, emits,
 * and checks every oracle. A plan the answers do not make is no failure. */
void	fuzz_through(const struct answers *a, const struct profile *p,
	    const char *target);
/* Saved answers load again. */
void	fuzz_answers_reload(const struct answers *a);

#endif
