/* The wizard tests' common steps (wiz_testing.h). */
#include <stdlib.h>

#include "fsutil.h"
#include "wiz_testing.h"
#include "xmem.h"

/* A fresh folder of this run's (test_tmp); owned by the caller. */
char *
fresh_dir(const char *name)
{
	char *dir = xasprintf("%s/%s", test_tmp(), name);
	struct err e;

	fs_remove_tree(dir, &e);
	ck_assert_int_eq(fs_make_dirs(dir, 0755, &e), 0);
	return dir;
}

void
open_in(struct wiz *w, const char *dir)
{
	char *path = xasprintf("%s/sentry-ha.yaml", dir);
	struct err e;

	ck_assert_msg(wiz_open(w, test_root(), path, &e) == 0, "%s", e.msg);
	free(path);
}

void
set_ok(struct wiz *w, const char *path, const char *text)
{
	struct err e;

	err_clear(&e);
	ck_assert_msg(wiz_set(w, path, text, &e) == 0, "%s = %s: %s", path, text,
	    e.msg);
}

void
assert_value(const struct wiz *w, const char *path, const char *expect)
{
	char *have = wiz_get(w, path);

	ck_assert_str_eq(have, expect);
	free(have);
}

void
set_bad(struct wiz *w, const char *path, const char *text, const char *expect)
{
	struct err e;
	char *before = wiz_get(w, path);

	err_clear(&e);
	ck_assert_int_eq(wiz_set(w, path, text, &e), -1);
	ck_assert_contains(e.msg, expect);
	/* A refused value changes nothing. */
	assert_value(w, path, before);
	free(before);
}
