#!/bin/sh
# The layering check passes on the tree as it is, and fails, naming the
# file, on a copy with a breach of each kind it guards against.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM

if "$ROOT/tests/check-layers.sh" "$ROOT" >"$T/out" 2>&1; then ok; else
	fail "the tree breaks its layers:"; sed 's/^/    /' "$T/out"
fi

breach() {	# breach FILE LINE EXPECTED-TEXT
	rm -rf "$T/tree"; mkdir -p "$T/tree"
	cp -R "$ROOT/src" "$ROOT/tests" "$T/tree/"
	printf '%s\n' "$2" >>"$T/tree/$1"
	if "$T/tree/tests/check-layers.sh" "$T/tree" >"$T/out" 2>&1; then
		fail "not caught: $2 in $1"
	else
		expect_in "$T/out" "$3" "$2 in $1"
	fi
}
breach src/emit/k8s_emit.c '#include "answers.h"' "src/emit/k8s_emit.c: includes answers.h: emit reads the plan"
breach src/probes/probe_redis.c '#include "answers.h"' "src/probes/probe_redis.c: includes answers.h"
breach src/plan/plan.c '#include "wiz.h"' "src/plan/plan.c: includes wiz.h (wiz): layer plan may use only"
breach src/probes/probe.c '#include "k8s.h"' "src/probes/probe.c: includes k8s.h (emit)"
breach src/base/xmem.c '#include <curses.h>' "src/base/xmem.c: includes curses"
breach src/input/yparse.c '#include "nowhere.h"' "includes nowhere.h, which is in no layer"
finish "layers"
