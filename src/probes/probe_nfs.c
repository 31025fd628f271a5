/*
 * The NFS server of filestore.shared_volume.nfs, when the deployment mounts
 * volumes from it: a TCP connection to 2049 (the port every NFS 4 client
 * uses, and the one the generated volumes leave implicit), then an ONC RPC
 * NULL call to the NFS program, version 4, through libtirpc. That tells a
 * server that speaks NFS from anything else listening there; whether the
 * export exists, and who may mount it, only a node's mount tells.
 */
#include "probe_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <rpc/rpc.h>

#define NFS_PORT	2049
#define NFS_PROGRAM	100003	/* RFC 7530, section 1.4.1 */
#define NFS_VERSION	4

static size_t
count(const struct plan *pl)
{
	if (pl->filestore.nfs_server == NULL)
		return 0;
	/* Only a plan whose volumes are NFS exports mounts the server. */
	for (size_t i = 0; i < pl->nvolumes; i++)
		if (pl->volumes[i].backing == BACK_NFS)
			return 1;
	return 0;
}

static void
describe(const struct plan *pl, size_t i, char **endpoint, char **field)
{
	(void)i;
	*endpoint = probe_hostport(pl->filestore.nfs_server, NFS_PORT);
	*field = xstrdup("filestore.shared_volume.nfs.server");
}

static const char server_fix[] = "check that filestore.shared_volume.nfs.server "
    "names the NFS server and that its NFS service runs";

/* What each answer of the NULL call means; a version mismatch is told by
 * version_mismatch(), anything not listed is "not NFS". */
static const struct outcome {
	enum clnt_stat		 stat;
	enum probe_failure	 failure;
	const char		*what;
	const char		*fix;
} outcomes[] = {
	{ RPC_PROGUNAVAIL, PF_PROTOCOL, "it speaks ONC RPC but runs no NFS "
	  "service (program 100003)", server_fix },
	{ RPC_PROCUNAVAIL, PF_PROTOCOL, "its NFS service refused the NULL "
	  "call", server_fix },
	{ RPC_AUTHERROR, PF_PERMISSION, "it refused the call's credentials",
	  "allow this machine's address in the server's export and RPC "
	  "settings, or check from a node" },
	{ RPC_TIMEDOUT, PF_REPLY_TIMEOUT, "no RPC reply came within the "
	  "deadline", "check that the server is an NFS server and not "
	  "overloaded" },
};

#define NOUTCOMES	(sizeof outcomes / sizeof outcomes[0])

/*
 * The server speaks NFS, but not version 4. Docker Swarm's volumes mount
 * with nfsvers=4 (swarm_emit.c), so they fail; Kubernetes' nfs volumes give
 * no version, and mount.nfs then settles on the highest the server has.
 */
static void
version_mismatch(const struct probe_ctx *c, const struct rpc_err *re,
    const char *where, struct probe_result *r)
{
	unsigned long low = (unsigned long)re->re_vers.low;
	unsigned long high = (unsigned long)re->re_vers.high;

	if (strcmp(c->pl->target.kind, "swarm") == 0)
		probe_fail(r, PF_VERSION, "enable NFS version 4 on the server",
		    "%s speaks NFS version %lu to %lu only, and the Swarm "
		    "volumes mount it with nfsvers=4", where, low, high);
	else
		probe_ok(r, "reachable on 2049/tcp; speaks NFS version %lu to "
		    "%lu, not 4: the nodes fall back to %lu when they mount it",
		    low, high, high);
}

static void
answered(const struct probe_ctx *c, CLIENT *cl, enum clnt_stat st,
    const char *where, struct probe_result *r)
{
	struct rpc_err re;

	if (st == RPC_SUCCESS) {
		probe_ok(r, "reachable on 2049/tcp; answers NFS version %d (an "
		    "ONC RPC NULL call to program %d); the export is checked "
		    "when a node mounts it", NFS_VERSION, NFS_PROGRAM);
		return;
	}
	if (st == RPC_PROGVERSMISMATCH) {
		clnt_geterr(cl, &re);
		version_mismatch(c, &re, where, r);
		return;
	}
	for (size_t i = 0; i < NOUTCOMES; i++)
		if (outcomes[i].stat == st) {
			probe_fail(r, outcomes[i].failure, outcomes[i].fix,
			    "%s is reachable on 2049/tcp, but %s (%s)", where,
			    outcomes[i].what, clnt_sperrno(st));
			return;
		}
	probe_fail(r, PF_PROTOCOL, server_fix, "%s is reachable on 2049/tcp, "
	    "but it did not answer as an NFS server does (%s)", where,
	    clnt_sperrno(st));
}

/* The NULL call's arguments and results: none. libtirpc's xdr_void is
 * declared without parameters, and calling it through xdrproc_t would be a
 * call through the wrong type. */
static bool_t
no_data(XDR *xdrs, ...)
{
	(void)xdrs;
	return TRUE;
}

static void
run(const struct probe_ctx *c, struct probe_result *r)
{
	const char *server = c->pl->filestore.nfs_server;
	char *where = probe_hostport(server, NFS_PORT);
	struct sockaddr_storage peer;
	socklen_t len = sizeof peer;
	struct netbuf nb;
	struct timeval tv;
	enum clnt_stat st;
	long left;
	CLIENT *cl;
	int fd;

	/* Our own connect, within the deadline: libtirpc's would block. */
	if ((fd = net_connect(c, server, NFS_PORT, r)) < 0) {
		free(where);
		return;
	}
	if (getpeername(fd, (struct sockaddr *)&peer, &len) < 0) {
		probe_fail(r, PF_PROTOCOL, NULL, "the connection to %s broke at "
		    "once", where);
		goto out;
	}
	nb.buf = &peer;
	nb.len = nb.maxlen = len;
	/* A connected socket: libtirpc uses it as it is, and leaves it open
	 * when destroyed (no CLSET_FD_CLOSE), for net_close(). */
	cl = clnt_vc_create(fd, &nb, NFS_PROGRAM, NFS_VERSION, 0, 0);
	if (cl == NULL) {
		/* clnt_spcreateerror() writes a buffer shared by all threads;
		 * clnt_sperrno() returns constant text. */
		probe_fail(r, PF_SETUP, NULL, "libtirpc cannot start an RPC "
		    "client: %s", clnt_sperrno(rpc_createerr.cf_stat));
		goto out;
	}
	/* The reply's wait is bounded by what is left; the runner's shutdown
	 * of the socket at the deadline ends any other wait. */
	left = probe_ms_left(c);
	tv.tv_sec = left / 1000;
	tv.tv_usec = (left % 1000) * 1000;
	clnt_control(cl, CLSET_TIMEOUT, (char *)&tv);
	st = clnt_call(cl, NULLPROC, no_data, NULL, no_data, NULL, tv);
	answered(c, cl, st, where, r);
	clnt_destroy(cl);
out:
	net_close(c, fd);
	free(where);
}

const struct probe_kind probe_nfs = {
	"nfs", "NFS", count, describe, run
};
