/* The air gap: air_gapped, geoip.database_file, sentry.js_sdk_url and
 * sentry.disallowed_ips in the rendered configuration, per release. */
#define _XOPEN_SOURCE 700	/* realpath */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "xmem.h"

#define CDN	"JS_SDK_LOADER_DEFAULT_SDK_URL = " \
		"\"https://browser.sentry-cdn.com/%s/bundle%s.min.js\""
#define OWN	"https://static.example.com/js-sdk/%s/bundle%s.min.js"

/* The demo answers of `version` with more `sentry:` keys and more lines. */
static int
run(struct fixture *f, const char *version, const char *sentry,
    const char *extra)
{
	char *yaml = demo_answers(version, extra);
	const char *mark = "admin_email: ops@example.com";
	char *at = strstr(yaml, mark), *full;
	int rc;

	ck_assert_ptr_nonnull(at);
	at += strlen(mark);
	full = xasprintf("%.*s%s%s", (int)(at - yaml), yaml, sentry ? sentry : "",
	    at);
	rc = fixture_run(f, full);
	free(full);
	free(yaml);
	return rc;
}

static const char *
file_of(const struct fixture *f, const char *volume)
{
	const struct plan_volume *v = plan_volume(&f->s.pl, volume);

	ck_assert_msg(v != NULL, "no volume %s", volume);
	return v->files[0].content;
}

static char *
geoip_file(void)
{
	static char path[4096];

	if (path[0] == '\0') {
		char *p = xasprintf("%s/tests/data/GeoLite2-City-test.mmdb",
		    test_root());

		ck_assert_ptr_nonnull(realpath(p, path));
		free(p);
	}
	return xasprintf("geoip: {database_file: %s}\n", path);
}

/* Connected, each release keeps what upstream's example configuration
 * says: the CDN from 24.8.0, the beacon, the built-in symbol servers. */
START_TEST(connected_keeps_upstream)
{
	static const struct { const char *release; int cdn; } cases[] = {
		{ "10.1.0", 0 }, { "24.8.0", 1 }, { "26.8.0", 1 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct fixture f;
		const char *conf;

		ck_assert_msg(run(&f, cases[i].release, NULL, NULL) == 0, "%s",
		    f.e.msg);
		conf = file_of(&f, "sentry-config");
		if (cases[i].cdn)
			ck_assert_contains(conf, CDN "\n");
		else
			ck_assert_lacks(conf, "JS_SDK_LOADER");
		ck_assert_lacks(conf, "SENTRY_BEACON");
		ck_assert_lacks(conf, "SENTRY_AIR_GAP");
		ck_assert_lacks(conf, "SENTRY_BUILTIN_SOURCES");
		ck_assert_lacks(conf, "SENTRY_DISALLOWED_IPS");
		if (plan_volume(&f.s.pl, "symbolicator-config") != NULL)
			ck_assert_lacks(file_of(&f, "symbolicator-config"),
			    "Air-gapped");
		fixture_free(&f);
	}
}
END_TEST

/* Air-gapped, each release gets the settings it has: SENTRY_AIR_GAP from
 * 25.9.0, no CDN, no beacon, no built-in symbol servers. */
START_TEST(air_gapped_per_release)
{
	static const struct { const char *release; int air_gap_setting; } cases[] = {
		{ "10.1.0", 0 }, { "24.8.0", 0 }, { "25.5.1", 0 }, { "26.5.1", 1 },
		{ "26.8.0", 1 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct fixture f;
		const char *conf;

		ck_assert_msg(run(&f, cases[i].release, NULL, "air_gapped: true\n")
		    == 0, "%s", f.e.msg);
		conf = file_of(&f, "sentry-config");
		ck_assert_contains(conf, "\nSENTRY_BEACON = False\n");
		ck_assert_contains(conf, "\nSENTRY_BUILTIN_SOURCES = {}\n");
		if (cases[i].air_gap_setting)
			ck_assert_contains(conf, "\nSENTRY_AIR_GAP = True\n");
		else
			ck_assert_lacks(conf, "SENTRY_AIR_GAP");
		ck_assert_lacks(conf, "JS_SDK_LOADER");
		ck_assert_lacks(conf, "sentry-cdn");
		/* 10.1.0's symbolicator reads no file: the image's defaults. */
		if (plan_volume(&f.s.pl, "symbolicator-config") != NULL) {
			ck_assert_contains(file_of(&f, "symbolicator-config"),
			    "SENTRY_BUILTIN_SOURCES = {}");
			ck_assert_lacks(file_of(&f, "symbolicator-config"),
			    "\nsources:");
		}
		fixture_free(&f);
	}
}
END_TEST

/* The operator's own loader host and address ranges, air-gapped or not. */
START_TEST(own_loader_and_ranges)
{
	struct fixture f;
	const char *conf;

	ck_assert_msg(run(&f, "26.8.0", ", js_sdk_url: \"" OWN "\", "
	    "disallowed_ips: [127.0.0.0/8, \"::1/128\"]", "air_gapped: true\n")
	    == 0, "%s", f.e.msg);
	conf = file_of(&f, "sentry-config");
	ck_assert_contains(conf, "\nJS_SDK_LOADER_DEFAULT_SDK_URL = \"" OWN "\"\n");
	ck_assert_contains(conf, "\nSENTRY_DISALLOWED_IPS = tuple([\"127.0.0.0/8\", "
	    "\"::1/128\"])\n");
	fixture_free(&f);
	ck_assert_int_eq(run(&f, "26.8.0", ", disallowed_ips: [10.0.0.0]", NULL), -1);
	ck_assert_contains(f.e.msg, "sentry.disallowed_ips[0]: expected an address "
	    "range such as 169.254.0.0/16");
	fixture_free(&f);
}
END_TEST

/* GeoIP from the operator's file: mounted into web, the workers and relay,
 * both paths set, and no geoipupdate nor its configuration. */
START_TEST(geoip_from_file)
{
	static const char *const releases[] = { "10.1.0", "24.8.0", "26.8.0" };

	for (size_t i = 0; i < sizeof releases / sizeof releases[0]; i++) {
		char *extra = geoip_file(), *all = xasprintf("air_gapped: true\n%s",
		    extra);
		struct fixture f;

		ck_assert_msg(run(&f, releases[i], NULL, all) == 0, "%s", f.e.msg);
		ck_assert_ptr_null(plan_service(&f.s.pl, "geoipupdate"));
		ck_assert_ptr_null(plan_volume(&f.s.pl, "geoip-config"));
		ck_assert_ptr_nonnull(plan_volume(&f.s.pl, "geoip"));
		ck_assert_contains(file_of(&f, "sentry-config"),
		    "\nGEOIP_PATH_MMDB = \"/geoip/GeoLite2-City.mmdb\"\n");
		if (plan_service(&f.s.pl, "relay") != NULL)
			ck_assert_contains(file_of(&f, "relay-config"),
			    "\n  geoip_path: \"/geoip/GeoLite2-City.mmdb\"\n");
		ck_assert_contains(f.s.pl.geoip.database_file,
		    "GeoLite2-City-test.mmdb");
		fixture_free(&f);
		free(all);
		free(extra);
	}
}
END_TEST

/* An account, air-gapped, downloads nothing and says so; a file and an
 * account at once, or an account without its key, are refused. */
START_TEST(geoip_answers_checked)
{
	char *file = geoip_file();
	char *both = xasprintf("%.*s, account_id: \"1\"}\n",
	    (int)(strlen(file) - 2), file);
	struct fixture f;

	ck_assert_int_eq(run(&f, "24.8.0", NULL, "air_gapped: true\ngeoip: "
	    "{account_id: \"1\", license_key: k}\n"), 0);
	ck_assert_ptr_null(plan_service(&f.s.pl, "geoipupdate"));
	ck_assert_lacks(file_of(&f, "sentry-config"), "GEOIP_PATH_MMDB");
	fixture_free(&f);
	ck_assert_int_eq(run(&f, "24.8.0", NULL, both), -1);
	ck_assert_contains(f.e.msg, "geoip.database_file: give it or "
	    "geoip.account_id and geoip.license_key, not both");
	fixture_free(&f);
	ck_assert_int_eq(run(&f, "24.8.0", NULL, "geoip: {account_id: \"1\"}\n"), -1);
	ck_assert_contains(f.e.msg, "geoip.license_key: required with "
	    "geoip.account_id");
	fixture_free(&f);
	ck_assert_int_eq(run(&f, "24.8.0", NULL, "geoip: {database_file: "
	    "no-such.mmdb}\n"), -1);
	ck_assert_contains(f.e.msg, "geoip.database_file: no-such.mmdb is not a "
	    "file");
	fixture_free(&f);
	free(both);
	free(file);
}
END_TEST

/* Air-gapped with the answers each step needs, check has no warning of
 * air-gap-internet-steps left; before 25.9.0 private addresses are no
 * step at all. */
START_TEST(all_steps_handled)
{
	static const char *const releases[] = { "10.1.0", "24.8.0", "26.8.0" };

	for (size_t i = 0; i < sizeof releases / sizeof releases[0]; i++) {
		char *geoip = geoip_file();
		char *extra = xasprintf("air_gapped: true\nregistry: m.internal/s\n%s",
		    geoip);
		struct findings found = { 0 };
		struct facts facts;
		struct fixture f;
		size_t n = 0;

		facts_init(&facts);
		ck_assert_msg(run(&f, releases[i], ", js_sdk_url: \"" OWN "\", "
		    "disallowed_ips: [127.0.0.0/8]", extra) == 0, "%s", f.e.msg);
		rules_evaluate(&f.s.pl, &facts, &found);
		for (size_t j = 0; j < found.n; j++) {
			if (strcmp(found.v[j].rule, "air-gap-internet-steps") != 0)
				continue;
			n++;
			ck_assert_int_eq(found.v[j].severity, SEV_INFO);
			ck_assert_contains(found.v[j].message, "applied: ");
		}
		ck_assert_uint_eq(n, 1);
		ck_assert_uint_eq(plan_internet_unhandled(&f.s.pl), 0);
		findings_free(&found);
		facts_free(&facts);
		fixture_free(&f);
		free(extra);
		free(geoip);
	}
}
END_TEST

/* Every step a profile may name has its entry in the plan's table, and
 * every release lists the steps its settings have. */
START_TEST(steps_are_known)
{
	for (const char *const *id = profile_internet_steps; *id != NULL; id++)
		ck_assert_msg(internet_step(*id) != NULL, "no step %s", *id);
	for (const struct internet_step *s = internet_steps; s->id != NULL; s++)
		ck_assert(s->need && s->offline && s->fix && s->handled);
}
END_TEST

Suite *
suite_airgap(void)
{
	Suite *s = suite_create("airgap");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, connected_keeps_upstream);
	tcase_add_test(tc, air_gapped_per_release);
	tcase_add_test(tc, own_loader_and_ranges);
	tcase_add_test(tc, geoip_from_file);
	tcase_add_test(tc, geoip_answers_checked);
	tcase_add_test(tc, steps_are_known);
	tcase_add_test(tc, all_steps_handled);
	suite_add_tcase(s, tc);
	return s;
}
