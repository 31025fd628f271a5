/* What a host's facts (ssh_facts.h) say, for people and for --json. */
#include "facts.h"
#include "ssh_facts.h"

#include <stdio.h>
#include <string.h>

/* "12.3 GiB" or "512 MiB". */
static void
size_text(struct strbuf *out, long kib)
{
	if (kib >= 1024 * 1024)
		sb_printf(out, "%.1f GiB", (double)kib / (1024 * 1024));
	else
		sb_printf(out, "%ld MiB", kib / 1024);
}

/* "Linux 6.8.0, Ubuntu 24.04 LTS; 8 CPUs, 15.6 GiB; clock +0.01 s (+-0.00)" */
static void
system_line(const struct ssh_facts *f, struct strbuf *out)
{
	size_t start = out->len;

	if (f->kernel != NULL || f->os != NULL)
		sb_printf(out, "%s%s%s", f->kernel ? f->kernel : "", f->kernel &&
		    f->os ? ", " : "", f->os ? f->os : "");
	if (f->cpus > 0)
		sb_printf(out, "%s%ld CPU%s", out->len > start ? "; " : "",
		    f->cpus, f->cpus == 1 ? "" : "s");
	if (f->mem_kib > 0)
		sb_printf(out, "%s%.1f GiB", out->len > start ? f->cpus > 0 ?
		    ", " : "; " : "", (double)f->mem_kib / (1024 * 1024));
	if (f->have_clock)
		sb_printf(out, "%sclock %+.2f s (+-%.2f)", out->len > start ?
		    "; " : "", f->skew_s, f->uncertainty_s);
	if (out->len == start)
		sb_add(out, "OS, CPUs and memory unknown");
	sb_addc(out, '\n');
}

/* "Docker 27.3.1 (API 1.47); Swarm active, a manager, node drain, labels:
 * a=b" */
static void
docker_line(const struct ssh_facts *f, struct strbuf *out)
{
	const char *role = f->swarm_manager == 1 ? "manager" :
	    f->swarm_manager == 0 ? "worker" : NULL;

	sb_printf(out, "Docker %s", f->docker_version);
	if (f->docker_api != NULL)
		sb_printf(out, " (API %s)", f->docker_api);
	if (f->swarm_state == NULL)
		sb_add(out, "; Swarm membership unknown");
	else if (strcmp(f->swarm_state, "inactive") == 0)
		sb_add(out, "; not in a Swarm");
	else
		sb_printf(out, "; Swarm %s%s%s", f->swarm_state,
		    role ? ", a " : "", role ? role : "");
	if (f->node_availability != NULL)
		sb_printf(out, ", node %s", f->node_availability);
	if (f->node_labels != NULL && f->node_labels[0] != '\0')
		sb_printf(out, ", labels: %s", f->node_labels);
	sb_addc(out, '\n');
}

/* "vieux/sshfs plugin enabled; 12.3 GiB free in /var/lib/docker", or
 * nothing when neither is known. */
static void
volume_line(const struct ssh_facts *f, struct strbuf *out)
{
	static const char *const said[] = {
		[SSHFS_ABSENT] = "not installed",
		[SSHFS_DISABLED] = "installed but disabled",
		[SSHFS_ENABLED] = "enabled"
	};
	long kib = f->docker_root_free_kib;

	if (f->sshfs_plugin >= 0)
		sb_printf(out, "vieux/sshfs plugin %s", said[f->sshfs_plugin]);
	if (kib >= 0 && f->docker_root != NULL) {
		if (f->sshfs_plugin >= 0)
			sb_add(out, "; ");
		size_text(out, kib);
		sb_printf(out, " free in %s", f->docker_root);
	}
	if (f->sshfs_plugin >= 0 || kib >= 0)
		sb_addc(out, '\n');
}

/* hostpath: "free space on the shared path /srv/s: 12.3 GiB of 100.0 GiB
 * (12%)", or why df could not tell; nothing when not asked. */
void
ssh_space_line(const char *path, long free_kib, long total_kib,
    struct strbuf *out)
{
	sb_printf(out, "free space on the shared path %s: ", path);
	size_text(out, free_kib);
	if (total_kib > 0) {
		sb_add(out, " of ");
		size_text(out, total_kib);
		sb_printf(out, " (%.0f%%)", 100.0 * (double)free_kib /
		    (double)total_kib);
	}
	sb_add(out, space_low(free_kib, total_kib) ? ", low\n" : "\n");
}

static void
shared_line(const struct ssh_facts *f, struct strbuf *out)
{
	if (f->shared_path == NULL)
		return;
	if (f->shared_failed != NULL)
		sb_printf(out, "free space on the shared path %s: unknown, df "
		    "failed (%s)\n", f->shared_path, f->shared_failed);
	else
		ssh_space_line(f->shared_path, f->shared_free_kib,
		    f->shared_total_kib, out);
}

void
ssh_facts_text(const struct ssh_facts *f, struct strbuf *out)
{
	if (f->failed != NULL) {
		sb_printf(out, "host facts not gathered: %s\n", f->failed);
		return;
	}
	system_line(f, out);
	if (f->docker_version == NULL)
		sb_printf(out, "no Docker engine reachable: %s\n", f->docker_none ?
		    f->docker_none : "docker version said nothing");
	else {
		docker_line(f, out);
		volume_line(f, out);
	}
	shared_line(f, out);
}

static void
pair(struct kvlist *out, const char *key, const char *value)
{
	if (value != NULL)
		kv_add(out, key, value);
}

static void
number_pair(struct kvlist *out, const char *key, const char *fmt, double v)
{
	char buf[64];

	snprintf(buf, sizeof buf, fmt, v);
	kv_add(out, key, buf);
}

void
ssh_facts_pairs(const struct ssh_facts *f, struct kvlist *out)
{
	pair(out, "facts_failed", f->failed);
	pair(out, "kernel", f->kernel);
	pair(out, "os", f->os);
	if (f->cpus > 0)
		number_pair(out, "cpus", "%.0f", (double)f->cpus);
	if (f->mem_kib > 0)
		number_pair(out, "memory_kib", "%.0f", (double)f->mem_kib);
	if (f->have_clock) {
		number_pair(out, "clock_skew_s", "%.3f", f->skew_s);
		number_pair(out, "clock_uncertainty_s", "%.3f", f->uncertainty_s);
	}
	pair(out, "docker_version", f->docker_version);
	pair(out, "docker_api", f->docker_api);
	pair(out, "docker_none", f->failed ? NULL : f->docker_version ? NULL :
	    f->docker_none ? f->docker_none : "docker version said nothing");
	pair(out, "swarm_state", f->swarm_state);
	if (f->swarm_manager >= 0)
		pair(out, "swarm_manager", f->swarm_manager ? "true" : "false");
	pair(out, "node_role", f->node_role);
	pair(out, "node_availability", f->node_availability);
	pair(out, "node_labels", f->node_labels);
	if (f->sshfs_plugin >= 0)
		pair(out, "sshfs_plugin", f->sshfs_plugin == SSHFS_ENABLED ?
		    "enabled" : f->sshfs_plugin == SSHFS_DISABLED ? "disabled" :
		    "absent");
	pair(out, "docker_root", f->docker_root);
	if (f->docker_root_free_kib >= 0)
		number_pair(out, "docker_root_free_kib", "%.0f",
		    (double)f->docker_root_free_kib);
	pair(out, "shared_path", f->shared_path);
	pair(out, "shared_failed", f->shared_failed);
	if (f->shared_free_kib >= 0)
		number_pair(out, "shared_free_kib", "%.0f",
		    (double)f->shared_free_kib);
	if (f->shared_total_kib > 0)
		number_pair(out, "shared_total_kib", "%.0f",
		    (double)f->shared_total_kib);
}
