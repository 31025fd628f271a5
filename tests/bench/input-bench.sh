#!/bin/sh
# make bench: what hostile input costs. The time `check --offline` takes to
# refuse documents built to be slow to read (a mapping of 49,000 keys, the
# same with 286-character keys near the 16 MiB limit, 40,000 anchors with
# 40,000 aliases; each took 9 to 32 s when duplicate keys and aliases were
# looked up by scanning), and the figures of a `generate` killed with
# SIGKILL over and over.
# Usage: tests/bench/input-bench.sh BINARY
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM

python3 - "$T" <<'PY'
import sys
t = sys.argv[1]
def write(name, lines):
    with open("%s/%s.yaml" % (t, name), "w") as f:
        f.write("schema: 1\n")
        f.writelines(lines)
write("keys-49k", ["sentry:\n"] + ["  k%06d: 1\n" % i for i in range(49000)])
write("long-keys-14MB", ["sentry:\n"] + ["  %s%06d: 1\n" % ("k" * 280, i) for i in range(49000)])
write("anchors-40k", ["x:\n"] + ["  a%d: &a%d %d\n" % (i, i, i) for i in range(40000)]
      + ["y:\n"] + ["  - *a%d\n" % i for i in range(40000)])
PY
for f in keys-49k long-keys-14MB anchors-40k; do
	size=$(du -k "$T/$f.yaml" | cut -f1)
	t0=$(date +%s%N)
	"$BIN" check --offline -a "$T/$f.yaml" >/dev/null 2>&1
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	printf 'input: %-16s %6d KiB  refused in %5d ms\n' "$f" "$size" "$ms"
done
"$ROOT/tests/cli/test-kill.sh" "$BIN" 100 | sed -n 's/^  \([0-9]* kills\)/kill -9: \1/p'
