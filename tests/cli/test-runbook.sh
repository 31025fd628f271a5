#!/bin/sh
# The runbook's commands run as written: its Kafka step is taken out of
# RUNBOOK.md and run by sh, with stand-ins for kubectl (which hands out the
# Secret as Kubernetes does, base64) and kafka-topics.sh (which records
# what it was given). On a SASL cluster the tools log in through a file
# that holds the password only while they run, mode 0600, quoted as JAAS
# wants; every topic of the release is created with the replication the
# cluster holds and enough partitions for its consumers.
# Usage: tests/cli/test-runbook.sh BINARY
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$ROOT/tests/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM

# A password with every character JAAS or the shell could trip on.
PW='p"a\ss$w`o'"'"'rd'
export SHS_KAFKA_PW="$PW" SHS_TEST_PG=pg

# stand_ins DIR: kubectl and kafka-topics.sh that record their calls.
stand_ins() {
	mkdir -p "$1/bin"
	cat >"$1/bin/kubectl" <<'EOF'
#!/bin/sh
# kubectl -n NS get secret NAME -o jsonpath={.data.KEY}
key=$(printf '%s\n' "$@" | sed -n 's/^jsonpath={.data.\(.*\)}$/\1/p')
sed -n "s/^  $key: \"\(.*\)\"$/\1/p" kubernetes/secrets.yaml | python3 -c '
import base64, sys, json
raw = sys.stdin.read().rstrip("\n")
print(base64.b64encode(json.loads("\"" + raw + "\"").encode()).decode(), end="")'
EOF
	cat >"$1/bin/kafka-topics.sh" <<'EOF'
#!/bin/sh
case " $* " in *" --describe "*)
	# As Kafka 3 prints it: a topic line, then one line per partition.
	printf 'Topic: events\tTopicId: Aa\tPartitionCount: 3\tReplicationFactor: 3\tConfigs: \n'
	printf '\tTopic: events\tPartition: 0\tLeader: 1\tReplicas: 1,2,3\tIsr: 1,2,3\n'
	printf 'Topic: late-topic\tTopicId: Bb\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: \n'
	printf '\tTopic: late-topic\tPartition: 0\tLeader: 2\tReplicas: 2\tIsr: 2\n'
	exit 0
esac
printf '%s\n' "$*" >>"$CALLS"
case " $* " in *" --command-config "*)
	cfg=$(printf '%s\n' "$@" | sed -n '/^--command-config$/{n;p;}')
	stat -c %a "$cfg" >>"$CALLS.mode"
	cat "$cfg" >"$CALLS.login"
esac
EOF
	chmod +x "$1/bin/kubectl" "$1/bin/kafka-topics.sh"
}

# kafka_step DIR: the Kafka block of DIR/out/RUNBOOK.md, run in DIR/out.
kafka_step() {
	sed -n '/^## [0-9]*\. Create the Kafka topics/,/^## /p' "$1/out/RUNBOOK.md" |
	    sed -n '/^```sh$/,/^```$/p' | sed '1d;$d' >"$1/kafka.sh"
	(cd "$1/out" && PATH="$1/bin:$PATH" CALLS="$1/calls" sh -eu "$1/kafka.sh")
}

answers() {	# answers DIR KAFKA-YAML
	mkdir -p "$1"
	sed -e "s|{env: SENTRY_DEMO_PG_PASSWORD}|{env: SHS_TEST_PG}|" \
	    -e "s|{file: demo-redis-password.txt}|redis-pass|" \
	    -e "s|^  brokers: .*|  brokers: [\"k1:9093\", \"k2:9093\", \"k3:9093\"]|" \
	    -e "s|^  security_protocol: PLAINTEXT|$2|" \
	    "$ROOT/assets/demo/sentry-ha.yaml" >"$1/a.yaml"
	stand_ins "$1"
}

# SASL_SSL with SCRAM on Kubernetes.
answers "$T/k8s" '  security_protocol: SASL_SSL\
  sasl_mechanism: SCRAM-SHA-512\
  username: sentry\
  password: {env: SHS_KAFKA_PW}'
expect_status 0 "generate (SASL_SSL)" -- "$BIN" generate -a "$T/k8s/a.yaml" -o "$T/k8s/out"
expect_in "$T/k8s/out/kafka/client.properties" "security.protocol=SASL_SSL" "the client settings"
expect_in "$T/k8s/out/kafka/client.properties" "sasl.mechanism=SCRAM-SHA-512" "the mechanism"
expect_not_in "$T/k8s/out/kafka/client.properties" 'ss$w' "no password in the output"
expect_not_in "$T/k8s/out/RUNBOOK.md" "o'\\''rd" "no password in the runbook"
if kafka_step "$T/k8s" >"$T/out" 2>&1; then ok; else
	fail "the Kafka step does not run"; sed 's/^/    /' "$T/out"; cat "$T/k8s/kafka.sh"
fi
topics=$(sed -n '/^topics:/,/^[a-z]/p' "$ROOT/profiles/24.8.0.yaml" | grep -c '{name:')
expect_true "every topic created ($(wc -l <"$T/k8s/calls") of $topics)" test "$(wc -l <"$T/k8s/calls")" -eq "$topics"
expect_true "each call logs in" test "$(grep -c -- '--command-config kafka-login.properties' "$T/k8s/calls")" -eq "$topics"
expect_in "$T/k8s/calls" "--topic events --partitions 3 --replication-factor 3" "three copies on three brokers"
expect_in "$T/k8s/calls" "--topic ingest-events --partitions 3" "three partitions by default"
expect_in "$T/k8s/calls" "--topic monitors-clock-tick --partitions 1 " "the clock keeps one partition"
expect_true "the login file is 0600 while used" test "$(sort -u "$T/k8s/calls.mode")" = 600
expect_in "$T/k8s/calls.login" 'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="sentry" password="p\"a\\ss$w`o'"'"'rd";' "the password, quoted for JAAS"
expect_in "$T/k8s/calls.login" "security.protocol=SASL_SSL" "the login has the settings"
expect_true "the login file is removed after" test ! -e "$T/k8s/out/kafka-login.properties"
# After the migrations: the topics they made themselves, with one copy.
sed -n '/^Then make sure that no topic got fewer copies/,/^## /p' "$T/k8s/out/RUNBOOK.md" |
    sed -n '/^```sh$/,/^```$/p' | sed '1d;$d' >"$T/k8s/check.sh"
(cd "$T/k8s/out" && PATH="$T/k8s/bin:$PATH" CALLS="$T/k8s/calls" sh -eu "$T/k8s/check.sh") >"$T/out" 2>&1
expect_true "the check names only the topic with one copy ($(tr '\n' ' ' <"$T/out"))" test "$(cat "$T/out")" = late-topic
expect_true "the check's login file is removed after" test ! -e "$T/k8s/out/kafka-login.properties"

# The same on Swarm, from the secret's file; PLAIN, two brokers.
answers "$T/swarm" '  security_protocol: SASL_PLAINTEXT\
  sasl_mechanism: PLAIN\
  username: sentry\
  password: {env: SHS_KAFKA_PW}'
sed -i -e 's|^  brokers: .*|  brokers: ["k1:9092", "k2:9092"]|' \
    -e 's/kind: kubernetes/kind: swarm/' \
    -e 's|    kind: pvc|    kind: nfs\n    nfs: {server: nfs.internal, path: /exports/sentry}|' \
    -e '/size: 100Gi/d' "$T/swarm/a.yaml"
expect_status 0 "generate (Swarm, SASL_PLAINTEXT)" -- "$BIN" generate -a "$T/swarm/a.yaml" -o "$T/swarm/out"
if kafka_step "$T/swarm" >"$T/out" 2>&1; then ok; else
	fail "the Swarm Kafka step does not run"; sed 's/^/    /' "$T/out"
fi
expect_in "$T/swarm/calls" "--topic events --partitions 3 --replication-factor 2" "two copies on two brokers"
expect_in "$T/swarm/calls.login" 'PlainLoginModule required username="sentry" password="p\"a\\ss$w`o'"'"'rd";' "the Swarm secret, quoted"

# PLAINTEXT: no login at all, and more partitions for more replicas.
answers "$T/plain" '  security_protocol: PLAINTEXT'
sed -i 's/events-consumer: {replicas: 2}/events-consumer: {replicas: 5}/' "$T/plain/a.yaml"
expect_status 0 "generate (PLAINTEXT)" -- "$BIN" generate -a "$T/plain/a.yaml" -o "$T/plain/out"
expect_true "no client settings for PLAINTEXT" test ! -e "$T/plain/out/kafka"
kafka_step "$T/plain" >"$T/out" 2>&1
expect_not_in "$T/plain/calls" "--command-config" "no login for PLAINTEXT"
expect_in "$T/plain/calls" "--topic ingest-events --partitions 5 " "a partition for every replica of its consumer"

finish "runbook commands"
