/*
 * What the SSH probe makes of a host's answers (ssh_facts.c) and of its
 * clock (facts.c): the output of the facts script as a host may print it,
 * whole, cut short or hostile, and the skew's arithmetic with given times,
 * since the test cannot move a clock. The commands themselves run in
 * tests/live/test-ssh.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "facts.h"
#include "ssh_facts.h"
#include "xmem.h"

/* What a Debian host with a Swarm manager's engine prints. */
static const char good[] =
    "\n@@shs uname\nLinux 6.1.0-18-amd64\n\n@@shs rc 0\n"
    "\n@@shs os\n\"Debian GNU/Linux 12 (bookworm)\"\n\n@@shs rc 0\n"
    "\n@@shs nproc\n8\n\n@@shs rc 0\n"
    "\n@@shs mem\n16318412 kB\n\n@@shs rc 0\n"
    "\n@@shs docker\n27.3.1 1.47\n\n@@shs rc 0\n"
    "\n@@shs swarm\nactive true\n\n@@shs rc 0\n";

static void
parse(const char *out, size_t len, struct ssh_facts *f)
{
	ssh_facts_init(f);
	ssh_facts_parse(out, len, f);
}

START_TEST(every_fact_is_read)
{
	struct ssh_facts f;
	struct strbuf text = STRBUF_INIT;
	struct kvlist pairs = { 0 };

	parse(good, sizeof good - 1, &f);
	ck_assert_str_eq(f.kernel, "Linux 6.1.0-18-amd64");
	ck_assert_str_eq(f.os, "Debian GNU/Linux 12 (bookworm)");
	ck_assert_int_eq(f.cpus, 8);
	ck_assert_int_eq(f.mem_kib, 16318412);
	ck_assert_str_eq(f.docker_version, "27.3.1");
	ck_assert_str_eq(f.docker_api, "1.47");
	ck_assert_str_eq(f.swarm_state, "active");
	ck_assert_int_eq(f.swarm_manager, 1);
	f.have_clock = 1;
	f.skew_s = -0.25;
	f.uncertainty_s = 0.004;
	ssh_facts_text(&f, &text);
	ck_assert_str_eq(sb_str(&text), "Linux 6.1.0-18-amd64, Debian GNU/Linux "
	    "12 (bookworm); 8 CPUs, 15.6 GiB; clock -0.25 s (+-0.00)\n"
	    "Docker 27.3.1 (API 1.47); Swarm active, a manager\n");
	ssh_facts_pairs(&f, &pairs);
	ck_assert_str_eq(kv_get(&pairs, "cpus"), "8");
	ck_assert_str_eq(kv_get(&pairs, "memory_kib"), "16318412");
	ck_assert_str_eq(kv_get(&pairs, "clock_skew_s"), "-0.250");
	ck_assert_str_eq(kv_get(&pairs, "swarm_manager"), "true");
	ck_assert_ptr_null(kv_get(&pairs, "docker_none"));
	kv_free(&pairs);
	sb_free(&text);
	ssh_facts_free(&f);
}
END_TEST

/* A host without docker, and one whose daemon does not answer: facts,
 * said as such; the swarm section is not run then. */
START_TEST(no_docker_engine_is_a_fact)
{
	static const char missing[] = "\n@@shs uname\nLinux 5.15\n\n@@shs rc 0\n"
	    "\n@@shs docker\nsh: 1: docker: not found\n\n@@shs rc 127\n";
	static const char down[] = "\n@@shs docker\n\nCannot connect to the "
	    "Docker daemon at unix:///var/run/docker.sock. Is the docker daemon "
	    "running?\n\n@@shs rc 1\n";
	struct ssh_facts f;
	struct strbuf text = STRBUF_INIT;

	parse(missing, sizeof missing - 1, &f);
	ck_assert_ptr_null(f.docker_version);
	ck_assert_str_eq(f.docker_none, "docker is not installed");
	ssh_facts_text(&f, &text);
	ck_assert_str_eq(sb_str(&text), "Linux 5.15\nno Docker engine reachable: "
	    "docker is not installed\n");
	ssh_facts_free(&f);
	sb_free(&text);
	parse(down, sizeof down - 1, &f);
	ck_assert_ptr_nonnull(strstr(f.docker_none, "Cannot connect to the "
	    "Docker daemon"));
	ck_assert_int_eq(f.cpus, -1);
	ck_assert_ptr_null(f.swarm_state);
	ssh_facts_free(&f);
}
END_TEST

/* Output cut anywhere: a section without its status stays unknown, and
 * nothing is read past the end. */
START_TEST(truncated_output_leaves_facts_unknown)
{
	for (size_t len = 0; len < sizeof good - 1; len++) {
		char *copy = xstrndup(good, len);	/* no NUL at len for ASan */
		struct ssh_facts f;

		copy = xrealloc(copy, len ? len : 1);
		parse(copy, len, &f);
		if (len < strlen("\n@@shs uname\nLinux 6.1.0-18-amd64\n\n@@shs rc 0"))
			ck_assert_ptr_null(f.kernel);
		if (len < sizeof good - 2)
			ck_assert_ptr_null(f.swarm_state);
		ssh_facts_free(&f);
		free(copy);
	}
}
END_TEST

/* Escapes, NUL bytes, overlong lines, a forged second section, numbers that
 * are no numbers: nothing unprintable, nothing long, nothing believed. */
START_TEST(hostile_output_is_tamed)
{
	static const char evil[] =
	    "\n@@shs uname\n\x1b[2J\x1b[Hok    Linux\r\n\n@@shs rc 0\n"
	    "\n@@shs uname\nforged\n\n@@shs rc 0\n"
	    "\n@@shs os\nPWN\0ED\n\n@@shs rc 0\n"
	    "\n@@shs nproc\n0x10\n\n@@shs rc 0\n"
	    "\n@@shs mem\n99999999999999999999999 kB\n\n@@shs rc 0\n"
	    "\n@@shs docker\n";
	char big[SSH_FACT_MAX * 3 + 64];
	struct ssh_facts f;
	size_t n;

	parse(evil, sizeof evil - 1, &f);
	ck_assert_str_eq(f.kernel, "\\x1b[2J\\x1b[Hok    Linux");
	ck_assert_str_eq(f.os, "PWN");
	ck_assert_int_eq(f.cpus, -1);
	ck_assert_int_eq(f.mem_kib, -1);
	ck_assert_ptr_null(f.docker_version);
	ck_assert_ptr_null(f.docker_none);
	ssh_facts_free(&f);
	n = (size_t)snprintf(big, sizeof big, "\n@@shs uname\n");
	memset(big + n, 'A', SSH_FACT_MAX * 3);
	n += SSH_FACT_MAX * 3;
	n += (size_t)snprintf(big + n, sizeof big - n, "\n@@shs rc 0\n");
	parse(big, n, &f);
	ck_assert_uint_eq(strlen(f.kernel), SSH_FACT_MAX);
	ssh_facts_free(&f);
}
END_TEST

/* The round trip is the uncertainty: the host read its clock somewhere
 * between asking and hearing back. */
START_TEST(clock_skew_is_measured_with_its_uncertainty)
{
	double skew = 0, unc = 0;

	ck_assert_int_eq(clock_skew_measure(1000.0, 1000.2, "1000.1\n", &skew,
	    &unc), 0);
	ck_assert_double_eq_tol(skew, 0.0, 1e-9);
	ck_assert_double_eq_tol(unc, 0.1, 1e-9);
	ck_assert_int_eq(clock_skew_measure(1000.0, 1000.2, "1003.600000000",
	    &skew, &unc), 0);
	ck_assert_double_eq_tol(skew, 3.5, 1e-6);
	/* `date +%s` truncates: half a second more each way. */
	ck_assert_int_eq(clock_skew_measure(1000.0, 1000.2, "998", &skew,
	    &unc), 0);
	ck_assert_double_eq_tol(skew, -1.6, 1e-9);
	ck_assert_double_eq_tol(unc, 0.6, 1e-9);
	ck_assert_int_eq(clock_skew_measure(1000.0, 1000.2, "998.N", &skew,
	    &unc), 0);
	ck_assert_double_eq_tol(unc, 0.6, 1e-9);
	ck_assert_int_eq(clock_skew_measure(1000, 1001, "", &skew, &unc), -1);
	ck_assert_int_eq(clock_skew_measure(1000, 1001, "-5", &skew, &unc), -1);
	ck_assert_int_eq(clock_skew_measure(1000, 1001, "0x3e8", &skew,
	    &unc), -1);
	ck_assert_int_eq(clock_skew_measure(1000, 1001, "1234567890123456789",
	    &skew, &unc), -1);
	ck_assert_int_eq(clock_skew_measure(1001, 1000, "1000", &skew, &unc),
	    -1);
	ck_assert_int_eq(clock_skew_measure(1000, 1001, NULL, &skew, &unc), -1);
}
END_TEST

START_TEST(clock_skew_beyond_its_uncertainty_only)
{
	ck_assert(clock_skew_beyond(1.5, 0.1, CLOCK_SKEW_LIMIT_S));
	ck_assert(clock_skew_beyond(-1.5, 0.1, CLOCK_SKEW_LIMIT_S));
	ck_assert(!clock_skew_beyond(1.5, 0.6, CLOCK_SKEW_LIMIT_S));
	ck_assert(!clock_skew_beyond(-1.5, 0.6, CLOCK_SKEW_LIMIT_S));
	ck_assert(!clock_skew_beyond(0.9, 0.0, CLOCK_SKEW_LIMIT_S));
	ck_assert(!clock_skew_beyond(1.0, 0.0, CLOCK_SKEW_LIMIT_S));
	/* A measured 1.6 s from a whole-second `date`: 1.6 - 0.6 is not
	 * beyond doubt. */
	ck_assert(!clock_skew_beyond(-1.6, 0.6, CLOCK_SKEW_LIMIT_S));
}
END_TEST

/* Every host's clock survives the merge of the probes' facts. */
START_TEST(clocks_merge_per_host)
{
	struct facts dst, src;

	facts_init(&dst);
	for (int i = 0; i < 2; i++) {
		facts_init(&src);
		src.clocks = xcalloc(1, sizeof *src.clocks);
		src.clocks[0] = (struct clock_fact){ xasprintf("h%d:22", i), i,
		    i * 2.0, 0.1 };
		src.nclocks = 1;
		facts_merge(&dst, &src);
	}
	ck_assert_uint_eq(dst.nclocks, 2);
	ck_assert_str_eq(dst.clocks[1].host, "h1:22");
	ck_assert_int_eq(dst.clocks[1].index, 1);
	ck_assert_uint_eq(src.nclocks, 0);
	facts_free(&dst);
}
END_TEST

Suite *
suite_ssh_facts(void)
{
	Suite *s = suite_create("ssh_facts");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, every_fact_is_read);
	tcase_add_test(tc, no_docker_engine_is_a_fact);
	tcase_add_test(tc, truncated_output_leaves_facts_unknown);
	tcase_add_test(tc, hostile_output_is_tamed);
	tcase_add_test(tc, clock_skew_is_measured_with_its_uncertainty);
	tcase_add_test(tc, clock_skew_beyond_its_uncertainty_only);
	tcase_add_test(tc, clocks_merge_per_host);
	suite_add_tcase(s, tc);
	return s;
}
