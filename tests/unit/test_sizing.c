/* Sizing: resource quantities, the answers' size and per-service figures,
 * in both targets' manifests and in deploy.sh's capacity check. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "quantity.h"
#include "xmem.h"

START_TEST(cpu_quantities)
{
	static const struct { const char *s; long millis; } good[] = {
		{ "250m", 250 }, { "1m", 1 }, { "0.5", 500 }, { "2", 2000 },
		{ "1.25", 1250 }, { "0.001", 1 }, { "1000", 1000000 },
	};
	static const char *const bad[] = { "", "m", "0", "0m", "1.5m", "-1",
	    "250M", "1e3", "0.0005", "1001", " 1", "1 ", ".5", "5.", "2cpu" };
	long v;

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		ck_assert_msg(cpu_millis(good[i].s, &v) == 0, "%s", good[i].s);
		ck_assert_int_eq(v, good[i].millis);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(cpu_millis(bad[i], &v) < 0, "accepted \"%s\"", bad[i]);
}
END_TEST

START_TEST(memory_quantities)
{
	static const struct { const char *s; long mib; } good[] = {
		{ "512Mi", 512 }, { "1Gi", 1024 }, { "1.5Gi", 1536 },
		{ "1G", 954 }, { "500M", 477 }, { "2Ti", 2097152 }, { "1M", 1 },
	};
	static const char *const bad[] = { "", "512", "1g", "1gi", "0Mi",
	    "1Ki", "Mi", "-1Gi", "65Ti", "1 Gi", "1.Gi", "100000000Mi" };
	long v;

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		ck_assert_msg(memory_mib(good[i].s, &v) == 0, "%s", good[i].s);
		ck_assert_int_eq(v, good[i].mib);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(memory_mib(bad[i], &v) < 0, "accepted \"%s\"", bad[i]);
}
END_TEST

START_TEST(spellings)
{
	char b[32];

	cpu_quantity(250, b, sizeof b);
	ck_assert_str_eq(b, "250m");
	cpu_quantity(2000, b, sizeof b);
	ck_assert_str_eq(b, "2");
	memory_quantity(1024, b, sizeof b);
	ck_assert_str_eq(b, "1Gi");
	memory_quantity(384, b, sizeof b);
	ck_assert_str_eq(b, "384Mi");
	cpu_compose(25, b, sizeof b);
	ck_assert_str_eq(b, "0.025");
	memory_compose(2048, b, sizeof b);
	ck_assert_str_eq(b, "2G");
	memory_compose(64, b, sizeof b);
	ck_assert_str_eq(b, "64M");
}
END_TEST

static const struct plan_service *
service(const struct fixture *f, const char *name)
{
	const struct plan_service *s = plan_service(&f->s.pl, name);

	ck_assert_msg(s != NULL, "no service %s", name);
	return s;
}

/* web reserves 500m and 1Gi in the 24.8.0 profile. */
START_TEST(sizes_scale_the_profile)
{
	struct fixture f;
	char *yaml;

	yaml = demo_answers("24.8.0", NULL);
	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	ck_assert_int_eq(service(&f, "web")->cpu_millis, 500);
	ck_assert_int_eq(service(&f, "web")->memory_mib, 1024);
	ck_assert_ptr_null(kv_get(&service(&f, "web")->sources, "cpu"));
	fixture_free(&f);
	free(yaml);

	yaml = demo_answers("24.8.0", "size: small\n");
	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	ck_assert_int_eq(service(&f, "web")->cpu_millis, 25);
	ck_assert_int_eq(service(&f, "web")->memory_mib, 128);
	ck_assert_str_eq(kv_get(&service(&f, "web")->sources, "cpu"), "answers:size");
	ck_assert_contains(fixture_file(&f, "kubernetes/services/web.yaml"), "cpu: \"25m\"");
	ck_assert_contains(fixture_file(&f, "kubernetes/services/web.yaml"), "memory: \"128Mi\"");
	fixture_free(&f);
	free(yaml);

	yaml = demo_answers("24.8.0", "size: large\n");
	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	ck_assert_int_eq(service(&f, "web")->cpu_millis, 1000);
	ck_assert_contains(fixture_file(&f, "kubernetes/services/web.yaml"), "cpu: \"1\"");
	ck_assert_contains(fixture_file(&f, "kubernetes/services/web.yaml"), "memory: \"2Gi\"");
	fixture_free(&f);
	free(yaml);
}
END_TEST

START_TEST(service_figures_win)
{
	struct fixture f;
	char *yaml = demo_answers("24.8.0", "size: small\nservices:\n"
	    "  web: {replicas: 2, cpu: \"1.5\", memory: 3Gi}\n"
	    "  worker: {memory: 700M}\n");

	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	ck_assert_int_eq(service(&f, "web")->cpu_millis, 1500);
	ck_assert_int_eq(service(&f, "web")->memory_mib, 3072);
	ck_assert_str_eq(kv_get(&service(&f, "web")->sources, "cpu"),
	    "answers:services.web.cpu");
	/* worker keeps the small CPU and takes its own memory. */
	ck_assert_int_eq(service(&f, "worker")->memory_mib, 668);
	ck_assert_str_eq(kv_get(&service(&f, "worker")->sources, "cpu"), "answers:size");
	ck_assert_contains(fixture_file(&f, "kubernetes/services/web.yaml"), "cpu: \"1500m\"");
	ck_assert_contains(fixture_file(&f, "kubernetes/services/web.yaml"), "memory: \"3Gi\"");
	fixture_free(&f);
	free(yaml);
}
END_TEST

START_TEST(bad_figures_are_named)
{
	static const struct { const char *extra, *want; } cases[] = {
		{ "services: {web: {cpu: 500M}}\n", "services.web.cpu: expected a CPU quantity" },
		{ "services: {web: {memory: \"1024\"}}\n", "services.web.memory: expected a memory quantity" },
		{ "size: tiny\n", "size" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct fixture f;
		char *yaml = demo_answers("24.8.0", cases[i].extra);

		ck_assert_msg(fixture_run(&f, yaml) < 0, "accepted %s", cases[i].extra);
		ck_assert_contains(f.e.msg, cases[i].want);
		fixture_free(&f);
		free(yaml);
	}
}
END_TEST

/* deploy.sh sums replicas x reservations; a rolling update's or a later
 * migration's task needs room beside them. */
START_TEST(deploy_sums_the_reservations)
{
	struct fixture f;
	char *base = demo_answers("24.8.0", "size: small\n");
	char *target = strstr(base, "kind: kubernetes");
	char *pvc = strstr(base, "{kind: pvc}"), *yaml;
	const struct plan *pl;
	long cpu = 0, mem = 0;
	char *want;

	memcpy(target, "kind: swarm     ", 16);	/* same length, valid YAML */
	*pvc = '\0';
	yaml = xasprintf("%s{kind: nfs, nfs: {server: nfs.internal, path: /srv}}%s",
	    base, pvc + strlen("{kind: pvc}"));
	ck_assert_msg(fixture_run(&f, yaml) == 0, "%s", f.e.msg);
	pl = &f.s.pl;
	for (size_t i = 0; i < pl->nservices; i++) {
		cpu += pl->services[i].replicas * pl->services[i].cpu_millis;
		mem += pl->services[i].replicas * pl->services[i].memory_mib;
	}
	want = xasprintf("RESERVED_MCPU=%ld RESERVED_MIB=%ld\n", cpu, mem);
	ck_assert_contains(fixture_file(&f, "swarm/deploy.sh"), want);
	ck_assert_msg(cpu < 2000 && mem < 8192, "small reserves %ld m, %ld MiB",
	    cpu, mem);
	ck_assert_contains(fixture_file(&f, "swarm/deploy.sh"),
	    "HEADROOM_MCPU=25 HEADROOM_MIB=128\n");
	ck_assert_contains(fixture_file(&f, "swarm/stacks/30-web.yml"),
	    "cpus: \"0.025\"");
	free(want);
	fixture_free(&f);
	free(yaml);
	free(base);
}
END_TEST

Suite *
suite_sizing(void)
{
	Suite *s = suite_create("sizing");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, cpu_quantities);
	tcase_add_test(tc, memory_quantities);
	tcase_add_test(tc, spellings);
	tcase_add_test(tc, sizes_scale_the_profile);
	tcase_add_test(tc, service_figures_win);
	tcase_add_test(tc, bad_figures_are_named);
	tcase_add_test(tc, deploy_sums_the_reservations);
	suite_add_tcase(s, tc);
	return s;
}
