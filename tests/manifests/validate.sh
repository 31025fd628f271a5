#!/bin/sh
# Every generated manifest, for every release and a spread of answers,
# through third-party checks. Kubernetes: the 1.27 schema and its
# TypeScript types (unknown fields, wrong types), and `kubectl kustomize`.
# Swarm: `docker-compose config -q` and `docker stack config`, both offline.
# Usage: tests/manifests/validate.sh BINARY
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$ROOT/tests/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM

base() {	# base VERSION FILESTORE-YAML [EXTRA]
	cat <<YAML
schema: 1
sentry: {version: "$1", url_prefix: "https://sentry.example.com", admin_email: ops@example.com}
target: {kind: kubernetes, namespace: sentry-ha, storage_class: rwx, ingress_host: sentry.example.com}
postgres: {host: pg.internal, password: "pg-pass"}
redis: {host: redis.internal, password: "redis:pass#1"}
clickhouse: {host: ch.internal$(ch_password "$1")}
memcached: {hosts: ["mc1:11211", "mc2:11211"]}
smtp: {host: smtp.internal, username: sentry, password: "mail-pass", from: sentry@example.com}
filestore: $2
${3:-$KAFKA}
YAML
}
# Snuba of 10.1.0 cannot log in to ClickHouse with a password (the rule
# middleware-credentials refuses it), so its variants run without one.
ch_password() {
	case $1 in 10.1.0) ;; *) printf ', password: "ch-pass"' ;; esac
}
KAFKA='kafka: {brokers: ["k1:9092", "k2:9092", "k3:9092"]}'
echo '{"type": "service_account"}' >"$T/gcs.json"
PVC='{backend: filesystem, shared_volume: {kind: pvc, size: 200Gi}}'
NFS_S3='{backend: s3, s3: {bucket: sentry, region: eu-west-1, endpoint: "https://s3.internal", access_key: AK, secret_key: "S/K+"}, shared_volume: {kind: nfs, nfs: {server: nfs.internal, path: /exports/sentry}}}'
GCS="{backend: gcs, gcs: {bucket: sentry, credentials_file: $T/gcs.json}, shared_volume: {kind: pvc}}"
SASL='kafka: {brokers: ["k1:9093"], security_protocol: SASL_SSL, sasl_mechanism: SCRAM-SHA-512, username: sentry, password: "k&pass"}'

# python_files NAME DIR: the configuration files compile, and Snuba's
# partition counts are the runbook's.
python_files() {
	if python3 "$ROOT/tests/manifests/check-python.py" "$2" >"$T/py.log" 2>&1; then ok; else
		fail "$1: Python configuration"; sed 's/^/    /' "$T/py.log" | head -5
	fi
}

# pod_security NAME DIR [LEVEL]: every pod template meets the Pod Security
# level the Namespace enforces (tests/k8s/check-restricted.mjs), and that
# level is LEVEL when given.
pod_security() {
	if (cd "$ROOT/tests/k8s" && node check-restricted.mjs ${3:+--level "$3"} \
	    $(find "$2/kubernetes" -name '*.yaml' | sort)) >"$T/psa.log" 2>&1; then ok; else
		fail "$1: Pod Security"; sed 's/^/    /' "$T/psa.log" | head -10
	fi
	tail -n 1 "$T/psa.log" | sed "s/^/  $1: /"
}
# The level a variant's pods must reach: the images of 10.1.0 and 21.6.3
# start Snuba as root (gosu), and an nfs volume is not a restricted type.
level_of() {	# level_of ANSWERS VERSION
	case $2 in 10.1.0|21.6.3) echo baseline; return ;; esac
	if grep -q 'kind: nfs' "$1"; then echo baseline; else echo restricted; fi
}

# Air-gapped: the Loader's own host and the ranges Sentry may not call, in
# the sentry: line; a stand-in GeoLite2 file.
echo 'not a GeoLite2 database' >"$T/GeoLite2-City.mmdb"
AIRGAP="air_gapped: true
registry: \"registry.internal:5000/sentry\"
geoip: {database_file: $T/GeoLite2-City.mmdb}"
airgap_sentry() {	# airgap_sentry FILE
	sed -i 's|^sentry: {version|sentry: {js_sdk_url: "https://sentry.example.com/js-sdk/%s/bundle%s.min.js", disallowed_ips: [127.0.0.0/8, "::1/128"], version|' "$1"
}

# Placement: every placement answer, globally and for services.
place_target() {	# place_target FILE
	sed -i 's|^target: {kind: kubernetes|target: {zones: true, node_selector: {node-role.example.com/sentry: "true", disktype: ssd}, tolerations: [{key: dedicated, value: sentry, effect: NoSchedule}, {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, toleration_seconds: 120}, {operator: Exists, effect: PreferNoSchedule}], kind: kubernetes|' "$1"
	case $1 in *own-class*)
		sed -i 's|^target: {|target: {priority_class: platform-ingest, |' "$1"
	esac
}
PLACE_SERVICES='services: {relay: {replicas: 3, node_selector: {edge: "true", disktype: nvme}, tolerations: [{key: edge, operator: Exists}]}, web: {tolerations: [{key: batch, value: "yes", effect: NoExecute, toleration_seconds: 30}]}}'

n=0
variant() {	# variant NAME VERSION FILESTORE [EXTRA-YAML...]
	name=$1; v=$2; fs=$3; shift 3
	n=$((n + 1))
	{ base "$v" "$fs" "${1:-}"; [ $# -gt 1 ] && printf '%s\n' "$2"; } >"$T/$name.yaml"
	case $name in *errors-only*)
		sed -i 's/^sentry: {version/sentry: {features: errors-only, version/' "$T/$name.yaml"
	esac
	case $name in *airgap*) airgap_sentry "$T/$name.yaml" ;; esac
	case $name in *netpol*)
		sed -i 's/^target: {kind: kubernetes/target: {kind: kubernetes, network_policy: true, ingress_namespace: edge/' "$T/$name.yaml"
	esac
	# Sentry's outbound integrations: every range, IPv4 and IPv6, with the
	# cluster's ranges left out (an ipBlock with except).
	case $name in *netpol-egress*)
		sed -i 's|^target: {kind: kubernetes|target: {egress_cidrs: [0.0.0.0/0, "::/0", 203.0.113.0/24], egress_except: [10.0.0.0/8, 172.16.0.0/12, "fd00::/8"], kind: kubernetes|' "$T/$name.yaml"
	esac
	case $name in *netpol-ips*)
		sed -i 's/{host: pg.internal/{host: 10.0.0.10/; s/{host: redis.internal/{host: "fd00::11"/' "$T/$name.yaml"
	esac
	case $name in place*) place_target "$T/$name.yaml" ;; esac
	case $name in hpa-*|keda-*)
		sed -i "s/ingress_host: sentry.example.com}/ingress_host: sentry.example.com, autoscaling: ${name%%-*}}/" "$T/$name.yaml"
	esac
	if ! "$BIN" generate -a "$T/$name.yaml" -o "$T/$name" >"$T/gen.log" 2>&1; then
		fail "$name: generate failed"; sed 's/^/    /' "$T/gen.log"; return
	fi
	ok
	case $name in *netpol*)
		if grep -q 'kind: NetworkPolicy' "$T/$name/kubernetes/network-policy.yaml" 2>/dev/null; then ok; else
			fail "$name: no NetworkPolicy in kubernetes/network-policy.yaml"
		fi
	esac
	if (cd "$ROOT/tests/k8s" && node check-manifests.mjs $(find "$T/$name/kubernetes" -name '*.yaml' | sort)) >"$T/check.log" 2>&1; then
		ok
	else
		fail "$name: manifests rejected"; sed 's/^/    /' "$T/check.log" | head -20
	fi
	tail -n 1 "$T/check.log" | sed "s/^/  $name: /"
	pod_security "$name" "$T/$name" "$(level_of "$T/$name.yaml" "$v")"
	python_files "$name" "$T/$name"
	if kubectl kustomize "$T/$name/kubernetes" >"$T/$name.built" 2>"$T/kz.log"; then ok; else
		fail "$name: kubectl kustomize"; sed 's/^/    /' "$T/kz.log" | head -5
	fi
}

for v in 10.1.0 21.6.3 23.6.2 23.11.0 24.8.0 25.5.1 26.5.1 26.7.0 26.8.0; do
	variant "pvc-$v" "$v" "$PVC"
	variant "s3-nfs-$v" "$v" "$NFS_S3"
done
variant "gcs-26.8.0" 26.8.0 "$GCS"
variant "sasl-24.8.0" 24.8.0 "$PVC" "$SASL"
variant "sasl-26.8.0" 26.8.0 "$PVC" "$SASL"
for v in 10.1.0 24.8.0 26.8.0; do
	variant "airgap-$v" "$v" "$PVC" "" "$AIRGAP"
done
# NetworkPolicies: DNS names (any address on the port) and IP literals
# (ipBlock /32 and /128), every flow's policy through the schema.
variant "netpol-24.8.0" 24.8.0 "$NFS_S3"
variant "netpol-26.8.0" 26.8.0 "$PVC"
variant "netpol-ips-26.8.0" 26.8.0 "$GCS" \
    'kafka: {brokers: ["10.0.0.21:9092", "[fd00::23]:9092"]}'
variant "netpol-egress-24.8.0" 24.8.0 "$PVC"
variant "netpol-egress-26.8.0" 26.8.0 "$NFS_S3"
for e in 24.8.0 26.8.0; do
	expect_true "netpol-egress-$e: web's policy has the ranges with except" \
	    awk '/^  name: allow-web$/ { on = 1 } /^---/ { on = 0 }
	        on && /except:/ { n++ } END { exit n != 2 }' \
	    "$T/netpol-egress-$e/kubernetes/network-policy.yaml"
done
variant "errors-only-registry-26.8.0" 26.8.0 "$PVC" "" \
    'registry: "registry.internal:5000/sentry"
services: {web: {replicas: 4}, taskbroker: {replicas: 2}, taskworker: {replicas: 6}}'
# Autoscaling: HPAs, KEDA ScaledObjects and, with SASL, KEDA's
# TriggerAuthentication, through the KEDA types of tests/k8s/crd.
variant "hpa-26.8.0" 26.8.0 "$PVC" "" 'services: {web: {max_replicas: 8}}'
variant "keda-24.8.0" 24.8.0 "$NFS_S3" "" 'services: {events-consumer: {max_replicas: 6}}'
variant "keda-sasl-26.8.0" 26.8.0 "$PVC" "$SASL"
expect_true "keda-24.8.0: web has an HPA" grep -q "kind: HorizontalPodAutoscaler" "$T/keda-24.8.0/kubernetes/services/web.yaml"
expect_true "keda-24.8.0: events-consumer has a ScaledObject" grep -q "kind: ScaledObject" "$T/keda-24.8.0/kubernetes/services/events-consumer.yaml"
expect_true "keda-sasl-26.8.0 has a TriggerAuthentication" grep -q "kind: TriggerAuthentication" "$T/keda-sasl-26.8.0/kubernetes/autoscaling.yaml"

variant "place-26.8.0" 26.8.0 "$PVC" "" "$PLACE_SERVICES"
variant "place-own-class-24.8.0" 24.8.0 "$PVC" "" "$PLACE_SERVICES"
# The PriorityClass: ours (cluster-scoped, in the kustomization) unless the
# platform team names its own.
if grep -q '^kind: PriorityClass' "$T/place-26.8.0/kubernetes/priorityclass.yaml" 2>/dev/null &&
    grep -q 'priorityClassName: sentry-ha-ingest' "$T/place-26.8.0/kubernetes/services/relay.yaml" &&
    grep -q 'priorityclass.yaml' "$T/place-26.8.0/kubernetes/kustomization.yaml" &&
    [ ! -e "$T/place-own-class-24.8.0/kubernetes/priorityclass.yaml" ] &&
    grep -q 'priorityClassName: platform-ingest' "$T/place-own-class-24.8.0/kubernetes/services/relay.yaml" &&
    grep -q 'topology.kubernetes.io/zone' "$T/place-26.8.0/kubernetes/services/relay.yaml"; then ok; else
	fail "place: the PriorityClass, its users or the zone spread are not as answered"
fi

swarm_variant() {	# swarm_variant NAME VERSION FILESTORE [KAFKA-YAML [EXTRA-YAML]]
	name=$1
	{ base "$2" "$3" "${4:-}"; [ $# -gt 4 ] && printf '%s\n' "$5"; } |
	    sed 's/kind: kubernetes/kind: swarm/' >"$T/$name.yaml"
	case $name in *airgap*) airgap_sentry "$T/$name.yaml" ;; esac
	n=$((n + 1))
	if ! "$BIN" generate -a "$T/$name.yaml" -o "$T/$name" >"$T/gen.log" 2>&1; then
		fail "$name: generate failed"; sed 's/^/    /' "$T/gen.log"; return
	fi
	ok
	files=0
	for f in "$T/$name"/swarm/stacks/*.yml; do
		files=$((files + 1))
		if docker-compose -f "$f" config -q >"$T/dc.log" 2>&1; then ok; else
			fail "$name: docker-compose rejects ${f##*/}"; grep -v WARNING "$T/dc.log" | head -5
		fi
		if docker stack config -c "$f" >/dev/null 2>"$T/ds.log"; then ok; else
			fail "$name: docker stack config rejects ${f##*/}"; head -5 "$T/ds.log"
		fi
	done
	printf '  %s: %d stack files checked by docker-compose and docker stack\n' "$name" "$files"
	python_files "$name" "$T/$name"
}

SSHFS='{backend: filesystem, shared_volume: {kind: sshfs, sshfs: {host: node3, user: sentry, path: /srv/sentry}}}'
NFS='{backend: filesystem, shared_volume: {kind: nfs, nfs: {server: nfs.internal, path: /exports/sentry}}}'
HOSTPATH='{backend: filesystem, shared_volume: {kind: hostpath, hostpath: {path: /srv/sentry-shared}}}'
for v in 10.1.0 21.6.3 23.6.2 23.11.0 24.8.0 25.5.1 26.5.1 26.7.0 26.8.0; do
	swarm_variant "swarm-sshfs-$v" "$v" "$SSHFS"
	swarm_variant "swarm-nfs-$v" "$v" "$NFS"
done
for v in 10.1.0 24.8.0 26.8.0; do
	swarm_variant "swarm-hostpath-$v" "$v" "$HOSTPATH"
done
swarm_variant "swarm-airgap-24.8.0" 24.8.0 "$NFS" "" "$AIRGAP"
swarm_variant "swarm-airgap-26.8.0" 26.8.0 "$SSHFS" "" "$AIRGAP"
swarm_variant "swarm-s3-sasl-26.8.0" 26.8.0 \
    '{backend: s3, s3: {bucket: sentry, access_key: AK, secret_key: "S$K"}, shared_volume: {kind: nfs, nfs: {server: nfs.internal, path: /exports/sentry}}}' \
    "$SASL" 'hosts: [{name: node1, address: 10.0.0.11, roles: [manager, web]}]'

# An upgrade from the seed release: every hop's output through the same
# checkers (the keys generate made for 10.1.0 go on).
upgrade_hops() {	# upgrade_hops NAME
	if ! "$BIN" upgrade --to 26.8.0 --offline -a "$T/$1.yaml" -o "$T/up-$1" \
	    >"$T/up.log" 2>&1; then
		fail "$1: upgrade failed"; sed 's/^/    /' "$T/up.log" | head; return
	fi
	hops=0
	for hop in "$T/up-$1"/[0-9]*/; do
		hops=$((hops + 1))
		if [ -d "$hop/kubernetes" ]; then
			if (cd "$ROOT/tests/k8s" && node check-manifests.mjs $(find "$hop/kubernetes" -name '*.yaml' | sort)) >"$T/check.log" 2>&1 &&
			    kubectl kustomize "$hop/kubernetes" >/dev/null 2>&1; then ok; else
				fail "$1: hop ${hop#"$T/up-$1/"} rejected"; tail -5 "$T/check.log"
			fi
			pod_security "$1 hop $hops" "$hop"
		else
			for f in "$hop"/swarm/stacks/*.yml; do
				if docker-compose -f "$f" config -q >/dev/null 2>&1 &&
				    docker stack config -c "$f" >/dev/null 2>&1; then ok; else
					fail "$1: hop ${hop#"$T/up-$1/"}: ${f##*/} rejected"
				fi
			done
		fi
		python_files "$1 hop $hops" "$hop"
	done
	expect_true "$1: eight hops from 10.1.0 to 26.8.0" test "$hops" -eq 8
	printf '  upgrade %s: %d hops checked\n' "$1" "$hops"
}
upgrade_hops pvc-10.1.0
upgrade_hops swarm-nfs-10.1.0

# Every answers file of the golden output, through the same checkers.
for a in "$ROOT"/tests/golden/answers/*.yaml; do
	g=$(basename "$a" .yaml)
	mkdir -p "$T/golden"
	cp "$ROOT"/tests/golden/answers/* "$T/golden/"
	cp "$ROOT/tests/data/keys-fixture.yaml" "$T/golden/$g.keys.yaml"
	(cd "$T/golden" && SHS_GOLDEN_PG=pg SENTRY_DEMO_PG_PASSWORD=pg \
	    "$BIN" generate -a "$g.yaml" -o "out-$g") >/dev/null 2>&1 || continue
	n=$((n + 1))
	if [ -d "$T/golden/out-$g/kubernetes" ]; then
		if (cd "$ROOT/tests/k8s" && node check-manifests.mjs $(find "$T/golden/out-$g/kubernetes" -name '*.yaml' | sort)) >"$T/check.log" 2>&1 &&
		    kubectl kustomize "$T/golden/out-$g/kubernetes" >/dev/null 2>&1; then ok; else
			fail "golden $g: manifests rejected"; sed 's/^/    /' "$T/check.log" | head -10
		fi
		pod_security "golden $g" "$T/golden/out-$g" >/dev/null
	fi
	python_files "golden $g" "$T/golden/out-$g"
	for f in "$T/golden/out-$g"/swarm/stacks/*.yml; do
		[ -f "$f" ] || continue
		if docker-compose -f "$f" config -q >/dev/null 2>&1 &&
		    docker stack config -c "$f" >/dev/null 2>&1; then ok; else
			fail "golden $g: ${f##*/} rejected"
		fi
	done
done

# The Swarm checkers must be able to fail too: a $ that compose would
# expand, and a replica count that is not a number.
sed 's/\$\$@/$@/' "$T/swarm-sshfs-24.8.0/swarm/stacks/20-sentry.yml" >"$T/bad3.yml"
sed 's/replicas: 1$/replicas: one/' "$T/swarm-sshfs-24.8.0/swarm/stacks/20-sentry.yml" >"$T/bad4.yml"
for bad in bad3 bad4; do
	if docker-compose -f "$T/$bad.yml" config -q >/dev/null 2>&1; then
		fail "docker-compose accepted $bad.yml"; else ok; fi
	if docker stack config -c "$T/$bad.yml" >/dev/null 2>&1; then
		fail "docker stack config accepted $bad.yml"; else ok; fi
done

# The checker must be able to fail: an unknown field and a wrong type.
sed 's/revisionHistoryLimit: 5/revisionHistoryLimitz: 5/' "$T/pvc-24.8.0/kubernetes/services/web.yaml" >"$T/bad1.yaml"
sed 's/port: 9000$/port: "9000"/' "$T/pvc-24.8.0/kubernetes/services/web.yaml" >"$T/bad2.yaml"
# The same for KEDA's types: an unknown field, a count that is a string,
# a missing consumer group, and a KEDA kind with no types of ours.
SO="$T/keda-24.8.0/kubernetes/services/events-consumer.yaml"
sed 's/lagThreshold:/lagThresholdz:/' "$SO" >"$T/bad7.yaml"
sed 's/maxReplicaCount: 6/maxReplicaCount: "6"/' "$SO" >"$T/bad8.yaml"
sed '/consumerGroup:/d' "$SO" >"$T/bad9.yaml"
sed 's/kind: ScaledObject/kind: ScaledJob/' "$SO" >"$T/bad10.yaml"
sed 's/    key: kafka-password/    keyz: kafka-password/' "$T/keda-sasl-26.8.0/kubernetes/autoscaling.yaml" >"$T/bad11.yaml"
for bad in bad1 bad2 bad7 bad8 bad9 bad10 bad11; do
	if (cd "$ROOT/tests/k8s" && node check-manifests.mjs "$T/$bad.yaml") >"$T/check.log" 2>&1; then
		fail "the checker accepted $bad.yaml"
	else
		ok
	fi
done

# The Pod Security check must be able to fail, once for every control: a
# pod of web's Deployment (restricted, 26.8.0) with one breach each.
psa_bad() {	# psa_bad CONTROL SED-SCRIPT: the check names CONTROL
	sed "$2" "$T/pvc-26.8.0/kubernetes/services/web.yaml" >"$T/psa-bad.yaml"
	if cmp -s "$T/psa-bad.yaml" "$T/pvc-26.8.0/kubernetes/services/web.yaml"; then
		fail "Pod Security self-test $1: the edit changed nothing"; return
	fi
	if (cd "$ROOT/tests/k8s" && node check-restricted.mjs --level restricted \
	    "$T/psa-bad.yaml") >"$T/psa.log" 2>&1; then
		fail "Pod Security accepted a pod that breaks $1"
	elif grep -q ": web: $1: \|: pod: $1: " "$T/psa.log"; then ok; else
		fail "Pod Security self-test $1: not named"; head -3 "$T/psa.log"
	fi
}
SPEC='s/^      serviceAccountName: sentry$/      serviceAccountName: sentry\n'
SC='s/^          allowPrivilegeEscalation: false$/          allowPrivilegeEscalation: false\n'
psa_bad "HostProcess" "${SC}          windowsOptions: {hostProcess: true}/"
psa_bad "Host Namespaces" "${SPEC}      hostNetwork: true/"
psa_bad "Host Namespaces" "${SPEC}      hostPID: true/"
psa_bad "Host Namespaces" "${SPEC}      hostIPC: true/"
psa_bad "Privileged Containers" "${SC}          privileged: true/"
psa_bad "Capabilities" 's/^            - ALL$/            - ALL\n            add: [SYS_ADMIN]/'
psa_bad "Capabilities (restricted)" 's/^            - ALL$/            - ALL\n            add: [CHOWN]/'
psa_bad "Capabilities (restricted)" 's/^            - ALL$/            - KILL/'
psa_bad "HostPath Volumes" 's/^      - name: rw-tmp$/      - name: host\n        hostPath: {path: \/srv}\n      - name: rw-tmp/'
psa_bad "Volume Types" 's/^      - name: rw-tmp$/      - name: nfs\n        nfs: {server: nfs, path: \/x}\n      - name: rw-tmp/'
psa_bad "Host Ports" 's/^          containerPort: 9000$/          containerPort: 9000\n          hostPort: 9000/'
psa_bad "AppArmor" 's/^      annotations:$/      annotations:\n        container.apparmor.security.beta.kubernetes.io\/web: unconfined/'
psa_bad "AppArmor" "${SC}          appArmorProfile: {type: Unconfined}/"
psa_bad "SELinux" "${SC}          seLinuxOptions: {type: spc_t}/"
psa_bad "SELinux" "${SC}          seLinuxOptions: {user: system_u}/"
psa_bad "/proc Mount Type" "${SC}          procMount: Unmasked/"
psa_bad "Seccomp" "${SC}          seccompProfile: {type: Unconfined}/"
psa_bad "Seccomp (restricted)" 's/^          type: RuntimeDefault$/          type: Unconfined/'
psa_bad "Sysctls" 's/^        fsGroup: 999$/        fsGroup: 999\n        sysctls: [{name: kernel.msgmax, value: "65536"}]/'
psa_bad "Privilege Escalation" 's/^          allowPrivilegeEscalation: false$/          allowPrivilegeEscalation: true/'
psa_bad "Running as Non-root" 's/^          runAsNonRoot: true$/          runAsNonRoot: false/'
psa_bad "Running as Non-root user" 's/^          runAsUser: 999$/          runAsUser: 0/'

# The bundled demo answers, with every Kubernetes option a platform team
# turns on: the output passes the strict types and Pod Security
# "restricted" (issue 17's bar), and carries what the options ask for.
demo_with_options() {
	d="$T/demo-options"
	mkdir -p "$d"
	cp "$ROOT/assets/demo/demo-redis-password.txt" "$d/"
	sed 's|^  ingress_host: sentry.example.com$|&\
  autoscaling: hpa\
  zones: true\
  node_selector: {node-role.example.com/sentry: "true"}\
  tolerations: [{key: dedicated, value: sentry, effect: NoSchedule}]\
  network_policy: true\
  ingress_namespace: ingress-nginx\
  egress_cidrs: [0.0.0.0/0]\
  egress_except: [10.0.0.0/8]|' "$ROOT/assets/demo/sentry-ha.yaml" >"$d/sentry-ha.yaml"
	# GeoIP from MaxMind: geoipupdate's CronJob is restricted too.
	echo 'geoip: {account_id: "123456", license_key: {env: SHS_DEMO_GEOIP_KEY}}' >>"$d/sentry-ha.yaml"
	n=$((n + 1))
	if ! SENTRY_DEMO_PG_PASSWORD=demo SHS_DEMO_GEOIP_KEY=demo-key "$BIN" generate -a "$d/sentry-ha.yaml" \
	    -o "$d/out" >"$T/gen.log" 2>&1; then
		fail "demo with options: generate failed"; sed 's/^/    /' "$T/gen.log"
		return
	fi
	ok
	if (cd "$ROOT/tests/k8s" && node check-manifests.mjs $(find "$d/out/kubernetes" -name '*.yaml' | sort)) >"$T/check.log" 2>&1; then
		ok; else fail "demo with options: manifests rejected"; sed 's/^/    /' "$T/check.log" | head -20
	fi
	pod_security "demo with options" "$d/out" restricted
	for want in 'kind: HorizontalPodAutoscaler' 'kind: NetworkPolicy' \
	    'topology.kubernetes.io/zone' 'node-role.example.com/sentry' \
	    'key: dedicated' 'priorityClassName: sentry-ingest' \
	    'runAsNonRoot: true' '- "10.0.0.0/8"' 'name: geoipupdate'; do
		if grep -rqF -- "$want" "$d/out/kubernetes"; then ok; else
			fail "demo with options: no \"$want\" in the output"
		fi
	done
}
demo_with_options

# And the Python check: a syntax error, and partition counts that are not
# the runbook's.
cp -r "$T/swarm-nfs-24.8.0" "$T/bad5"
sed -i 's/^SENTRY_OPTIONS/SENTRY_OPTIONS[/' "$T/bad5/swarm/configs/sentry-config-sentry.conf.py"
cp -r "$T/swarm-nfs-24.8.0" "$T/bad6"
sed -i 's/"events": 3,/"events": 2,/' "$T/bad6/swarm/configs/snuba-config-settings.py"
for bad in bad5 bad6; do
	if python3 "$ROOT/tests/manifests/check-python.py" "$T/$bad" >/dev/null 2>&1; then
		fail "the Python check accepted $bad"; else ok; fi
done

finish "manifests ($n answer variants)"
