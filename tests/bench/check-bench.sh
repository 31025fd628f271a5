#!/bin/sh
# make bench: the wall time of `check` over ten endpoints of which three
# accept connections and never answer, with --timeout 2, all at once and
# one after another (--jobs 1). The target is at most 2.5 s for the first;
# the second shows what a sequential check would cost.
# Usage: tests/bench/check-bench.sh BINARY
. "$(dirname "$0")/../live/lib.sh"	# sets ROOT, BIN (from $1) and T

chmod 755 "$T"
mkdir -m 777 "$T/mc"
hosts=""
for i in 1 2 3 4 5 6 7; do
	port=$(free_port)
	memcached -u nobody -l 127.0.0.1 -p "$port" -U 0 -m 8 -d -P "$T/mc/$i.pid"
	on_exit "kill \$(cat '$T/mc/$i.pid') 2>/dev/null"
	wait_port "$port"
	hosts="$hosts\"127.0.0.1:$port\", "
done
for i in 1 2 3; do
	port=$(free_port)
	blackhole "$port"
	hosts="$hosts\"127.0.0.1:$port\", "
done
LIVE_MEMCACHED="{hosts: [${hosts%, }]}"
live_answers "$T/a.yaml"

run() {	# run LABEL ARGS...
	label=$1; shift
	best=""
	for i in 1 2 3; do
		elapsed_ms "$BIN" check -a "$T/a.yaml" --only memcached --timeout 2 "$@"
		ok_lines=$(grep -c '^ok ' "$T/out")
		[ -z "$best" ] || [ "$LIVE_MS" -lt "$best" ] && best=$LIVE_MS
	done
	printf '  %-34s %6d ms   (%d answered, %d never replied; best of 3)\n' \
	    "$label" "$best" "$ok_lines" "$(grep -c '^FAIL ' "$T/out")"
}

echo "check over 10 Memcached endpoints, 3 of which never reply, --timeout 2:"
run "all at once (default)"
par=$best
run "one after another (--jobs 1)" --jobs 1
seq=$best
awk -v p="$par" -v s="$seq" 'BEGIN { printf "  speed-up: %.1fx; target for all at once: <= 2500 ms (%s)\n", s / p, p <= 2500 ? "met" : "MISSED" }'
