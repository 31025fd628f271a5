/* Release profiles: the shipped ones load, bad ones are explained. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "harness.h"
#include "xmem.h"

START_TEST(shipped_profiles_load_in_order)
{
	char *dir = xasprintf("%s/profiles", test_root());
	struct releases c;
	struct err e;

	ck_assert_msg(releases_load(dir, &c, &e) == 0, "%s", e.msg);
	ck_assert_uint_ge(c.n, 3);
	ck_assert_str_eq(c.v[0].release, "10.1.0");
	ck_assert_ptr_nonnull(releases_find(&c, "24.8.0"));
	ck_assert_int_eq(releases_find(&c, "24.8.0")->hard_stop, 1);
	ck_assert_int_eq(releases_find(&c, "26.8.0")->hard_stop, 0);
	ck_assert_ptr_null(releases_find(&c, "9.1.2"));
	/* The eras differ where they should. */
	ck_assert_ptr_nonnull(profile_service(releases_find(&c, "24.8.0"), "cron"));
	ck_assert_ptr_null(profile_service(releases_find(&c, "26.8.0"), "cron"));
	ck_assert_ptr_nonnull(profile_service(releases_find(&c, "26.8.0"), "taskbroker"));
	ck_assert_int_eq(releases_find(&c, "10.1.0")->requires.zookeeper, 1);
	/* The last sentry migration, only where a release tag's lockfile
	 * gave it (10.1.0 is a dev build after 10.0.0: not the tag's). */
	ck_assert_str_eq(releases_find(&c, "21.6.3")->sentry_migration_head,
	    "0219_exporteddatablob_remove_blob_fk");
	ck_assert_str_eq(releases_find(&c, "23.6.2")->sentry_migration_head,
	    "0504_add_artifact_bundle_index");
	ck_assert_str_eq(releases_find(&c, "23.11.0")->sentry_migration_head,
	    "0600_eventattachment_metadata");
	ck_assert_ptr_null(releases_find(&c, "10.1.0")->sentry_migration_head);
	ck_assert_ptr_null(releases_find(&c, "24.8.0")->sentry_migration_head);
	for (size_t i = 0; i < c.n; i++)
		ck_assert_msg(c.v[i].summary && c.v[i].summary[0], "%s", c.v[i].path);
	releases_free(&c);
	free(dir);
}
END_TEST

START_TEST(templates_are_merged)
{
	char *dir = xasprintf("%s/profiles", test_root());
	const struct prof_service *web, *consumer;
	struct releases c;
	struct err e;

	ck_assert_int_eq(releases_load(dir, &c, &e), 0);
	web = profile_service(releases_find(&c, "24.8.0"), "web");
	consumer = profile_service(releases_find(&c, "24.8.0"), "snuba-errors-consumer");
	/* From the sentry template. */
	ck_assert_str_eq(web->image, "sentry");
	ck_assert(sl_contains(&web->mounts, "sentry-data:/data"));
	ck_assert_str_eq(kv_get(&web->env, "SNUBA"), "${snuba.url}");
	/* Its own role overrides the template's. */
	ck_assert_str_eq(web->role, "stateless-http");
	ck_assert_str_eq(consumer->role, "partitioned-consumer");
	ck_assert_str_eq(kv_get(&consumer->env, "SNUBA_SETTINGS"), "/etc/snuba/settings.py");
	ck_assert(sl_contains(&consumer->mounts, "snuba-config:/etc/snuba:ro"));
	releases_free(&c);
	free(dir);
}
END_TEST

static const char base_profile[] =
    "schema: 1\nrelease: \"99.1.0\"\nsummary: test\nhard_stop: false\n"
    "images: {sentry: example/sentry:1}\n"
    "volumes: {data: {kind: shared}, own: {kind: per-replica}}\n"
    "templates: {sentry: {image: sentry, role: partitioned-consumer}}\n"
    "services:\n";

static const struct { const char *services, *expect; } bad_profiles[] = {
	{ "  web: {extends: sentry, role: stateles-http}\n",
	  "services.web: role \"stateles-http\" is not one of" },
	{ "  web: {extends: sentry, role: stateles-http}\n",
	  "(did you mean \"stateless-http\"?)" },
	{ "  web: {image: snuba, role: singleton}\n",
	  "services.web: image \"snuba\" is not a key of images:" },
	{ "  web: {extends: sentri}\n",
	  "services.web.extends: no template \"sentri\" under templates:" },
	{ "  web: {extends: sentry, mounts: [\"nope:/data\"]}\n",
	  "mount \"nope:/data\": no volume \"nope\" under volumes:" },
	{ "  web: {extends: sentry, mounts: [\"data\"]}\n",
	  "mount \"data\": expected VOLUME:/path or VOLUME:/path:ro" },
	{ "  web: {extends: sentry, mounts: [\"own:/x\"]}\n",
	  "a per-replica volume needs the stateful-per-replica role" },
	{ "  web: {extends: sentry, role: scheduled}\n",
	  "a schedule is required for, and only for, the scheduled role" },
	{ "  web: {extends: sentry, health: {http: /h, file: /f, port: 1}}\n",
	  "health: give one of http, file, exec, grpc or tcp" },
	{ "  web: {extends: sentry, health: {http: /h}}\n",
	  "health: an http, grpc or tcp check needs a port" },
	{ "  Web: {extends: sentry}\n",
	  "service names are lower-case letters, digits and '-'" },
	{ "  web: {extends: sentry, replica: 2}\n",
	  "services.web.replica: unknown key (did you mean \"replicas\"?)" },
	{ "  web: {extends: sentry}\nconfig: {memcached_backnd: x}\n",
	  "config.memcached_backnd: unknown knob" },
	{ "  web: {extends: sentry}\nsnuba_migrations: {events: 24_add}\n",
	  "snuba_migrations.events: expected a migration id NNNN_name" },
	{ "  web: {extends: sentry}\nsentry_migration_head: 219_remove_blob\n",
	  "sentry_migration_head: expected a migration name NNNN_name, got "
	  "\"219_remove_blob\"" },
	{ "  web: {extends: sentry}\nsentry_migration_head: \"0219\"\n",
	  "sentry_migration_head: expected a migration name NNNN_name" },
	{ "  web: {extends: sentry}\nformer: {worker: gone}\n"
	  "successors: {worker: taskworker}\n",
	  "successors.worker: \"taskworker\" is not a service of this profile" },
	{ "  web: {extends: sentry}\nsuccessors: {cron: web}\n",
	  "successors.cron: not a key of former:" },
};

START_TEST(bad_profile_is_explained)
{
	char *dir = xstrdup(test_tmp());
	char *path = xasprintf("%s/bad-profile.yaml", dir);
	char *text = xasprintf("%s%s", base_profile, bad_profiles[_i].services);
	struct profile p;
	struct err e;

	ck_assert_int_eq(fs_make_dirs(dir, 0755, &e), 0);
	ck_assert_int_eq(fs_write_atomic(path, text, strlen(text), 0644, &e), 0);
	ck_assert_int_eq(profile_load(path, &p, &e), -1);
	ck_assert_contains(e.msg, bad_profiles[_i].expect);
	ck_assert_contains(e.msg, "bad-profile.yaml:");
	profile_free(&p);
	unlink(path);
	free(text);
	free(path);
	free(dir);
}
END_TEST

/* A bad sentry_migration_head is refused where it stands, and where the
 * first problem is found every other is still said. */
START_TEST(bad_head_names_its_line)
{
	char *text = xasprintf("%s%s", base_profile, "  web: {extends: sentry}\n"
	    "sentry_migration_head: 219_remove_blob\n");
	struct profile p;
	struct err e;

	ck_assert_int_eq(profile_parse(text, strlen(text), "heads.yaml", &p, &e),
	    -1);
	ck_assert_str_eq(e.msg, "heads.yaml:10:1: sentry_migration_head: "
	    "expected a migration name NNNN_name, got \"219_remove_blob\"");
	profile_free(&p);
	free(text);
}
END_TEST

START_TEST(version_order_is_numeric)
{
	ck_assert_int_lt(version_cmp("9.1.2", "10.1.0"), 0);
	ck_assert_int_lt(version_cmp("24.8.0", "24.10.1"), 0);
	ck_assert_int_gt(version_cmp("26.8.0", "26.7.10"), 0);
	ck_assert_int_eq(version_cmp("25.5.1", "25.5.1"), 0);
}
END_TEST

Suite *
suite_profiles(void)
{
	Suite *s = suite_create("profiles");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, shipped_profiles_load_in_order);
	tcase_add_test(tc, templates_are_merged);
	tcase_add_loop_test(tc, bad_profile_is_explained, 0,
	    (int)(sizeof bad_profiles / sizeof bad_profiles[0]));
	tcase_add_test(tc, bad_head_names_its_line);
	tcase_add_test(tc, version_order_is_numeric);
	suite_add_tcase(s, tc);
	return s;
}
