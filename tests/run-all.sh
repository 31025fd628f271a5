#!/bin/sh
# Runs the test groups and prints each group's summary, then one total.
#   tests/run-all.sh check   the groups that need no install and no server
#                            (make check)
#   tests/run-all.sh all     those and the rest: third-party validators,
#                            the wizard in tmux, live servers (make test)
# Called by make after the binaries are built (it builds them).
set -u
cd "$(dirname "$0")/.."
mode=${1:-all}
status=0
skipped=0
summary=""

# A group that exits 77 could not run here (its server would not start):
# SKIP, which is not a pass. Under CI (CI set and not "false") it fails.
group() {	# group NAME command...
	name=$1; shift
	echo "== $name"
	"$@"
	rc=$?
	if [ $rc -eq 0 ]; then
		summary="$summary\n  PASS  $name"
	elif [ $rc -eq 77 ] && { [ -z "${CI:-}" ] || [ "$CI" = false ]; }; then
		summary="$summary\n  SKIP  $name (NOT TESTED, see above)"
		skipped=1
	else
		summary="$summary\n  FAIL  $name"
		status=1
	fi
}

# Unit tests run in one process (CK_FORK=no) so that LeakSanitizer checks
# the whole run at exit; a leak fails the group.
group "unit tests (ASan + UBSan)" env CK_FORK=no ASAN_OPTIONS=detect_leaks=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ./build/asan/unit-tests
group "command line (ASan + UBSan binary)" ./tests/cli/test-cli.sh ./build/asan/sentry-ha-setup
group "nothing lost (ASan + UBSan binary)" ./tests/cli/test-safety.sh ./build/asan/sentry-ha-setup
group "runbook commands (run by sh)" ./tests/cli/test-runbook.sh ./build/asan/sentry-ha-setup
group "killed runs (kill -9, 200 times)" ./tests/cli/test-kill.sh ./sentry-ha-setup 200
group "golden output (ASan + UBSan binary)" ./tests/golden/run.sh ./build/asan/sentry-ha-setup
group "layers of the core" ./tests/layers/test-layers.sh
group "man page (every option of --help, groff and mandoc lint)" \
    ./tests/install/test-man.sh ./sentry-ha-setup
group "bash completion (bash, ASan + UBSan binary)" \
    ./tests/install/test-completion.sh ./build/asan/sentry-ha-setup
if [ "$mode" = all ]; then
	group "fuzzing (short run)" ./tests/fuzz/run.sh "${FUZZ_SECONDS:-15}"
	group "manifests (third-party validators)" ./tests/manifests/validate.sh ./sentry-ha-setup
	group "wizard end to end (tmux, ASan + UBSan binary)" \
	    ./tests/e2e/test-wizard.sh ./build/asan/sentry-ha-setup
	group "golden screens (tmux, 80x24, ASan + UBSan binary)" \
	    ./tests/e2e/test-screens.sh ./build/asan/sentry-ha-setup
	group "Swarm engine (dockerd, real deploy.sh)" \
	    ./tests/swarm/test-swarm.sh ./sentry-ha-setup
	for t in tests/live/test-*.sh; do
		name=${t#tests/live/test-}
		group "live checks: ${name%.sh} (real servers, ASan + UBSan binary)" \
		    "$t" ./build/asan/sentry-ha-setup
	done
	# Last: make deb rebuilds the binary for PREFIX=/usr.
	group "Debian package (make deb, dpkg --root, the installed program)" \
	    ./tests/install/test-deb.sh
fi

printf "\nTest summary:$summary\n"
if [ $status -ne 0 ]; then
	echo "Some test groups FAILED."
elif [ $skipped -ne 0 ]; then
	echo "All test groups that ran passed; some were SKIPPED (not tested)."
else
	echo "All test groups passed."
fi
exit $status
