#!/bin/sh
# Runs each fuzzer for SECONDS (make fuzz), from the corpus under
# tests/fuzz/corpus/ and the golden answers and profiles as seeds, and prints
# what each did: executions, rate, new inputs, and crashes (none, or the
# input that crashed, kept under build/fuzz/).
# Usage: tests/fuzz/run.sh SECONDS
set -u
cd "$(dirname "$0")/../.."
SECONDS_EACH=${1:-60}
. ./tests/lib.sh
export SHS_ROOT=$PWD
# Leaks are the unit tests' to find; here a leak would stop the run early.
export ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

run() {	# run TARGET SEED-DIR...
	target=$1; shift
	work=build/fuzz/corpus-$target
	mkdir -p "$work" build/fuzz/crashes
	if ./build/fuzz/fuzz-"$target" -max_total_time="$SECONDS_EACH" \
	    -max_len=65536 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
	    -artifact_prefix=build/fuzz/crashes/"$target"- \
	    "$work" tests/fuzz/corpus/"$target" "$@" >build/fuzz/"$target".log 2>&1; then
		ok
	else
		fail "fuzz $target: a crash or a broken oracle; see build/fuzz/$target.log and build/fuzz/crashes/"
		grep -m 20 "ERROR\|oracle:\|SUMMARY\|Test unit written" build/fuzz/"$target".log | sed 's/^/    /'
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' build/fuzz/"$target".log)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' build/fuzz/"$target".log)
	units=$(ls "$work" | wc -l)
	printf '  fuzz %s: %s executions in %s s (%s/s), %s inputs in the corpus\n' \
	    "$target" "${execs:-?}" "$SECONDS_EACH" "${rate:-?}" "$units"
}

run answers tests/golden/answers
run profile profiles
finish "fuzzing ($SECONDS_EACH s each)"
