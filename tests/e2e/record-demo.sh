#!/bin/sh
# Records the README's run of the wizard: asciinema inside tmux at 80x24,
# driven with send-keys over the demo answers, rendered offline to SVG by
# svg-term-cli (test-infra.md §10). Needs asciinema, tmux and svg-term
# (npm install svg-term-cli into a folder of your choice, SVG_TERM=path).
# Usage: tests/e2e/record-demo.sh BINARY OUT.svg (CAST=FILE keeps the cast)
. "$(dirname "$0")/../live/lib.sh"

OUT=$2
SVG_TERM=${SVG_TERM:-svg-term}
SOCK="shs-cast-$$"
on_exit "tmux -L $SOCK kill-server 2>/dev/null"
cp "$ROOT"/assets/demo/* "$T/"

shows() { tmux -L "$SOCK" capture-pane -p -t c | grep -qF -- "$1"; }
until_shows() { _n=100; until shows "$1" || [ "$_n" -eq 0 ]; do sleep 0.1; _n=$((_n - 1)); done; }
press() { for k in "$@"; do tmux -L "$SOCK" send-keys -t c "$k"; sleep 0.6; done; }

tmux -L "$SOCK" -f /dev/null new-session -d -s c -x 80 -y 24 -c "$T" \
    "asciinema rec --overwrite -q -c \"env SENTRY_HA_SETUP_DATA='$ROOT' SENTRY_DEMO_PG_PASSWORD=demo '$BIN' wizard -a sentry-ha.yaml -o out\" '$T/demo.cast'"
until_shows "step 1 of"
sleep 1.5
press Enter
until_shows "Release and target"
sleep 1
press Right		# 26.8.0: the worker is carried to taskworker
sleep 2
press PgDn PgDn PgDn PgDn PgDn PgDn PgDn PgDn
until_shows "taskscheduler"
sleep 1.5
press Down Down Down Right Right
sleep 1
press End Enter
until_shows "Review"
sleep 1.5
press a
sleep 2
press End Enter
until_shows "Write"
sleep 1.5
press Home Enter
sleep 2
press PgDn
sleep 1.5
press Escape End Up Enter
until_shows "Written"
sleep 2
press Enter
sleep 1
until [ -s "$T/demo.cast" ] && ! tmux -L "$SOCK" has-session -t c 2>/dev/null; do sleep 0.2; done
[ -n "${CAST:-}" ] && cp "$T/demo.cast" "$CAST"
# Unoptimised, and with whitespace kept: svgo and librsvg both collapse
# the runs of spaces that line the columns up.
"$SVG_TERM" --in "$T/demo.cast" --out "$T/demo.svg" --window --width 80 \
    --height 24 --no-optimize
sed 's/<svg /<svg xml:space="preserve" /' "$T/demo.svg" > "$OUT"
echo "recorded $(wc -l < "$T/demo.cast") frames into $OUT"
