# Shared by the shell tests: assertions that count and report.
# Each test script sources this, calls `ok`/`fail` through the helpers and
# ends with `finish`, which prints "NAME: N passed, M failed".

passed=0
failed=0

ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); printf 'FAIL %s\n' "$*"; }

# expect_status WANT DESCRIPTION -- command...
expect_status() {
	want=$1; what=$2; shift 3
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok; else
		fail "$what: exit $got, expected $want"; sed 's/^/    /' "$T/err" | head -5
	fi
}

# expect_in FILE TEXT DESCRIPTION
expect_in() {
	if grep -qF -- "$2" "$1"; then ok; else
		fail "$3: \"$2\" not in $1"; sed 's/^/    /' "$1" | head -8
	fi
}

# expect_said FILE TEXT DESCRIPTION: like expect_in, across wrapped lines.
expect_said() {
	if tr -s ' \n' '  ' <"$1" | grep -qF -- "$2"; then ok; else
		fail "$3: \"$2\" not said in $1"; sed 's/^/    /' "$1" | head -8
	fi
}

expect_not_in() {
	if grep -qF -- "$2" "$1"; then fail "$3: \"$2\" found in $1"; else ok; fi
}

expect_true() {
	what=$1; shift
	if "$@"; then ok; else fail "$what"; fi
}

finish() {
	printf '%s: %d passed, %d failed\n' "$1" "$passed" "$failed"
	[ "$failed" -eq 0 ]
}
