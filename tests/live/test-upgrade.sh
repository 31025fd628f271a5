#!/bin/sh
# Live upgrade, hop by hop, against a real PostgreSQL and a real ClickHouse
# (Debian's 18.16.1) together: where the databases stand before the first
# hop, the backup confirmed, a hop refused while its migrations have not
# run or one is left in progress, the hop verified once they have (the
# answers moved on, the file before kept), and the refusals of a skipped
# hard stop and of databases ahead of the answers.
# Usage: tests/live/test-upgrade.sh BINARY
. "$(dirname "$0")/lib.sh"	# sets ROOT, BIN (from $1) and T
. "$(dirname "$0")/servers.sh"	# start_pg, start_clickhouse and the seeds

start_pg pg "$(free_port)"
start_clickhouse ch
pg_sql "CREATE ROLE sentry LOGIN PASSWORD 'sentry-pw'" &&
pg_sql "CREATE DATABASE sentry OWNER sentry" &&
pg_django_table sentry sentry || exit 1
# Sentry 10.1.0's database: its own migrations up to the 10.0.0 head
# (getsentry/sentry at 10.0.0, src/sentry/migrations), before every
# squash boundary; ClickHouse with Snuba's table and its first migration.
pg_migrated sentry sentry.0001_initial sentry.0024_auto_20191230_2052 \
    contenttypes.0001_initial || exit 1
ch_snuba_table && ch_snuba_rows completed 2 system:0001_migrations || exit 1

SHS_LIVE_PG=sentry-pw
export SHS_LIVE_PG
LIVE_VERSION=10.1.0
LIVE_POSTGRES="{host: 127.0.0.1, port: $PG_PORT, user: sentry, database: sentry, password: {env: SHS_LIVE_PG}}"
LIVE_CLICKHOUSE="{host: 127.0.0.1, http_port: $CH_HTTP, native_port: $CH_TCP, password: {env: SHS_TEST_CH_PW}}"
live_answers "$T/a.yaml"
# A comment of the operator's, which the move must keep.
printf '# ops: owned by the platform team\n' >>"$T/a.yaml"
cp "$T/a.yaml" "$T/a.before"
# The keys the deployment runs with (10.1.0's snuba takes no ClickHouse
# password: a finding of the release before, not of the hops).
"$BIN" generate --force -a "$T/a.yaml" -o "$T/install" >"$T/gen.out" 2>&1 || { cat "$T/gen.out"; echo "live upgrade: generate failed" >&2; exit 1; }
up() { "$BIN" upgrade --to "${UP_TO:-21.6.3}" -a "$T/a.yaml" -o "$T/up" --timeout 5 "$@"; }

# Where it stands: the databases are at the answers' release, so the
# first hop has no standing error, and it is next. Debian's ClickHouse is
# older than every hop accepts: that gate fails, and nothing is written.
expect_status 1 "the first hop is planned against the live databases" -- up
expect_in "$T/out" "01-10.1.0-to-21.6.3      Sentry 21.6.3   hard stop 1 error" "one gate fails for the first hop"
expect_in "$T/out" "ERROR   clickhouse-version-range: ClickHouse 18.16.1 is older than the 20.3.9.70 this release needs" "the gate names the server's version"
expect_in "$T/out" "next: take the backups (RUNBOOK.md step 1), then --backup-done" "the first hop is next"
expect_not_in "$T/out" "upgrade-standing" "the databases stand at the answers' release"
expect_true "nothing written while a gate fails" test ! -e "$T/up"

# The migrations not run yet: refused, and nothing recorded or moved.
expect_status 0 "the backup confirmed" -- up --backup-done
expect_status 1 "verify before the migrations ran" -- up --verify
expect_in "$T/out" "ERROR   django_migrations has no 0200_release_indices, which \`sentry upgrade\` of Sentry 21.6.3 leaves" "verify: Sentry's migrations have not run"
expect_in "$T/out" "ERROR   Snuba's migrations have not all run: events (0015_truncate_events), transactions (0011_transactions_add_span_op_breakdowns)" "verify: Snuba's have not either"
expect_in "$T/err" "hop 01-10.1.0-to-21.6.3 is not done: nothing recorded, and the answers stay at Sentry 10.1.0" "verify says nothing is recorded"
expect_true "the answers are as they were" cmp -s "$T/a.yaml" "$T/a.before"
expect_not_in "$T/a.yaml.upgrade" "  verified:" "no verification recorded"

# The migrations run, but one of Snuba's left in progress.
# Up to the squash boundary only: short of 21.6.3's last migration.
pg_migrated sentry sentry.0200_release_indices || exit 1
expect_status 1 "verify while Sentry's migrations stopped part way" -- up --verify
expect_in "$T/out" "ERROR   django_migrations' newest sentry migration is 0200_release_indices; Sentry 21.6.3 ends at 0219_exporteddatablob_remove_blob_fk" "verify: short of the release's last migration"
pg_migrated sentry sentry.0219_exporteddatablob_remove_blob_fk || exit 1
ch_snuba_release 21.6.3 && ch_snuba_rows in_progress 3 events:0015_truncate_events || exit 1
expect_status 1 "verify with a migration in progress" -- up --verify
expect_in "$T/out" "ERROR   Snuba migration events 0015_truncate_events is in progress: reverse it (\`snuba migrations reverse-in-progress --group events\`)" "verify: in progress blocks"
expect_in "$T/out" "ok      django_migrations has every squash boundary that Sentry 21.6.3's hard-stop checks look for" "verify: Sentry's side is done"

# Done: recorded, and the answers moved on with the comment kept.
ch_snuba_rows completed 4 events:0015_truncate_events || exit 1
expect_status 0 "verify once the hop is done" -- up --verify
expect_in "$T/out" "ok      every Snuba group is at Sentry 21.6.3's last migration (6 groups)" "verify: Snuba's side is done"
expect_in "$T/out" "Hop 01-10.1.0-to-21.6.3 verified. The answers now run Sentry 21.6.3 (edited in place; the file before is $T/a.yaml.bak)." "verify moves the answers on"
expect_in "$T/out" "Sentry 21.6.3 is reached: the upgrade is complete." "the last hop ends the upgrade"
expect_true "the file before is kept" cmp -s "$T/a.yaml.bak" "$T/a.before"
expect_in "$T/a.yaml" 'sentry: {version: "21.6.3", url_prefix:' "sentry.version moved on in place"
expect_in "$T/a.yaml" "# ops: owned by the platform team" "the operator's comment is kept"
expect_true "the verification is recorded with its time" grep -Eq '^  verified: "20[0-9-]{8}T[0-9:]{8}Z"$' "$T/a.yaml.upgrade"

# The next run starts from 21.6.3, and shows what is done.
UP_TO=23.6.2 expect_status 1 "the next hop starts where the last ended (its ClickHouse gate fails)" -- up --json
expect_true "--json: from 21.6.3, the first hop done" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["from"]=="21.6.3" and [h["release"] for h in d["hops"]]==["23.6.2"] and d["hops"][0]["state"]=="next" and not d["written"] and [g["rule"] for g in d["hops"][0]["gates"] if g["severity"]=="error"]==["clickhouse-version-range"] and d["done"][0]["to"]=="21.6.3" and d["done"][0]["verified"], d' "$T/out"

# A skipped hard stop: the answers say 24.8.0, the database has not
# passed it. Refused, and nothing written.
sed 's/version: "21.6.3"/version: "24.8.0"/' "$T/a.yaml" >"$T/skip.yaml"
cp "$T/a.keys.yaml" "$T/skip.keys.yaml"
expect_status 1 "a skipped hard stop is refused" -- "$BIN" upgrade --to 25.5.1 -a "$T/skip.yaml" -o "$T/up-skip" --timeout 5
expect_in "$T/out" "ERROR   upgrade-standing: the database is behind the answers: django_migrations has no 0642_index_together_release, which Sentry 24.8.0 leaves there; a hop was not finished or a hard stop was skipped" "the skipped stop is named"
expect_in "$T/out" "ERROR   upgrade-standing: ClickHouse is behind the answers" "ClickHouse says the same"
expect_true "nothing written for a skipped stop" test ! -e "$T/up-skip"

# Databases ahead of the answers: a hop done and not verified.
cp "$T/a.before" "$T/ahead.yaml" && cp "$T/a.keys.yaml" "$T/ahead.keys.yaml"
expect_status 1 "databases ahead of the answers are refused" -- "$BIN" upgrade --to 21.6.3 -a "$T/ahead.yaml" -o "$T/up-ahead" --timeout 5
expect_in "$T/out" "ERROR   upgrade-standing: ClickHouse is past Sentry 10.1.0: every Snuba migration of Sentry 21.6.3 is completed; a hop was done and not verified" "ahead is named"
expect_not_in "$T/out" "sentry-pw" "the password is never shown"
expect_not_in "$T/out" "ch-S3cret-pw" "nor ClickHouse's"

finish "live upgrade"
