#!/bin/sh
# The man page cannot drift from the program: every command of --help has a
# section, every option that a command's --help lists is in that section
# with its letter and its argument, every key of the demo answers is in THE
# ANSWERS FILE, the version is the program's; and it renders without a
# warning (groff -ww, man -l, mandoc -Tlint where installed).
# Usage: tests/install/test-man.sh BINARY [MAN-PAGE]
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
MAN=${2:-$ROOT/assets/man/sentry-ha-setup.1}
. "$ROOT/tests/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM

# The page as a reader sees it, in plain ASCII (no bold, no hyphen signs),
# each paragraph on one line (so that no word is hyphenated).
case $MAN in
*.gz) gzip -dc "$MAN" >"$T/page.1" ;;
*) cp "$MAN" "$T/page.1" ;;
esac
if ! command -v groff >/dev/null 2>&1; then
	fail "groff is not installed (Debian: groff-base; make test-deps)"
	finish "man page"
	exit
fi
expect_status 0 "groff -man -Tutf8 -ww" -- groff -man -Tutf8 -ww -z "$T/page.1"
expect_true "groff -man -Tutf8 -ww: no warning" test ! -s "$T/err"
sed 's/^/    /' "$T/err" | head -10
expect_status 0 "groff renders the page as text" -- \
    groff -man -Tascii -P-cbou -rLL=3000n -ww "$T/page.1"
cp "$T/out" "$T/text"

# section NAME: the rendered section (an .SS within COMMANDS, or an .SH).
section() {
	awk -v name="$1" '
	    $0 == "   " name || $0 == name { on = 1; next }
	    on && (/^   [^ ]/ || /^[^ ]/) { exit }
	    on' "$T/text"
}
# options FILE: the left column of every option line of a --help.
options() {
	sed -n 's/^  *\(-[a-zA-Z], \)\{0,1\}\(--[a-z][a-z-]*\)/\1\2/p' "$1" |
	    sed 's/  .*//'
}
# expect_option SECTION-FILE LEFT WHAT: a tag line starts with LEFT.
expect_option() {
	if awk -v want="$2" '{ sub(/^ +/, "") }
	    $0 == want || index($0, want " ") == 1 { found = 1 }
	    END { exit !found }' "$1"; then ok; else
		fail "$3: \"$2\" is not an option of the man page's section"
	fi
}

# The commands, and each one's options.
"$BIN" --help >"$T/help"
commands=$(sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p' "$T/help")
expect_true "--help lists commands" test -n "$commands"
total=0
for c in $commands; do
	section "$c" >"$T/sec-$c"
	expect_true "the man page has a section for $c" test -s "$T/sec-$c"
	"$BIN" "$c" --help >"$T/help-$c" 2>&1
	n=0
	options "$T/help-$c" >"$T/opts-$c"
	while IFS= read -r left; do
		n=$((n + 1))
		expect_option "$T/sec-$c" "$left" "$c $left"
	done <"$T/opts-$c"
	total=$((total + n))
	# The synopsis of the section is the usage line's options.
	sed -n 's/^Usage: //p' "$T/help-$c" | grep -o -- '--[a-z][a-z-]*' |
	    while IFS= read -r o; do
		grep -qF -- "$o" "$T/sec-$c" || echo "$o"
	    done >"$T/missing-$c"
	expect_true "every option of $c's usage is in its section" \
	    test ! -s "$T/missing-$c"
done
expect_true "the commands' --help list options ($total)" test "$total" -gt 20
section "--help, --version" >"$T/sec-top"
options "$T/help" >"$T/opts-top"
while IFS= read -r left; do
	expect_option "$T/sec-top" "$left" "sentry-ha-setup $left"
done <"$T/opts-top"
expect_in "$T/opts-top" "--version" "--help lists --version"
expect_in "$T/text" "SYNOPSIS" "a synopsis"
for c in $commands; do
	section SYNOPSIS | grep -q "sentry-ha-setup $c" && ok ||
	    { [ "$c" = wizard ] && section SYNOPSIS | grep -qF "[wizard" && ok; } ||
	    fail "the synopsis names $c"
done

# The answers file: every key of the demo answers (the service names under
# services: are not keys).
section "THE ANSWERS FILE" >"$T/answers"
awk '/^[a-z]/ { under = ($1 == "services:") }
    (!under || /^[a-z]/) && match($0, /^ *[a-z_]+:/) {
	    k = substr($0, 1, RLENGTH - 1); sub(/^ */, "", k); print k }' \
    "$ROOT/assets/demo/sentry-ha.yaml" | sort -u >"$T/keys"
expect_true "the demo answers have keys" test "$(wc -l <"$T/keys")" -gt 30
while IFS= read -r k; do
	expect_said "$T/answers" "$k" "THE ANSWERS FILE names $k"
done <"$T/keys"
for k in s3 gcs shared_volume nfs sshfs hostpath tls ca_file geoip hosts roles zookeeper \
    client_cert client_key replicas; do
	expect_said "$T/answers" "$k" "THE ANSWERS FILE names $k"
done

# The files beside the answers, the environment, the exit codes.
section FILES >"$T/files"
for f in NAME.keys.yaml NAME.yaml.wizard NAME.yaml.upgrade NAME.yaml.bak \
    .sentry-ha-setup DATADIR/profiles/ DATADIR/assets/; do
	expect_in "$T/files" "$f" "FILES names $f"
done
section ENVIRONMENT >"$T/env"
for v in SENTRY_HA_SETUP_DATA NO_COLOR SSL_CERT_FILE; do
	expect_in "$T/env" "$v" "ENVIRONMENT names $v"
done
section "EXIT STATUS" >"$T/exit"
for s in 0 1 2 3 130; do
	expect_true "EXIT STATUS gives $s" grep -qE "^       $s +[A-Z]" "$T/exit"
done

# The version is the program's.
version=$("$BIN" --version | sed 's/^sentry-ha-setup //')
expect_true "the page's .TH gives version $version" \
    grep -q "^\.TH SENTRY-HA-SETUP 1 [0-9-]* \"sentry-ha-setup $version\"" "$T/page.1"

# man -l (man-db) renders it, through groff, with its warnings on.
if command -v man >/dev/null 2>&1; then
	expect_status 0 "man -l" -- env MANWIDTH=80 MAN_KEEP_FORMATTING= \
	    man --warnings -l "$MAN"
	expect_in "$T/out" "SENTRY-HA-SETUP(1)" "man -l renders the page"
	expect_true "man --warnings -l: no warning" test ! -s "$T/err"
	sed 's/^/    /' "$T/err" | head -10
fi
# mandoc's lint is stricter than groff's (style included).
if command -v mandoc >/dev/null 2>&1; then
	expect_status 0 "mandoc -Tlint" -- mandoc -Tlint "$T/page.1"
	expect_true "mandoc -Tlint: no message" test ! -s "$T/out" -a ! -s "$T/err"
	sed 's/^/    /' "$T/out" "$T/err" | head -10
else
	echo "(mandoc is not installed: its lint is skipped; Debian: mandoc)"
fi

finish "man page"
