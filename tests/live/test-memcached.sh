#!/bin/sh
# Live check of Memcached against a real memcached on loopback: a good
# host, a closed port, a name that does not resolve, and a server that
# accepts and never answers (the deadline must hold).
# Usage: tests/live/test-memcached.sh BINARY
. "$(dirname "$0")/lib.sh"	# sets ROOT, BIN (from $1) and T

MC=$(free_port)
# memcached writes its pid file after it became nobody.
chmod 755 "$T"
mkdir -m 777 "$T/mc"
memcached -u nobody -l 127.0.0.1 -p "$MC" -U 0 -m 16 -d -P "$T/mc/pid"
on_exit 'kill $(cat "$T/mc/pid") 2>/dev/null'
wait_port "$MC"
HANG=$(free_port)
blackhole "$HANG"

LIVE_MEMCACHED="{hosts: [\"127.0.0.1:$MC\", \"127.0.0.1:$LIVE_CLOSED\", \"nowhere.invalid:11211\", \"127.0.0.1:$HANG\"]}"
live_answers "$T/a.yaml"
elapsed_ms "$BIN" check -a "$T/a.yaml" --only memcached --timeout 2
expect_true "failed endpoints exit 1" test "$LIVE_STATUS" -eq 1
expect_in "$T/out" "ok    Memcached 127.0.0.1:$MC" "memcached answers"
expect_said "$T/out" "memcached 1." "memcached reports its version"
expect_in "$T/out" "FAIL  Memcached 127.0.0.1:$LIVE_CLOSED: connection refused" "closed port"
expect_in "$T/out" "FAIL  Memcached nowhere.invalid:11211: name does not resolve" "unknown name"
expect_in "$T/out" "FAIL  Memcached 127.0.0.1:$HANG: timed out waiting for a reply" "silent server"
expect_in "$T/out" "(memcached.hosts[3] at $T/a.yaml:" "failure names the answer"
# Four endpoints at once: about one deadline, not four.
expect_true "deadline holds (${LIVE_MS} ms for a 2 s timeout)" test "$LIVE_MS" -lt 3500

LIVE_MEMCACHED="{hosts: [\"127.0.0.1:$MC\"]}"
live_answers "$T/good.yaml"
expect_status 0 "a good memcached passes" -- "$BIN" check -a "$T/good.yaml" --only memcached
"$BIN" check -a "$T/a.yaml" --only memcached --timeout 1 --json >"$T/json" 2>"$T/err"
expect_true "--json is one JSON document with the probes" node -e '
  const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const p = j.probes;
  if (j.summary.failed_probes !== 3 || p.length !== 4) process.exit(1);
  const f = p.find(x => x.endpoint === "nowhere.invalid:11211");
  if (f.status !== "failed" || f.failure !== "name does not resolve" || !f.fix) process.exit(1);
  if (!p.some(x => x.status === "ok" && /^memcached 1\./.test(x.detail))) process.exit(1);' "$T/json"

finish "live memcached"
