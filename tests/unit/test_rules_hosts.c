/*
 * The rules on what the hosts said over SSH (rules_hosts.c,
 * rules_capacity.c): a Swarm plan with three hosts, facts as the SSH probe
 * would add them, and the findings each rule makes or must not make.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "rules.h"
#include "swarm_names.h"
#include "xmem.h"

/* n1 and n2 run web; n3 runs sentry alone. */
#define HOSTS "hosts: [{name: n1, address: 10.0.0.1, roles: [manager, web]}, " \
	"{name: n2, address: 10.0.0.2, roles: [web]}, {name: n3, address: " \
	"10.0.0.3, roles: [sentry]}]\n"

static char *
swarm_answers(const char *volume)
{
	char *yaml = demo_answers("24.8.0", HOSTS), *at, *out;
	const char *from = "shared_volume: {kind: pvc}";

	at = strstr(yaml, "target: {kind: kubernetes");
	ck_assert_ptr_nonnull(at);
	memcpy(at + strlen("target: {kind: "), "swarm     ", 10);
	at = strstr(yaml, from);
	ck_assert_ptr_nonnull(at);
	out = xasprintf("%.*s%s%s", (int)(at - yaml), yaml, volume,
	    at + strlen(from));
	free(yaml);
	return out;
}

#define SSHFS	"shared_volume: {kind: sshfs, sshfs: {host: n3, path: /srv}}"
#define HOSTPATH "shared_volume: {kind: hostpath, hostpath: {path: /srv}}"

/* A host as the probe reports it: roomy, active, with the plugin. */
static struct host_fact
roomy(long index)
{
	static char *const names[] = { "10.0.0.1:22", "10.0.0.2:22",
	    "10.0.0.3:22" };

	return (struct host_fact){ names[index], index, 64, 256L << 20,
	    SSHFS_ENABLED, "active", "/var/lib/docker", 400L << 20, 500L << 20 };
}

struct run {
	struct fixture	 f;
	struct findings	 found;
};

static void
evaluate(struct run *r, const char *volume, const struct host_fact *hosts,
    size_t n)
{
	char *yaml = swarm_answers(volume);
	struct facts facts;

	facts_init(&facts);
	for (size_t i = 0; i < n; i++)
		facts_add_host(&facts, &hosts[i]);
	memset(&r->found, 0, sizeof r->found);
	ck_assert_msg(fixture_run(&r->f, yaml) == 0, "%s", r->f.e.msg);
	rules_evaluate(&r->f.s.pl, &facts, &r->found);
	facts_free(&facts);
	free(yaml);
}

static void
run_free(struct run *r)
{
	findings_free(&r->found);
	fixture_free(&r->f);
}

/* The one finding of `rule`, or NULL; fails on more than one. */
static const struct finding *
only(const struct run *r, const char *rule)
{
	const struct finding *hit = NULL;

	for (size_t i = 0; i < r->found.n; i++) {
		if (strcmp(r->found.v[i].rule, rule) != 0)
			continue;
		ck_assert_msg(hit == NULL, "%s twice: %s", rule,
		    r->found.v[i].message);
		hit = &r->found.v[i];
	}
	return hit;
}

START_TEST(sshfs_plugin_absent_or_disabled)
{
	struct host_fact h[3] = { roomy(0), roomy(1), roomy(2) };
	struct run r;
	size_t n = 0;

	h[1].sshfs_plugin = SSHFS_ABSENT;
	h[2].sshfs_plugin = SSHFS_DISABLED;
	evaluate(&r, SSHFS, h, 3);
	for (size_t i = 0; i < r.found.n; i++) {
		const struct finding *f = &r.found.v[i];

		if (strcmp(f->rule, "swarm-sshfs-plugin") != 0)
			continue;
		n++;
		ck_assert_int_eq(f->severity, SEV_ERROR);
		if (strcmp(f->field, "hosts[1].address") == 0)
			ck_assert_contains(f->message, "10.0.0.2:22 has no "
			    "vieux/sshfs plugin: the shared volume cannot be "
			    "mounted there; install it as RUNBOOK.md says (docker "
			    "plugin install --grant-all-permissions vieux/sshfs "
			    "sshkey.source=/root/.ssh/)");
		else
			ck_assert_contains(f->message, "the vieux/sshfs plugin of "
			    "10.0.0.3:22 is disabled");
	}
	ck_assert_uint_eq(n, 2);
	run_free(&r);
}
END_TEST

/* A hostpath share needs no plugin, and an unknown state says nothing. */
START_TEST(sshfs_plugin_not_needed)
{
	struct host_fact h[2] = { roomy(0), roomy(1) };
	struct run r;

	h[0].sshfs_plugin = SSHFS_ABSENT;
	h[1].sshfs_plugin = -1;
	evaluate(&r, HOSTPATH, h, 2);
	ck_assert_ptr_null(only(&r, "swarm-sshfs-plugin"));
	run_free(&r);
	h[0].sshfs_plugin = SSHFS_ENABLED;
	evaluate(&r, SSHFS, h, 2);
	ck_assert_ptr_null(only(&r, "swarm-sshfs-plugin"));
	run_free(&r);
}
END_TEST

/* n2 drained leaves web on n1 (a warning); n3 drained leaves sentry on
 * no host (an error). */
START_TEST(drained_node_with_a_pinned_group)
{
	struct host_fact h[3] = { roomy(0), roomy(1), roomy(2) };
	const struct finding *f;
	struct run r;

	h[1].availability = "drain";
	evaluate(&r, HOSTPATH, h, 3);
	ck_assert_ptr_nonnull(f = only(&r, "swarm-node-available"));
	ck_assert_int_eq(f->severity, SEV_WARNING);
	ck_assert_str_eq(f->field, "hosts[1].roles");
	ck_assert_contains(f->message, "node n2 is drain: Swarm starts no task "
	    "of role web there, so the group has one node less to fail over "
	    "to; docker node update --availability active n2");
	run_free(&r);

	h[1].availability = "active";
	h[2].availability = "pause";
	evaluate(&r, HOSTPATH, h, 3);
	ck_assert_ptr_nonnull(f = only(&r, "swarm-node-available"));
	ck_assert_int_eq(f->severity, SEV_ERROR);
	ck_assert_contains(f->message, "node n3 is pause: Swarm starts no task "
	    "of role sentry there, and no other host has the role, so its "
	    "services stay pending");
	run_free(&r);

	/* The manager role pins no group; an active node says nothing. */
	h[2].availability = "active";
	h[0].availability = NULL;
	evaluate(&r, HOSTPATH, h, 3);
	ck_assert_ptr_null(only(&r, "swarm-node-available"));
	run_free(&r);
}
END_TEST

START_TEST(docker_root_nearly_full)
{
	struct host_fact h[2] = { roomy(0), roomy(1) };
	const struct finding *f;
	struct run r;

	h[0].docker_root_free_kib = 12L << 20;	/* 12 GiB of 500 */
	h[1].docker_root_free_kib = 30L << 20;	/* 30 GiB of 500: 6% */
	h[1].docker_root_total_kib = 500L << 20;
	h[1].index = 1;
	evaluate(&r, HOSTPATH, h, 1);
	ck_assert_ptr_nonnull(f = only(&r, "docker-root-free-space"));
	ck_assert_int_eq(f->severity, SEV_WARNING);
	ck_assert_str_eq(f->field, "hosts[0].address");
	ck_assert_contains(f->message, "Docker's data root /var/lib/docker on "
	    "10.0.0.1:22 has 12.0 GiB free; below 20 GiB or 15%");
	run_free(&r);
	evaluate(&r, HOSTPATH, &h[1], 1);
	ck_assert_ptr_nonnull(f = only(&r, "docker-root-free-space"));
	ck_assert_contains(f->message, "has 30.0 GiB free");
	run_free(&r);
	/* 100 GiB of 500 is neither. */
	h[1].docker_root_free_kib = 100L << 20;
	evaluate(&r, HOSTPATH, &h[1], 1);
	ck_assert_ptr_null(only(&r, "docker-root-free-space"));
	run_free(&r);
}
END_TEST

/* What the services of the web group reserve in all, and its largest
 * replica, in the plan of the fixture. */
static void
web_group(const struct plan *pl, long *cpu, long *mem, long *largest_mem)
{
	*cpu = *mem = *largest_mem = 0;
	for (size_t i = 0; i < pl->nservices; i++) {
		const struct plan_service *s = &pl->services[i];

		if (s->replicas < 1 || strcmp(swarm_group(s), "30-web") != 0)
			continue;
		*cpu += s->replicas * s->cpu_millis;
		*mem += s->replicas * s->memory_mib;
		if (s->memory_mib > *largest_mem)
			*largest_mem = s->memory_mib;
	}
}

/* n1 and n2 share web: each takes half, and once one fails the other
 * takes it all. */
START_TEST(host_capacity)
{
	struct host_fact h[3] = { roomy(0), roomy(1), roomy(2) };
	const struct finding *f;
	long cpu, mem, largest;
	struct run r;

	evaluate(&r, HOSTPATH, h, 3);
	ck_assert_ptr_null(only(&r, "swarm-host-capacity"));
	web_group(&r.f.s.pl, &cpu, &mem, &largest);
	ck_assert_int_gt(mem, 2 * largest);
	run_free(&r);

	/* Room for half of the group's memory, not for all of it. */
	h[0].mem_kib = (mem * 3 / 4) * 1024;
	evaluate(&r, HOSTPATH, h, 3);
	ck_assert_ptr_nonnull(f = only(&r, "swarm-host-capacity"));
	ck_assert_int_eq(f->severity, SEV_WARNING);
	ck_assert_str_eq(f->field, "hosts[0].roles");
	ck_assert_contains(f->message, "n1 has 64 CPUs and ");
	ck_assert_contains(f->message, " once n2 fails, more memory than it "
	    "has: it survives no other node's failure");
	run_free(&r);

	/* Not even for its half. */
	h[0].mem_kib = (mem / 2 - 1) * 1024;
	evaluate(&r, HOSTPATH, h, 3);
	ck_assert_ptr_nonnull(f = only(&r, "swarm-host-capacity"));
	ck_assert_int_eq(f->severity, SEV_ERROR);
	ck_assert_contains(f->message, "more memory than it has: tasks stay "
	    "pending (insufficient resources)");
	run_free(&r);

	/* Nor for its largest replica. */
	h[0].mem_kib = (largest - 1) * 1024;
	evaluate(&r, HOSTPATH, h, 3);
	ck_assert_ptr_nonnull(f = only(&r, "swarm-host-capacity"));
	ck_assert_int_eq(f->severity, SEV_ERROR);
	ck_assert_contains(f->message, "one replica of ");
	ck_assert_contains(f->message, "it cannot start there");
	run_free(&r);
}
END_TEST

/* A host whose CPUs or memory are unknown, or a plan on Kubernetes, is
 * not weighed. */
START_TEST(host_capacity_unknown)
{
	struct host_fact h = roomy(2);
	struct run r;

	h.cpus = -1;
	h.mem_kib = 1024;
	evaluate(&r, HOSTPATH, &h, 1);
	ck_assert_ptr_null(only(&r, "swarm-host-capacity"));
	run_free(&r);
	h.cpus = 1;
	evaluate(&r, HOSTPATH, &h, 1);
	ck_assert_ptr_nonnull(only(&r, "swarm-host-capacity"));
	run_free(&r);
}
END_TEST

/* The facts survive a merge, as the probes' threads hand them over. */
START_TEST(host_facts_merge)
{
	struct host_fact h = roomy(1);
	struct facts a, b;

	facts_init(&a);
	facts_init(&b);
	facts_add_host(&b, &h);
	facts_merge(&a, &b);
	ck_assert_uint_eq(a.nhosts, 1);
	ck_assert_uint_eq(b.nhosts, 0);
	ck_assert_str_eq(a.hosts[0].availability, "active");
	ck_assert_str_eq(a.hosts[0].host, "10.0.0.2:22");
	ck_assert_int_eq(a.hosts[0].index, 1);
	facts_free(&a);
	facts_free(&b);
}
END_TEST

Suite *
suite_rules_hosts(void)
{
	Suite *s = suite_create("rules_hosts");
	TCase *tc = tcase_create("hosts");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, sshfs_plugin_absent_or_disabled);
	tcase_add_test(tc, sshfs_plugin_not_needed);
	tcase_add_test(tc, drained_node_with_a_pinned_group);
	tcase_add_test(tc, docker_root_nearly_full);
	tcase_add_test(tc, host_capacity);
	tcase_add_test(tc, host_capacity_unknown);
	tcase_add_test(tc, host_facts_merge);
	suite_add_tcase(s, tc);
	return s;
}
