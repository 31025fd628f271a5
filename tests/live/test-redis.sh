#!/bin/sh
# Live check of Redis against a real redis-server on loopback (requirepass,
# 4 databases): a good login, a wrong password, no password where one is
# required, a database the server lacks, a Sentinel and a Redis Cluster
# node (the mode is a finding of the rules too), TLS (not checked by this
# build), a closed port and a server that accepts and never answers (the
# deadline must hold).
# Usage: tests/live/test-redis.sh BINARY
. "$(dirname "$0")/lib.sh"	# sets ROOT, BIN (from $1) and T

RD=$(free_port)
mkdir "$T/redis"
redis-server --port "$RD" --bind 127.0.0.1 --requirepass r3dis-pw \
    --databases 4 --daemonize yes --pidfile "$T/redis/redis.pid" \
    --dir "$T/redis" --logfile "$T/redis/redis.log" --save '' --appendonly no
on_exit 'kill $(cat "$T/redis/redis.pid") 2>/dev/null'
wait_port "$RD"

# Sentinel rewrites its configuration file: it lives in the test's folder.
SN=$(free_port)
cat >"$T/redis/sentinel.conf" <<EOF
port $SN
bind 127.0.0.1
daemonize yes
pidfile $T/redis/sentinel.pid
dir $T/redis
logfile $T/redis/sentinel.log
sentinel monitor mymaster 127.0.0.1 $RD 1
sentinel auth-pass mymaster r3dis-pw
EOF
redis-server "$T/redis/sentinel.conf" --sentinel
on_exit 'kill $(cat "$T/redis/sentinel.pid") 2>/dev/null'
wait_port "$SN"

# A node of a Redis Cluster (no slots needed: INFO already says "cluster").
# Its cluster bus listens on the port + 10000, which must exist too.
CL=$(free_port)
while [ "$CL" -gt 55000 ] || ! python3 -c 'import socket, sys; s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]) + 10000))' "$CL" 2>/dev/null; do
	CL=$(free_port)
done
redis-server --port "$CL" --bind 127.0.0.1 --cluster-enabled yes \
    --cluster-config-file "$T/redis/nodes.conf" --daemonize yes \
    --pidfile "$T/redis/cluster.pid" --dir "$T/redis" \
    --logfile "$T/redis/cluster.log" --save '' --appendonly no
on_exit 'kill $(cat "$T/redis/cluster.pid") 2>/dev/null'
wait_port "$CL"

SHS_LIVE_REDIS=r3dis-pw
export SHS_LIVE_REDIS
redis_answers() {
	LIVE_REDIS="{host: 127.0.0.1, port: $1$2}"
	live_answers "$T/a.yaml"
}
check() {
	elapsed_ms "$BIN" check -a "$T/a.yaml" --only redis --timeout "${1:-5}"
}
PW=", password: {env: SHS_LIVE_REDIS}"

redis_answers "$RD" "$PW, db: 3"
check
expect_true "a good login passes (exit $LIVE_STATUS)" test "$LIVE_STATUS" -eq 0
expect_in "$T/out" "ok    Redis 127.0.0.1:$RD" "good login"
expect_said "$T/out" "Redis 7." "the version is shown"
expect_said "$T/out" ", standalone; database 3" "the mode and database are shown"
expect_not_in "$T/out" "r3dis-pw" "the password is never shown"

SHS_LIVE_REDIS=wrong-pw
redis_answers "$RD" "$PW"
check
expect_true "wrong password exits 1" test "$LIVE_STATUS" -eq 1
expect_in "$T/out" "FAIL  Redis 127.0.0.1:$RD: authentication failed" "wrong password"
expect_said "$T/out" "the password was refused (AUTH: WRONGPASS" "says why"
expect_said "$T/out" "Fix: check redis.password" "fix for a wrong password"
expect_in "$T/out" "(redis.host at $T/a.yaml:" "failure names the answer"
expect_not_in "$T/out" "wrong-pw" "the wrong password is never shown"
SHS_LIVE_REDIS=r3dis-pw

redis_answers "$RD" ""
check
expect_in "$T/out" "FAIL  Redis 127.0.0.1:$RD: authentication failed" "no password given"
expect_said "$T/out" "the server requires a password and the answers give none" "says a password is needed"
expect_said "$T/out" "Fix: set redis.password" "fix names redis.password"

# The server has databases 0 to 3.
redis_answers "$RD" "$PW, db: 9"
check
expect_in "$T/out" "FAIL  Redis 127.0.0.1:$RD: missing" "database beyond the server's"
expect_said "$T/out" "SELECT 9: ERR DB index is out of range" "says which database"

# A Sentinel: the probe fails and the rule reports the mode, in one run.
redis_answers "$SN" ""
check
expect_true "a Sentinel exits 1" test "$LIVE_STATUS" -eq 1
expect_in "$T/out" "FAIL  Redis 127.0.0.1:$SN: unexpected answer" "Sentinel"
expect_said "$T/out" "is a Redis Sentinel (Redis 7." "names the mode"
expect_said "$T/out" "Sentry needs a standalone Redis" "says what Sentry needs"
expect_in "$T/out" "ERROR    redis-no-cluster-or-sentinel" "the mode reaches the rules"
expect_said "$T/out" "redis.host is a Redis sentinel; Sentry needs a standalone server" "the rule's finding"

redis_answers "$CL" ""
check
expect_in "$T/out" "FAIL  Redis 127.0.0.1:$CL: unexpected answer" "Redis Cluster"
expect_said "$T/out" "is a node of a Redis Cluster" "names the mode"
expect_said "$T/out" "redis.host is a Redis cluster; Sentry needs a standalone server" "the rule's finding"

# hiredis 0.14 has no TLS: reachability only, and not a failure.
redis_answers "$RD" "$PW, tls: true"
check
expect_true "TLS not checked is no failure (exit $LIVE_STATUS)" test "$LIVE_STATUS" -eq 0
expect_in "$T/out" "skip  Redis 127.0.0.1:$RD" "TLS skipped"
expect_said "$T/out" "TLS to Redis is not checked by this build" "says why"

redis_answers "$LIVE_CLOSED" "$PW"
check
expect_in "$T/out" "FAIL  Redis 127.0.0.1:$LIVE_CLOSED: connection refused" "closed port"

HANG=$(free_port)
blackhole "$HANG"
redis_answers "$HANG" "$PW"
check 1
expect_in "$T/out" "FAIL  Redis 127.0.0.1:$HANG: timed out waiting for a reply" "silent server"
expect_true "deadline holds (${LIVE_MS} ms for a 1 s timeout)" test "$LIVE_MS" -lt 2500

redis_answers "$SN" ""
"$BIN" check -a "$T/a.yaml" --only redis --json >"$T/json" 2>"$T/err"
expect_true "--json has the probe and the rule's error" node -e '
  const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const p = j.probes.find(x => x.service === "Redis");
  if (!p || p.status !== "failed" || !/Redis Sentinel/.test(p.detail)) process.exit(1);
  if (!j.findings.some(f => f.id === "redis-no-cluster-or-sentinel" && f.severity === "error")) process.exit(1);' "$T/json"

finish "live redis"
