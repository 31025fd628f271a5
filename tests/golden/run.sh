#!/bin/sh
# Golden output: for every answers file under tests/golden/answers/, what
# `generate`, `check --offline` (text and JSON) and `explain SERVICE` print
# and every file generate writes (with its mode), compared byte for byte
# with tests/golden/expected/NAME.txt. A refactoring must leave them all
# as they are; a change of the output on purpose updates them (--update)
# and shows in the diff of the commit.
# Usage: tests/golden/run.sh BINARY [--update]
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
UPDATE=${2:-}
. "$ROOT/tests/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
G=$ROOT/tests/golden
export SHS_GOLDEN_PG='golden pg pass' SENTRY_DEMO_PG_PASSWORD='demo-only'

# Services whose explanation is kept: one of each kind that exists.
EXPLAIN="web relay snuba-api worker taskbroker cron events-consumer nginx"

run() {	# run COMMAND... : the command line, what it printed, its status
	printf '$ sentry-ha-setup %s\n' "$*"
	"$BIN" "$@" 2>&1
	printf '[exit %d]\n\n' $?
}

render() {	# render NAME: everything the golden file holds, on stdout
	name=$1
	run generate -a "$name.yaml" -o out
	run check --offline -a "$name.yaml"
	run check --offline --json -a "$name.yaml"
	for s in $EXPLAIN; do	# the ones this release has
		"$BIN" explain "$s" -a "$name.yaml" >/dev/null 2>&1 &&
		    run explain "$s" -a "$name.yaml"
	done
	[ -d out ] && find out -type f | LC_ALL=C sort | while read -r f; do
		printf '==> %s (%s) <==\n' "$f" "$(stat -c %a "$f")"
		cat "$f"
		printf '\n'
	done
}

for a in "$G"/answers/*.yaml; do
	name=$(basename "$a" .yaml)
	w=$T/$name
	mkdir -p "$w"
	cp "$G"/answers/* "$w/"
	cp "$ROOT/tests/data/keys-fixture.yaml" "$w/$name.keys.yaml"
	(
		cd "$w" || exit 1
		render "$name" >"$T/$name.txt"
	)
	if [ "$UPDATE" = --update ]; then
		cp "$T/$name.txt" "$G/expected/$name.txt"
		ok
	elif cmp -s "$T/$name.txt" "$G/expected/$name.txt"; then
		ok
	else
		fail "$name: the output differs from tests/golden/expected/$name.txt"
		diff -u "$G/expected/$name.txt" "$T/$name.txt" | head -40 | sed 's/^/    /'
	fi
done
# The comparison must be able to fail.
if [ "$UPDATE" != --update ]; then
	sed '1s/^/x/' "$G/expected/k8s-demo-24.8.0.txt" >"$T/changed.txt"
	if cmp -s "$T/changed.txt" "$G/expected/k8s-demo-24.8.0.txt"; then
		fail "a changed golden file compares equal"; else ok; fi
fi
finish "golden output ($(ls "$G"/answers/*.yaml | wc -l) answers files)"
