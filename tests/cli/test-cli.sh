#!/bin/sh
# The command line as an operator meets it: help, errors, exit codes, and a
# generate run that writes everything or nothing.
# Usage: tests/cli/test-cli.sh BINARY
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$ROOT/tests/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM

answers() {	# answers VERSION > file
	sed -e "s/version: \"24.8.0\"/version: \"$1\"/" \
	    -e "s|{env: SENTRY_DEMO_PG_PASSWORD}|{env: SHS_TEST_PG}|" \
	    -e "s|{file: demo-redis-password.txt}|{file: redis.pw}|" \
	    -e '/events-consumer:/d' -e '/worker:/d' \
	    "$ROOT/assets/demo/sentry-ha.yaml"
}
printf 'redis pw\n' >"$T/redis.pw"
export SHS_TEST_PG='pg: pass'

# Help and version.
expect_status 0 "--help" -- "$BIN" --help
expect_in "$T/out" "generate" "--help lists generate"
expect_in "$T/out" "profiles" "--help lists profiles"
expect_not_in "$T/out" "upgrade" "--help lists only commands that exist"
expect_status 0 "--version" -- "$BIN" --version
expect_in "$T/out" "sentry-ha-setup 0." "--version"
expect_status 0 "generate --help" -- "$BIN" generate --help
expect_in "$T/out" "--answers FILE" "generate --help names -a"
expect_in "$T/out" "Exit status" "generate --help gives exit codes"
expect_status 2 "no command" -- "$BIN"
expect_status 2 "unknown command" -- "$BIN" generat
expect_in "$T/err" 'unknown command "generat" (did you mean "generate"?)' "command suggestion"
expect_status 2 "unknown option" -- "$BIN" generate --outptu x
expect_in "$T/err" "unknown option --outptu (did you mean --output?)" "option suggestion"
expect_status 2 "missing option value" -- "$BIN" generate -a
expect_in "$T/err" "--answers needs a value" "missing value"

# profiles
expect_status 0 "profiles" -- "$BIN" profiles
expect_in "$T/out" "24.8.0    50        yes" "profiles shows 24.8.0 as a hard stop"
expect_in "$T/out" "26.8.0" "profiles lists 26.8.0"
expect_in "$T/out" "10.1.0" "profiles lists the seed release"

# A good run for every release.
for v in 10.1.0 24.8.0 26.8.0; do
	answers "$v" >"$T/a-$v.yaml"
	expect_status 0 "generate $v" -- "$BIN" generate -a "$T/a-$v.yaml" -o "$T/out-$v"
	expect_in "$T/out" "Wrote $T/out-$v/ for Sentry $v" "summary names the output ($v)"
	expect_true "RUNBOOK.md ($v)" test -s "$T/out-$v/RUNBOOK.md"
	expect_true "marker ($v)" test -f "$T/out-$v/.sentry-ha-setup"
	expect_true "kustomization ($v)" test -f "$T/out-$v/kubernetes/kustomization.yaml"
	expect_true "secrets are 0600 ($v)" test "$(stat -c %a "$T/out-$v/kubernetes/secrets.yaml")" = 600
	expect_true "keys file is 0600 ($v)" test "$(stat -c %a "$T/a-$v.keys.yaml")" = 600
	expect_not_in "$T/out-$v/kubernetes/config.yaml" "pg: pass" "no password in the ConfigMap ($v)"
done
expect_in "$T/out" "Generated the Sentry secret key" "first run reports the new keys"

# The same answers give the same bytes; the keys are reused.
cp -r "$T/out-24.8.0" "$T/first"
expect_status 0 "second run" -- "$BIN" generate -a "$T/a-24.8.0.yaml" -o "$T/out-24.8.0"
expect_true "byte-identical output" diff -r "$T/first" "$T/out-24.8.0"
expect_not_in "$T/out" "Generated the Sentry secret key" "second run reuses the keys"
expect_true "no staging folders left" test -z "$(ls -d "$T"/out-24.8.0.* 2>/dev/null)"

# Bad answers: exit 2, a precise message, and nothing written.
sed 's/port: 5432/port: 70000/' "$T/a-24.8.0.yaml" >"$T/bad.yaml"
expect_status 2 "bad port" -- "$BIN" generate -a "$T/bad.yaml" -o "$T/bad-out"
expect_in "$T/err" "bad.yaml:19:9: postgres.port: expected an integer from 1 to 65535, got 70000" "port message"
expect_true "nothing written for bad answers" test ! -e "$T/bad-out"
expect_true "no keys written for bad answers" test ! -e "$T/bad.keys.yaml"

sed 's/version: "24.8.0"/version: "24.8.1"/' "$T/a-24.8.0.yaml" >"$T/rel.yaml"
expect_status 2 "unknown release" -- "$BIN" generate -a "$T/rel.yaml" -o "$T/rel-out"
expect_in "$T/err" 'sentry.version: no profile for Sentry "24.8.1" (did you mean "24.8.0"?); known releases: 10.1.0, 24.8.0, 26.8.0' "release message"
expect_true "nothing written for an unknown release" test ! -e "$T/rel-out"

env -u SHS_TEST_PG "$BIN" generate -a "$T/a-24.8.0.yaml" -o "$T/env-out" >"$T/out" 2>"$T/err"
expect_true "missing secret variable exits 2" test $? -eq 2
expect_in "$T/err" "postgres.password: the environment variable SHS_TEST_PG is not set" "env message"
expect_true "nothing written without the secret" test ! -e "$T/env-out"

expect_status 2 "missing answers file" -- "$BIN" generate -a "$T/none.yaml" -o "$T/x"
expect_in "$T/err" "none.yaml: cannot open" "missing file message"
expect_status 2 "unsupported target" -- "$BIN" generate -a "$T/a-24.8.0.yaml" --target swarm -o "$T/x"
expect_in "$T/err" "--target swarm: expected kubernetes" "target message"

# A folder that is not ours is never replaced.
mkdir -p "$T/precious" && echo keep >"$T/precious/notes.txt"
expect_status 2 "foreign output folder" -- "$BIN" generate -a "$T/a-24.8.0.yaml" -o "$T/precious"
expect_in "$T/err" "was not written by sentry-ha-setup" "foreign folder message"
expect_in "$T/precious/notes.txt" "keep" "foreign folder untouched"

finish "cli"
