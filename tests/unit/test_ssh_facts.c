/*
 * What the SSH probe makes of a host's answers (ssh_facts.c) and of its
 * clock (facts.c): the output of the facts script as a host may print it,
 * whole, cut short or hostile, and the skew's arithmetic with given times,
 * since the test cannot move a clock. The commands themselves run in
 * tests/live/test-ssh.sh.
 */
#include <limits.h>
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
    "\n@@shs swarm\nactive true /var/lib/docker\n\n@@shs rc 0\n"
    "\n@@shs node\nmanager active {\"zone\":\"a\",\"disk\":\"ssd\"}\n\n"
    "@@shs rc 0\n"
    "\n@@shs plugin\nlocal/other:latest true\nvieux/sshfs:latest true\n\n"
    "@@shs rc 0\n"
    "\n@@shs df\n/var/lib/docker\n/dev/sda1         102687672 30258404  "
    "12897484      71% /\n\n@@shs rc 0\n";

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
	ck_assert_str_eq(f.node_role, "manager");
	ck_assert_str_eq(f.node_availability, "active");
	ck_assert_str_eq(f.node_labels, "zone=a, disk=ssd");
	ck_assert_int_eq(f.sshfs_plugin, SSHFS_ENABLED);
	ck_assert_str_eq(f.docker_root, "/var/lib/docker");
	ck_assert_int_eq(f.docker_root_free_kib, 12897484);
	f.have_clock = 1;
	f.skew_s = -0.25;
	f.uncertainty_s = 0.004;
	ssh_facts_text(&f, &text);
	ck_assert_str_eq(sb_str(&text), "Linux 6.1.0-18-amd64, Debian GNU/Linux "
	    "12 (bookworm); 8 CPUs, 15.6 GiB; clock -0.25 s (+-0.00)\n"
	    "Docker 27.3.1 (API 1.47); Swarm active, a manager, node active, "
	    "labels: zone=a, disk=ssd\n"
	    "vieux/sshfs plugin enabled; 12.3 GiB free in /var/lib/docker\n");
	ssh_facts_pairs(&f, &pairs);
	ck_assert_str_eq(kv_get(&pairs, "cpus"), "8");
	ck_assert_str_eq(kv_get(&pairs, "memory_kib"), "16318412");
	ck_assert_str_eq(kv_get(&pairs, "clock_skew_s"), "-0.250");
	ck_assert_str_eq(kv_get(&pairs, "swarm_manager"), "true");
	ck_assert_ptr_null(kv_get(&pairs, "docker_none"));
	ck_assert_str_eq(kv_get(&pairs, "node_role"), "manager");
	ck_assert_str_eq(kv_get(&pairs, "node_availability"), "active");
	ck_assert_str_eq(kv_get(&pairs, "node_labels"), "zone=a, disk=ssd");
	ck_assert_str_eq(kv_get(&pairs, "sshfs_plugin"), "enabled");
	ck_assert_str_eq(kv_get(&pairs, "docker_root"), "/var/lib/docker");
	ck_assert_str_eq(kv_get(&pairs, "docker_root_free_kib"), "12897484");
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
	/* Where each section's status is whole. */
	size_t swarm = (size_t)(strstr(good, "active true") - good) +
	    strlen("active true /var/lib/docker\n\n@@shs rc 0");
	size_t node = (size_t)(strstr(good, "ssd\"}") - good) +
	    strlen("ssd\"}\n\n@@shs rc 0");
	size_t plugin = (size_t)(strstr(good, "vieux") - good) +
	    strlen("vieux/sshfs:latest true\n\n@@shs rc 0");

	for (size_t len = 0; len < sizeof good - 1; len++) {
		char *copy = xstrndup(good, len);	/* no NUL at len for ASan */
		struct ssh_facts f;

		copy = xrealloc(copy, len ? len : 1);
		parse(copy, len, &f);
		if (len < strlen("\n@@shs uname\nLinux 6.1.0-18-amd64\n\n@@shs rc 0"))
			ck_assert_ptr_null(f.kernel);
		if (len < swarm)
			ck_assert_ptr_null(f.swarm_state);
		if (len < node)
			ck_assert_ptr_null(f.node_labels);
		if (len < plugin)
			ck_assert_int_eq(f.sshfs_plugin, -1);
		if (len < sizeof good - 2) {
			ck_assert_ptr_null(f.docker_root);
			ck_assert_int_eq(f.docker_root_free_kib, -1);
		}
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

/* A drained worker's node, with labels; its free space in MiB. The
 * plugin is there but disabled. */
START_TEST(drained_worker_with_labels)
{
	static const char out[] =
	    "\n@@shs docker\n26.1.4 1.45\n\n@@shs rc 0\n"
	    "\n@@shs swarm\nactive false /srv/docker\n\n@@shs rc 0\n"
	    "\n@@shs node\nworker drain {\"sentry\":\"kafka\"}\r\n\n@@shs rc 0\n"
	    "\n@@shs plugin\nvieux/sshfs:next false\n\n@@shs rc 0\n"
	    "\n@@shs df\n/srv/docker\n/dev/vdb 1000000 990000 9000 99% /srv\n"
	    "\n@@shs rc 0\n";
	struct ssh_facts f;
	struct strbuf text = STRBUF_INIT;
	struct kvlist pairs = { 0 };

	parse(out, sizeof out - 1, &f);
	ck_assert_str_eq(f.node_role, "worker");
	ck_assert_str_eq(f.node_availability, "drain");
	ck_assert_str_eq(f.node_labels, "sentry=kafka");
	ck_assert_int_eq(f.sshfs_plugin, SSHFS_DISABLED);
	ck_assert_int_eq(f.docker_root_free_kib, 9000);
	ssh_facts_text(&f, &text);
	ck_assert_str_eq(sb_str(&text), "OS, CPUs and memory unknown\n"
	    "Docker 26.1.4 (API 1.45); Swarm active, a worker, node drain, "
	    "labels: sentry=kafka\n"
	    "vieux/sshfs plugin installed but disabled; 8 MiB free in "
	    "/srv/docker\n");
	ssh_facts_pairs(&f, &pairs);
	ck_assert_str_eq(kv_get(&pairs, "sshfs_plugin"), "disabled");
	ck_assert_str_eq(kv_get(&pairs, "node_availability"), "drain");
	kv_free(&pairs);
	sb_free(&text);
	ssh_facts_free(&f);
}
END_TEST

/* The plugin list: another plugin, a name that only starts alike, none at
 * all; a list that failed or was cut off says nothing. No labels are
 * none; labels not that simple are kept as they are. */
START_TEST(sshfs_plugin_absent_or_unknown)
{
	static const struct {
		const char	*out;
		int		 want;
	} cases[] = {
		{ "\n@@shs plugin\nlocal/x:latest true\nvieux/sshfsX:1 true\n"
		    "\n@@shs rc 0\n", SSHFS_ABSENT },
		{ "\n@@shs plugin\n\n@@shs rc 0\n", SSHFS_ABSENT },
		{ "\n@@shs plugin\nvieux/sshfs false\nvieux/sshfs:x true\n"
		    "\n@@shs rc 0\n", SSHFS_ENABLED },
		{ "\n@@shs plugin\nError response from daemon\n\n@@shs rc 1\n",
		    -1 },
		{ "\n@@shs plugin\nvieux/sshfs:latest true\n", -1 },
	};
	static const char node[] = "\n@@shs node\nmanager pause null\n\n"
	    "@@shs rc 0\n\n@@shs node\nworker drain {}\n\n@@shs rc 0\n";
	static const char odd[] = "\n@@shs node\nmanager active {\"a\\\"\":"
	    "\"b\"}\n\n@@shs rc 0\n";
	struct ssh_facts f;
	struct kvlist pairs = { 0 };

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		parse(cases[i].out, strlen(cases[i].out), &f);
		ck_assert_int_eq(f.sshfs_plugin, cases[i].want);
		ssh_facts_free(&f);
	}
	parse(cases[0].out, strlen(cases[0].out), &f);
	ssh_facts_pairs(&f, &pairs);
	ck_assert_str_eq(kv_get(&pairs, "sshfs_plugin"), "absent");
	kv_free(&pairs);
	ssh_facts_free(&f);
	parse(node, sizeof node - 1, &f);
	ck_assert_str_eq(f.node_availability, "pause");
	ck_assert_str_eq(f.node_labels, "");
	ssh_facts_free(&f);
	parse(odd, sizeof odd - 1, &f);
	ck_assert_str_eq(f.node_labels, "{\"a\\\"\":\"b\"}");
	ssh_facts_free(&f);
}
END_TEST

/* df's section cut off, failed, or with no df line: no free space. */
START_TEST(df_cut_off_or_odd_stays_unknown)
{
	static const char *const outs[] = {
		"\n@@shs df\n/var/lib/docker\n/dev/sda1 100 50 40 60% /\n",
		"\n@@shs df\n/var/lib/docker\n/dev/sda1 100 50 40 60% /\n"
		    "\n@@shs rc 1\n",
		"\n@@shs df\n/var/lib/docker\ndf: /var/lib/docker: No such file "
		    "or directory\n\n@@shs rc 0\n",
		"\n@@shs df\n/var/lib/docker\n\n@@shs rc 0\n",
		"\n@@shs df\n/var/lib/docker\n/dev/sda1 100 50 40\n"
		    "\n@@shs rc 0\n",
		"\n@@shs df\nvar\n/dev/sda1 100 50 40 60% /\n\n@@shs rc 0\n",
		"\n@@shs df\n/d\n/dev/sda1 100 50 99999999999999999999 60% /\n"
		    "\n@@shs rc 0\n",
	};
	struct ssh_facts f;

	for (size_t i = 0; i < sizeof outs / sizeof outs[0]; i++) {
		parse(outs[i], strlen(outs[i]), &f);
		ck_assert_ptr_null(f.docker_root);
		ck_assert_int_eq(f.docker_root_free_kib, -1);
		ssh_facts_free(&f);
	}
	/* A full disk is 0 free, not unknown. */
	parse("\n@@shs df\n/d\n/dev/sda1 100 100 0 100% /\n\n@@shs rc 0\n",
	    strlen("\n@@shs df\n/d\n/dev/sda1 100 100 0 100% /\n\n@@shs rc 0\n"),
	    &f);
	ck_assert_int_eq(f.docker_root_free_kib, 0);
	ssh_facts_free(&f);
}
END_TEST

/* hostpath: the share's df, with or without Docker; df's complaint about
 * a folder that is not there; a section cut off stays unknown. Below 5%
 * or 5 GiB the line says it is low (the rule warns). */
START_TEST(shared_path_free_space)
{
	static const char roomy[] = "\n@@shs docker\nsh: docker: not found\n"
	    "\n@@shs rc 127\n\n@@shs shared\n/srv/share\n/dev/sdb1 "
	    "104857600 52428800 52428800 50% /srv/share\n\n@@shs rc 0\n";
	static const char low[] = "\n@@shs shared\n/srv/share\n/dev/sdb1 "
	    "104857600 101711872 3145728 97% /srv/share\n\n@@shs rc 0\n";
	static const char missing[] = "\n@@shs shared\n/srv/share\ndf: "
	    "/srv/share: No such file or directory\n\n\n@@shs rc 1\n";
	static const char cut[] = "\n@@shs shared\n/srv/share\n/dev/sdb1 "
	    "104857600 52428800 52428800 50% /srv/share\n";
	struct ssh_facts f;
	struct strbuf text = STRBUF_INIT;
	struct kvlist pairs = { 0 };

	parse(roomy, sizeof roomy - 1, &f);
	ck_assert_str_eq(f.shared_path, "/srv/share");
	ck_assert_int_eq(f.shared_free_kib, 52428800);
	ck_assert_int_eq(f.shared_total_kib, 104857600);
	ssh_facts_text(&f, &text);
	ck_assert_contains(sb_str(&text), "no Docker engine reachable: docker is "
	    "not installed\nfree space on the shared path /srv/share: 50.0 GiB "
	    "of 100.0 GiB (50%)\n");
	ssh_facts_pairs(&f, &pairs);
	ck_assert_str_eq(kv_get(&pairs, "shared_path"), "/srv/share");
	ck_assert_str_eq(kv_get(&pairs, "shared_free_kib"), "52428800");
	ck_assert_str_eq(kv_get(&pairs, "shared_total_kib"), "104857600");
	kv_free(&pairs);
	ssh_facts_free(&f);
	sb_free(&text);
	parse(low, sizeof low - 1, &f);
	ssh_facts_text(&f, &text);
	ck_assert_contains(sb_str(&text), "free space on the shared path "
	    "/srv/share: 3.0 GiB of 100.0 GiB (3%), low\n");
	ssh_facts_free(&f);
	sb_free(&text);
	parse(missing, sizeof missing - 1, &f);
	ck_assert_int_eq(f.shared_free_kib, -1);
	ssh_facts_text(&f, &text);
	ck_assert_contains(sb_str(&text), "free space on the shared path "
	    "/srv/share: unknown, df failed (df: /srv/share: No such file or "
	    "directory)\n");
	ssh_facts_free(&f);
	sb_free(&text);
	parse(cut, sizeof cut - 1, &f);
	ck_assert_ptr_null(f.shared_path);
	ck_assert_int_eq(f.shared_free_kib, -1);
	ssh_facts_free(&f);
	/* sshfs: SFTP statvfs counts in f_frsize, else f_bsize; huge
	 * counts are capped, a server with no size says nothing. */
	{
		long fr, tot;

		ck_assert_int_eq(ssh_space_kib(1000, 4000, 4096, 512, &fr, &tot), 0);
		ck_assert_int_eq(fr, 4000);
		ck_assert_int_eq(tot, 16000);
		ck_assert_int_eq(ssh_space_kib(10, 20, 0, 2048, &fr, &tot), 0);
		ck_assert_int_eq(fr, 20);
		ck_assert_int_eq(ssh_space_kib(~0ULL, ~0ULL, ~0ULL, 0, &fr, &tot), 0);
		ck_assert_int_eq(fr, LONG_MAX);
		ck_assert_int_eq(ssh_space_kib(1, 1, 0, 0, &fr, &tot), -1);
	}
	ck_assert(space_low(SPACE_LOW_KIB - 1, 0));
	ck_assert(!space_low(SPACE_LOW_KIB, 0));
	ck_assert(space_low(SPACE_LOW_KIB * 4, SPACE_LOW_KIB * 100));
	ck_assert(!space_low(SPACE_LOW_KIB * 5, SPACE_LOW_KIB * 100));
}
END_TEST

/* Escapes in labels, the root's folder and the plugin list; a role that is
 * no role; an overlong plugin line, cut before its " true". */
START_TEST(hostile_docker_output_is_tamed)
{
	static const char evil[] =
	    "\n@@shs node\nmanager active {\"\x1b[2J\":\"x\"}\n\n@@shs rc 0\n"
	    "\n@@shs df\n/var/\x1b]0;pwn\x07\n/dev/x 9 8 1 90% /\n"
	    "\n@@shs rc 0\n";
	static const char role[] = "\n@@shs node\n\x1b[1mmanager active {}\n\n"
	    "@@shs rc 0\n";
	char big[SSH_FACT_MAX * 3 + 128];
	struct ssh_facts f;
	struct strbuf text = STRBUF_INIT;
	size_t n;

	parse(evil, sizeof evil - 1, &f);
	ck_assert_str_eq(f.node_labels, "{\"\\x1b[2J\":\"x\"}");
	ck_assert_str_eq(f.docker_root, "/var/\\x1b]0;pwn\\x07");
	ck_assert_int_eq(f.docker_root_free_kib, 1);
	ssh_facts_free(&f);
	parse(role, sizeof role - 1, &f);
	ck_assert_ptr_null(f.node_role);
	ck_assert_ptr_null(f.node_labels);
	ssh_facts_free(&f);
	n = (size_t)snprintf(big, sizeof big, "\n@@shs plugin\nvieux/sshfs:");
	memset(big + n, 'A', SSH_FACT_MAX * 3);
	n += SSH_FACT_MAX * 3;
	n += (size_t)snprintf(big + n, sizeof big - n, " true\n\n@@shs rc 0\n");
	parse(big, n, &f);
	ck_assert_int_eq(f.sshfs_plugin, SSHFS_ABSENT);
	ssh_facts_free(&f);
	n = (size_t)snprintf(big, sizeof big, "\n@@shs docker\n1 2\n"
	    "\n@@shs rc 0\n\n@@shs node\nmanager active ");
	memset(big + n, '{', SSH_FACT_MAX * 3);
	n += SSH_FACT_MAX * 3;
	n += (size_t)snprintf(big + n, sizeof big - n, "\n\n@@shs rc 0\n");
	parse(big, n, &f);
	ck_assert_uint_eq(strlen(f.node_labels), SSH_FACT_MAX -
	    strlen("manager active "));
	ssh_facts_text(&f, &text);
	ck_assert_ptr_null(strchr(sb_str(&text), '\x1b'));
	sb_free(&text);
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
	tcase_add_test(tc, drained_worker_with_labels);
	tcase_add_test(tc, sshfs_plugin_absent_or_unknown);
	tcase_add_test(tc, df_cut_off_or_odd_stays_unknown);
	tcase_add_test(tc, shared_path_free_space);
	tcase_add_test(tc, hostile_docker_output_is_tamed);
	tcase_add_test(tc, clock_skew_is_measured_with_its_uncertainty);
	tcase_add_test(tc, clock_skew_beyond_its_uncertainty_only);
	tcase_add_test(tc, clocks_merge_per_host);
	suite_add_tcase(s, tc);
	return s;
}
