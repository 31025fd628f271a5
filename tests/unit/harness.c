#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "targets.h"
#include "xmem.h"

const char *
test_root(void)
{
	const char *root = getenv("SHS_ROOT");

	return root != NULL ? root : ".";
}

static char *tmp_dir;

static void
remove_tmp(void)
{
	struct err e;

	fs_remove_tree(tmp_dir, &e);
	free(tmp_dir);
}

const char *
test_tmp(void)
{
	char *base;
	struct err e;

	if (tmp_dir != NULL)
		return tmp_dir;
	base = xasprintf("%s/tests/.tmp", test_root());
	fs_make_dirs(base, 0755, &e);
	tmp_dir = xasprintf("%s/run-XXXXXX", base);
	free(base);
	if (mkdtemp(tmp_dir) == NULL) {
		perror(tmp_dir);
		exit(1);
	}
	atexit(remove_tmp);
	return tmp_dir;
}

char *
demo_answers(const char *version, const char *extra)
{
	return xasprintf(
	    "schema: 1\n"
	    "sentry: {version: \"%s\", url_prefix: \"https://sentry.example.com\","
	    " admin_email: ops@example.com}\n"
	    "target: {kind: kubernetes, namespace: sentry, storage_class: rwx}\n"
	    "postgres: {host: pg.internal, password: \"pg-secret\"}\n"
	    "redis: {host: redis.internal, password: \"redis-secret\"}\n"
	    "kafka: {brokers: [\"k1:9092\", \"k2:9092\", \"k3:9092\"]}\n"
	    "clickhouse: {host: ch.internal}\n"
	    "memcached: {hosts: [\"mc1:11211\"]}\n"
	    "smtp: {host: smtp.internal}\n"
	    "filestore: {backend: filesystem, shared_volume: {kind: pvc}}\n"
	    "%s", version, extra ? extra : "");
}

int
fixture_run(struct fixture *f, const char *yaml)
{
	char *dir = xstrdup(test_tmp());
	char *path = xasprintf("%s/test.yaml", dir);
	char *keys_src = xasprintf("%s/tests/data/keys-fixture.yaml", test_root());
	char *keys = NULL;
	size_t len;
	int rc;

	memset(f, 0, sizeof *f);
	err_clear(&f->e);
	/* Fixed keys beside the answers, so that two runs can be compared. */
	rc = fs_make_dirs(dir, 0755, &f->e);
	if (rc == 0)
		rc = fs_read_file(keys_src, &keys, &len, &f->e);
	if (rc == 0)
		rc = fs_write_atomic(path, yaml,
		    strlen(yaml), 0600, &f->e);
	if (rc == 0) {
		char *kp = keys_path_for(path);

		rc = fs_write_atomic(kp, keys, len, 0600, &f->e);
		free(kp);
	}
	if (rc == 0)
		rc = session_open(&f->s, test_root(), path, NULL, 0, &f->e);
	if (rc == 0)
		rc = target_find(f->s.pl.target.kind)->emit(&f->s.pl, &f->out, &f->e);
	free(keys);
	free(keys_src);
	free(path);
	free(dir);
	return rc;
}

void
fixture_free(struct fixture *f)
{
	session_close(&f->s);
	outset_free(&f->out);
}

const char *
fixture_file(const struct fixture *f, const char *path)
{
	const struct outfile *o = outset_find(&f->out, path);

	return o ? o->content : NULL;
}
