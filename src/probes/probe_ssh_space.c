/*
 * The sshfs folder's free space, asked of the server over SFTP
 * (statvfs@openssh.com, which sshfs itself uses for df): the server's own
 * count, where the volume's files land, not a node's view of a mount.
 */
#include "probe_ssh.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libssh2_sftp.h>

#include "ssh_facts.h"

/* KiB of `count` units of `unit` bytes, capped at LONG_MAX. */
static long
kib_of(unsigned long long count, unsigned long long unit)
{
	double kib = (double)count * (double)unit / 1024;

	return kib >= (double)LONG_MAX ? LONG_MAX : (long)kib;
}

int
ssh_space_kib(unsigned long long bavail, unsigned long long blocks,
    unsigned long long frsize, unsigned long long bsize, long *free_kib,
    long *total_kib)
{
	/* POSIX counts blocks in f_frsize; some servers leave it 0. */
	unsigned long long unit = frsize != 0 ? frsize : bsize;

	if (unit == 0)
		return -1;
	*free_kib = kib_of(bavail, unit);
	*total_kib = kib_of(blocks, unit);
	return 0;
}

void
ssh_sftp_space(struct ssh_conn *k, LIBSSH2_SFTP *sftp, struct probe_result *r)
{
	const char *path = k->t->path;
	LIBSSH2_SFTP_STATVFS st;
	struct strbuf line = STRBUF_INIT;
	long free_kib, total_kib;
	char num[32];

	ssh_bound(k);
	if (libssh2_sftp_statvfs(sftp, path, strlen(path), &st) != 0 ||
	    ssh_space_kib(st.f_bavail, st.f_blocks, st.f_frsize, st.f_bsize,
	    &free_kib, &total_kib) < 0)
		return;
	ssh_space_line(path, free_kib, total_kib, &line);
	sb_add(&line, r->about ? r->about : "");
	free(r->about);
	r->about = sb_take(&line);
	kv_add(&r->about_pairs, "shared_path", path);
	snprintf(num, sizeof num, "%ld", free_kib);
	kv_add(&r->about_pairs, "shared_free_kib", num);
	snprintf(num, sizeof num, "%ld", total_kib);
	kv_add(&r->about_pairs, "shared_total_kib", num);
	facts_add_space(k->c->facts, r->endpoint, path,
	    "filestore.shared_volume.sshfs.path", free_kib, total_kib);
}
