#!/bin/sh
# Live check of ClickHouse against Debian's clickhouse-server (18.16.1) on
# loopback, with a password and a cluster holding a Distributed table: the
# right password (too old for every release, and the facts reach the
# rules, Snuba's migrations too: none, 24.8.0's, one in progress, beyond
# 24.8.0, 26.8.0's), a wrong password, a missing database, a closed port, a server that
# accepts and never answers, and a closed native port.
# Usage: tests/live/test-clickhouse.sh BINARY
. "$(dirname "$0")/lib.sh"	# sets ROOT, BIN (from $1) and T
. "$(dirname "$0")/servers.sh"	# start_clickhouse, ch_query and the like

# A server with a password and a cluster (servers.sh); the password
# reaches the tool through the environment only (SHS_TEST_CH_PW), and it
# must never appear in what the tool prints.
start_clickhouse ch
ch_query "CREATE TABLE events_local (project_id UInt64, ts DateTime)
    ENGINE = MergeTree() PARTITION BY toYYYYMM(ts) ORDER BY (project_id, ts)" &&
ch_query "CREATE TABLE events_dist AS events_local
    ENGINE = Distributed(sentry_cluster, default, events_local, rand())" ||
    { echo "live clickhouse: cannot create the tables" >&2; exit 1; }
HANG=$(free_port)
blackhole "$HANG"

# ch_check NAME CLICKHOUSE_SECTION [SECONDS]: runs check on that section
# alone, with a timeout of SECONDS (2) (output in $T/out, $T/err;
# LIVE_STATUS, LIVE_MS).
ch_check() {
	LIVE_CLICKHOUSE=$2
	live_answers "$T/$1.yaml"
	elapsed_ms "$BIN" check -a "$T/$1.yaml" --only clickhouse --timeout "${3:-2}"
	expect_not_in "$T/out" "$CH_PW" "$1: the password is never printed"
	expect_not_in "$T/err" "Sanitizer" "$1: no sanitizer report"
}

# The right password: 18.16.1 is too old, and the facts reach the rules.
ch_check good "{host: 127.0.0.1, http_port: $CH_HTTP, native_port: $CH_TCP, password: {env: SHS_TEST_CH_PW}}"
EP="ClickHouse 127.0.0.1:$CH_HTTP"
expect_true "too old fails (exit 1)" test "$LIVE_STATUS" -eq 1
expect_in "$T/out" "FAIL  $EP: unsupported version" "version too old"
expect_said "$T/out" "ClickHouse 18.16.1 is older than 23.8.11.29, which Sentry 26.8.0 needs" "names both versions"
expect_in "$T/out" "(clickhouse.host at $T/good.yaml:" "failure names the answer"
expect_in "$T/out" "clickhouse-no-distributed" "rule on Distributed tables"
expect_said "$T/out" "Distributed tables (default.events_dist)" "names the table"
expect_in "$T/out" "clickhouse-version-range" "rule on the version range"
expect_said "$T/out" "ClickHouse 18.16.1 is older than the 23.8.11.29 this release needs" "the rule has the server's version"
"$BIN" check -a "$T/good.yaml" --only clickhouse --timeout 2 --json >"$T/json" 2>"$T/err"
expect_true "--json holds the probe and both rules" node -e '
  const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const p = j.probes.find(x => x.service === "ClickHouse");
  if (!p || p.failure !== "unsupported version") process.exit(1);
  const ids = JSON.stringify(j);
  if (!ids.includes("clickhouse-no-distributed") || !ids.includes("clickhouse-version-range")) process.exit(1);' "$T/json"

# Where Snuba's migrations stand (migrations_local, read FINAL). The
# server is too old for every release, so each run fails on the version,
# yet the migrations still reach the rules. First there is no table: Snuba
# never ran here, which is no failure of its own.
GOOD="{host: 127.0.0.1, http_port: $CH_HTTP, native_port: $CH_TCP, password: {env: SHS_TEST_CH_PW}}"
expect_said "$T/out" "database default holds no Snuba migration: Snuba has never run against it (a fresh install)" "no migrations table"
expect_not_in "$T/out" "migrations_local" "a missing table is not a failure"
# Snuba's own table (snuba/migrations/runner.py).
ch_snuba_table ||
    { echo "live clickhouse: cannot create migrations_local" >&2; exit 1; }
# ch_at RELEASE NAME SECTION: ch_check with answers at RELEASE.
ch_at() {
	LIVE_VERSION=$1
	ch_check "$2" "$3"
	LIVE_VERSION=
}
# 24.8.0 done, each migration first recorded in progress (version 1) and
# then completed (version 2): FINAL keeps the completed row only.
ch_snuba_release 24.8.0 in_progress 1 && ch_snuba_release 24.8.0 || exit 1
ch_at 24.8.0 snuba248 "$GOOD"
expect_said "$T/out" "ClickHouse's Snuba migrations are those of Sentry 24.8.0: every group at its last migration" "matches the answers"
expect_not_in "$T/out" "snuba-migration-in-progress" "no migration in progress"
ch_check snuba268 "$GOOD"
expect_said "$T/out" "Sentry 26.8.0 has not been migrated yet in ClickHouse: events, outcomes, functions, replays, generic_metrics, search_issues, events_analytics_platform, profile_chunks not at its last migration; complete up to Sentry 24.8.0 (an upgrade in progress" "answers ahead of the database"
# A migrate that stopped part way.
ch_snuba_rows in_progress 1 events:0025_add_replay_id_column || exit 1
ch_at 24.8.0 stuck "$GOOD"
expect_in "$T/out" "ERROR    snuba-migration-in-progress" "an in-progress migration is an error"
expect_said "$T/out" "Snuba migration events 0025_add_replay_id_column is in progress (a migrate that stopped part way): \`snuba migrations migrate\` refuses to run until it is reversed with \`snuba migrations reverse-in-progress --group events\`" "names group, id and the fix"
"$BIN" check -a "$T/stuck.yaml" --only clickhouse --timeout 2 --json >"$T/json" 2>"$T/err"
expect_true "--json has the in-progress finding with its catalogue words" node -e '
  const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const f = j.findings.filter(x => x.id === "snuba-migration-in-progress");
  if (f.length !== 1 || f[0].severity !== "error" || f[0].subject !== "clickhouse") process.exit(1);
  if (!f[0].message.includes("events 0025_add_replay_id_column")) process.exit(1);
  if (!f[0].fix.includes("reverse-in-progress --group GROUP") || !f[0].source.includes("runner.py")) process.exit(1);
  const s = j.findings.find(x => x.id === "snuba-state");
  if (!s || s.severity !== "info" || !s.message.includes("those of Sentry 24.8.0")) process.exit(1);' "$T/json"
# Reversed and run again: the later row wins; events goes past 24.8.0.
ch_snuba_rows completed 2 events:0025_add_replay_id_column &&
ch_snuba_rows completed 1 events:0030_add_group_first_seen_column_to_errors || exit 1
ch_at 24.8.0 beyond "$GOOD"
expect_not_in "$T/out" "snuba-migration-in-progress" "the later row wins (FINAL)"
expect_said "$T/out" "ClickHouse is partly beyond Sentry 24.8.0: events (0030_add_group_first_seen_column_to_errors) has newer migrations" "names the group beyond"
# All of 26.8.0: the databases are newer than answers at 24.8.0.
ch_snuba_release 26.8.0 || exit 1
ch_at 24.8.0 newer "$GOOD"
expect_in "$T/out" "WARNING  snuba-state" "newer databases are a warning"
expect_said "$T/out" "the databases are newer than the answers (at least 26.8.0): ClickHouse has completed every Snuba migration of Sentry 26.8.0, and the answers are at 24.8.0" "names the newest complete release"
ch_check at268 "$GOOD"
expect_said "$T/out" "ClickHouse's Snuba migrations are those of Sentry 26.8.0" "answers at 26.8.0 match"
# The probe's own line, from a release that accepts this server (a copy of
# the 26.8.0 profile whose minimum is 18): what FINAL left, counted.
mkdir -p "$T/data/profiles"
ln -s "$ROOT/assets" "$T/data/assets"
sed 's/^  clickhouse: {min: "23.8.11.29",/  clickhouse: {min: "18.16",/' "$ROOT/profiles/26.8.0.yaml" \
    >"$T/data/profiles/26.8.0.yaml"
SENTRY_HA_SETUP_DATA="$T/data" "$BIN" check -a "$T/at268.yaml" --only clickhouse --timeout 2 >"$T/out" 2>"$T/err"
expect_in "$T/out" "ok    $EP" "a server the release accepts"
expect_said "$T/out" "native port $CH_TCP open; Snuba migrations: 23 completed, 0 in progress" "the probe counts what FINAL leaves"

ch_check wrongpw "{host: 127.0.0.1, http_port: $CH_HTTP, native_port: $CH_TCP, password: wrong-password}"
expect_in "$T/out" "FAIL  $EP: authentication failed" "wrong password"
expect_said "$T/out" "Wrong password for user default" "says what ClickHouse said"

ch_check nopw "{host: 127.0.0.1, http_port: $CH_HTTP, native_port: $CH_TCP}"
expect_in "$T/out" "FAIL  $EP: authentication failed" "no password"

ch_check nodb "{host: 127.0.0.1, http_port: $CH_HTTP, native_port: $CH_TCP, database: \"sn'uba\", password: {env: SHS_TEST_CH_PW}}"
expect_in "$T/out" "FAIL  $EP: missing" "missing database"
expect_said "$T/out" "ClickHouse has no database sn'uba" "names the database (quoted safely)"
expect_said "$T/out" "CREATE DATABASE" "the fix creates it"

ch_check closed "{host: 127.0.0.1, http_port: $LIVE_CLOSED, native_port: $CH_TCP}"
expect_in "$T/out" "FAIL  ClickHouse 127.0.0.1:$LIVE_CLOSED: connection refused" "closed port"

ch_check hang "{host: 127.0.0.1, http_port: $HANG, native_port: $CH_TCP}" 1
expect_in "$T/out" "FAIL  ClickHouse 127.0.0.1:$HANG: timed out waiting for a reply" "silent server"
expect_true "deadline holds (${LIVE_MS} ms for a 1 s timeout)" test "$LIVE_MS" -lt 2000

# A server that tells its version, then never answers again.
STALL=$(free_port)
python3 -c '
import sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def do_POST(self):
        sql = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if b"version()" not in sql:
            time.sleep(60)
        self.send_response(200); self.send_header("Content-Length", "11")
        self.end_headers(); self.wfile.write(b"23.8.11.29\n")
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()' "$STALL" &
on_exit "kill $! 2>/dev/null"
wait_port "$STALL"
ch_check stall "{host: 127.0.0.1, http_port: $STALL, native_port: $CH_TCP}" 1
expect_in "$T/out" "FAIL  ClickHouse 127.0.0.1:$STALL: timed out waiting for a reply" "server stops answering"
expect_said "$T/out" "ClickHouse answered, then stopped" "after its first answer"
expect_true "deadline holds (${LIVE_MS} ms for a 1 s timeout)" test "$LIVE_MS" -lt 2000

SLOW=$(free_port)
backlogged "$SLOW"
ch_check slow "{host: 127.0.0.1, http_port: $SLOW, native_port: $CH_TCP}" 1
expect_in "$T/out" "FAIL  ClickHouse 127.0.0.1:$SLOW: timed out connecting" "no connection"
expect_true "deadline holds (${LIVE_MS} ms for a 1 s timeout)" test "$LIVE_MS" -lt 2000

ch_check native "{host: 127.0.0.1, http_port: $CH_HTTP, native_port: $LIVE_CLOSED, password: {env: SHS_TEST_CH_PW}}"
expect_in "$T/out" "FAIL  $EP: connection refused" "native port closed"
expect_said "$T/out" "the native port $LIVE_CLOSED, which Snuba writes through" "names the native port"
expect_said "$T/out" "clickhouse.native_port" "the fix names the answer"

# upgrade: the gates are checked against the live server. ClickHouse 18.16.1
# is older than every hop from 24.8.0 on accepts: each hop names it, and
# nothing is written; --offline plans without the server.
LIVE_VERSION=24.8.0
LIVE_CLICKHOUSE="{host: 127.0.0.1, http_port: $CH_HTTP, native_port: $CH_TCP, password: {env: SHS_TEST_CH_PW}}"
live_answers "$T/up.yaml"
unset LIVE_VERSION
"$BIN" generate -a "$T/up.yaml" -o "$T/up-install" >/dev/null 2>&1
expect_status 1 "upgrade: a gate fails against the live server" -- \
    "$BIN" upgrade --to 26.8.0 -a "$T/up.yaml" -o "$T/up-out"
expect_in "$T/out" "01-24.8.0-to-25.5.1      Sentry 25.5.1   hard stop 3 errors" "upgrade: the hop through 25.5.1"
# The server holds 26.8.0's migrations (above): the answers' 24.8.0 is not
# where the databases stand.
expect_in "$T/out" "ERROR   upgrade-standing: ClickHouse is past Sentry 24.8.0: every Snuba migration of Sentry 26.8.0 is completed" "upgrade: the databases ahead of the answers"
expect_said "$T/out" "clickhouse-version-range: ClickHouse 18.16.1 is older than the 23.8.11.29 this release needs" "upgrade: the gate names the server's version"
expect_in "$T/err" "nothing written" "upgrade: says nothing is written"
expect_true "upgrade: nothing written while a gate fails" test ! -e "$T/up-out"
expect_status 0 "upgrade --offline plans without the server" -- \
    "$BIN" upgrade --to 26.8.0 -a "$T/up.yaml" -o "$T/up-out" --offline
expect_true "upgrade --offline writes the hops" test -f "$T/up-out/04-26.7.0-to-26.8.0/RUNBOOK.md"

finish "live clickhouse"
