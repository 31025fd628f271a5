#!/bin/sh
# generate killed with SIGKILL at every moment of its run, again and again,
# from a first run (no keys yet) on, alternating two answers: afterwards the
# output folder is always missing or one of the two complete trees, never a
# mix; whenever it exists, the keys file beside the answers holds its secret
# key; the keys file is always whole. A clean run at the end leaves nothing
# of the killed ones behind.
# Usage: tests/cli/test-kill.sh BINARY [KILLS]
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
KILLS=${2:-200}
. "$ROOT/tests/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
export SHS_TEST_PG='pg pass'

sed -e "s|{env: SENTRY_DEMO_PG_PASSWORD}|{env: SHS_TEST_PG}|" \
    -e "s|{file: demo-redis-password.txt}|redis-pass|" \
    "$ROOT/assets/demo/sentry-ha.yaml" >"$T/three.yaml"
sed 's/replicas: 3}/replicas: 5}/' "$T/three.yaml" >"$T/five.yaml"
mkdir "$T/k"

# tree DIR: every file with its mode, then with its content's digest.
tree() { (cd "$1" && find . -type f -printf '%p %m\n' | LC_ALL=C sort &&
    find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum); }
out_key() { sed -n 's/^  secret-key: "\(.*\)"$/\1/p' "$1/kubernetes/secrets.yaml"; }
file_key() { sed -n 's/^secret_key: "\(.*\)"$/\1/p' "$1"; }
# A delay from 0 to 150 ms: the whole run takes about 100 ms.
delay() { echo "0.$(printf '%03d' $(( $(od -An -N2 -tu2 /dev/urandom) % 150 )))"; }

mixed=0 unkeyed=0 broken=0 completed=0 refs=""
for i in $(seq 1 "$KILLS"); do
	if [ $((i % 2)) -eq 0 ]; then cp "$T/five.yaml" "$T/k/a.yaml"; else cp "$T/three.yaml" "$T/k/a.yaml"; fi
	# Relative paths, as the runbook names the answers file.
	(cd "$T/k" && exec "$BIN" generate -a a.yaml -o out) >/dev/null 2>&1 &
	pid=$!
	sleep "$(delay)"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null && completed=$((completed + 1))
	if [ -e "$T/k/a.keys.yaml" ] &&
	    ! "$BIN" check --offline -a "$T/k/a.yaml" >/dev/null 2>"$T/err" &&
	    grep -q "keys.yaml" "$T/err"; then
		broken=$((broken + 1))
	fi
	[ -d "$T/k/out" ] || continue
	if [ "$(out_key "$T/k/out")" != "$(file_key "$T/k/a.keys.yaml" 2>/dev/null)" ]; then
		unkeyed=$((unkeyed + 1))
	fi
	# The two complete trees, once the keys exist (they do not change).
	if [ -z "$refs" ]; then
		for v in three five; do
			mkdir "$T/ref-$v"
			cp "$T/$v.yaml" "$T/ref-$v/a.yaml"
			cp "$T/k/a.keys.yaml" "$T/ref-$v/a.keys.yaml"
			(cd "$T/ref-$v" && "$BIN" generate -a a.yaml -o out) >/dev/null 2>&1
			tree "$T/ref-$v/out" >"$T/ref-$v.tree"
		done
		refs=yes
	fi
	tree "$T/k/out" >"$T/now.tree"
	cmp -s "$T/now.tree" "$T/ref-three.tree" || cmp -s "$T/now.tree" "$T/ref-five.tree" ||
	    mixed=$((mixed + 1))
done
expect_true "every output is one whole tree ($mixed of $KILLS were not)" test "$mixed" -eq 0
expect_true "every output's key is in the keys file ($unkeyed of $KILLS were not)" test "$unkeyed" -eq 0
expect_true "the keys file is always whole ($broken of $KILLS were not)" test "$broken" -eq 0
expect_true "the kills hit runs at work ($completed of $KILLS finished anyway)" test "$completed" -lt "$KILLS"
expect_status 0 "a clean run after the kills" -- "$BIN" generate -a "$T/k/a.yaml" -o "$T/k/out"
expect_true "nothing of the killed runs is left" test -z "$(ls -A "$T/k" | grep -v '^a.yaml$\|^a.keys.yaml$\|^out$')"
printf '  %d kills, %d runs finished before their kill, every output whole and keyed\n' \
    "$KILLS" "$completed"
finish "killed runs"
