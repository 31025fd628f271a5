#!/bin/sh
# The bash completion, called as bash calls it (COMP_WORDS, COMP_CWORD),
# against the binary it completes for: the commands and each command's
# options are exactly those of --help, --to the releases of `profiles`,
# --only the checks `check` knows, explain the rule ids and the services of
# the answers, and files and folders where an option takes them.
# Usage: tests/install/test-completion.sh BINARY [COMPLETION-FILE]
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
COMP=${2:-$ROOT/assets/completion/sentry-ha-setup.bash}
COMP=$(cd "$(dirname "$COMP")" && pwd)/$(basename "$COMP")
. "$ROOT/tests/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM

if ! command -v bash >/dev/null 2>&1; then
	fail "bash is not installed"
	finish "bash completion"
	exit
fi

# complete WORD...: COMPREPLY for the last word, one a line, sorted, into
# $T/got; the binary is the first word, as on a command line. Run in $T/cwd
# in a bash of its own that has only the completion file loaded.
complete_words() {
	(cd "$T/cwd" && bash --norc --noprofile -c '
	    . "$1" || exit 9
	    shift
	    complete -p sentry-ha-setup >/dev/null || exit 8
	    COMP_WORDS=("$@")
	    COMP_CWORD=$(($# - 1))
	    COMP_LINE="$*"
	    COMP_POINT=${#COMP_LINE}
	    _sentry_ha_setup
	    rc=$?
	    [ ${#COMPREPLY[@]} -gt 0 ] && printf "%s\n" "${COMPREPLY[@]}"
	    exit $rc' _ "$COMP" "$BIN" "$@") 2>"$T/cerr" | LC_ALL=C sort >"$T/got"
}
# expect_reply WHAT WANT-FILE WORD...: COMPREPLY is exactly WANT-FILE.
expect_reply() {
	what=$1 want=$2
	shift 2
	complete_words "$@"
	LC_ALL=C sort "$want" >"$T/want"
	if cmp -s "$T/want" "$T/got" && [ ! -s "$T/cerr" ]; then ok; else
		fail "$what: completing \"$*\""
		diff "$T/want" "$T/got" | sed 's/^/    /' | head -10
		sed 's/^/    stderr: /' "$T/cerr" | head -5
	fi
}
words() { printf '%s\n' "$@" >"$T/words"; }
none() { : >"$T/words"; }

mkdir -p "$T/cwd/out dir" "$T/cwd/secrets"
cp "$ROOT/assets/demo/sentry-ha.yaml" "$T/cwd/demo.yaml"
: >"$T/cwd/other.yml"
: >"$T/cwd/notes.txt"

# The commands are those of --help.
"$BIN" --help >"$T/help"
sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p' "$T/help" >"$T/commands"
expect_true "--help lists eight commands" test "$(wc -l <"$T/commands")" -eq 8
expect_reply "the commands" "$T/commands" ""
words generate
expect_reply "a command's start" "$T/words" gen
words --help --version
expect_reply "the top-level options" "$T/words" -
none
expect_reply "no word for an unknown command" "$T/words" frobnicate ""

# Each command's options are exactly those of its --help.
while IFS= read -r c; do
	"$BIN" "$c" --help >"$T/help-$c"
	{ sed -n 's/^  *\(-[a-zA-Z], \)\{0,1\}\(--[a-z][a-z-]*\).*/\1\2/p' \
	    "$T/help-$c" | tr -s ', ' '\n\n'; echo -h; echo --help; } |
	    grep . | LC_ALL=C sort -u >"$T/opts-$c"
	expect_reply "$c: the options of $c --help" "$T/opts-$c" "$c" -
	grep -- '^--' "$T/opts-$c" >"$T/long-$c"
	expect_reply "$c: the long options of $c --help" "$T/long-$c" "$c" --
done <"$T/commands"

# Values.
words kubernetes swarm
expect_reply "--target" "$T/words" generate --target ""
words swarm
expect_reply "--target s" "$T/words" generate --target s
expect_reply "--target=s (= breaks words)" "$T/words" generate --target = s
words --target=swarm
expect_reply "--target=s (= in the word)" "$T/words" generate --target=s
"$BIN" profiles | awk 'NR > 1 { print $1 }' >"$T/releases"
expect_true "profiles lists releases" test "$(wc -l <"$T/releases")" -ge 9
expect_reply "--to: the releases of profiles" "$T/releases" upgrade --to ""
grep '^26\.' "$T/releases" >"$T/r26"
expect_reply "--to 26." "$T/r26" upgrade -a demo.yaml --to 26.
"$BIN" check --only , 2>&1 | sed -n 's/.*expected some of \(.*\), comma-separated$/\1/p' |
    tr -s ', ' '\n\n' >"$T/checks"
expect_true "check names its checks" test "$(wc -l <"$T/checks")" -ge 10
expect_reply "--only: the checks of check" "$T/checks" check --only ""
words postgres,redis postgres,registry
expect_reply "--only: the last item of a list" "$T/words" check --only postgres,re
none
expect_reply "--timeout takes a number" "$T/words" check --timeout ""
expect_reply "--jobs takes a number" "$T/words" check -j ""

# Files and folders.
words "out dir" secrets demo.yaml other.yml
expect_reply "-a: answers files and folders" "$T/words" generate -a ""
expect_reply "--answers: answers files and folders" "$T/words" check --answers ""
words demo.yaml
expect_reply "-a d" "$T/words" wizard -a d
words "out dir" secrets
expect_reply "-o: folders" "$T/words" generate -o ""
expect_reply "--output: folders" "$T/words" upgrade --output ""
expect_reply "--secrets-from: folders" "$T/words" check --secrets-from ""

# explain: the rule ids, and the services of the answers.
"$BIN" explain | awk '/^  [a-z]/ { print $1 }' >"$T/rules"
expect_true "explain lists rules" test "$(wc -l <"$T/rules")" -ge 20
expect_reply "explain without answers: the rules" "$T/rules" explain ""
"$BIN" explain --names -a "$T/cwd/demo.yaml" >"$T/names"
expect_true "explain --names: the rules first" \
    test "$(head -n "$(wc -l <"$T/rules")" "$T/names" | LC_ALL=C sort)" = \
    "$(LC_ALL=C sort "$T/rules")"
tail -n +"$(($(wc -l <"$T/rules") + 1))" "$T/names" >"$T/services"
expect_true "explain --names: then the services" test "$(wc -l <"$T/services")" -ge 40
for s in web worker cron relay snuba-api events-consumer; do
	expect_in "$T/services" "$s" "the services of the demo include $s"
done
# Every name offered is one that explain takes.
bad=""
while IFS= read -r s; do
	"$BIN" explain "$s" -a "$T/cwd/demo.yaml" >/dev/null 2>&1 || bad="$bad $s"
done <"$T/services"
expect_true "explain takes every service offered:$bad" test -z "$bad"
expect_status 0 "explain --names with no answers" -- "$BIN" explain --names -a "$T/none.yaml"
expect_true "explain --names with no answers: the rules only" cmp -s "$T/out" "$T/rules"
expect_true "explain --names with no answers: silent" test ! -s "$T/err"
expect_status 0 "explain --help" -- "$BIN" explain --help
expect_not_in "$T/out" "--names" "--names is hidden from explain --help"
expect_status 2 "a hidden option is not suggested" -- "$BIN" explain --nam
expect_not_in "$T/err" "did you mean" "no suggestion of --names"

cat "$T/rules" "$T/services" >"$T/all"
expect_reply "explain -a FILE: the rules and the services" "$T/all" explain -a demo.yaml ""
expect_reply "explain --answers=FILE (= breaks words)" "$T/all" \
    explain --answers = demo.yaml ""
expect_reply "explain --answers=FILE" "$T/all" explain --answers=demo.yaml ""
expect_reply "explain -aFILE" "$T/all" explain -ademo.yaml ""
grep '^snuba-' "$T/all" >"$T/snuba"
expect_true "names that start with snuba-" test -s "$T/snuba"
expect_reply "explain snuba-" "$T/snuba" explain -a demo.yaml snuba-
(cd "$T/cwd" && cp demo.yaml sentry-ha.yaml)
expect_reply "explain: the default answers ./sentry-ha.yaml" "$T/all" explain ""
rm "$T/cwd/sentry-ha.yaml"
none
expect_reply "explain takes one name" "$T/words" explain -a demo.yaml web ""
words --answers
expect_reply "explain --a" "$T/words" explain web --a

finish "bash completion"
