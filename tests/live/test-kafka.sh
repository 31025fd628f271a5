#!/bin/sh
# Live check of Kafka against librdkafka's mock cluster (Debian has no Kafka
# broker; build/kafka-mock serves one on loopback): brokers and topics
# counted, the facts reaching the rules, one result per broker (a dead one
# among live ones named), a closed port, a name that does not
# resolve, a server that accepts and never answers, TLS and SASL against a
# plaintext listener. The mock gives every partition min(3, brokers)
# replicas and always advertises 127.0.0.1, so thin replication and
# advertised addresses that clients cannot use come from a minimal Kafka
# metadata server (below) instead.
# Usage: tests/live/test-kafka.sh BINARY
. "$(dirname "$0")/lib.sh"	# sets ROOT, BIN (from $1) and T

MOCK=$ROOT/build/kafka-mock
if [ ! -x "$MOCK" ]; then
	(cd "$ROOT" && make -s build/kafka-mock) || exit 1
fi

# fake_kafka PORT BROKERS [NAME:PARTITIONS:REPLICAS ...]: answers
# ApiVersions and Metadata (v0) the way a broker does, with BROKERS
# (ID@HOST:PORT,...) as the cluster's advertised brokers and replicas on
# REPLICAS brokers. Stopped when the test ends.
fake_kafka() {
	python3 -c '
import socket, struct, sys, threading
port, brokers, topics = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
i16 = lambda v: struct.pack(">h", v)
i32 = lambda v: struct.pack(">i", v)
text = lambda s: i16(len(s)) + s.encode()
def metadata():
    bl = [b.split("@") for b in brokers.split(",")]
    ids = [int(i) for i, _ in bl]
    out = i32(len(bl))
    for i, hp in bl:
        h, p = hp.rsplit(":", 1)
        out += i32(int(i)) + text(h) + i32(int(p))
    out += i32(len(topics))
    for t in topics:
        name, parts, repl = t.split(":")
        out += i16(0) + text(name) + i32(int(parts))
        for p in range(int(parts)):
            reps = [ids[(p + k) % len(ids)] for k in range(int(repl))]
            arr = i32(len(reps)) + b"".join(i32(r) for r in reps)
            out += i16(0) + i32(p) + i32(reps[0]) + arr + arr
    return out
def versions(err):
    # ApiVersions and Metadata, v0 only; a newer request gets
    # UNSUPPORTED_VERSION and the client asks again with v0.
    return i16(err) + i32(2) + i16(18) + i16(0) + i16(0) + i16(3) + i16(0) + i16(0)
def serve(c):
    buf = b""
    while True:
        d = c.recv(65536)
        if not d:
            return
        buf += d
        while len(buf) >= 4 and len(buf) >= 4 + struct.unpack(">i", buf[:4])[0]:
            n = struct.unpack(">i", buf[:4])[0]
            req, buf = buf[4:4 + n], buf[4 + n:]
            key, ver, corr = struct.unpack(">hhi", req[:8])
            if key == 18:
                body = versions(35 if ver > 0 else 0)
            elif key == 3:
                body = metadata()
            else:
                return
            c.sendall(i32(4 + len(body)) + i32(corr) + body)
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port)); s.listen(64)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
' "$@" &
	on_exit "kill $! 2>/dev/null"
	wait_port "$1"
}

# kafka_check NAME KAFKA_SECTION [EXTRA]: check of that Kafka section alone
# (output in $T/out, $T/err; LIVE_STATUS, LIVE_MS).
kafka_check() {
	LIVE_KAFKA=$2
	LIVE_EXTRA=${3:-}
	live_answers "$T/$1.yaml"
	elapsed_ms "$BIN" check -a "$T/$1.yaml" --only kafka --timeout 2
	expect_not_in "$T/err" "rdkafka" "$1: librdkafka prints nothing"
	expect_not_in "$T/err" "Sanitizer" "$1: no sanitizer report"
}

HANG=$(free_port)
blackhole "$HANG"
THIN=$(free_port)
fake_kafka "$THIN" "1@127.0.0.1:$THIN,2@127.0.0.1:$THIN,3@127.0.0.1:$THIN" \
    ingest-events:1:1 events:3:2
INTERNAL=$(free_port)
fake_kafka "$INTERNAL" "1@127.0.0.1:$INTERNAL,2@kafka-2.internal:9092"
BADPORT=$(free_port)
fake_kafka "$BADPORT" "1@127.0.0.1:$BADPORT,3@127.0.0.1:$LIVE_CLOSED"

# The mock serves until its stdin (this script's fd 9) closes, or is killed.
mkfifo "$T/mock.in"
"$MOCK" 3 ingest-events:1:3 monitors-clock-tick:4:3 events:3:3 \
    taskworker:6:3 <"$T/mock.in" >"$T/boot" 2>"$T/mock.err" &
on_exit "kill $! 2>/dev/null"
exec 9>"$T/mock.in"
n=100
while [ ! -s "$T/boot" ] && [ "$n" -gt 0 ]; do sleep 0.05; n=$((n - 1)); done
BOOT=$(cat "$T/boot")
FIRST=${BOOT%%,*}
[ -n "$FIRST" ] || { echo "live kafka: the mock did not start" >&2; cat "$T/mock.err" >&2; exit 1; }
TOPICS=$(grep -c '^  - {name: ' "$ROOT/profiles/26.8.0.yaml")

# One bootstrap address of three brokers: what the rules see comes from the
# cluster's metadata, not from the answers.
kafka_check good "{brokers: [\"$FIRST\"]}" "services: {events-consumer: {replicas: 3}}"
expect_true "errors found by the rules exit 1" test "$LIVE_STATUS" -eq 1
expect_in "$T/out" "ok    Kafka $FIRST" "the cluster answers"
expect_said "$T/out" "3 brokers; 4 of $TOPICS topics exist; $((TOPICS - 4)) will be created with 1 partition" "brokers and topics counted"
expect_in "$T/out" "ERROR    monitors-clock-tick-single-partition" "4 partitions on the clock tick topic"
expect_said "$T/out" "topic monitors-clock-tick has 4 partitions" "the rule has the partitions"
expect_said "$T/out" "events-consumer runs 3 replicas but topic ingest-events has 1 partition" "consumer-partitions from the facts"
expect_not_in "$T/out" "WARNING  kafka-replication" "three brokers in the metadata, three replicas"

# Every bootstrap address of the cluster: one result per broker, each its
# own client's only bootstrap server.
B1=$(echo "$BOOT" | cut -d, -f1)
B2=$(echo "$BOOT" | cut -d, -f2)
B3=$(echo "$BOOT" | cut -d, -f3)
[ -n "$B3" ] || { echo "live kafka: the mock gave fewer than 3 brokers: $BOOT" >&2; exit 1; }
kafka_check all "{brokers: [\"$B1\", \"$B2\", \"$B3\"]}" "services: {events-consumer: {replicas: 3}}"
expect_in "$T/out" "Checking 3 endpoints" "three brokers, three endpoints"
for b in "$B1" "$B2" "$B3"; do
	expect_in "$T/out" "ok    Kafka $b (" "broker $b has a line of its own"
done
expect_not_in "$T/out" "FAIL  Kafka" "no broker fails"
expect_true "the clock tick topic is reported once, not once per broker" \
    test "$(grep -c 'ERROR    monitors-clock-tick-single-partition' "$T/out")" -eq 1

# Three brokers, one of them dead: two fine, the dead one named, and the
# counts are per broker (1 of 3 failed).
kafka_check onedead "{brokers: [\"$B1\", \"$B2\", \"127.0.0.1:$LIVE_CLOSED\"]}"
expect_true "a dead broker fails the check" test "$LIVE_STATUS" -eq 1
expect_in "$T/out" "Checking 3 endpoints" "one endpoint per broker"
expect_in "$T/out" "ok    Kafka $B1 (" "the first broker is fine"
expect_in "$T/out" "ok    Kafka $B2 (" "the second broker is fine"
expect_in "$T/out" "FAIL  Kafka 127.0.0.1:$LIVE_CLOSED: connection refused" "the dead broker is named"
expect_in "$T/out" "(kafka.brokers[2] at $T/onedead.yaml:" "the failure names its entry of the list"
expect_true "exactly one Kafka line fails" test "$(grep -c '^FAIL  Kafka' "$T/out")" -eq 1
expect_true "exactly two Kafka lines are fine" test "$(grep -c '^ok    Kafka' "$T/out")" -eq 2
"$BIN" check -a "$T/onedead.yaml" --only kafka --timeout 2 --json >"$T/onedead.json" 2>"$T/err"
expect_true "JSON: 3 Kafka results, 1 failed, at kafka.brokers[2]" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
p = [r for r in d["probes"] if r["service"] == "Kafka"]
bad = [r for r in p if r["status"] == "failed"]
assert len(p) == 3, p
assert d["summary"]["failed_probes"] == 1, d["summary"]
assert [r["field"] for r in bad] == ["kafka.brokers[2]"], bad
assert bad[0]["failure"] == "connection refused", bad
' "$T/onedead.json"

kafka_check thin "{brokers: [\"127.0.0.1:$THIN\"]}"
expect_in "$T/out" "ok    Kafka 127.0.0.1:$THIN" "a cluster with thin topics answers"
expect_in "$T/out" "WARNING  kafka-replication" "thin replication found"
expect_said "$T/out" "topics with fewer than 3 replicas on a 3-broker cluster: events, ingest-events" "names the topics"

kafka_check internal "{brokers: [\"127.0.0.1:$INTERNAL\"]}"
expect_in "$T/out" "FAIL  Kafka 127.0.0.1:$INTERNAL: name does not resolve" "advertised name"
expect_said "$T/out" "broker 2 advertises kafka-2.internal:9092" "names the advertised address"
expect_said "$T/out" "set advertised.listeners of broker 2" "the fix names advertised.listeners"

# The advertised name listed as a broker of its own: only its own line
# fails (the other broker's metadata names it, but its own result says it).
kafka_check internal2 "{brokers: [\"127.0.0.1:$INTERNAL\", \"kafka-2.internal:9092\"]}"
expect_in "$T/out" "ok    Kafka 127.0.0.1:$INTERNAL (" "the reachable broker is fine"
expect_in "$T/out" "FAIL  Kafka kafka-2.internal:9092: name does not resolve" "the listed internal name fails on its own line"
expect_true "one failure, not one per broker" test "$(grep -c '^FAIL  Kafka' "$T/out")" -eq 1

kafka_check badport "{brokers: [\"127.0.0.1:$BADPORT\"]}"
expect_in "$T/out" "FAIL  Kafka 127.0.0.1:$BADPORT: connection refused" "advertised port closed"
expect_said "$T/out" "broker 3 advertises 127.0.0.1:$LIVE_CLOSED" "names the advertised port"

kafka_check closed "{brokers: [\"127.0.0.1:$LIVE_CLOSED\"]}"
expect_in "$T/out" "FAIL  Kafka 127.0.0.1:$LIVE_CLOSED: connection refused" "closed port"
expect_in "$T/out" "(kafka.brokers[0] at $T/closed.yaml:" "failure names the answer (its entry of the list)"
expect_true "a refusal does not wait for the deadline (${LIVE_MS} ms)" test "$LIVE_MS" -lt 1500

kafka_check hang "{brokers: [\"127.0.0.1:$HANG\"]}"
expect_in "$T/out" "FAIL  Kafka 127.0.0.1:$HANG: timed out waiting for a reply" "silent server"
expect_true "deadline holds (${LIVE_MS} ms for a 2 s timeout)" test "$LIVE_MS" -lt 3000

SLOW=$(free_port)
backlogged "$SLOW"
kafka_check slow "{brokers: [\"127.0.0.1:$SLOW\"]}"
expect_in "$T/out" "FAIL  Kafka 127.0.0.1:$SLOW: timed out connecting" "no connection"
expect_true "deadline holds (${LIVE_MS} ms for a 2 s timeout)" test "$LIVE_MS" -lt 3000

kafka_check nowhere "{brokers: [\"nowhere.invalid:9092\"]}"
expect_in "$T/out" "FAIL  Kafka nowhere.invalid:9092: name does not resolve" "unknown name"

kafka_check tls "{brokers: [\"$FIRST\"], security_protocol: SSL}"
expect_in "$T/out" "FAIL  Kafka $FIRST: TLS failure" "TLS against a plaintext listener"

# The mock has no SASL: the login fails at the handshake. Real credential
# checks need a real broker.
export SHS_TEST_KAFKA_PW='k4fka-S3cret'
kafka_check sasl "{brokers: [\"$FIRST\"], security_protocol: SASL_PLAINTEXT, sasl_mechanism: PLAIN, username: sentry, password: {env: SHS_TEST_KAFKA_PW}}"
expect_in "$T/out" "FAIL  Kafka $FIRST: authentication failed" "SASL refused"
expect_not_in "$T/out" "$SHS_TEST_KAFKA_PW" "the password is never printed"

finish "live kafka"
