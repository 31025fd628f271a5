#!/bin/sh
# Golden screens, as tmux's regress/ does: each key script under
# tests/e2e/screens/ drives the real wizard in tmux, and every `snap` in it
# compares the whole pane with NAME.N.txt there, exactly.
# Usage: tests/e2e/test-screens.sh BINARY [--update]
#
# A script's lines:
#   answers demo|installed|empty  the answers it starts on (demo:
#                           assets/demo/; installed: the demo generated
#                           once, so that its keys file is beside it)
#   env NAME=VALUE          for the wizard (TERM=xterm, LANG=C, NO_COLOR=1)
#   size COLSxROWS          the pane (80x24 unless said)
#   keys KEY...             tmux key names, one at a time
#   text TEXT               typed literally
#   choose VALUE            Right on the focused choice until it shows VALUE
#   wait TEXT               until the pane shows TEXT
#   resize COLSxROWS        the pane changes size
#   snap                    compare the pane with the next NAME.N.txt
#   signal SIG              sends SIG to the wizard, waits for it to end
#   restart                 starts the wizard again in the same folder
#   file TEXT               the answers file holds TEXT
#   nofile TEXT             the answers file does not hold TEXT
#   exists PATH             the wizard's folder holds PATH
. "$(dirname "$0")/../live/lib.sh"

DIR="$ROOT/tests/e2e/screens"
UPDATE=0
[ "${2:-}" = "--update" ] && UPDATE=1
SOCK="shs-screens-$$"
on_exit "tmux -L $SOCK kill-server 2>/dev/null"

pane() {
	tmux -L "$SOCK" capture-pane -p -t s 2>/dev/null
}

# settle: until the pane stays the same for 0.3 s (at most 5 s).
settle() {
	_last="" _n=50
	while [ "$_n" -gt 0 ]; do
		_now=$(pane)
		[ "$_now" = "$_last" ] && return 0
		_last=$_now
		sleep 0.3
		_n=$((_n - 1))
	done
}

wait_text() {
	_n=100
	while [ "$_n" -gt 0 ]; do
		pane | grep -qF -- "$1" && return 0
		sleep 0.05
		_n=$((_n - 1))
	done
	return 1
}

snap() {	# snap NAME N
	_want="$DIR/$1.$2.txt"
	settle
	pane > "$T/pane.txt"
	if [ "$UPDATE" = 1 ]; then
		cp "$T/pane.txt" "$_want"
		ok
	elif [ ! -f "$_want" ]; then
		fail "$1 snap $2: no $_want (run with --update and review it)"
	elif cmp -s "$T/pane.txt" "$_want"; then
		ok
	else
		fail "$1 snap $2: the screen differs from ${_want#"$ROOT"/}"
		diff -u "$_want" "$T/pane.txt" | sed 's/^/    /' | head -60
	fi
}

run_script() {	# run_script FILE
	name=$(basename "$1" .keys)
	work="$T/$name"
	mkdir -p "$work"
	envs="" size=80x24 n=0 started=0
	while IFS= read -r line || [ -n "$line" ]; do
		verb=${line%% *}
		arg=${line#"$verb"}
		arg=${arg# }
		case "$verb" in
		''|'#'*) continue ;;
		answers)
			[ "$arg" = empty ] || cp "$ROOT"/assets/demo/* "$work/"
			[ "$arg" = installed ] && (cd "$work" &&
			    SENTRY_HA_SETUP_DATA="$ROOT" SENTRY_DEMO_PG_PASSWORD=demo \
			    "$BIN" generate -a sentry-ha.yaml -o out >/dev/null) ;;
		env) envs="$envs $arg" ;;
		size) size=$arg ;;
		esac
		case "$verb" in
		answers|env|size|''|'#'*) continue ;;
		esac
		if [ "$verb" = restart ]; then
			tmux -L "$SOCK" kill-session -t s 2>/dev/null
			sleep 0.2
			started=0
		fi
		if [ "$started" = 0 ]; then
			tmux -L "$SOCK" -f /dev/null new-session -d -s s \
			    -x "${size%x*}" -y "${size#*x}" -c "$work" \
			    "env $envs SENTRY_HA_SETUP_DATA='$ROOT' SENTRY_DEMO_PG_PASSWORD=demo '$BIN' wizard -a sentry-ha.yaml -o out; echo \"exit=\$?\"; sleep 600"
			started=1
			wait_text "step" || true
			settle
		fi
		case "$verb" in
		keys)
			for k in $arg; do
				tmux -L "$SOCK" send-keys -t s "$k"
				sleep 0.1
			done ;;
		text) tmux -L "$SOCK" send-keys -t s -l "$arg"; sleep 0.1 ;;
		choose)
			_n=40
			while ! pane | grep -qE -- "(‹|<) $arg (›|>)" && [ "$_n" -gt 0 ]; do
				tmux -L "$SOCK" send-keys -t s Right
				sleep 0.15
				_n=$((_n - 1))
			done
			[ "$_n" -gt 0 ] || fail "$name: no choice shows $arg" ;;
		wait)
			if wait_text "$arg"; then ok; else
				fail "$name: \"$arg\" never on screen"
				pane | sed 's/^/    | /'
			fi ;;
		resize)
			tmux -L "$SOCK" resize-window -t s -x "${arg%x*}" -y "${arg#*x}"
			sleep 0.3 ;;
		snap) n=$((n + 1)); snap "$name" "$n" ;;
		restart) ;;
		signal)
			shell=$(tmux -L "$SOCK" display -p -t s '#{pane_pid}')
			pkill "-$arg" -P "$shell" -f "$BIN"
			wait_text "exit=" || fail "$name: the wizard did not end on SIG$arg" ;;
		file) expect_in "$work/sentry-ha.yaml" "$arg" "$name: the answers hold $arg" ;;
		nofile) expect_not_in "$work/sentry-ha.yaml" "$arg" "$name: the answers do not hold $arg" ;;
		exists) expect_true "$name: $arg is written" test -e "$work/$arg" ;;
		*) fail "$name: unknown verb $verb" ;;
		esac
	done < "$1"
	tmux -L "$SOCK" kill-session -t s 2>/dev/null
	sleep 0.2
}

for script in "$DIR"/*.keys; do
	run_script "$script"
done
finish "golden screens ($(ls "$DIR"/*.keys | wc -l) key scripts)"
