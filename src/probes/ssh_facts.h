/*
 * What the SSH probe learns about a host of `hosts:` by running commands
 * there (probe_ssh_facts.c runs them, ssh_facts.c reads what they print).
 * The reading is pure, for the unit tests: whatever the host prints is
 * hostile input, capped and made printable here.
 */
#ifndef SHS_SSH_FACTS_H
#define SHS_SSH_FACTS_H

#include <stddef.h>

#include "facts.h"
#include "kvlist.h"
#include "xmem.h"

/* At most this much of the commands' output is read. */
#define SSH_FACTS_MAX_OUTPUT	16384
/* And at most this much of one line of it kept (before printable()). */
#define SSH_FACT_MAX		120

/* Everything unknown stays NULL or -1. Strings are owned, printable. */
struct ssh_facts {
	char	*kernel;		/* `uname -sr`: "Linux 6.8.0-45" */
	char	*os;			/* PRETTY_NAME: "Ubuntu 24.04.1 LTS" */
	long	 cpus;			/* nproc */
	long	 mem_kib;		/* MemTotal */
	char	*docker_version;	/* the engine's, "27.3.1" */
	char	*docker_api;		/* "1.47" */
	char	*docker_none;		/* why no engine answered, or NULL */
	char	*swarm_state;		/* LocalNodeState: "active", ... */
	int	 swarm_manager;		/* ControlAvailable: 1, 0, -1 */
	char	*node_role;		/* "manager", "worker" */
	char	*node_availability;	/* "active", "pause", "drain" */
	char	*node_labels;		/* "k=v, k=v", "" for none */
	int	 sshfs_plugin;		/* vieux/sshfs: -1, SSHFS_* */
	char	*docker_root;		/* DockerRootDir: "/var/lib/docker" */
	long	 docker_root_free_kib;	/* df's Available there */
	long	 docker_root_total_kib;	/* and its size */
	/* hostpath: the share's folder, its df, or why df failed there */
	char	*shared_path;
	long	 shared_free_kib, shared_total_kib;
	char	*shared_failed;
	int	 have_clock;
	double	 skew_s, uncertainty_s;	/* with have_clock */
	char	*failed;		/* the commands could not run: why */
};

/*
 * The facts script: run by `sh -s` on the host, it prints every section
 * as "\n@@shs NAME\n", the command's output (stderr too), then
 * "\n@@shs rc STATUS\n". Static. With SHS_SHARED set to a folder (a line
 * "SHS_SHARED=..." before it: ssh_sh_quote) it also runs df there.
 */
const char *ssh_facts_script(void);
/* `s` in single quotes for sh, appended. */
void	ssh_sh_quote(struct strbuf *out, const char *s);

void	ssh_facts_init(struct ssh_facts *f);
void	ssh_facts_free(struct ssh_facts *f);
/* Reads the script's output (`len` bytes, maybe cut short, maybe with NUL
 * bytes) into f. A section without its status line was cut off and
 * stays unknown; a section given twice counts once (the first). */
void	ssh_facts_parse(const char *out, size_t len, struct ssh_facts *f);
/* An exit status the scripts print: up to three digits, else -1 (shared
 * with ssh_mutual.c). */
int	ssh_status_code(const char *s, size_t n);
/* For `check`: one to three lines, each ending in '\n'; for --json: pairs
 * (numbers as their decimal text). Both appended. */
void	ssh_facts_text(const struct ssh_facts *f, struct strbuf *out);
void	ssh_facts_pairs(const struct ssh_facts *f, struct kvlist *out);

/* "free space on the shared path PATH: 12.3 GiB of 100.0 GiB (12%)", with
 * ", low" below facts.h's floors, and '\n'; total_kib 0: unknown. */
void	ssh_space_line(const char *path, long free_kib, long total_kib,
	    struct strbuf *out);
/* An SFTP statvfs's counts in KiB, as df's Available (f_bavail: what a
 * user who is not root may still write) and size, each capped at
 * LONG_MAX; the fragment size, or the block size when it is 0. 0, or -1
 * when there is no size to count in. */
int	ssh_space_kib(unsigned long long bavail, unsigned long long blocks,
	    unsigned long long frsize, unsigned long long bsize, long *free_kib,
	    long *total_kib);

#endif
