# Shared by the live tests (tests/live/test-*.sh): free ports, a server that
# accepts and never answers, clean-up that runs however the test ends, and
# an answers file whose endpoints the test points at its own servers.
# Sourced first thing by a script run as `SCRIPT BINARY`: it sets ROOT (the
# source tree), BIN (the binary under test, absolute) and T (a temporary
# folder, removed at the end), and brings tests/lib.sh's expect_* helpers.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
T=$(mktemp -d)
. "$ROOT/tests/lib.sh"

LIVE_CLEANUP=""

# on_exit COMMAND: run COMMAND when the test script ends (last added first).
on_exit() {
	LIVE_CLEANUP="$1; $LIVE_CLEANUP"
}

live_finish() {
	eval "$LIVE_CLEANUP"
	rm -rf "$T"
}
trap 'live_finish' EXIT
trap 'exit 130' INT TERM

# free_port: a loopback TCP port nobody listens on (the kernel's choice).
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_port PORT [SECONDS]: until something listens on 127.0.0.1:PORT.
wait_port() {
	_n=$(( ${2:-10} * 20 ))
	while [ "$_n" -gt 0 ]; do
		if python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()' "$1" 2>/dev/null; then
			return 0
		fi
		sleep 0.05
		_n=$((_n - 1))
	done
	echo "live: nothing listens on 127.0.0.1:$1" >&2
	return 1
}

# blackhole PORT: accepts connections on 127.0.0.1:PORT and never answers
# (the server that hangs). Stopped when the test ends.
blackhole() {
	python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(64)
held = []
while True:
    c, _ = s.accept(); held.append(c)
' "$1" &
	on_exit "kill $! 2>/dev/null"
	wait_port "$1"
}

# backlogged PORT: listens on 127.0.0.1:PORT with a full accept queue, so a
# new connection is never completed (the connect timeout). Stopped at exit.
backlogged() {
	python3 -c '
import socket, sys, time
p = int(sys.argv[1]); s = socket.socket(); s.bind(("127.0.0.1", p)); s.listen(0)
held = []
for _ in range(3):
    c = socket.socket(); c.setblocking(False); c.connect_ex(("127.0.0.1", p)); held.append(c)
while True: time.sleep(60)
' "$1" &
	on_exit "kill $! 2>/dev/null"
	sleep 0.2
}

# elapsed_ms COMMAND...: runs COMMAND (output to $T/out, $T/err), sets
# LIVE_STATUS and LIVE_MS.
elapsed_ms() {
	_t0=$(date +%s%N)
	"$@" >"$T/out" 2>"$T/err"
	LIVE_STATUS=$?
	LIVE_MS=$(( ($(date +%s%N) - _t0) / 1000000 ))
}

# A port that refuses connections, for the endpoints a test does not use.
LIVE_CLOSED=$(free_port)

# live_answers FILE: a complete answers file. Each LIVE_* variable, when
# set, replaces one section (a YAML flow mapping); by default every
# endpoint is 127.0.0.1 on a closed port. Secrets go through {env: ...}.
live_answers() {
	cat >"$1" <<YAML
schema: 1
sentry: {version: "${LIVE_VERSION:-26.8.0}", url_prefix: "https://sentry.example.com", admin_email: ops@example.com}
target: ${LIVE_TARGET:-{kind: kubernetes, namespace: sentry\}}
postgres: ${LIVE_POSTGRES:-{host: 127.0.0.1, port: $LIVE_CLOSED\}}
redis: ${LIVE_REDIS:-{host: 127.0.0.1, port: $LIVE_CLOSED\}}
kafka: ${LIVE_KAFKA:-{brokers: ["127.0.0.1:$LIVE_CLOSED"]\}}
clickhouse: ${LIVE_CLICKHOUSE:-{host: 127.0.0.1, http_port: $LIVE_CLOSED, native_port: $LIVE_CLOSED\}}
memcached: ${LIVE_MEMCACHED:-{hosts: ["127.0.0.1:$LIVE_CLOSED"]\}}
smtp: ${LIVE_SMTP:-{host: 127.0.0.1, port: $LIVE_CLOSED\}}
filestore: ${LIVE_FILESTORE:-{backend: filesystem, shared_volume: {kind: pvc\}\}}
${LIVE_EXTRA:-}
YAML
}

# hostile MODE PORT [GREETING]: a server that drips, floods or answers with
# terminal escape codes (tests/live/hostile.py). Stopped when the test ends.
hostile() {
	python3 "$ROOT/tests/live/hostile.py" "$@" &
	on_exit "kill $! 2>/dev/null"
	wait_port "$2"
}
