#!/bin/sh
# Servers that misbehave on purpose. One that sends its reply a byte at a
# time forever, or floods without end, must cost --timeout and no more, and
# the report must say how long it really took (a client that gives up
# sooner by itself may); what a server says must never reach the terminal
# as escape codes.
# Usage: tests/live/test-hostile.sh BINARY
. "$(dirname "$0")/lib.sh"	# sets ROOT, BIN (from $1) and T

# The start of a valid reply, which the rest never completes: a Redis bulk
# string, an SSH banner, a memcached version line, a ZooKeeper answer.
REDIS_START='$100000000\r\n'
SSH_START='SSH-2.0-'
MEMCACHED_START='VERSION 1.'
ZK_START='Zookeeper version: 3.'
# The elapsed figures of one check: the JSON report's, and the wall clock.
timed() {	# timed SERVICE-KEY
	_t0=$(date +%s%N)
	"$BIN" check -a "$T/a.yaml" --only "$1" --timeout 1 --json >"$T/json" 2>"$T/err"
	LIVE_MS=$(( ($(date +%s%N) - _t0) / 1000000 ))
	REPORTED=$(python3 -c 'import json, sys; print(max(p["elapsed_ms"] for p in json.load(open(sys.argv[1]))["probes"]))' "$T/json" 2>/dev/null || echo none)
}

for mode in drip flood; do
	P=$(free_port); hostile "$mode" "$P" "$REDIS_START"
	LIVE_REDIS="{host: 127.0.0.1, port: $P}"; live_answers "$T/a.yaml"
	timed redis
	expect_true "redis, $mode: 1 s timeout took ${LIVE_MS} ms" test "$LIVE_MS" -lt 1500
	expect_true "redis, $mode: the report says ${REPORTED} ms" test "$REPORTED" -ge 900 -a "$REPORTED" -le 1010
	expect_in "$T/json" '"failure": "timed out waiting for a reply"' "redis, $mode: a timeout"

	P=$(free_port); hostile "$mode" "$P" "$SSH_START"
	LIVE_EXTRA="hosts: [{name: n1, address: 127.0.0.1, port: $P, user: nobody}]"
	live_answers "$T/a.yaml"; LIVE_EXTRA=
	timed ssh
	expect_true "ssh, $mode: 1 s timeout took ${LIVE_MS} ms" test "$LIVE_MS" -lt 1500
	expect_true "ssh, $mode: the report says ${REPORTED} ms" test "$REPORTED" -le 1010
	expect_in "$T/json" '"status": "failed"' "ssh, $mode: a failure"

	P=$(free_port); hostile "$mode" "$P" "$MEMCACHED_START"
	LIVE_MEMCACHED="{hosts: [\"127.0.0.1:$P\"]}"; live_answers "$T/a.yaml"
	LIVE_MEMCACHED=
	timed memcached
	expect_true "memcached, $mode: 1 s timeout took ${LIVE_MS} ms" test "$LIVE_MS" -lt 1500
	expect_true "memcached, $mode: the report says ${REPORTED} ms" test "$REPORTED" -le 1010
	expect_in "$T/json" '"status": "failed"' "memcached, $mode: a failure"

	P=$(free_port); hostile "$mode" "$P" "$ZK_START"
	LIVE_VERSION=10.1.0 LIVE_EXTRA="zookeeper: {hosts: [\"127.0.0.1:$P\"]}"
	export LIVE_VERSION
	live_answers "$T/a.yaml"; LIVE_EXTRA=; unset LIVE_VERSION
	timed zookeeper
	expect_true "zookeeper, $mode: 1 s timeout took ${LIVE_MS} ms" test "$LIVE_MS" -lt 1500
	expect_true "zookeeper, $mode: the report says ${REPORTED} ms" test "$REPORTED" -le 1010
done
LIVE_REDIS=

# Escape codes: shown as \x1b, never sent to the terminal.
P=$(free_port); hostile escape "$P"
LIVE_REDIS="{host: 127.0.0.1, port: $P}"; live_answers "$T/a.yaml"
"$BIN" check -a "$T/a.yaml" --only redis --timeout 2 >"$T/out" 2>"$T/err"
expect_true "no ESC byte reaches the terminal" sh -c "! grep -q \"$(printf '\033')\" '$T/out' '$T/err'"
expect_true "no BEL byte reaches the terminal" sh -c "! grep -q \"$(printf '\007')\" '$T/out' '$T/err'"
expect_in "$T/out" '\x1b[2J' "the escape code is shown, escaped"
expect_in "$T/out" '\x9b1m' "an 8-bit control is shown, escaped"
"$BIN" check -a "$T/a.yaml" --only redis --timeout 2 --json >"$T/json" 2>"$T/err"
expect_true "the JSON report holds no control character" python3 -c '
import json, sys
raw = open(sys.argv[1], encoding="utf-8").read()
assert not any(ord(ch) < 32 and ch not in "\n" for ch in raw), "raw control"
json.loads(raw)' "$T/json"

finish "live hostile servers"
