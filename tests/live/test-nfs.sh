#!/bin/sh
# Live check of the NFS server of filestore.shared_volume.nfs against a real
# NFS server: NFS-Ganesha (Debian's nfs-ganesha, with its in-memory FSAL
# nfs-ganesha-mem) answers the ONC RPC NULL call of NFS version 4. Then a
# listener that never answers, one that answers as something else, an
# address with nothing on 2049, a name that does not resolve; that `check`
# runs the probe with the other endpoints, and not at all for a pvc.
# The probe always uses port 2049, as NFS clients do, so each server here
# listens on 2049 of an address of its own in 127.0.0.0/8 (binding 2049
# needs root; without it the test says SKIP).
# Usage: tests/live/test-nfs.sh BINARY
. "$(dirname "$0")/lib.sh"	# sets ROOT, BIN (from $1) and T

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP live nfs: NOT TESTED: binding port 2049 needs root" >&2
	echo "SKIP live nfs: NOT TESTED: binding port 2049 needs root"
	exit 0
fi

# free_addr: an address of 127.0.0.0/8 whose port 2049 nobody uses (other
# runs on this machine choose theirs the same way).
free_addr() {
	python3 -c '
import random, socket
for _ in range(200):
    a = "127.%d.%d.%d" % (random.randint(1, 254), random.randint(0, 255), random.randint(1, 254))
    s = socket.socket()
    try:
        s.bind((a, 2049))
    except OSError:
        continue
    finally:
        s.close()
    print(a)
    break
'
}

# wait_addr ADDR: until something listens on ADDR:2049 (10 s at most).
wait_addr() {
	python3 -c '
import socket, sys, time
for _ in range(200):
    try:
        socket.create_connection((sys.argv[1], 2049), 0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
' "$1" || { echo "live nfs: nothing listens on $1:2049" >&2; return 1; }
}

# listener ADDR MODE: a TCP server on ADDR:2049 that is no NFS server:
# `silent` accepts and never answers, `http` answers as a web server and
# closes. Stopped when the test ends.
listener() {
	python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 2049)); s.listen(16)
held = []
while True:
    c, _ = s.accept()
    if sys.argv[2] == "http":
        c.recv(4096); c.sendall(b"HTTP/1.0 400 Bad Request\r\n\r\n"); c.close()
    else:
        held.append(c)
' "$1" "$2" &
	on_exit "kill $! 2>/dev/null"
	wait_addr "$1"
}

# nfs_check NAME SERVER [ONLY]: check of an answers file whose shared
# volume is an NFS export of SERVER (output in $T/out, $T/err; LIVE_STATUS,
# LIVE_MS). ONLY: the --only list ("nfs"), or "" for every endpoint.
nfs_check() {
	LIVE_FILESTORE="{backend: filesystem, shared_volume: {kind: nfs, nfs: {server: \"$2\", path: /export}}}"
	live_answers "$T/$1.yaml"
	if [ -n "${3-nfs}" ]; then
		elapsed_ms "$BIN" check -a "$T/$1.yaml" --only "${3-nfs}" --timeout 2
	else
		elapsed_ms "$BIN" check -a "$T/$1.yaml" --timeout 2
	fi
	expect_not_in "$T/err" "Sanitizer" "$1: no sanitizer report"
}

GANESHA=$(command -v ganesha.nfsd || true)
if [ -n "$GANESHA" ] && ! ls /usr/lib/*/ganesha/libfsalmem.so >/dev/null 2>&1; then
	GANESHA=""
fi
if [ -z "$GANESHA" ]; then
	echo "SKIP live nfs: NOT TESTED against a real NFS server: ganesha.nfsd or its MEM FSAL is missing (make test-deps installs nfs-ganesha and nfs-ganesha-mem)" >&2
	echo "SKIP live nfs: NOT TESTED against a real NFS server (no ganesha.nfsd)"
else
	NFS=$(free_addr)
	[ -n "$NFS" ] || { echo "live nfs: no free address for 2049" >&2; exit 1; }
	mkdir -p "$T/ganesha/recovery"
	# NFS 4 only: no rpcbind (2049 is fixed), no NLM, no RQUOTA, no MOUNT;
	# an in-memory export, nothing of this machine's on show.
	cat >"$T/ganesha/ganesha.conf" <<CONF
NFS_CORE_PARAM {
	NFS_Port = 2049;
	Bind_addr = $NFS;
	Protocols = 4;
	Enable_NLM = false;
	Enable_RQUOTA = false;
}
NFSV4 { Graceless = true; RecoveryRoot = $T/ganesha/recovery; }
EXPORT {
	Export_Id = 1;
	Path = /export;
	Pseudo = /export;
	Access_Type = RW;
	Squash = No_Root_Squash;
	Protocols = 4;
	FSAL { Name = MEM; }
}
CONF
	"$GANESHA" -F -f "$T/ganesha/ganesha.conf" -L "$T/ganesha/log" \
	    -p "$T/ganesha/pid" -N NIV_EVENT &
	on_exit "kill $! 2>/dev/null; wait $! 2>/dev/null"
	wait_addr "$NFS" || { tail -5 "$T/ganesha/log" >&2; exit 1; }

	nfs_check good "$NFS"
	expect_true "a fine NFS server passes (exit $LIVE_STATUS)" test "$LIVE_STATUS" -eq 0
	expect_in "$T/out" "Checking 1 endpoint" "one NFS endpoint"
	expect_in "$T/out" "ok    NFS $NFS:2049 (" "Ganesha answers"
	expect_said "$T/out" "reachable on 2049/tcp; answers NFS version 4 (an ONC RPC NULL call to program 100003)" "says what was checked"
	expect_said "$T/out" "the export is checked when a node mounts it" "says what was not"

	LIVE_TARGET="{kind: swarm, stack: sentry}"
	nfs_check swarm "$NFS"
	unset LIVE_TARGET
	expect_in "$T/out" "ok    NFS $NFS:2049 (" "on Docker Swarm too"

	# Every endpoint: the NFS server is one of them (the others are
	# closed ports here).
	nfs_check all "$NFS" ""
	expect_in "$T/out" "ok    NFS $NFS:2049 (" "check without --only checks the NFS server"
	expect_in "$T/out" "FAIL  PostgreSQL" "and the other endpoints"
fi

# A pvc has nothing on the network to check.
LIVE_FILESTORE="{backend: filesystem, shared_volume: {kind: pvc}}"
live_answers "$T/pvc.yaml"
elapsed_ms "$BIN" check -a "$T/pvc.yaml" --only nfs --timeout 2
expect_in "$T/out" "Checking 0 endpoints" "no NFS check for a pvc"
expect_not_in "$T/out" "NFS 127.0.0.1" "no NFS result for a pvc"
expect_in "$T/out" "--only nfs: nothing to check:" "and --only nfs says why there is nothing"
expect_said "$T/out" "names no NFS endpoint (filestore.shared_volume.nfs)" "naming the answer that would give one"

SILENT=$(free_addr)
listener "$SILENT" silent
nfs_check silent "$SILENT"
expect_in "$T/out" "FAIL  NFS $SILENT:2049: timed out waiting for a reply" "a listener that never answers"
expect_true "deadline holds (${LIVE_MS} ms for a 2 s timeout)" test "$LIVE_MS" -lt 3000

HTTP=$(free_addr)
listener "$HTTP" http
nfs_check http "$HTTP"
expect_in "$T/out" "FAIL  NFS $HTTP:2049: unexpected answer" "a server that is not NFS"
expect_said "$T/out" "$HTTP:2049 is reachable on 2049/tcp, but it did not answer as an NFS server does" "reachable, but not NFS"
expect_in "$T/out" "(filestore.shared_volume.nfs.server at $T/http.yaml:" "the failure names the answer"

CLOSED=$(free_addr)
nfs_check closed "$CLOSED"
expect_in "$T/out" "FAIL  NFS $CLOSED:2049: connection refused" "nothing on 2049"
expect_true "a refusal does not wait for the deadline (${LIVE_MS} ms)" test "$LIVE_MS" -lt 1500

nfs_check nowhere "nfs.nowhere.invalid"
expect_in "$T/out" "FAIL  NFS nfs.nowhere.invalid:2049: name does not resolve" "unknown name"

finish "live nfs"
