/*
 * The registry probe's text handling, without a registry: image references
 * split as the API addresses them, login challenges, loopback hosts, and
 * the registry_auth answers (the live flows are in tests/live/).
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "probe_internal.h"
#include "registry_ref.h"

static void
split_is(const char *ref, const char *host, const char *name,
    const char *reference)
{
	struct image_ref r;

	ck_assert_msg(image_ref_split(ref, &r) == 0, "%s does not split", ref);
	ck_assert_str_eq(r.host, host);
	ck_assert_str_eq(r.name, name);
	ck_assert_str_eq(r.reference, reference);
	image_ref_free(&r);
}

START_TEST(references_split_as_the_api_needs)
{
	static const char digest[] = "sha256:"
	    "45901bbbaebb576543abaa0892fe239100d29cca801d76b9ab783da949ca45e6";
	struct image_ref r;
	char *ref;

	split_is("registry.internal:5000/sentry/getsentry/sentry:26.8.0",
	    "registry.internal:5000", "sentry/getsentry/sentry", "26.8.0");
	ref = xasprintf("registry.internal:5000/sentry/getsentry/snuba@%s", digest);
	split_is(ref, "registry.internal:5000", "sentry/getsentry/snuba", digest);
	free(ref);
	/* A digest wins over a tag, as for docker pull. */
	ref = xasprintf("reg.example.com/mirror/nginx:1.27@%s", digest);
	split_is(ref, "reg.example.com", "mirror/nginx", digest);
	free(ref);
	split_is("localhost/sentry/relay", "localhost", "sentry/relay", "latest");
	split_is("127.0.0.1:5000/a/b:1", "127.0.0.1:5000", "a/b", "1");
	/* No host part: Docker Hub, where one part is under library/. */
	split_is("nginx:1.27", "docker.io", "library/nginx", "1.27");
	split_is("getsentry/sentry:26.8.0", "docker.io", "getsentry/sentry",
	    "26.8.0");
	split_is("mirror/getsentry/sentry:1", "docker.io", "mirror/getsentry/sentry",
	    "1");
	ck_assert_int_eq(image_ref_split("reg.internal/:1", &r), -1);
	ck_assert_int_eq(image_ref_split("reg.internal/a@", &r), -1);
	ck_assert_int_eq(image_ref_split("reg.internal/a:", &r), -1);
}
END_TEST

START_TEST(challenges_are_parsed)
{
	struct auth_challenge c;

	ck_assert_int_eq(auth_challenge_parse("Bearer realm=\"https://auth."
	    "example.com/token\",service=\"registry.example.com\",scope="
	    "\"repository:sentry/getsentry/sentry:pull\"", &c), 0);
	ck_assert_str_eq(c.scheme, "Bearer");
	ck_assert_str_eq(c.realm, "https://auth.example.com/token");
	ck_assert_str_eq(c.service, "registry.example.com");
	ck_assert_str_eq(c.scope, "repository:sentry/getsentry/sentry:pull");
	auth_challenge_free(&c);
	/* Spaces, other case, a token value, an escaped quote, unknown keys. */
	ck_assert_int_eq(auth_challenge_parse("  bearer  Realm = \"http://a/t\\\"x\""
	    " , error=insufficient_scope, service=svc", &c), 0);
	ck_assert_str_eq(c.scheme, "bearer");
	ck_assert_str_eq(c.realm, "http://a/t\"x");
	ck_assert_str_eq(c.service, "svc");
	ck_assert_ptr_null(c.scope);
	auth_challenge_free(&c);
	ck_assert_int_eq(auth_challenge_parse("Basic realm=\"Registry\"", &c), 0);
	ck_assert_str_eq(c.scheme, "Basic");
	ck_assert_str_eq(c.realm, "Registry");
	auth_challenge_free(&c);
	/* The first of two challenges. */
	ck_assert_int_eq(auth_challenge_parse("Basic realm=\"r\", Bearer "
	    "realm=\"x\"", &c), 0);
	ck_assert_str_eq(c.scheme, "Basic");
	ck_assert_str_eq(c.realm, "r");
	auth_challenge_free(&c);
	ck_assert_int_eq(auth_challenge_parse("", &c), -1);
	auth_challenge_free(&c);
	ck_assert_int_eq(auth_challenge_parse("realm=\"x\"", &c), -1);
	auth_challenge_free(&c);
	ck_assert_int_eq(auth_challenge_parse("Bearer realm=\"unterminated", &c), 0);
	ck_assert_str_eq(c.realm, "unterminated");
	auth_challenge_free(&c);
}
END_TEST

START_TEST(loopback_hosts_are_known)
{
	ck_assert(registry_host_loopback("127.0.0.1:5000"));
	ck_assert(registry_host_loopback("127.1.2.3"));
	ck_assert(registry_host_loopback("localhost:5000"));
	ck_assert(registry_host_loopback("localhost"));
	ck_assert(registry_host_loopback("[::1]:5000"));
	ck_assert(!registry_host_loopback("127.example.com:5000"));
	ck_assert(!registry_host_loopback("registry.internal:5000"));
	ck_assert(!registry_host_loopback("10.0.0.1:5000"));
	ck_assert(!registry_host_loopback("localhost.example.com"));
}
END_TEST

/* registry_auth: the login goes into the plan by reference only, and into
 * no generated file; it needs a registry, and both halves. */
START_TEST(registry_auth_is_a_secret_of_the_check_only)
{
	struct fixture f;
	char *yaml = demo_answers("24.8.0", "registry: registry.internal:5000/"
	    "sentry\nregistry_auth: {username: puller, password: "
	    "reg-pass-4711, tls_verify: false}\n");
	struct strlist only = { 0 };

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	ck_assert_str_eq(f.s.pl.registry.username, "puller");
	ck_assert_str_eq(f.s.pl.registry.password_ref, REGISTRY_PASSWORD_REF);
	ck_assert_str_eq(plan_secret_value(&f.s.pl, REGISTRY_PASSWORD_REF),
	    "reg-pass-4711");
	ck_assert_int_eq(f.s.pl.registry.tls_verify, 0);
	for (size_t i = 0; i < f.out.n; i++)
		ck_assert_msg(strstr(f.out.v[i].content, "reg-pass-4711") == NULL,
		    "the registry's password is in %s", f.out.v[i].path);
	sl_add(&only, "registry");
	ck_assert(probe_name_known("registry"));
	ck_assert_uint_eq(probe_count(&f.s.pl, &only), 1);
	fixture_free(&f);
	free(yaml);
	yaml = demo_answers("24.8.0", NULL);
	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	ck_assert_uint_eq(probe_count(&f.s.pl, &only), 0);
	fixture_free(&f);
	free(yaml);
	yaml = demo_answers("24.8.0", "registry_auth: {username: u, password: p}\n");
	ck_assert_int_ne(fixture_run(&f, yaml), 0);
	ck_assert_contains(f.e.msg, "registry_auth: needs a registry");
	fixture_free(&f);
	free(yaml);
	yaml = demo_answers("24.8.0", "registry: reg.internal/s\n"
	    "registry_auth: {username: u}\n");
	ck_assert_int_ne(fixture_run(&f, yaml), 0);
	ck_assert_contains(f.e.msg, "registry_auth.password: give both username "
	    "and password, or neither");
	fixture_free(&f);
	free(yaml);
	sl_free(&only);
}
END_TEST

Suite *
suite_registry(void)
{
	Suite *s = suite_create("registry");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, references_split_as_the_api_needs);
	tcase_add_test(tc, challenges_are_parsed);
	tcase_add_test(tc, loopback_hosts_are_known);
	tcase_add_test(tc, registry_auth_is_a_secret_of_the_check_only);
	suite_add_tcase(s, tc);
	return s;
}
