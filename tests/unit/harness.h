/* Shared helpers of the unit tests (Check). */
#ifndef SHS_TEST_HARNESS_H
#define SHS_TEST_HARNESS_H

#include <check.h>

#include "outset.h"
#include "session.h"

/* The suites, one per file. */
Suite	*suite_base(void);
Suite	*suite_yaml(void);
Suite	*suite_answers(void);
Suite	*suite_tmpl(void);
Suite	*suite_profiles(void);
Suite	*suite_upstream(void);
Suite	*suite_plan(void);
Suite	*suite_k8s(void);
Suite	*suite_rules(void);
Suite	*suite_swarm(void);
Suite	*suite_probe(void);
Suite	*suite_ssh_facts(void);
Suite	*suite_ssh_mutual(void);
Suite	*suite_wiz(void);
Suite	*suite_wiz_place(void);
Suite	*suite_keys(void);
Suite	*suite_chain(void);
Suite	*suite_migrations(void);
Suite	*suite_upgrade(void);
Suite	*suite_images(void);
Suite	*suite_registry(void);
Suite	*suite_airgap(void);
Suite	*suite_sizing(void);
Suite	*suite_deploy(void);
Suite	*suite_share(void);
Suite	*suite_rules_hosts(void);
Suite	*suite_netpol(void);
Suite	*suite_netpol_egress(void);
Suite	*suite_place(void);
Suite	*suite_secure(void);
Suite	*suite_scale(void);
Suite	*suite_ignored(void);

/* The source tree (tests run from it, or SHS_ROOT names it). */
const char *test_root(void);
/* A folder of this run's own under tests/.tmp, removed when it ends, so
 * that two runs in one tree never share files. */
const char *test_tmp(void);

/* A complete, valid answers file for `version`; `extra` is appended (YAML
 * lines, e.g. a services: block). Owned by the caller. */
char	*demo_answers(const char *version, const char *extra);

/* One generate run, as the command line makes it (session.h), in memory. */
struct fixture {
	struct session	 s;
	struct outset	 out;
	struct err	 e;
};

/* Writes `yaml` to tests/.tmp/test.yaml (beside a copy of the fixed test
 * keys), opens a session on it and emits for its target. Returns 0 when all of
 * it succeeded; f->e says why not. */
int	fixture_run(struct fixture *f, const char *yaml);
void	fixture_free(struct fixture *f);

/* The text of an emitted file, or NULL. */
const char *fixture_file(const struct fixture *f, const char *path);

/* Asserts that `haystack` contains `needle`, showing both when not. */
#define ck_assert_contains(haystack, needle) do {			\
	const char *h_ = (haystack), *n_ = (needle);			\
	ck_assert_msg(h_ != NULL && strstr(h_, n_) != NULL,		\
	    "expected to find \"%s\" in:\n%.1500s", n_, h_ ? h_ : "(null)"); \
} while (0)

#define ck_assert_lacks(haystack, needle) do {				\
	const char *h_ = (haystack), *n_ = (needle);			\
	ck_assert_msg(h_ != NULL && strstr(h_, n_) == NULL,		\
	    "did not expect \"%s\" in:\n%.1500s", n_, h_ ? h_ : "(null)"); \
} while (0)

#endif
