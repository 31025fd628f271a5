#!/bin/sh
# make bench (wizard part): the time from start to the first screen drawn,
# and the bytes written to the terminal per keystroke while a 30-character
# host name is typed (over SSH, bytes are latency). Through tmux, whose
# pipe-pane records what the program writes to its terminal.
# Usage: tests/bench/wizard-bench.sh BINARY
. "$(dirname "$0")/../live/lib.sh"	# sets ROOT, BIN (from $1) and T

SOCK="shs-bench-$$"
on_exit "tmux -L $SOCK kill-server 2>/dev/null"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

shows() { tmux -L "$SOCK" capture-pane -p -t w | grep -qF -- "$1"; }

best=""
for i in 1 2 3; do
	rm -rf "$T/w$i" && mkdir "$T/w$i"
	t0=$(now_ms)
	tmux -L "$SOCK" -f /dev/null new-session -d -s w -x 80 -y 24 -c "$T/w$i" \
	    "SENTRY_HA_SETUP_DATA='$ROOT' '$BIN'; sleep 60"
	until shows "step 1 of"; do sleep 0.005; done
	ms=$(( $(now_ms) - t0 ))
	[ -z "$best" ] || [ "$ms" -lt "$best" ] && best=$ms
	[ "$i" -lt 3 ] && tmux -L "$SOCK" kill-session -t w
done
printf 'wizard at 80x24:\n  start to first screen drawn: %d ms (best of 3, tmux included)\n' "$best"

tmux -L "$SOCK" send-keys -t w Enter Right Tab Tab Right PageDown
until shows "PostgreSQL"; do sleep 0.01; done
sleep 0.3
tmux -L "$SOCK" pipe-pane -o -t w "cat > '$T/bytes'"
sleep 0.2
host="sentry-postgres-01.example.org"	# 30 characters
n=0
while [ "$n" -lt ${#host} ]; do
	c=$(printf '%s' "$host" | cut -c $((n + 1)))
	tmux -L "$SOCK" send-keys -t w -l "$c"
	sleep 0.03
	n=$((n + 1))
done
until shows "$host"; do sleep 0.01; done
sleep 0.3
tmux -L "$SOCK" pipe-pane -t w
bytes=$(wc -c <"$T/bytes")
awk -v b="$bytes" -v n="${#host}" 'BEGIN { printf "  typing a %d-character host name: %d bytes to the terminal, %.1f per keystroke (the echo alone: 1.0; aim: 1.5 or less)\n", n, b, b / n }'
