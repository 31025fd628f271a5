#!/bin/sh
# The command line as an operator meets it: help, errors, exit codes, and a
# generate run that writes everything or nothing.
# Usage: tests/cli/test-cli.sh BINARY
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$ROOT/tests/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM

answers() {	# answers VERSION > file
	sed -e "s/version: \"24.8.0\"/version: \"$1\"/" \
	    -e "s|{env: SENTRY_DEMO_PG_PASSWORD}|{env: SHS_TEST_PG}|" \
	    -e "s|{file: demo-redis-password.txt}|{file: redis.pw}|" \
	    -e '/events-consumer:/d' -e '/worker:/d' \
	    "$ROOT/assets/demo/sentry-ha.yaml"
}
printf 'redis pw\n' >"$T/redis.pw"
export SHS_TEST_PG='pg: pass'

# Help and version.
expect_status 0 "--help" -- "$BIN" --help
expect_in "$T/out" "generate" "--help lists generate"
expect_in "$T/out" "profiles" "--help lists profiles"
expect_in "$T/out" "check" "--help lists check"
expect_in "$T/out" "explain" "--help lists explain"
expect_in "$T/out" "upgrade" "--help lists upgrade"
expect_in "$T/out" "bundle" "--help lists bundle"
expect_in "$T/out" "wizard" "--help lists the wizard"
expect_status 0 "wizard --help" -- "$BIN" wizard --help
expect_in "$T/out" "PgDn" "wizard --help names the keys"
expect_status 3 "wizard without a terminal" -- "$BIN" wizard -a "$T/w.yaml"
expect_in "$T/err" "the wizard needs a terminal" "wizard without a terminal says why"
expect_true "nothing written by a wizard without a terminal" test ! -e "$T/w.yaml"
expect_status 0 "check --help" -- "$BIN" check --help
expect_in "$T/out" "--json" "check --help names --json"
expect_status 0 "explain --help" -- "$BIN" explain --help
expect_status 0 "--version" -- "$BIN" --version
expect_in "$T/out" "sentry-ha-setup 0." "--version"
expect_status 0 "generate --help" -- "$BIN" generate --help
expect_in "$T/out" "--answers FILE" "generate --help names -a"
expect_in "$T/out" "Exit status" "generate --help gives exit codes"
expect_status 2 "no command" -- "$BIN"
expect_status 2 "unknown command" -- "$BIN" generat
expect_in "$T/err" 'unknown command "generat" (did you mean "generate"?)' "command suggestion"
expect_status 2 "unknown option" -- "$BIN" generate --outptu x
expect_in "$T/err" "unknown option --outptu (did you mean --output?)" "option suggestion"
expect_status 2 "missing option value" -- "$BIN" generate -a
expect_in "$T/err" "--answers needs a value" "missing value"
expect_status 2 "empty option value" -- "$BIN" generate -o ""
expect_in "$T/err" "--output: the value is empty, expected DIR" "empty value message"
expect_status 2 "answers that are a folder" -- "$BIN" check -a "$T"
expect_in "$T/err" "is a folder, expected a file" "folder as answers message"

# profiles
expect_status 0 "profiles" -- "$BIN" profiles
expect_in "$T/out" "24.8.0    50        yes" "profiles shows 24.8.0 as a hard stop"
expect_in "$T/out" "26.8.0" "profiles lists 26.8.0"
expect_in "$T/out" "10.1.0" "profiles lists the seed release"

# A good run for every release.
for v in 10.1.0 21.6.3 23.6.2 23.11.0 24.8.0 25.5.1 26.5.1 26.7.0 26.8.0; do
	answers "$v" >"$T/a-$v.yaml"
	expect_status 0 "generate $v" -- "$BIN" generate -a "$T/a-$v.yaml" -o "$T/out-$v"
	expect_in "$T/out" "Wrote $T/out-$v/ for Sentry $v" "summary names the output ($v)"
	expect_true "RUNBOOK.md ($v)" test -s "$T/out-$v/RUNBOOK.md"
	expect_true "marker ($v)" test -f "$T/out-$v/.sentry-ha-setup"
	expect_true "kustomization ($v)" test -f "$T/out-$v/kubernetes/kustomization.yaml"
	expect_true "secrets are 0600 ($v)" test "$(stat -c %a "$T/out-$v/kubernetes/secrets.yaml")" = 600
	expect_true "keys file is 0600 ($v)" test "$(stat -c %a "$T/a-$v.keys.yaml")" = 600
	expect_not_in "$T/out-$v/kubernetes/config.yaml" "pg: pass" "no password in the ConfigMap ($v)"
done
expect_in "$T/out" "Generated the Sentry secret key" "first run reports the new keys"

# The same answers give the same bytes; the keys are reused.
cp -r "$T/out-24.8.0" "$T/first"
expect_status 0 "second run" -- "$BIN" generate -a "$T/a-24.8.0.yaml" -o "$T/out-24.8.0"
expect_true "byte-identical output" diff -r "$T/first" "$T/out-24.8.0"
expect_not_in "$T/out" "Generated the Sentry secret key" "second run reuses the keys"
expect_true "no staging folders left" test -z "$(ls -d "$T"/out-24.8.0.* 2>/dev/null)"

# A damaged keys file is refused, not replaced: new keys would log every
# user out and lock Relay out of a running deployment.
cp "$T/a-24.8.0.keys.yaml" "$T/keys.bak"
sed -i 's/^  public_key: .*/  public_key: "short"/' "$T/a-24.8.0.keys.yaml"
expect_status 2 "damaged keys file" -- "$BIN" generate -a "$T/a-24.8.0.yaml" -o "$T/out-24.8.0"
expect_in "$T/err" "a-24.8.0.keys.yaml: relay.public_key: expected 43 base64url characters" "keys file message"
expect_not_in "$T/err" "short" "keys file message does not quote the key"
expect_true "damaged keys file left as it was" grep -q 'public_key: "short"' "$T/a-24.8.0.keys.yaml"
expect_true "output untouched after a refused run" diff -r "$T/first" "$T/out-24.8.0"
sed '/^secret_key:/d' "$T/keys.bak" >"$T/a-24.8.0.keys.yaml"
expect_status 2 "keys file without the secret key" -- "$BIN" generate -a "$T/a-24.8.0.yaml" -o "$T/out-24.8.0"
expect_in "$T/err" "secret_key: missing (required)" "missing secret key message"
cp "$T/keys.bak" "$T/a-24.8.0.keys.yaml"

# Bad answers: exit 2, a precise message, and nothing written.
sed 's/port: 5432/port: 70000/' "$T/a-24.8.0.yaml" >"$T/bad.yaml"
expect_status 2 "bad port" -- "$BIN" generate -a "$T/bad.yaml" -o "$T/bad-out"
expect_in "$T/err" "bad.yaml:19:9: postgres.port: expected an integer from 1 to 65535, got 70000" "port message"
expect_true "nothing written for bad answers" test ! -e "$T/bad-out"
expect_true "no keys written for bad answers" test ! -e "$T/bad.keys.yaml"

# NetworkPolicies: off unless asked for; with target.network_policy, one
# more file, listed in the kustomization, and explain says what may pass.
expect_true "no NetworkPolicy by default" test ! -e "$T/out-26.8.0/kubernetes/network-policy.yaml"
expect_not_in "$T/out-26.8.0/kubernetes/kustomization.yaml" "network-policy" "kustomization without NetworkPolicy"
sed 's/^  kind: kubernetes/  kind: kubernetes\n  network_policy: true\n  ingress_namespace: edge/' "$T/a-26.8.0.yaml" >"$T/np.yaml"
cp "$T/a-26.8.0.keys.yaml" "$T/np.keys.yaml"
expect_status 0 "generate with network_policy" -- "$BIN" generate -a "$T/np.yaml" -o "$T/np-out"
expect_true "network-policy.yaml written" test -s "$T/np-out/kubernetes/network-policy.yaml"
expect_in "$T/np-out/kubernetes/kustomization.yaml" "- network-policy.yaml" "kustomization lists network-policy.yaml"
expect_in "$T/np-out/kubernetes/network-policy.yaml" "name: default-deny" "a default deny"
expect_in "$T/np-out/kubernetes/network-policy.yaml" "kubernetes.io/metadata.name: edge" "the Ingress controller's namespace"
expect_status 0 "explain relay with network_policy" -- "$BIN" explain relay -a "$T/np.yaml"
expect_in "$T/out" "network      in: nginx on 3000; out:" "explain: the network line"
sed 's/^  network_policy: true/  network_policy: true\n  egress_cidrs: [0.0.0.0\/0]\n  egress_except: [10.0.0.0\/8]/' "$T/np.yaml" >"$T/np-egress.yaml"
cp "$T/a-26.8.0.keys.yaml" "$T/np-egress.keys.yaml"
expect_status 0 "explain web with egress_cidrs" -- "$BIN" explain web -a "$T/np-egress.yaml"
expect_in "$T/out" "0.0.0.0/0 except 10.0.0.0/8 on any" "explain: web's way out"
expect_status 0 "explain relay without network_policy" -- "$BIN" explain relay -a "$T/a-26.8.0.yaml"
expect_not_in "$T/out" "network " "explain: no network line without NetworkPolicies"
sed 's/^  ingress_namespace: edge/  ingress_namespace: Edge_1/' "$T/np.yaml" >"$T/np-bad.yaml"
expect_status 2 "bad ingress_namespace" -- "$BIN" generate -a "$T/np-bad.yaml" -o "$T/np-bad-out"
expect_in "$T/err" "target.ingress_namespace" "ingress_namespace message names the field"
expect_true "nothing written for a bad ingress_namespace" test ! -e "$T/np-bad-out"

sed 's/version: "24.8.0"/version: "24.8.1"/' "$T/a-24.8.0.yaml" >"$T/rel.yaml"
expect_status 2 "unknown release" -- "$BIN" generate -a "$T/rel.yaml" -o "$T/rel-out"
expect_in "$T/err" 'sentry.version: no profile for Sentry "24.8.1" (did you mean "24.8.0"?); known releases: 10.1.0, 21.6.3, 23.6.2, 23.11.0, 24.8.0, 25.5.1, 26.5.1, 26.7.0, 26.8.0' "release message"
expect_true "nothing written for an unknown release" test ! -e "$T/rel-out"

env -u SHS_TEST_PG "$BIN" generate -a "$T/a-24.8.0.yaml" -o "$T/env-out" >"$T/out" 2>"$T/err"
expect_true "missing secret variable exits 2" test $? -eq 2
expect_in "$T/err" "postgres.password: the environment variable SHS_TEST_PG is not set" "env message"
expect_true "nothing written without the secret" test ! -e "$T/env-out"

expect_status 2 "missing answers file" -- "$BIN" generate -a "$T/none.yaml" -o "$T/x"
expect_in "$T/err" "none.yaml: cannot open" "missing file message"
expect_in "$T/err" "no answers file there: write one with the wizard (sentry-ha-setup wizard -a $T/none.yaml)" "missing file: the wizard"
expect_in "$T/err" "or start from the demo answers: cp $ROOT/assets/demo/sentry-ha.yaml $T/none.yaml" "missing file: the demo answers"
mkdir -p "$T/empty"
(cd "$T/empty" && "$BIN" check --offline) >"$T/out" 2>"$T/err"
expect_true "no ./sentry-ha.yaml exits 2" test $? -eq 2
expect_in "$T/err" "or start from the demo answers: cp $ROOT/assets/demo/* ./" "the default answers: copy the demo folder"
(cd "$T/empty" && cp "$ROOT"/assets/demo/* ./ && SENTRY_DEMO_PG_PASSWORD=x "$BIN" check --offline) >"$T/out" 2>"$T/err"
expect_true "the copied demo answers check" test $? -eq 0
expect_status 2 "explain a service without answers" -- "$BIN" explain web -a "$T/none.yaml"
expect_in "$T/err" "sentry-ha-setup wizard -a $T/none.yaml" "explain: the wizard"
expect_status 2 "a broken answers file gets no such hint" -- "$BIN" check --offline -a "$T/bad.yaml"
expect_not_in "$T/err" "no answers file there" "no hint for a file that exists"
expect_status 2 "unknown target" -- "$BIN" generate -a "$T/a-24.8.0.yaml" --target nomad -o "$T/x"
expect_in "$T/err" "--target nomad: expected kubernetes or swarm" "target message"

# Docker Swarm from the same answers: the claim must become NFS or sshfs.
expect_status 2 "a claim on Swarm" -- "$BIN" generate -a "$T/a-24.8.0.yaml" --target swarm -o "$T/x"
expect_in "$T/err" "pvc cannot be mounted on swarm: use nfs or sshfs" "claim on Swarm message"
sed 's|kind: pvc|kind: sshfs\n    sshfs: {host: node3, user: sentry, path: /srv/sentry}|' "$T/a-24.8.0.yaml" >"$T/swarm.yaml"
expect_status 0 "generate --target swarm" -- "$BIN" generate -a "$T/swarm.yaml" --target swarm -o "$T/swarm-out"
expect_in "$T/out" "on Docker Swarm" "swarm summary"
expect_true "deploy.sh is executable" test -x "$T/swarm-out/swarm/deploy.sh"
expect_true "deploy.sh is valid sh" sh -n "$T/swarm-out/swarm/deploy.sh"
expect_true "swarm secrets are 0600" test "$(stat -c %a "$T/swarm-out/swarm/secrets/postgres-password")" = 600
expect_in "$T/swarm-out/RUNBOOK.md" "docker plugin install --grant-all-permissions vieux/sshfs sshkey.source=/root/.ssh/" "runbook installs the plugin"
expect_in "$T/swarm-out/RUNBOOK.md" "The same answers on Kubernetes" "runbook parity section"
expect_true "no password in a stack file" sh -c "! grep -rq 'pg: pass' '$T/swarm-out/swarm/stacks' '$T/swarm-out/swarm/deploy.sh' '$T/swarm-out/RUNBOOK.md'"

# Kubernetes' answers taken to Swarm: each one Swarm cannot honour is named
# where it was written, with what Swarm does instead; the default written
# out (zones: false) and the answers Swarm reads say nothing.
k8s_only='s|^  ingress_host: sentry.example.com$|  ingress_host: sentry.example.com\n  network_policy: true\n  zones: false\n  node_selector: {pool: sentry}|'
sed -e "$k8s_only" -e 's|kind: kubernetes|kind: swarm|' "$T/swarm.yaml" >"$T/k8s-swarm.yaml"
expect_status 0 "Kubernetes-only answers on Swarm are no error" -- "$BIN" check --offline -a "$T/k8s-swarm.yaml"
expect_said "$T/out" "WARNING answer-ignored target.network_policy ($T/k8s-swarm.yaml:16:3)" "the NetworkPolicy answer is named with its line"
expect_said "$T/out" "Docker Swarm ignores target.network_policy, which only Kubernetes reads; nothing limits which service reaches which" "what Swarm does instead"
expect_said "$T/out" "Docker Swarm ignores target.node_selector" "the node selector"
expect_said "$T/out" "give those hosts the role in hosts[N].roles" "what Swarm offers for placement"
expect_not_in "$T/out" "target.zones" "a default written out is not named"
sed -e "$k8s_only" "$T/a-24.8.0.yaml" >"$T/k8s-only.yaml"
expect_status 0 "the same on Kubernetes" -- "$BIN" check --offline --json -a "$T/k8s-only.yaml"
expect_not_in "$T/out" "answer-ignored" "Kubernetes reads them all"
# An answer whose feature is off: egress ranges without NetworkPolicies.
sed 's|^  ingress_host: sentry.example.com$|&\n  egress_cidrs: [0.0.0.0/0]|' "$T/a-24.8.0.yaml" >"$T/egress-only.yaml"
expect_status 0 "egress ranges without NetworkPolicies are no error" -- "$BIN" check --offline -a "$T/egress-only.yaml"
expect_said "$T/out" "WARNING answer-ignored target.egress_cidrs ($T/egress-only.yaml:16:3)" "they are named at their line"
expect_said "$T/out" "target.egress_cidrs is not used without target.network_policy: true" "with what turns them on"
expect_status 0 "explain the rule" -- "$BIN" explain answer-ignored
expect_said "$T/out" "Docker Swarm has no NetworkPolicy" "the rule's why"

# A registry login: its password (and its base64 in the pull secret) only
# in a 0600 file; every pod pulls with it; Swarm's runbook logs in first.
{ sed '/^registry: ""$/d' "$T/a-26.8.0.yaml"; printf '%s\n' 'registry: "registry.internal:5000/sentry"' \
    'registry_auth: {username: puller, password: "pull-Pa55"}'; } >"$T/reg.yaml"
expect_status 0 "generate with a registry login" -- "$BIN" generate -a "$T/reg.yaml" -o "$T/reg-out"
pull_b64=$(printf 'puller:pull-Pa55' | base64)
expect_in "$T/reg-out/kubernetes/secrets.yaml" "$pull_b64" "the pull secret holds user:password"
expect_in "$T/reg-out/kubernetes/secrets.yaml" "kubernetes.io/dockerconfigjson" "the pull secret's type"
expect_in "$T/reg-out/kubernetes/services/web.yaml" "imagePullSecrets" "web pulls with it"
expect_true "the registry password only in 0600 files" sh -c "! find '$T/reg-out' -type f ! -perm 600 -exec grep -l -e 'pull-Pa55' -e '$pull_b64' {} + | grep -q ."
expect_not_in "$T/out" "pull-Pa55" "the password is not printed"
sed 's|kind: kubernetes|kind: swarm|; s|kind: pvc|kind: nfs\n    nfs: {server: nfs.internal, path: /x}|' "$T/reg.yaml" >"$T/reg-swarm.yaml"
expect_status 0 "generate for Swarm with a registry login" -- "$BIN" generate -a "$T/reg-swarm.yaml" -o "$T/reg-swarm"
expect_in "$T/reg-swarm/RUNBOOK.md" "docker login registry.internal:5000 -u puller" "Swarm runbook logs in to the registry"
expect_in "$T/reg-swarm/swarm/deploy.sh" "--with-registry-auth" "deploy.sh passes the login on"
expect_true "no registry password in Swarm's non-0600 files" sh -c "! find '$T/reg-swarm' -type f ! -perm 600 -exec grep -l 'pull-Pa55' {} + | grep -q ."

# hostpath: a folder every Swarm node mounts, bound into the containers;
# Kubernetes cannot, and a path must be absolute. Nothing is written.
sed 's|kind: pvc|kind: hostpath\n    hostpath: {path: /srv/sentry-shared}|' "$T/a-24.8.0.yaml" >"$T/hostpath.yaml"
expect_status 0 "generate hostpath on Swarm" -- "$BIN" generate -a "$T/hostpath.yaml" --target swarm -o "$T/hostpath-out"
expect_in "$T/hostpath-out/swarm/stacks/30-web.yml" "source: /srv/sentry-shared/sentry-data" "hostpath: the volume's folder is bound"
expect_not_in "$T/hostpath-out/swarm/stacks/30-web.yml" "vieux/sshfs" "hostpath: no volume driver"
expect_in "$T/hostpath-out/RUNBOOK.md" "mountpoint -q /srv/sentry-shared" "hostpath: the runbook checks the mount"
expect_status 2 "hostpath on Kubernetes" -- "$BIN" generate -a "$T/hostpath.yaml" --target kubernetes -o "$T/hostpath-k8s"
expect_in "$T/err" "hostpath.yaml:" "hostpath on Kubernetes: the file"
expect_in "$T/err" "filestore.shared_volume.kind: hostpath cannot be mounted on kubernetes: use pvc (a ReadWriteMany storage class) or nfs" "hostpath on Kubernetes: the field and the fix"
expect_true "hostpath on Kubernetes writes nothing" test ! -e "$T/hostpath-k8s"
sed 's|path: /srv/sentry-shared|path: "srv/my share"|' "$T/hostpath.yaml" >"$T/hostpath-bad.yaml"
expect_status 2 "hostpath with a relative path" -- "$BIN" generate -a "$T/hostpath-bad.yaml" --target swarm -o "$T/hostpath-bad"
expect_in "$T/err" "filestore.shared_volume.hostpath.path: expected an absolute path" "hostpath: a bad path is named"

# Sizing: the answers' size and one service's own figures, in both
# targets; a figure that is no quantity is named, nothing is written.
own='s|web: {replicas: 3}|web: {replicas: 3, cpu: "1.5", memory: 3Gi}|'
{ sed "$own" "$T/hostpath.yaml"; echo "size: small"; } >"$T/size.yaml"
expect_status 0 "generate with size small" -- "$BIN" generate -a "$T/size.yaml" --target swarm -o "$T/size-out"
expect_in "$T/size-out/swarm/stacks/30-web.yml" 'cpus: "1.5"' "size: web's own CPU on Swarm"
expect_in "$T/size-out/swarm/stacks/30-web.yml" 'cpus: "0.0' "size small: the others' CPU scaled down"
expect_in "$T/size-out/swarm/deploy.sh" "RESERVED_MCPU=" "deploy.sh carries the reservations it checks"
{ sed "$own" "$T/a-24.8.0.yaml"; echo "size: small"; } >"$T/size-k.yaml"
expect_status 0 "generate with size small, Kubernetes" -- "$BIN" generate -a "$T/size-k.yaml" -o "$T/size-k8s"
expect_in "$T/size-k8s/kubernetes/services/web.yaml" 'cpu: "1500m"' "size: web's own CPU request on Kubernetes"
expect_in "$T/size-k8s/kubernetes/services/events-consumer.yaml" 'memory: "64Mi"' "size small: a consumer's memory request scaled down (512Mi / 8)"
sed 's|web: {replicas: 3}|web: {replicas: 3, memory: 1g}|' "$T/a-24.8.0.yaml" >"$T/size-bad.yaml"
expect_status 2 "a memory figure without a proper unit" -- "$BIN" generate -a "$T/size-bad.yaml" -o "$T/size-bad"
expect_in "$T/err" "services.web.memory: expected a memory quantity with a unit, such as 512Mi" "size: a bad figure is named"
expect_true "a bad figure writes nothing" test ! -e "$T/size-bad"
sed 's|^  namespace: sentry$|  stack: a-stack-name-that-is-far-too-long-for-swarm|' "$T/hostpath.yaml" >"$T/long-stack.yaml"
expect_status 2 "a stack name past 40 characters on Swarm" -- "$BIN" generate -a "$T/long-stack.yaml" --target swarm -o "$T/long-stack"
expect_in "$T/err" 'target.stack: "a-stack-name-that-is-far-too-long-for-swarm" is 43 characters; on Swarm at most 40' "a long stack name is refused with the limit"
expect_true "a bad hostpath writes nothing" test ! -e "$T/hostpath-bad"

# check: the rules over the answers, without reading any password.
expect_status 0 "check a clean file" -- env -u SHS_TEST_PG "$BIN" check --offline -a "$T/a-24.8.0.yaml"
expect_in "$T/out" "0 errors" "check summary"
expect_in "$T/out" "Applied and noted:" "check lists what was done"
expect_in "$T/out" "snuba-api-bind: applied: listens on 0.0.0.0:1218" "check lists snuba-api-bind"
expect_status 0 "check --json" -- "$BIN" check -a "$T/a-26.8.0.yaml" --offline --json
expect_true "check --json is JSON (node's parser)" node -e '
  const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  if (j.schema !== 1 || j.release !== "26.8.0" || j.summary.error !== 0) process.exit(1);
  if (!j.findings.some(f => f.id === "taskscheduler-singleton" || f.id === "config-in-every-sentry-container")) process.exit(1);
  for (const f of j.findings) for (const k of ["id","severity","subject","field","where","message","title","why","fix","source"])
    if (!(k in f)) process.exit(1);' "$T/out"

# The live checks' options; a live check needs the passwords.
expect_status 2 "check --timeout 0" -- "$BIN" check --offline -a "$T/a-24.8.0.yaml" --timeout 0
expect_in "$T/err" "--timeout 0: expected a number of seconds from 0.001" "timeout message"
expect_status 2 "check --only with a typo" -- "$BIN" check -a "$T/a-24.8.0.yaml" --only postgres,redsi
expect_in "$T/err" '--only: "redsi" is not one of postgres, redis, kafka' "only message"
# An --only that leaves nothing to check says why, and what there is.
expect_status 0 "check --only zookeeper (24.8.0)" -- "$BIN" check -a "$T/a-24.8.0.yaml" --only zookeeper
expect_in "$T/out" "Checking 0 endpoints" "nothing checked"
expect_in "$T/out" "--only zookeeper: nothing to check: Sentry 24.8.0 does not use ZooKeeper (its Kafka runs in KRaft mode)" "the release does without ZooKeeper"
expect_in "$T/out" "a-24.8.0.yaml has endpoints of: postgres, redis, kafka, clickhouse, memcached, smtp" "the kinds the answers have"
expect_status 0 "check --only zookeeper (10.1.0, none given)" -- "$BIN" check -a "$T/a-10.1.0.yaml" --only zookeeper
expect_in "$T/out" "--only zookeeper: nothing to check: $T/a-10.1.0.yaml names no ZooKeeper endpoint (zookeeper.hosts)" "the answers name no ZooKeeper"
sed '/^smtp:/,/^  from:/d' "$T/a-24.8.0.yaml" >"$T/nosmtp.yaml"
expect_status 0 "check --only smtp,s3 without either" -- "$BIN" check -a "$T/nosmtp.yaml" --only smtp,s3
expect_in "$T/out" "names no SMTP endpoint (smtp.host)" "no SMTP in the answers"
expect_in "$T/out" "names no S3 endpoint (filestore.backend: s3)" "no S3 in the answers"
expect_in "$T/out" "nosmtp.yaml has endpoints of: postgres, redis, kafka, clickhouse, memcached" "the kinds, without smtp"
expect_status 0 "check --only zookeeper --json" -- "$BIN" check -a "$T/a-24.8.0.yaml" --only zookeeper --json
expect_true "--json keeps stdout one document" node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$T/out"
expect_in "$T/err" "does not use ZooKeeper" "--json says why on stderr"
expect_status 2 "check --jobs 0" -- "$BIN" check -a "$T/a-24.8.0.yaml" --jobs 0
# A secret that cannot be read fails its own endpoint, and only it: every
# other endpoint is still checked.
expect_status 1 "live check without one password" -- env -u SHS_TEST_PG "$BIN" check -a "$T/a-24.8.0.yaml" --only postgres,memcached --timeout 1
expect_in "$T/out" "FAIL  PostgreSQL postgres.password: cannot check" "the endpoint without its secret fails"
expect_said "$T/out" "postgres.password: the environment variable SHS_TEST_PG is not set (the answers say {env: SHS_TEST_PG}); PostgreSQL was not contacted without it" "names the answer and the variable"
expect_said "$T/out" "Fix: export SHS_TEST_PG=... (the secret)" "says how to set it"
expect_in "$T/out" "(postgres.password at $T/a-24.8.0.yaml:" "says where the answer is"
expect_in "$T/out" "Memcached mc1.internal:11211" "the other endpoints are checked"
expect_in "$T/out" "Checking 3 endpoints" "counts every endpoint selected"
expect_not_in "$T/out" "PostgreSQL pg.internal" "PostgreSQL is not contacted without its password"
expect_status 1 "live check without one password (--json)" -- env -u SHS_TEST_PG "$BIN" check -a "$T/a-24.8.0.yaml" --only postgres,memcached --timeout 1 --json
expect_true "--json counts it as a failed probe" node -e '
  const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const p = j.probes.find(p => p.field === "postgres.password");
  if (!p || p.status === "ok" || !/SHS_TEST_PG is not set/.test(p.detail)) process.exit(1);
  if (j.summary.failed_probes < 1 || !j.probes.some(p => p.service === "Memcached")) process.exit(1);' "$T/out"
env -u SHS_TEST_PG "$BIN" check -a "$T/a-24.8.0.yaml" --only memcached --timeout 1 >"$T/out" 2>"$T/err"
expect_not_in "$T/out" "SHS_TEST_PG" "a secret of a check not selected is not reported"
expect_in "$T/out" "Memcached mc1.internal:11211" "the check selected runs"
sed 's|{file: redis.pw}|{file: gone.pw}|' "$T/a-24.8.0.yaml" >"$T/nopw.yaml"
expect_status 1 "live check with two secrets unread, nothing else selected" -- env -u SHS_TEST_PG "$BIN" check -a "$T/nopw.yaml" --only postgres,redis --timeout 1
expect_in "$T/out" "FAIL  PostgreSQL postgres.password: cannot check" "the first secret"
expect_in "$T/out" "FAIL  Redis redis.password: cannot check" "the second secret"
expect_said "$T/out" "gone.pw: cannot open" "names the missing file"
expect_said "$T/out" "Fix: write the secret into gone.pw" "says where to write it"
expect_not_in "$T/out" "redis.internal" "Redis is not contacted either"
expect_status 0 "check --help" -- "$BIN" check --help
expect_in "$T/out" "--timeout SECONDS" "check --help names --timeout"
expect_in "$T/out" "failed_probes" "check --help gives the JSON document"

# A Celery release with workers and no cron: refused, with the symptom.
sed '/^services:/a\  cron: {replicas: 0}' "$T/a-24.8.0.yaml" >"$T/nocron.yaml"
expect_status 1 "check: workers without cron" -- "$BIN" check --offline -a "$T/nocron.yaml"
expect_said "$T/out" "worker runs 2 replicas but cron runs none" "no-cron message"
expect_said "$T/out" "Background workers haven't checked in recently" "no-cron symptom"
expect_said "$T/out" "Fix: Run exactly one scheduler and at least one worker: services.cron.replicas: 1" "no-cron fix"
expect_status 1 "generate refuses on errors" -- "$BIN" generate -a "$T/nocron.yaml" -o "$T/nocron-out"
expect_in "$T/err" "nothing written: fix the errors above, or pass --force" "refusal message"
expect_true "nothing written when refused" test ! -e "$T/nocron-out"
expect_status 0 "generate --force" -- "$BIN" generate -a "$T/nocron.yaml" -o "$T/nocron-out" --force
expect_true "--force writes" test -f "$T/nocron-out/RUNBOOK.md"

sed '/^services:/a\  cron: {replicas: 2}' "$T/a-24.8.0.yaml" >"$T/twocron.yaml"
expect_status 1 "check: two crons" -- "$BIN" check --offline -a "$T/twocron.yaml"
expect_in "$T/out" "cron runs 2 replicas; it must run exactly once" "two-cron message"
sed 's/database: default/database: default\n  cluster: sentry_cluster/' "$T/a-24.8.0.yaml" >"$T/cluster.yaml"
expect_status 1 "check: ClickHouse cluster" -- "$BIN" check --offline -a "$T/cluster.yaml"
expect_in "$T/out" "clickhouse-no-distributed  clickhouse.cluster" "cluster finding"
expect_said "$T/out" "Snuba supports one single-node ClickHouse only" "cluster reason"
{ sed 's/kind: kubernetes/kind: swarm/' "$T/swarm.yaml"
  printf 'hosts:\n  - {name: n1, address: 10.0.0.1, roles: [web]}\n  - {name: n2, address: 10.0.0.2}\n'
} >"$T/oneweb.yaml"
expect_status 0 "check: web on one Swarm host" -- "$BIN" check --offline -a "$T/oneweb.yaml"
expect_in "$T/out" "swarm-group-one-host  hosts[0].roles ($T/oneweb.yaml:" "one-host finding"
expect_said "$T/out" "only n1 has the role web" "one-host names the host"
expect_said "$T/out" "give web to n2 as well" "one-host names the other host"

# Autoscaling: explain's line, and the rules' errors refuse generate.
sed -e 's/^  kind: kubernetes/  kind: kubernetes\n  autoscaling: keda/' \
    -e '/^services:/a\  events-consumer: {max_replicas: 3}' "$T/a-24.8.0.yaml" >"$T/keda.yaml"
expect_status 0 "explain web under keda" -- "$BIN" explain web -a "$T/keda.yaml"
expect_in "$T/out" "autoscaling  HPA 3..6 on CPU 70% of the request" "explain: web's HPA"
expect_status 0 "explain a consumer under keda" -- "$BIN" explain events-consumer -a "$T/keda.yaml"
expect_in "$T/out" "autoscaling  KEDA on topic ingest-events lag 1000 (group ingest-consumer), 2..3 (bounded by 3 partitions)" "explain: the consumer's KEDA line"
expect_status 0 "explain cron under keda" -- "$BIN" explain cron -a "$T/keda.yaml"
expect_in "$T/out" "autoscaling  none (its role runs a fixed number of copies)" "explain: cron is not scaled"
sed '/^services:/a\  cron: {max_replicas: 2}' "$T/keda.yaml" >"$T/keda-cron.yaml"
expect_status 1 "check: max_replicas on cron" -- "$BIN" check --offline -a "$T/keda-cron.yaml"
expect_in "$T/out" "autoscaling-singleton  services.cron.max_replicas ($T/keda-cron.yaml:" "autoscaling-singleton finding"
expect_said "$T/out" "cron is singleton and is not autoscaled" "autoscaling-singleton message"
expect_status 1 "generate refuses max_replicas on cron" -- "$BIN" generate -a "$T/keda-cron.yaml" -o "$T/keda-cron-out"
expect_true "nothing written for max_replicas on cron" test ! -e "$T/keda-cron-out"
sed 's/events-consumer: {max_replicas: 3}/events-consumer: {replicas: 3, max_replicas: 2}/' "$T/keda.yaml" >"$T/keda-low.yaml"
expect_status 2 "generate: max_replicas below replicas" -- "$BIN" generate -a "$T/keda-low.yaml" -o "$T/keda-low-out"
expect_in "$T/err" "services.events-consumer.max_replicas: 2 is below the service's replicas (3)" "max_replicas below replicas says why"
sed 's/autoscaling: keda/autoscaling: kedda/' "$T/keda.yaml" >"$T/keda-typo.yaml"
expect_status 2 "generate: autoscaling typo" -- "$BIN" generate -a "$T/keda-typo.yaml" -o "$T/keda-typo-out"
expect_in "$T/err" "target.autoscaling" "autoscaling typo names the field"

# deploy: what it refuses before it reaches a host, and a host it cannot
# reach (the copy and the run are in the Swarm engine suite).
expect_status 0 "deploy --help" -- "$BIN" deploy --help
expect_in "$T/out" "--dry-run" "deploy --help names --dry-run"
expect_status 2 "deploy on Kubernetes" -- "$BIN" deploy -a "$T/a-24.8.0.yaml" -o "$T"
expect_said "$T/err" "target.kind is kubernetes: deploy is for Docker Swarm" "deploy says it is for Swarm"
expect_status 2 "deploy without a manager" -- "$BIN" deploy -a "$T/oneweb.yaml" -o "$T"
expect_said "$T/err" "hosts: names no manager" "deploy says no manager"
expect_status 2 "deploy --host that is no host" -- "$BIN" deploy -a "$T/oneweb.yaml" -o "$T" --host n9
expect_in "$T/err" "--host n9: no host of that name" "deploy names the unknown host"
expect_status 2 "deploy to an output folder that is not there" -- "$BIN" deploy -a "$T/oneweb.yaml" -o "$T/nothing" --host n1
expect_status 3 "deploy from a folder generate did not write" -- "$BIN" deploy -a "$T/oneweb.yaml" -o "$T" --host n1
expect_said "$T/err" "no output of sentry-ha-setup here" "deploy says the folder is not an output"
sed 's/address: 10.0.0.1,/address: 127.0.0.1, port: 1,/' "$T/oneweb.yaml" >"$T/closed.yaml"
expect_status 0 "generate for deploy" -- "$BIN" generate -a "$T/closed.yaml" -o "$T/closed-out"
expect_status 3 "deploy to a closed port" -- env -u SSH_AUTH_SOCK HOME="$T" "$BIN" deploy -a "$T/closed.yaml" -o "$T/closed-out" --host n1 --yes
expect_in "$T/out" "Deploy onto n1 (root@127.0.0.1, port 1)" "deploy says what it would do first"
expect_said "$T/err" "n1 (root@127.0.0.1:1): 127.0.0.1:1 refused the connection" "deploy names the host it cannot reach"

# explain reads like documentation.
expect_status 0 "explain (list)" -- "$BIN" explain
expect_in "$T/out" "cron-singleton" "explain lists the rules"
expect_status 0 "explain a rule" -- "$BIN" explain worker-needs-cron
expect_in "$T/out" "Why" "explain gives why"
expect_in "$T/out" "Source" "explain gives the source"
expect_status 0 "explain the one-host rule" -- "$BIN" explain swarm-group-one-host
expect_in "$T/out" "placement constraint is a hard one" "explain swarm-group-one-host"
expect_status 0 "explain a service" -- "$BIN" explain web -a "$T/a-24.8.0.yaml"
expect_in "$T/out" "stateless-http" "explain gives the role"
expect_in "$T/out" "sentry-config at /etc/sentry" "explain gives the volumes"
expect_in "$T/out" "rule:config-in-every-sentry-container" "explain gives the sources"
expect_in "$T/out" "  resources    requests cpu 500m, memory 1Gi; limits memory 2312Mi (none for cpu)" "explain gives requests and limits"
# Placement: the answers' node selector and tolerations, the zone spread,
# the ingest path's priority class.
sed -e 's|^  namespace: sentry$|  namespace: sentry\n  zones: true\n  node_selector: {disktype: ssd}\n  tolerations: [{key: dedicated, value: sentry, effect: NoSchedule}]|' \
    -e 's|^  web: {replicas: 3}$|  web: {replicas: 3}\n  relay: {node_selector: {edge: "true"}}|' \
    "$T/a-24.8.0.yaml" >"$T/place.yaml"
cp "$T/a-24.8.0.keys.yaml" "$T/place.keys.yaml"
expect_status 0 "explain placement" -- "$BIN" explain relay -a "$T/place.yaml"
expect_in "$T/out" "  placement    node selector: disktype=ssd, edge=true" "explain gives the merged node selector"
expect_in "$T/out" "tolerates: dedicated=sentry:NoSchedule" "explain gives the tolerations"
expect_in "$T/out" "spread: kubernetes.io/hostname, topology.kubernetes.io/zone" "explain gives the spread keys"
expect_in "$T/out" "priority class: sentry-ingest" "explain gives the priority class"
expect_status 0 "explain placement of a non-ingest service" -- "$BIN" explain worker -a "$T/place.yaml"
expect_in "$T/out" "priority class: none" "no priority class off the ingest path"
expect_status 2 "explain a typo" -- "$BIN" explain wbe -a "$T/a-24.8.0.yaml"
expect_in "$T/err" '(did you mean "web"?)' "explain suggestion"

# Every usage error of every command, wherever it is found, ends with the
# way to that command's help.
expect_usage() {	# expect_usage COMMAND ARGS...
	expect_status 2 "usage error: $*" -- "$BIN" "$@"
	expect_true "usage error ends with its Try line: $*" \
	    test "$(tail -n 1 "$T/err")" = "Try: sentry-ha-setup $1 --help"
}
expect_usage generate --target k8s -a "$T/a-24.8.0.yaml" -o "$T/x"
expect_in "$T/err" "--target k8s: expected kubernetes or swarm" "invalid --target value"
expect_usage generate --target k8s -a "$T/none.yaml" -o "$T/x"
expect_in "$T/err" "--target k8s" "a flag is judged before the answers are read"
expect_usage generate --secrets-from "$T/nowhere" -a "$T/a-24.8.0.yaml" -o "$T/x"
expect_in "$T/err" "--secrets-from $T/nowhere: no such folder; expected a folder" "--secrets-from message"
expect_usage generate --outptu x
expect_usage generate -a
expect_usage generate extra
expect_usage generate --force=yes
expect_usage check --only , -a "$T/a-24.8.0.yaml"
expect_in "$T/err" "--only ,: names no check" "an --only that names nothing"
expect_usage check --only redsi -a "$T/a-24.8.0.yaml"
expect_usage check --timeout 0 --offline -a "$T/a-24.8.0.yaml"
expect_usage check --jobs 0 -a "$T/a-24.8.0.yaml"
expect_usage check --offline --secrets-from "$T/a-24.8.0.yaml" -a "$T/a-24.8.0.yaml"
expect_in "$T/err" "not a folder; expected a folder" "--secrets-from a file"
expect_usage check --bogus
expect_usage explain a b
expect_usage explain wbe -a "$T/a-24.8.0.yaml"
expect_usage explain --bogus
expect_usage profiles extra
expect_usage profiles --bogus
expect_usage wizard --bogus
expect_usage wizard extra
expect_true "nothing written by usage errors" test ! -e "$T/x"

# A name the release does not know: what it became, who runs it, or the
# nearest names.
expect_status 2 "explain cron on 26.8.0" -- "$BIN" explain cron -a "$T/a-26.8.0.yaml"
expect_in "$T/err" 'explain: Sentry 26.8.0 has no service "cron": it became taskscheduler (Celery beat was removed in 25.10.0)' "cron became taskscheduler"
expect_in "$T/err" "see: sentry-ha-setup explain taskscheduler -a $T/a-26.8.0.yaml" "points at its successor"
expect_status 0 "the successor it points at" -- "$BIN" explain taskscheduler -a "$T/a-26.8.0.yaml"
expect_status 2 "explain worker on 26.8.0" -- "$BIN" explain worker -a "$T/a-26.8.0.yaml"
expect_in "$T/err" "it became taskworker" "worker became taskworker"
expect_status 2 "explain taskworker on 24.8.0" -- "$BIN" explain taskworker -a "$T/a-24.8.0.yaml"
expect_in "$T/err" 'Sentry 26.5.1, 26.7.0 and 26.8.0 run a service "taskworker"' "names the release that runs it"
expect_status 2 "explain a service this deployment does not run" -- "$BIN" explain geoipupdate -a "$T/a-24.8.0.yaml"
expect_in "$T/err" 'this deployment does not run "geoipupdate": it runs only with geoip: in' "says what turns it on"
expect_status 2 "explain a typo near two names" -- "$BIN" explain cron-singletn -a "$T/a-24.8.0.yaml"
expect_in "$T/err" '(did you mean "cron-singleton"' "nearest rule"

# A folder that is not ours is never replaced.
mkdir -p "$T/precious" && echo keep >"$T/precious/notes.txt"
cp "$T/a-24.8.0.yaml" "$T/fresh.yaml"
expect_status 3 "foreign output folder" -- "$BIN" generate -a "$T/fresh.yaml" -o "$T/precious"
expect_in "$T/err" "was not written by sentry-ha-setup" "foreign folder message"
expect_in "$T/precious/notes.txt" "keep" "foreign folder untouched"
expect_true "only the notes in the foreign folder" test "$(ls -A "$T/precious")" = notes.txt
expect_true "no keys file after a refused run" test ! -e "$T/fresh.keys.yaml"

# ... also when it holds the answers: the folder is what is wrong (exit 3,
# as for any folder that may not be replaced), and the message says both.
mkdir -p "$T/mine" && cp "$T/a-24.8.0.yaml" "$T/mine/a.yaml" && cp "$T/redis.pw" "$T/mine/"
expect_status 3 "foreign output folder that holds the answers" -- "$BIN" generate -a "$T/mine/a.yaml" -o "$T/mine"
expect_in "$T/err" "mine: exists and was not written by sentry-ha-setup" "says the folder is not ours"
expect_in "$T/err" "a.yaml is in it: keep the answers and their keys outside the output folder" "says the answers are in it"
expect_true "the answers survive" cmp -s "$T/a-24.8.0.yaml" "$T/mine/a.yaml"
expect_true "no keys written beside them" test ! -e "$T/mine/a.keys.yaml"

# This installation's own files missing is an environment failure (exit 3),
# not invalid input.
mkdir -p "$T/data/assets" && cp -r "$ROOT/profiles" "$T/data/"
SENTRY_HA_SETUP_DATA="$T/data" expect_status 3 "no rule catalogue (explain)" -- "$BIN" explain
expect_in "$T/err" "assets/rules/catalogue.yaml: cannot open" "names the catalogue"
SENTRY_HA_SETUP_DATA="$T/data" expect_status 3 "no rule catalogue (generate)" -- "$BIN" generate -a "$T/a-24.8.0.yaml" -o "$T/data-out"
cp -r "$ROOT/assets/rules" "$T/data/assets/"
SENTRY_HA_SETUP_DATA="$T/data" expect_status 3 "no templates" -- "$BIN" generate -a "$T/a-24.8.0.yaml" -o "$T/data-out"
expect_in "$T/err" "assets/templates/" "names the template"
expect_true "nothing written without the templates" test ! -e "$T/data-out"

# upgrade: the chain through every hard stop, each hop's folder; and what
# cannot be.
expect_status 0 "upgrade --help" -- "$BIN" upgrade --help
expect_in "$T/out" "hard stop" "upgrade --help says why there are hops"
expect_usage upgrade -a "$T/a-24.8.0.yaml"
expect_in "$T/err" "--to VERSION is required" "upgrade says --to is needed"
expect_usage upgrade --to 26.8.0 --timeout 0 -a "$T/a-24.8.0.yaml"
expect_in "$T/err" "--timeout 0: expected a number of seconds from 0.001 to 300" "upgrade --timeout is judged"
expect_usage upgrade --to 25.1.0 \
    -a "$T/a-24.8.0.yaml" --offline -o "$T/up-none"
expect_in "$T/err" "no profile for Sentry 25.1.0 (the profiles are 10.1.0" "upgrade lists the profiles"
expect_usage upgrade --to 23.11.0 -a "$T/a-24.8.0.yaml" \
    --offline -o "$T/up-down"
expect_in "$T/err" "cannot be downgraded" "upgrade refuses a downgrade"
expect_usage upgrade --to 24.8.0 \
    -a "$T/a-24.8.0.yaml" --offline -o "$T/up-same"
expect_in "$T/err" "there is nothing to upgrade" "upgrade to the same release"
expect_true "nothing written by a refused upgrade" test ! -e "$T/up-down" -a ! -e "$T/up-none"
cp "$T/a-10.1.0.yaml" "$T/nokeys.yaml"
expect_status 2 "upgrade without the keys file" -- "$BIN" upgrade --to 26.8.0 \
    -a "$T/nokeys.yaml" --offline -o "$T/up-nokeys"
expect_in "$T/err" "an upgrade must keep the secret key" "upgrade keeps the secret key"
expect_true "no keys invented by an upgrade" test ! -e "$T/nokeys.keys.yaml" -a ! -e "$T/up-nokeys"
expect_status 0 "upgrade 10.1.0 to 26.8.0" -- "$BIN" upgrade --to 26.8.0 \
    -a "$T/a-10.1.0.yaml" --offline -o "$T/up"
expect_in "$T/out" "Upgrading Sentry 10.1.0 to 26.8.0: 8 hops" "eight hops"
expect_in "$T/out" "05-24.8.0-to-25.5.1      Sentry 25.5.1   hard stop" "the 25.5.1 hop"
expect_true "one folder per hop" test "$(ls -d "$T"/up/0* | wc -l)" -eq 8
expect_in "$T/up/UPGRADE.md" "[\`04-23.11.0-to-24.8.0/\`](04-23.11.0-to-24.8.0/RUNBOOK.md)" "UPGRADE.md links each hop"
expect_in "$T/up/06-25.5.1-to-26.5.1/CHANGES.md" "- \`worker -> taskworker\`" "the hop names the rename"
expect_not_in "$T/up/06-25.5.1-to-26.5.1/CHANGES.md" "- \`taskworker\`" "a successor is not new"
expect_in "$T/up/06-25.5.1-to-26.5.1/RUNBOOK.md" "kubectl -n sentry scale deployment/worker --replicas=0" "the old worker stops first"
expect_in "$T/up/06-25.5.1-to-26.5.1/RUNBOOK.md" "kubectl apply -f 06-25.5.1-to-26.5.1/kubernetes/jobs/" "the hop's migrations"
expect_in "$T/up/06-25.5.1-to-26.5.1/RUNBOOK.md" "## 3. Create the Kafka topics" "the new topics before the migrations"
expect_in "$T/up/06-25.5.1-to-26.5.1/RUNBOOK.md" "kubectl apply -f 06-25.5.1-to-26.5.1/kubernetes/secrets.yaml -f 06-25.5.1-to-26.5.1/kubernetes/config.yaml" "the configuration the jobs mount"
expect_in "$T/up/06-25.5.1-to-26.5.1/RUNBOOK.md" "| events | \`0030_add_group_first_seen_column_to_errors\` |" "the migrations to verify"
expect_in "$T/up/06-25.5.1-to-26.5.1/RUNBOOK.md" "delete deployment,statefulset,cronjob -l app.kubernetes.io/name=worker" "the old worker goes"
expect_in "$T/up/08-26.7.0-to-26.8.0/kubernetes/services/taskworker.yaml" 'version: "26.8.0"' "the last hop's output is 26.8.0's"
expect_true "the secrets of each hop are 0600" test "$(stat -c %a "$T/up/08-26.7.0-to-26.8.0/kubernetes/secrets.yaml")" = 600
a=$(grep -h "secret-key" "$T/out-10.1.0/kubernetes/secrets.yaml" | head -1)
expect_in "$T/up/08-26.7.0-to-26.8.0/kubernetes/secrets.yaml" "$a" "every hop keeps the deployment's secret key"
expect_status 0 "upgrade --json" -- "$BIN" upgrade --to 24.8.0 -a "$T/a-10.1.0.yaml" \
    --offline --json -o "$T/up-json"
expect_true "upgrade --json is JSON with the hops" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["from"]=="10.1.0" and d["to"]=="24.8.0" and d["written"] and [h["release"] for h in d["hops"]]==["21.6.3","23.6.2","23.11.0","24.8.0"], d' "$T/out"

# The steps along the upgrade: the first hop's backup confirmed, then the
# hop verified. What --verify needs is refused before any server is read.
cp "$T/a-10.1.0.yaml" "$T/steps.yaml" && cp "$T/a-10.1.0.keys.yaml" "$T/steps.keys.yaml"
expect_in "$T/up/01-10.1.0-to-21.6.3/RUNBOOK.md" "sentry-ha-setup upgrade --to 26.8.0 -a $T/a-10.1.0.yaml --backup-done" "the runbook's backup step names the tool's"
expect_in "$T/up/01-10.1.0-to-21.6.3/RUNBOOK.md" "sentry-ha-setup upgrade --to 26.8.0 -a $T/a-10.1.0.yaml --verify" "the runbook's verify step names the tool's"
expect_status 0 "upgrade shows the first hop's state" -- "$BIN" upgrade --to 26.8.0 -a "$T/steps.yaml" --offline -o "$T/up-steps"
expect_in "$T/out" "      next: take the backups (RUNBOOK.md step 1), then --backup-done" "the first hop is next"
expect_usage upgrade --to 26.8.0 -a "$T/steps.yaml" --verify --offline
expect_in "$T/err" "--verify reads the live databases: it cannot be --offline" "verify is live"
expect_usage upgrade --to 26.8.0 -a "$T/steps.yaml" --verify --backup-done
expect_in "$T/err" "--backup-done and --verify are two steps: give one" "one step at a time"
expect_status 1 "verify before the backup is confirmed" -- "$BIN" upgrade --to 26.8.0 -a "$T/steps.yaml" --verify
expect_in "$T/err" "hop 01-10.1.0-to-21.6.3: its backup is not confirmed; take the backups of its RUNBOOK.md step 1, then say so with upgrade --to 26.8.0 --backup-done" "verify waits for the backup"
expect_true "nothing recorded by a refused verify" test ! -e "$T/steps.yaml.upgrade"
expect_true "the answers stay as they were" cmp -s "$T/a-10.1.0.yaml" "$T/steps.yaml"
expect_status 0 "backup-done" -- "$BIN" upgrade --to 26.8.0 -a "$T/steps.yaml" --backup-done -o "$T/up-bk"
expect_in "$T/out" "Hop 01-10.1.0-to-21.6.3: backup confirmed at 20" "backup-done says when"
expect_in "$T/out" "then sentry-ha-setup upgrade --to 26.8.0 -a $T/steps.yaml --verify" "backup-done says what next"
expect_true "backup-done writes no folder" test ! -e "$T/up-bk"
expect_true "the record is 0600" test "$(stat -c %a "$T/steps.yaml.upgrade")" = 600
expect_true "the record holds the hop and its time" grep -Eq '^  backup_done: "20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z"$' "$T/steps.yaml.upgrade"
expect_in "$T/steps.yaml.upgrade" '- from: "10.1.0"' "the record names the hop"
expect_status 0 "the plan after the backup" -- "$BIN" upgrade --to 26.8.0 -a "$T/steps.yaml" --offline -o "$T/up-steps" --json
expect_true "--json has the first hop backed up and the rest waiting" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); h=d["hops"]; assert h[0]["state"]=="backed-up" and h[0]["backup_done"].endswith("Z") and all(x["state"]=="waiting" and x["backup_done"] is None for x in h[1:]) and d["done"]==[], d' "$T/out"
printf 'hops:\n  - from: 10.1.0\n' >"$T/steps.yaml.upgrade"
expect_status 2 "a damaged record" -- "$BIN" upgrade --to 26.8.0 -a "$T/steps.yaml" --offline -o "$T/up-steps"
expect_in "$T/err" "steps.yaml.upgrade:2: a hop needs from and to" "the damaged record is named with its line"

finish "cli"
