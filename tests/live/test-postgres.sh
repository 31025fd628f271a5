#!/bin/sh
# Live check of PostgreSQL against a real server on loopback (scram-sha-256):
# a good login, a wrong password, a missing database, a role that may not
# create tables in schema public (PostgreSQL 15), sslmode=require against a
# server without TLS, a closed port, a server that accepts and never
# answers (the deadline must hold), the version reaching --json, and a
# second server with TLS from a private CA (tls.ca_file, verify-full) that
# asks one role for a client certificate. And where django_migrations stands
# against the hard stops (missing, empty, behind, newer, inconsistent), and
# the newest sentry migration it holds.
# Usage: tests/live/test-postgres.sh BINARY
. "$(dirname "$0")/lib.sh"	# sets ROOT, BIN (from $1) and T
. "$(dirname "$0")/servers.sh"	# start_pg, pg_sql and the like

PG=$(free_port)
start_pg pg "$PG"	# pg_sql talks to it, until the TLS server starts

# sentry owns nothing: on PostgreSQL 15 it may not create tables in
# schema public until granted; sentry2 owns its database and may.
pg_sql "CREATE ROLE sentry LOGIN PASSWORD 'sentry-pw'" &&
pg_sql "CREATE ROLE sentry2 LOGIN PASSWORD 'sentry-pw'" &&
pg_sql "CREATE DATABASE sentry" &&
pg_sql "CREATE DATABASE sentry2 OWNER sentry2" || exit 1
# "15.20", as the probe writes it.
VERSION=$(pg_version)
MAJOR=${VERSION%%.*}

SHS_LIVE_PG=sentry-pw
export SHS_LIVE_PG
pg_answers() {
	LIVE_POSTGRES="{host: 127.0.0.1, port: $1, user: ${3:-sentry}, database: ${2:-sentry}, password: {env: SHS_LIVE_PG}${4:-}}"
	live_answers "$T/a.yaml"
}
check() {
	elapsed_ms "$BIN" check -a "$T/a.yaml" --only postgres --timeout "${1:-5}"
}

# The privilege to create tables: refused (PostgreSQL 15 and later), then
# granted.
pg_answers "$PG"
check
if [ "$MAJOR" -ge 15 ]; then
	expect_true "no CREATE on public exits 1" test "$LIVE_STATUS" -eq 1
	expect_in "$T/out" "FAIL  PostgreSQL 127.0.0.1:$PG: permission denied" "no CREATE on public"
	expect_said "$T/out" "user \"sentry\" may not create tables in schema public of database \"sentry\"" "says which user and database"
	expect_said "$T/out" "GRANT CREATE ON SCHEMA public TO \"sentry\"" "the fix names the GRANT"
	expect_in "$T/out" "(postgres.host at $T/a.yaml:" "failure names the answer"
fi
pg_sql "GRANT CREATE ON SCHEMA public TO sentry" sentry || exit 1
check
expect_true "a good login passes (exit $LIVE_STATUS)" test "$LIVE_STATUS" -eq 0
expect_in "$T/out" "ok    PostgreSQL 127.0.0.1:$PG" "good login"
expect_said "$T/out" "PostgreSQL $VERSION; database \"sentry\"; user \"sentry\" may create tables" "what was found"
expect_not_in "$T/out" "sentry-pw" "the password is never shown"

# A database's owner may create tables without a grant.
pg_answers "$PG" sentry2 sentry2
expect_status 0 "the database's owner passes" -- "$BIN" check -a "$T/a.yaml" --only postgres

# Where Sentry's migrations stand: django_migrations, created as Django
# creates it, in sentry2's database. First none (a database Sentry never
# migrated, which is no failure), then empty, then rows at the squash
# boundaries (upgrade-facts.md, Table 1, Note 1).
pg_answers "$PG" sentry2 sentry2
check
expect_true "no django_migrations passes (exit $LIVE_STATUS)" test "$LIVE_STATUS" -eq 0
expect_said "$T/out" "may create tables; no django_migrations table: Sentry has never migrated this database" "the probe says the table is missing"
expect_said "$T/out" "Sentry has never migrated database sentry2 (django_migrations is missing): a fresh install" "the rule says so too"
pg_django_table sentry2 sentry2 || exit 1
check
expect_said "$T/out" "django_migrations is empty: Sentry has never migrated" "an empty table"
expect_said "$T/out" "(django_migrations is empty): a fresh install, which skips the hard-stop check" "an empty table is a fresh install"
# Applied as Sentry's upgrade applies them (other apps too; a name
# without a number, which orders nothing, and one of another app that sorts
# after sentry's newest).
pg_migrated sentry2 contenttypes.0001_initial sentry.0200_release_indices \
    sentry.0001_squashed_0484_break_org_member_user_fk sentry.0500_something_else \
    sentry.zz_not_numbered contenttypes.0900_later || exit 1
# 24.8.0's check is not passed: the answers at 26.8.0 cannot be reached.
check
expect_true "a state behind a hard stop is a warning, not a failure (exit $LIVE_STATUS)" test "$LIVE_STATUS" -eq 0
expect_said "$T/out" "django_migrations past 0200, 0484" "the probe names the boundaries crossed"
expect_said "$T/out" "django_migrations past 0200, 0484; newest sentry migration 0500_something_else" "the probe names app sentry's newest migration"
expect_in "$T/out" "WARNING  sentry-migration-boundary" "the rule warns"
expect_said "$T/out" "the database has not passed the 24.8.0 hard stop (django_migrations has no 0642_index_together_release): upgrading straight to Sentry 26.8.0 would fail with \"It looks like you've skipped a hard stop\"; upgrade through 24.8.0, then 25.5.1 first" "names the stops to pass"
"$BIN" check -a "$T/a.yaml" --only postgres --json >"$T/json" 2>"$T/err"
expect_true "--json has the boundary finding with its catalogue words" node -e '
  const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const f = j.findings.filter(x => x.id === "sentry-migration-boundary");
  if (f.length !== 1 || f[0].severity !== "warning" || f[0].subject !== "postgres") process.exit(1);
  if (!f[0].message.includes("not passed the 24.8.0 hard stop")) process.exit(1);
  if (!f[0].title.includes("hard stops") || !f[0].why.includes("skipped a hard stop")) process.exit(1);
  const p = j.probes.find(x => x.service === "PostgreSQL");
  if (!p || p.status !== "ok" || !p.detail.endsWith("django_migrations past 0200, 0484; newest sentry migration 0500_something_else")) process.exit(1);' "$T/json"
# The same database, with answers at 24.8.0: nothing to warn about.
LIVE_VERSION=24.8.0 live_answers "$T/a.yaml"
check
expect_not_in "$T/out" "WARNING  sentry-migration-boundary" "24.8.0 may start from there"
expect_said "$T/out" "crossed 0200, 0484 (past 0484_break_org_member_user_fk, which no known hard-stop check tests); not yet 0642, 0904" "says what the boundaries prove, and no more"
# Past 25.5.1's boundary: fine for 26.8.0, newer than answers at 24.8.0.
pg_migrated sentry2 sentry.0642_index_together_release sentry.0904_onboarding_task_project_id_idx || exit 1
check
expect_said "$T/out" "django_migrations past 0200, 0484, 0642, 0904; newest sentry migration 0904_onboarding_task_project_id_idx" "the newest migration moves on"
expect_in "$T/out" "WARNING  sentry-migration-boundary" "answers older than the database"
expect_said "$T/out" "the database is newer than the answers: django_migrations has 0904_onboarding_task_project_id_idx, a migration from after Sentry 24.8.0, and the answers are at 24.8.0" "says the database is newer"
pg_answers "$PG" sentry2 sentry2
check
expect_not_in "$T/out" "WARNING  sentry-migration-boundary" "26.8.0 passes the check"
expect_said "$T/out" "crossed 0200, 0484, 0642, 0904 (it passes the hard-stop check of the releases after 25.5.1)" "every boundary crossed"
# An inconsistent set: 0904 recorded without 0642 before it.
pg_sql "DELETE FROM django_migrations WHERE name = '0642_index_together_release'" sentry2 || exit 1
check
expect_said "$T/out" "django_migrations records 0904_onboarding_task_project_id_idx but not 0642_index_together_release, which comes before it: the records are incomplete" "a gap in the records"
"$BIN" check -a "$T/a.yaml" --only postgres --json >"$T/json" 2>"$T/err"
expect_true "--json has the gap as a warning, and no hard-stop claim" node -e '
  const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const f = j.findings.filter(x => x.id === "sentry-migration-boundary");
  if (!f.some(x => x.severity === "warning" && x.message.includes("records are incomplete"))) process.exit(1);
  if (f.some(x => x.message.includes("skipped a hard stop"))) process.exit(1);' "$T/json"
# A history that never comes: the query, too, ends at the deadline.
pg_sql "DROP TABLE django_migrations; CREATE VIEW django_migrations AS
    SELECT 1 AS id, 'sentry'::text AS app, 'x'::text AS name, now() AS applied FROM pg_sleep(30);
    ALTER VIEW django_migrations OWNER TO sentry2" sentry2 || exit 1
check 1
expect_in "$T/out" "FAIL  PostgreSQL 127.0.0.1:$PG: timed out waiting for a reply" "a slow history read"
expect_true "deadline holds (${LIVE_MS} ms for a 1 s timeout)" test "$LIVE_MS" -lt 2500
pg_sql "DROP VIEW django_migrations" sentry2 || exit 1

SHS_LIVE_PG=wrong-pw
pg_answers "$PG"
check
expect_true "wrong password exits 1" test "$LIVE_STATUS" -eq 1
expect_in "$T/out" "FAIL  PostgreSQL 127.0.0.1:$PG: authentication failed" "wrong password"
expect_said "$T/out" "password authentication failed for user \"sentry\"" "says why"
expect_said "$T/out" "Fix: check postgres.password" "fix for a wrong password"
expect_not_in "$T/out" "wrong-pw" "the wrong password is never shown"
SHS_LIVE_PG=sentry-pw

pg_answers "$PG" nosuchdb
check
expect_in "$T/out" "FAIL  PostgreSQL 127.0.0.1:$PG: missing" "missing database"
expect_said "$T/out" "database \"nosuchdb\" does not exist" "names the database"

# sslmode=require against a server without TLS.
pg_answers "$PG" sentry sentry ", sslmode: require"
check
expect_in "$T/out" "FAIL  PostgreSQL 127.0.0.1:$PG: TLS failure" "TLS required, server has none"

pg_answers "$LIVE_CLOSED"
check
expect_in "$T/out" "FAIL  PostgreSQL 127.0.0.1:$LIVE_CLOSED: connection refused" "closed port"
expect_true "a refusal is quick (${LIVE_MS} ms)" test "$LIVE_MS" -lt 2000

HANG=$(free_port)
blackhole "$HANG"
pg_answers "$HANG"
check 1
expect_in "$T/out" "FAIL  PostgreSQL 127.0.0.1:$HANG: timed out waiting for a reply" "silent server"
expect_true "deadline holds (${LIVE_MS} ms for a 1 s timeout)" test "$LIVE_MS" -lt 2500

# The version is a fact for the rules and part of --json. Sentry 26.8.0
# needs PostgreSQL 14; the local server is newer.
pg_answers "$PG"
LIVE_VERSION=26.8.0 live_answers "$T/a.yaml"
"$BIN" check -a "$T/a.yaml" --only postgres --json >"$T/json" 2>"$T/err"
expect_true "--json has the probe, its version and no postgres-min-version finding" node -e '
  const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const p = j.probes.find(x => x.service === "PostgreSQL");
  if (!p || p.status !== "ok" || !p.detail.startsWith("PostgreSQL " + process.argv[2] + ";")) process.exit(1);
  if (JSON.stringify(j).includes("postgres-min-version\",\"severity\":\"error")) process.exit(1);' "$T/json" "$VERSION"

# A server older than the release needs: no release needs more than this
# machine's PostgreSQL, so a copy of the 26.8.0 profile asks for 99. The
# probe fails and the version reaches the rule postgres-min-version.
mkdir -p "$T/data/profiles"
ln -s "$ROOT/assets" "$T/data/assets"
sed 's/^  postgres: {min: "14"}$/  postgres: {min: "99"}/' "$ROOT/profiles/26.8.0.yaml" \
    >"$T/data/profiles/26.8.0.yaml"
export SENTRY_HA_SETUP_DATA="$T/data"
elapsed_ms "$BIN" check -a "$T/a.yaml" --only postgres
unset SENTRY_HA_SETUP_DATA
expect_true "too old exits 1" test "$LIVE_STATUS" -eq 1
expect_in "$T/out" "FAIL  PostgreSQL 127.0.0.1:$PG: unsupported version" "too old"
expect_said "$T/out" "PostgreSQL $VERSION is older than 99, which Sentry 26.8.0 needs" "says which version is needed"
expect_in "$T/out" "ERROR    postgres-min-version" "the version reaches the rules"

# TLS from a private CA: the server's certificate is signed by the test CA
# (tests/data/tls), and role certuser logs in with a client certificate.
TLSD=$ROOT/tests/data/tls
mkdir "$T/pgtls"
cp "$TLSD/server.crt" "$TLSD/server.key" "$TLSD/ca.crt" "$T/pgtls/"
chmod 600 "$T/pgtls/server.key"
tls_hba() {
	cat >"$T/pgtls/data/pg_hba.conf" <<HBA
local all postgres scram-sha-256
hostssl all certuser 127.0.0.1/32 cert
hostssl all all 127.0.0.1/32 scram-sha-256
host all postgres 127.0.0.1/32 scram-sha-256
HBA
}
PGTLS=$(free_port)
start_pg pgtls "$PGTLS" "-c ssl=on -c ssl_cert_file=$T/pgtls/server.crt -c ssl_key_file=$T/pgtls/server.key -c ssl_ca_file=$T/pgtls/ca.crt" tls_hba
# From here pg_sql talks to this server (start_pg set PG_PORT), over TLS.
PG_SSLMODE=require
pg_sql "CREATE ROLE sentry LOGIN PASSWORD 'sentry-pw'" &&
pg_sql "CREATE ROLE certuser LOGIN" &&
pg_sql "CREATE DATABASE sentry OWNER sentry" &&
pg_sql "CREATE DATABASE certdb OWNER certuser" || exit 1
CERTS=", client_cert: {file: $TLSD/client.crt}, client_key: {file: $TLSD/client.key}"

LIVE_EXTRA="tls: {ca_file: $TLSD/ca.crt}"
pg_answers "$PGTLS" sentry sentry ", sslmode: verify-full"
check
expect_true "verify-full with the private CA passes (exit $LIVE_STATUS)" test "$LIVE_STATUS" -eq 0
expect_said "$T/out" "over TLS; database \"sentry\"" "the login went over TLS"

LIVE_EXTRA="tls: {ca_file: $TLSD/other-ca.crt}"
pg_answers "$PGTLS" sentry sentry ", sslmode: verify-full"
check
expect_in "$T/out" "FAIL  PostgreSQL 127.0.0.1:$PGTLS: TLS failure" "another CA: the certificate is not trusted"

LIVE_EXTRA=
pg_answers "$PGTLS" sentry sentry ", sslmode: verify-full"
check
expect_in "$T/out" "FAIL  PostgreSQL 127.0.0.1:$PGTLS: TLS failure" "no CA given: verify-full fails"

# The client certificate: its CN (sentry) is not certuser, so the login is
# refused by name until pg_ident.conf maps the one to the other.
LIVE_EXTRA="tls: {ca_file: $TLSD/ca.crt}"
pg_answers "$PGTLS" certdb certuser ", sslmode: verify-full$CERTS"
check
expect_said "$T/out" "certificate authentication failed for user \"certuser\"" "the certificate reached the server (wrong CN)"
cat >"$T/pgtls/data/pg_ident.conf" <<IDENT
certmap sentry certuser
IDENT
sed -i 's|^hostssl all certuser 127.0.0.1/32 cert$|hostssl all certuser 127.0.0.1/32 cert map=certmap|' "$T/pgtls/data/pg_hba.conf"
chown postgres "$T/pgtls/data/pg_ident.conf"
pg_reload pgtls
check
expect_true "a client certificate logs in (exit $LIVE_STATUS)" test "$LIVE_STATUS" -eq 0
expect_said "$T/out" "over TLS; database \"certdb\"; user \"certuser\" may" "certificate login"
expect_true "no client key is left on disk" test -z "$(find "${TMPDIR:-/tmp}" -maxdepth 1 -name 'sentry-ha-setup-pg-*' 2>/dev/null)"
LIVE_EXTRA=

finish "live postgres"
