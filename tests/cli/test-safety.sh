#!/bin/sh
# Nothing lost, nothing half-written, and hostile input gets a clear error:
# the answers, the keys and files someone put in the output folder survive
# every run; the keys are saved before the output that depends on them;
# two runs at once agree on one set of keys; links are followed; killed
# runs leave nothing that lasts; FIFOs, NUL bytes, null list items, empty
# keys files and huge documents are refused at once, with a reason.
# Usage: tests/cli/test-safety.sh BINARY
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$ROOT/tests/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
export SHS_TEST_PG='pg pass'

# answers DIR [VERSION]: a complete answers file DIR/a.yaml (no keys yet).
answers() {
	mkdir -p "$1"
	sed -e "s/version: \"24.8.0\"/version: \"${2:-24.8.0}\"/" \
	    -e "s|{env: SENTRY_DEMO_PG_PASSWORD}|{env: SHS_TEST_PG}|" \
	    -e "s|{file: demo-redis-password.txt}|redis-pass|" \
	    "$ROOT/assets/demo/sentry-ha.yaml" >"$1/a.yaml"
}
# The secret key an output carries, and the one in a keys file.
out_key() { sed -n 's/^  secret-key: "\(.*\)"$/\1/p' "$1/kubernetes/secrets.yaml"; }
file_key() { sed -n 's/^secret_key: "\(.*\)"$/\1/p' "$1"; }

# 1. What must survive the output folder may not live in it.
answers "$T/in"
expect_status 0 "first run" -- "$BIN" generate -a "$T/in/a.yaml" -o "$T/in/out"
mv "$T/in/a.yaml" "$T/in/a.keys.yaml" "$T/in/out/"
expect_status 2 "answers inside the output" -- "$BIN" generate -a "$T/in/out/a.yaml" -o "$T/in/out"
expect_said "$T/err" "a.yaml is inside the output folder" "says why"
expect_true "the answers survive" test -s "$T/in/out/a.yaml"
expect_true "the keys survive" test -s "$T/in/out/a.keys.yaml"
mv "$T/in/out/a.yaml" "$T/in/out/a.keys.yaml" "$T/in/"
echo "my notes" >"$T/in/out/NOTES.md"
expect_status 3 "a file someone put in the output" -- "$BIN" generate -a "$T/in/a.yaml" -o "$T/in/out"
expect_said "$T/err" "holds a file that sentry-ha-setup did not write (NOTES.md)" "names the file"
expect_in "$T/in/out/NOTES.md" "my notes" "that file survives"
rm "$T/in/out/NOTES.md"
expect_status 0 "without it, the run goes on" -- "$BIN" generate -a "$T/in/a.yaml" -o "$T/in/out"

# 2. The keys are saved, durably, before the output; a run that cannot
# save them writes nothing, and one that saved them but not the output is
# retried with the same keys.
# limited BLOCKS COMMAND...: COMMAND may write files of BLOCKS blocks at
# most; what it says goes through a pipe (a file would be limited too).
limited() {
	blocks=$1; shift
	(trap '' XFSZ; ulimit -f "$blocks"; "$@"; echo "status $?") 2>&1 | cat >"$T/err"
	LIMITED=$(sed -n 's/^status //p' "$T/err")
}
answers "$T/keys0"
limited 0 "$BIN" generate -a "$T/keys0/a.yaml" -o "$T/keys0/out"
expect_true "no room for the keys: exit 3 (got $LIMITED)" test "$LIMITED" -eq 3
expect_said "$T/err" "a.keys.yaml: cannot write" "says the keys could not be written"
expect_true "no room for the keys: no output" test ! -e "$T/keys0/out"
answers "$T/keys1"
limited 4 "$BIN" generate -a "$T/keys1/a.yaml" -o "$T/keys1/out"
expect_true "room for the keys only: exit 3 (got $LIMITED)" test "$LIMITED" -eq 3
expect_true "room for the keys only: the keys are there" test -s "$T/keys1/a.keys.yaml"
expect_true "room for the keys only: no output" test ! -e "$T/keys1/out"
expect_status 0 "the retry" -- "$BIN" generate -a "$T/keys1/a.yaml" -o "$T/keys1/out"
expect_true "the retry uses the saved key" test "$(out_key "$T/keys1/out")" = "$(file_key "$T/keys1/a.keys.yaml")"

# 3. Two first runs at once: one set of keys, and the output carries it.
mismatch=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	answers "$T/race$i"
	"$BIN" generate -a "$T/race$i/a.yaml" -o "$T/race$i/out" >/dev/null 2>&1 &
	"$BIN" generate -a "$T/race$i/a.yaml" -o "$T/race$i/out" >/dev/null 2>&1
	wait
	[ "$(out_key "$T/race$i/out")" = "$(file_key "$T/race$i/a.keys.yaml")" ] ||
	    mismatch=$((mismatch + 1))
done
expect_true "two runs at once agree on the keys (10 races, $mismatch mismatched)" test "$mismatch" -eq 0

# 4. Links are followed: the link stays, what it points at is replaced.
answers "$T/link"
mkdir "$T/link/real"
ln -s real "$T/link/out"
expect_status 0 "an output folder that is a link" -- "$BIN" generate -a "$T/link/a.yaml" -o "$T/link/out"
expect_true "the link is still a link" test -L "$T/link/out"
expect_true "the output is in its target" test -f "$T/link/real/RUNBOOK.md"
expect_status 0 "again through the link" -- "$BIN" generate -a "$T/link/a.yaml" -o "$T/link/out"
expect_true "still a link" test -L "$T/link/out"
mkdir "$T/link/vault"
grep -v '^rpc_secret:' "$T/link/a.keys.yaml" >"$T/link/vault/keys.yaml"
chmod 600 "$T/link/vault/keys.yaml"
rm "$T/link/a.keys.yaml"
ln -s vault/keys.yaml "$T/link/a.keys.yaml"
expect_status 0 "a keys file that is a link, and lacks the RPC secret" -- \
    "$BIN" generate -a "$T/link/a.yaml" -o "$T/link/out"
expect_in "$T/out" "Generated the RPC secret into" "says exactly what was generated"
expect_not_in "$T/out" "Sentry secret key" "and nothing it did not generate"
expect_true "the keys link stays" test -L "$T/link/a.keys.yaml"
expect_in "$T/link/vault/keys.yaml" "rpc_secret:" "its target gained the RPC secret"
ln -s nowhere "$T/link/gone"
expect_status 3 "an output link to nothing" -- "$BIN" generate -a "$T/link/a.yaml" -o "$T/link/gone"
expect_said "$T/err" "a link to nothing" "says so"

# 5. A trailing slash, as tab completion writes it.
answers "$T/slash"
expect_status 0 "-o DIR/ on a new folder" -- "$BIN" generate -a "$T/slash/a.yaml" -o "$T/slash/out/"
expect_true "the folder was made" test -f "$T/slash/out/RUNBOOK.md"
sed -i 's/replicas: 3}/replicas: 5}/' "$T/slash/a.yaml"
expect_status 0 "-o DIR/ on an existing folder" -- "$BIN" generate -a "$T/slash/a.yaml" -o "$T/slash/out/"
expect_in "$T/slash/out/kubernetes/services/web.yaml" "replicas: 5" "the folder was updated"
expect_true "nothing left beside it" test "$(ls "$T/slash")" = "a.keys.yaml
a.yaml
out"

# 6. What killed runs left is removed, unless a live run holds it.
mkdir -p "$T/slash/out.new-AbC123" "$T/slash/out.new-HeLd99"
echo secret >"$T/slash/out.new-AbC123/secrets.yaml"
echo old >"$T/slash/a.keys.yaml.tmp-ZyX987"
flock "$T/slash/out.new-HeLd99" sleep 30 &
holder=$!
sleep 0.2
expect_status 0 "a run after killed ones" -- "$BIN" generate -a "$T/slash/a.yaml" -o "$T/slash/out"
expect_true "a killed run's staging folder is gone" test ! -e "$T/slash/out.new-AbC123"
expect_true "a held staging folder stays" test -d "$T/slash/out.new-HeLd99"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
rm -rf "$T/slash/out.new-HeLd99"
sed -i 's/replicas: 5}/replicas: 4}/' "$T/slash/a.yaml"
expect_status 0 "a run that writes the keys" -- "$BIN" generate -a "$T/slash/a.yaml" -o "$T/slash/out"
rm "$T/slash/a.keys.yaml"
expect_status 0 "a run that makes new keys" -- "$BIN" generate -a "$T/slash/a.yaml" -o "$T/slash/out"
expect_true "a killed run's temporary keys file is gone" test ! -e "$T/slash/a.keys.yaml.tmp-ZyX987"

# 7. The renames are synced: the folder that holds them is fsynced after.
if command -v strace >/dev/null 2>&1; then
	answers "$T/sync"
	strace -f -o "$T/trace" -e trace=openat,fsync,rename,renameat2 \
	    "$BIN" generate -a "$T/sync/a.yaml" -o "$T/sync/out" >/dev/null 2>&1
	expect_true "the output's parent is synced after the last rename" python3 -c '
import re, sys
lines = open(sys.argv[1]).read().splitlines()
parent = sys.argv[2]
last = max(i for i, l in enumerate(lines) if re.search(r"rename(at2)?\(.*%s/out\"" % re.escape(parent), l))
fds = set()
for l in lines[last:]:
    m = re.search(r"openat\(AT_FDCWD, \"%s\", O_RDONLY[^)]*O_DIRECTORY[^)]*\) = (\d+)" % re.escape(parent), l)
    if m: fds.add(m.group(1))
    m = re.search(r"fsync\((\d+)\) += 0", l)
    if m and m.group(1) in fds: sys.exit(0)
sys.exit(1)' "$T/trace" "$T/sync"
	expect_true "the keys file's folder is synced" grep -q "openat(AT_FDCWD, \"$T/sync\", O_RDONLY.*O_DIRECTORY" "$T/trace"
else
	echo "SKIP: strace is missing, so the folder syncs are not checked (make test installs it)"
	fail "strace missing"
fi

# 8. A null list item is an empty one: what it must hold is missing.
answers "$T/null"
for item in '~' 'null' '""'; do
	sed "s/^services:/hosts: [$item]\nservices:/" "$T/null/a.yaml" >"$T/null/h.yaml"
	expect_status 2 "hosts: [$item]" -- "$BIN" check --offline -a "$T/null/h.yaml"
	expect_status 2 "hosts: [$item], check --only ssh" -- "$BIN" check --only ssh -a "$T/null/h.yaml"
	expect_status 2 "hosts: [$item], generate --target swarm" -- "$BIN" generate --target swarm -a "$T/null/h.yaml" -o "$T/null/out"
done
sed "s/^services:/hosts: [~]\nservices:/" "$T/null/a.yaml" >"$T/null/h.yaml"
"$BIN" check --offline -a "$T/null/h.yaml" >"$T/out" 2>"$T/err"
expect_in "$T/err" "hosts[0].address: missing (required)" "says what the item lacks"
sed "s/^services:/hosts: [\"\"]\nservices:/" "$T/null/a.yaml" >"$T/null/h.yaml"
"$BIN" check --offline -a "$T/null/h.yaml" >"$T/out" 2>"$T/err"
expect_in "$T/err" "hosts[0]: expected a mapping of keys" "an empty string is no host"

# 9. A keys file that is empty, or only comments, is refused, not
# regenerated (which would log everybody out) and not a crash.
answers "$T/emptykeys"
for content in '' '# nothing here
'; do
	printf '%s' "$content" >"$T/emptykeys/a.keys.yaml"
	for cmd in "check --offline" "generate -o $T/emptykeys/out" "explain web"; do
		# shellcheck disable=SC2086
		expect_status 2 "keys file \"$content\": $cmd" -- "$BIN" $cmd -a "$T/emptykeys/a.yaml"
		expect_said "$T/err" "a.keys.yaml: the file is empty" "says the keys file is empty"
	done
	expect_true "the keys file is left as it was" test "$(cat "$T/emptykeys/a.keys.yaml")" = "$(printf '%s' "$content")"
done

# 10. A null element of a profile is refused with its place.
mkdir -p "$T/data"
cp -R "$ROOT/assets" "$ROOT/profiles" "$T/data/"
sed -i 's/^volumes:$/volumes:\n  broken: ~/' "$T/data/profiles/24.8.0.yaml"
SENTRY_HA_SETUP_DATA="$T/data" expect_status 2 "volumes: {v: ~} in a profile" -- "$BIN" profiles
expect_said "$T/err" "volumes.broken.kind: missing (required)" "names the element and what it lacks"
cp "$ROOT/profiles/24.8.0.yaml" "$T/data/profiles/"
sed -i 's/^topics:$/topics:\n  - ~/' "$T/data/profiles/24.8.0.yaml"
SENTRY_HA_SETUP_DATA="$T/data" expect_status 2 "topics: [~] in a profile" -- "$BIN" profiles
expect_said "$T/err" "topics[0].name: missing (required)" "names the element"

# 11. A FIFO is not a file: refused at once, never waited on.
answers "$T/fifo"
mkfifo "$T/fifo/pipe.yaml" "$T/fifo/pw"
expect_status 2 "-a FIFO" -- timeout 10 "$BIN" check --offline -a "$T/fifo/pipe.yaml"
expect_said "$T/err" "pipe.yaml: is a FIFO, expected a file" "says it is a FIFO"
sed -i 's|password: redis-pass|password: {file: pw}|' "$T/fifo/a.yaml"
expect_status 2 "{file: FIFO}" -- timeout 10 "$BIN" generate -a "$T/fifo/a.yaml" -o "$T/fifo/out"
expect_said "$T/err" "pw: is a FIFO, expected a file" "a password file that is a FIFO"

# 12. Big documents parse in linear time (the figures are in make bench);
# these would take minutes when quadratic.
python3 - "$T" <<'PY'
import sys
t = sys.argv[1]
with open(t + "/keys.yaml", "w") as f:
    f.write("schema: 1\nsentry:\n")
    for i in range(49000):
        f.write("  k%06d: 1\n" % i)
with open(t + "/long.yaml", "w") as f:
    f.write("schema: 1\nsentry:\n")
    for i in range(49000):
        f.write("  %s%06d: 1\n" % ("k" * 280, i))
with open(t + "/anchors.yaml", "w") as f:
    f.write("schema: 1\nx:\n")
    for i in range(40000):
        f.write("  a%d: &a%d %d\n" % (i, i, i))
    f.write("y:\n")
    for i in range(40000):
        f.write("  - *a%d\n" % i)
with open(t + "/list.yaml", "w") as f:
    f.write("schema: 1\nsentry: [" + ", ".join("1" for _ in range(100001)) + "]\n")
PY
for f in keys long anchors; do
	expect_status 2 "a mapping of 49k keys or 80k anchors ($f)" -- timeout 20 "$BIN" check --offline -a "$T/$f.yaml"
	expect_not_in "$T/err" "Killed" "$f is refused for its content, not its size"
done
expect_status 2 "a list of 100001 items" -- timeout 20 "$BIN" check --offline -a "$T/list.yaml"
expect_said "$T/err" "holds more than 100000 values" "a long list is not blamed on aliases"
expect_not_in "$T/err" "aliases" "no alias is blamed"

# 13. A NUL inside a quoted value would cut it short: refused.
answers "$T/nul"
sed -i 's|password: redis-pass|password: "redis\\0tail"|' "$T/nul/a.yaml"
expect_status 2 'password: "...\0..."' -- "$BIN" check --offline -a "$T/nul/a.yaml"
expect_said "$T/err" "a value may not contain a NUL character" "says why"

# 17. Wrong messages, put right.
expect_status 2 "--timeout 0.0001" -- "$BIN" check -a "$T/in/a.yaml" --timeout 0.0001
expect_said "$T/err" "expected a number of seconds from 0.001" "says the smallest timeout"
expect_status 1 "--timeout 0.001 on a closed port" -- "$BIN" check -a "$T/in/a.yaml" --only redis --timeout 0.001
expect_not_in "$T/out" "does not resolve" "an address is never \"does not resolve\""

# Answers that are not the operator's own (a pull request in CI) read
# {file:} secrets from the folder --secrets-from allows, and nowhere else.
answers "$T/pr"
mkdir "$T/pr/secrets"
echo "redis secret" >"$T/pr/secrets/redis.pw"
echo "not for you" >"$T/outside.pw"
ln -s ../../outside.pw "$T/pr/secrets/sneaky.pw"
sed -i 's|password: redis-pass|password: {file: secrets/redis.pw}|' "$T/pr/a.yaml"
expect_status 0 "a file inside --secrets-from" -- "$BIN" generate -a "$T/pr/a.yaml" -o "$T/pr/out" --secrets-from "$T/pr/secrets"
for bad in "$T/outside.pw" "../outside.pw" "secrets/../../outside.pw" "secrets/sneaky.pw"; do
	sed "s|{file: secrets/redis.pw}|{file: $bad}|" "$T/pr/a.yaml" >"$T/pr/b.yaml"
	expect_status 2 "{file: $bad} outside --secrets-from" -- "$BIN" generate -a "$T/pr/b.yaml" -o "$T/pr/out2" --secrets-from "$T/pr/secrets"
	expect_said "$T/err" "redis.password: {file: $bad} is outside" "says which secret"
	expect_true "nothing written for {file: $bad}" test ! -e "$T/pr/out2"
	expect_status 2 "check: {file: $bad} outside --secrets-from" -- "$BIN" check --only redis --timeout 1 -a "$T/pr/b.yaml" --secrets-from "$T/pr/secrets"
done
expect_status 0 "check --offline reads no secret at all" -- "$BIN" check --offline -a "$T/pr/b.yaml"

finish "nothing lost"
