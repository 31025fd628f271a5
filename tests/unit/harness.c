#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8s.h"
#include "xmem.h"

const char *
test_root(void)
{
	const char *root = getenv("SHS_ROOT");

	return root != NULL ? root : ".";
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
	char *profiles = xasprintf("%s/profiles", test_root());
	char *assets = xasprintf("%s/assets", test_root());
	const struct profile *p;
	int rc;

	memset(f, 0, sizeof *f);
	err_clear(&f->e);
	rc = catalog_load(profiles, &f->cat, &f->e);
	free(profiles);
	if (rc == 0) {
		rc = answers_parse(yaml, strlen(yaml), "test.yaml", &f->a, &f->e);
		f->loaded = 1;
	}
	if (rc == 0) {
		p = catalog_find(&f->cat, f->a.sentry.version);
		if (p == NULL)
			rc = err_set(&f->e, ERR_INPUT, "no profile %s",
			    f->a.sentry.version);
		else
		{
			/* Fixed keys, so that two runs can be compared. */
			char *keys = xasprintf("%s/tests/data/keys-fixture.yaml",
			    test_root());

			rc = keys_load(keys, profile_service(p, "relay") != NULL,
			    &f->k, &f->e);
			free(keys);
		}
		if (rc == 0) {
			rc = plan_build(&f->a, p, &f->k, assets, 0, &f->pl, &f->e);
			f->planned = 1;
		}
	}
	if (rc == 0)
		rc = k8s_emit(&f->pl, &f->out, &f->e);
	free(assets);
	return rc;
}

void
fixture_free(struct fixture *f)
{
	if (f->planned)
		plan_free(&f->pl);
	if (f->loaded)
		answers_free(&f->a);
	keys_free(&f->k);
	outset_free(&f->out);
	catalog_free(&f->cat);
}

const char *
fixture_file(const struct fixture *f, const char *path)
{
	const struct outfile *o = outset_find(&f->out, path);

	return o ? o->content : NULL;
}
