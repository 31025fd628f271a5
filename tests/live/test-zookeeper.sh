#!/bin/sh
# Live check of ZooKeeper (`srvr`) against Debian's ZooKeeper 3.8 on
# loopback: a server that lists srvr in its 4lw whitelist, one whose list
# leaves it out (ZooKeeper 3.5+ allows srvr whatever the list says, so the
# check must still pass), a closed port and a server that accepts and never
# answers. The refusal text of a server that does not allow srvr, and a
# server that is not ZooKeeper, come from canned replies: no real ZooKeeper
# refuses srvr. Sentry 10.1.0 is the release whose Kafka runs on ZooKeeper.
# Usage: tests/live/test-zookeeper.sh BINARY
. "$(dirname "$0")/lib.sh"	# sets ROOT, BIN (from $1) and T

# The jar's manifest names its dependencies in /usr/share/java.
ZK_JAR=/usr/share/java/zookeeper.jar
if ! command -v java >/dev/null || [ ! -r "$ZK_JAR" ]; then
	echo "live zookeeper: java or $ZK_JAR missing (apt-get install zookeeper)" >&2
	exit 1
fi

# zk_start NAME PORT WHITELIST: a standalone server in $T/NAME whose
# 4lw.commands.whitelist is WHITELIST (ZooKeeper's own default allows srvr,
# so the refusal needs a list without it).
zk_start() {
	mkdir -p "$T/$1/data"
	{
		echo "tickTime=2000"
		echo "dataDir=$T/$1/data"
		echo "clientPort=$2"
		echo "clientPortAddress=127.0.0.1"
		echo "admin.enableServer=false"
		echo "4lw.commands.whitelist=$3"
	} >"$T/$1/zoo.cfg"
	java -Xmx128m -cp "$ZK_JAR" org.apache.zookeeper.server.ZooKeeperServerMain \
	    "$T/$1/zoo.cfg" >"$T/$1/out" 2>&1 &
	on_exit "kill $! 2>/dev/null"
}

# zk_ready PORT: until the server serves (`ruok` says imok too early;
# srvr then still says "not currently serving requests").
zk_ready() {
	python3 -c '
import socket, sys, time
end = time.time() + 15
while time.time() < end:
    try:
        s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.5)
        s.sendall(b"srvr"); data = b""
        while True:
            d = s.recv(4096)
            if not d: break
            data += d
        s.close()
        if b"Mode:" in data: sys.exit(0)
    except OSError:
        pass
    time.sleep(0.05)
sys.exit(1)' "$1"
}

# canned PORT TEXT: a server that reads a request, answers TEXT and closes.
canned() {
	python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16)
while True:
    c, _ = s.accept()
    try:
        c.settimeout(2); c.recv(64); c.sendall(sys.argv[2].encode())
    except OSError:
        pass
    c.close()
' "$1" "$2" &
	on_exit "kill $! 2>/dev/null"
	wait_port "$1"
}

ZK=$(free_port)
ZK_STRICT=$(free_port)
zk_start zk "$ZK" "srvr,stat"
zk_start strict "$ZK_STRICT" "ruok"
DENY=$(free_port)
canned "$DENY" "srvr is not executed because it is not in the whitelist.
"
OTHER=$(free_port)
canned "$OTHER" "HTTP/1.1 400 Bad Request

"
HANG=$(free_port)
blackhole "$HANG"
SLOW=$(free_port)
backlogged "$SLOW"
if ! zk_ready "$ZK" || ! zk_ready "$ZK_STRICT"; then
	echo "live zookeeper: ZooKeeper did not start" >&2
	cat "$T/zk/out" >&2
	exit 1
fi

LIVE_VERSION=10.1.0
LIVE_EXTRA="zookeeper: {hosts: [\"127.0.0.1:$ZK\", \"127.0.0.1:$ZK_STRICT\", \"127.0.0.1:$DENY\", \"127.0.0.1:$OTHER\", \"127.0.0.1:$LIVE_CLOSED\", \"127.0.0.1:$HANG\", \"127.0.0.1:$SLOW\"]}"
live_answers "$T/a.yaml"
elapsed_ms "$BIN" check -a "$T/a.yaml" --only zookeeper --timeout 2
expect_true "failed endpoints exit 1" test "$LIVE_STATUS" -eq 1
expect_in "$T/out" "ok    ZooKeeper 127.0.0.1:$ZK" "ZooKeeper answers srvr"
expect_said "$T/out" "ZooKeeper 3.8" "ZooKeeper reports its version"
expect_said "$T/out" "Mode: standalone" "ZooKeeper reports its mode"
expect_in "$T/out" "ok    ZooKeeper 127.0.0.1:$ZK_STRICT" "srvr works whatever the whitelist"
expect_in "$T/out" "FAIL  ZooKeeper 127.0.0.1:$DENY: permission denied" "srvr refused"
expect_said "$T/out" "4lw.commands.whitelist=srvr" "the fix names the whitelist"
expect_in "$T/out" "FAIL  ZooKeeper 127.0.0.1:$OTHER: unexpected answer" "not ZooKeeper"
expect_in "$T/out" "FAIL  ZooKeeper 127.0.0.1:$LIVE_CLOSED: connection refused" "closed port"
expect_in "$T/out" "FAIL  ZooKeeper 127.0.0.1:$HANG: timed out waiting for a reply" "silent server"
expect_in "$T/out" "FAIL  ZooKeeper 127.0.0.1:$SLOW: timed out connecting" "no connection"
expect_in "$T/out" "(zookeeper.hosts[2] at $T/a.yaml:" "failure names the answer"
expect_not_in "$T/err" "Sanitizer" "no sanitizer report"
# Seven endpoints at once: about one deadline, not seven.
expect_true "deadline holds (${LIVE_MS} ms for a 2 s timeout)" test "$LIVE_MS" -lt 3500

LIVE_EXTRA="zookeeper: {hosts: [\"127.0.0.1:$ZK\"]}"
live_answers "$T/good.yaml"
expect_status 0 "a good ZooKeeper passes" -- "$BIN" check -a "$T/good.yaml" --only zookeeper

# A release without ZooKeeper does not contact it, even if the answers
# name it.
LIVE_VERSION=26.8.0
LIVE_EXTRA="zookeeper: {hosts: [\"127.0.0.1:$LIVE_CLOSED\"]}"
live_answers "$T/new.yaml"
"$BIN" check -a "$T/new.yaml" --only zookeeper >"$T/out" 2>"$T/err"
expect_in "$T/out" "Checking 0 endpoints" "the check ran"
expect_not_in "$T/out" "ZooKeeper 127.0.0.1" "no ZooKeeper check for 26.8.0"

finish "live zookeeper"
