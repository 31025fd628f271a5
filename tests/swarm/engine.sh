# shellcheck shell=sh
# A Docker engine of the test's own, a one-node Swarm on loopback, stand-in
# images and a loopback sshd for a shared folder. Sourced by
# tests/swarm/test-swarm.sh after tests/live/lib.sh (it needs T, on_exit,
# free_port and wait_port).
#
# The engine is Debian's docker.io dockerd with a data root, exec root,
# pid file and unix socket under $T/engine, so it never touches a system
# dockerd (/var/run/docker.sock is never used: DOCKER_HOST points at the
# test's socket). Everything is undone when the test ends, last started
# first: the Swarm is left, dockerd stopped by its pid file, FUSE mounts
# unmounted, and $T removed by lib.sh.

# swarm_skip REASON: the suite cannot run here. Says so loudly and ends the
# test with status 77, which tests/run-all.sh reports as SKIP, not PASS.
swarm_skip() {
	echo "SKIP Swarm engine: NOT TESTED: $*" >&2
	echo "SKIP Swarm engine: NOT TESTED: $*"
	exit 77
}

# start_engine: dockerd on a socket of its own, then `docker swarm init`.
# Sets DOCKER_HOST. Skips the test when dockerd cannot start, with why.
start_engine() {
	[ "$(id -u)" -eq 0 ] || swarm_skip "dockerd needs root"
	command -v dockerd >/dev/null 2>&1 ||
		swarm_skip "no dockerd (make test-deps installs Debian's docker.io)"
	command -v docker >/dev/null 2>&1 || swarm_skip "no docker CLI"
	[ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 ||
		swarm_skip "no static /bin/busybox (make test-deps installs busybox-static)"
	E=$T/engine
	mkdir -p "$E"
	# The socket's path must stay short (108 bytes for a unix socket).
	DOCKER_HOST=unix://$E/docker.sock
	export DOCKER_HOST
	unset DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH
	DOCKER_CONFIG=$E/client
	export DOCKER_CONFIG
	mkdir -p "$DOCKER_CONFIG"
	dockerd --data-root "$E/data" --exec-root "$E/exec" -H "$DOCKER_HOST" \
	    --pidfile "$E/dockerd.pid" --bridge none --iptables=false \
	    --ip-masq=false --userland-proxy=false \
	    >"$E/dockerd.log" 2>&1 &
	ENGINE_PID=$!
	on_exit "stop_engine"
	n=0
	until docker info >/dev/null 2>&1; do
		if ! kill -0 "$ENGINE_PID" 2>/dev/null; then
			tail -5 "$E/dockerd.log" >&2
			swarm_skip "dockerd did not start: $(grep -m1 -iE 'level=(fatal|error)' "$E/dockerd.log" | sed 's/.*msg=//')"
		fi
		n=$((n + 1))
		[ "$n" -lt 300 ] || { tail -5 "$E/dockerd.log" >&2; swarm_skip "dockerd did not answer in 30 s"; }
		sleep 0.1
	done
	# The VXLAN port is the machine's, not the engine's: one of its own, so
	# that another Swarm on this machine (another test run) is not disturbed.
	# (Docker takes 1024-49151 only.)
	vxlan=$(python3 -c '
import random, socket
for _ in range(100):
    p = random.randint(20000, 49151)
    try:
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM).bind(("0.0.0.0", p))
        print(p)
        break
    except OSError:
        pass
')
	docker swarm init --advertise-addr 127.0.0.1 --listen-addr "127.0.0.1:$(free_port)" \
	    --data-path-port "$vxlan" \
	    >"$E/swarm-init.log" 2>&1 || {
		cat "$E/swarm-init.log" >&2
		swarm_skip "docker swarm init failed: $(tail -1 "$E/swarm-init.log")"
	}
}

# stop_engine: leaves the Swarm, stops dockerd (by its pid file) and waits
# for it, and unmounts whatever is still mounted under $T.
stop_engine() {
	if [ -n "${ENGINE_PID:-}" ] && kill -0 "$ENGINE_PID" 2>/dev/null; then
		docker swarm leave --force >/dev/null 2>&1
		pid=$(cat "$E/dockerd.pid" 2>/dev/null || echo "$ENGINE_PID")
		kill "$pid" 2>/dev/null
		n=0
		while kill -0 "$pid" 2>/dev/null && [ "$n" -lt 200 ]; do
			sleep 0.1
			n=$((n + 1))
		done
		kill -9 "$pid" 2>/dev/null
	fi
	unmount_all
}

# unmount_all: every mount under $T, deepest first (FUSE, and what dockerd
# left: overlay, shm, netns).
unmount_all() {
	awk -v t="$T" 'index($2, t) == 1 { print $2 }' /proc/self/mounts | sort -r |
	while read -r m; do
		fusermount3 -u "$m" 2>/dev/null || fusermount -u "$m" 2>/dev/null ||
			umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
	done
}

# build_base: the stand-in base image, built from nothing
# (tests/swarm/standin/: FROM scratch, the static busybox, the stand-in
# program under every name the real images start with).
build_base() {
	ctx=$T/standin
	mkdir -p "$ctx"
	cp /bin/busybox "$ctx/busybox"
	for f in standin.sh python3 bash tini; do
		cp "$ROOT/tests/swarm/standin/$f" "$ctx/"
	done
	cat >"$ctx/Dockerfile" <<'EOF'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN ["/bin/busybox", "sh", "-c", "ln -sf busybox /bin/sh && mkdir -p /usr/local/bin /usr/sbin /sbin /usr/src/snuba /opt /tmp /work /www/_health /www/_nginx /data && chmod 1777 /tmp && echo ok >/www/_health/index.html && echo ok >/www/health && echo ok >/www/_nginx/ping && echo 'root:x:0:0:root:/root:/bin/sh' >/etc/passwd && echo 'root:x:0:' >/etc/group"]
COPY standin.sh /standin.sh
COPY python3 /usr/local/bin/python3
COPY bash /bin/bash
COPY tini /sbin/tini
RUN ["/bin/sh", "-c", "chmod 755 /standin.sh /usr/local/bin/python3 /bin/bash /sbin/tini && ln -s python3 /usr/local/bin/python && for f in /docker-entrypoint.sh /docker-entrypoint.py /etc/sentry/entrypoint.sh /usr/src/snuba/docker_entrypoint.sh /usr/src/snuba/docker_entrypoint.py /bin/relay /bin/symbolicator /bin/vroom /opt/taskbroker /usr/local/bin/uptime-checker /usr/local/bin/launchpad /usr/sbin/nginx /usr/local/bin/sentry /usr/local/bin/snuba; do mkdir -p ${f%/*}; ln -s /standin.sh $f; done"]
EOF
	docker build -q -t shs-standin:base "$ctx" >"$T/build.log" 2>&1 || {
		cat "$T/build.log" >&2
		return 1
	}
}

# image_facts VERSION: "FAMILY ENTRYPOINT..." for each image of the
# release's profile (profiles/VERSION.yaml, image_facts: how each real
# image starts); only FAMILY for an image that has no entrypoint.
image_facts() {
	awk '
	/^image_facts:/ { in_f = 1; next }
	/^[a-z]/ { in_f = 0 }
	!in_f || /^ *#/ { next }
	/^  [a-z][a-z0-9-]*:/ {
		if (fam != "") print fam, ep
		fam = $1; sub(":", "", fam); ep = ""
		if (match($0, /entrypoint: [^,}]*/)) ep = substr($0, RSTART + 12, RLENGTH - 12)
		next
	}
	/^    entrypoint:/ { ep = $0; sub(/^    entrypoint: /, "", ep) }
	END { if (fam != "") print fam, ep }
	' "$ROOT/profiles/$1.yaml"
}

# build_standins VERSION IMAGE...: one stand-in per image of the release,
# FROM the base, with the ENTRYPOINT its profile gives the real image (and
# WORKDIR /usr/src/snuba for snuba, /work for relay, as theirs), tagged as
# IMAGE. An image the profile does not describe starts /docker-entrypoint.sh.
build_standins() {
	v=$1; shift
	image_facts "$v" >"$T/facts-$v"
	for image in "$@"; do
		base=${image##*/}
		base=${base%%:*}
		if grep -q "^$base\( \|\$\)" "$T/facts-$v"; then
			ep=$(awk -v f="$base" '$1 == f { $1 = ""; sub(/^ /, ""); print; exit }' "$T/facts-$v")
		else
			ep=/docker-entrypoint.sh
		fi
		case $base in snuba) wd=/usr/src/snuba ;; relay) wd=/work ;; *) wd=/ ;; esac
		# shellcheck disable=SC2086
		json=$(printf '%s\n' $ep | awk 'BEGIN { printf "[" } NF { printf "%s\"%s\"", n++ ? ", " : "", $0 } END { printf "]" }')
		d=$ctx/$v-$base
		mkdir -p "$d"
		printf 'FROM shs-standin:base\nWORKDIR %s\nENTRYPOINT %s\nCMD []\n' "$wd" "$json" >"$d/Dockerfile"
		docker build -q -t "$image" "$d" >>"$T/build.log" 2>&1 || { cat "$T/build.log" >&2; return 1; }
	done
}

# stack_images DIR: every image the stacks in DIR/swarm/stacks use.
stack_images() {
	sed -n 's/^    image: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$1"/swarm/stacks/*.yml | sort -u
}

# start_sshd DIR: an sshd on a free loopback port serving root with a key
# of DIR's (for sshfs, and for `deploy` as the Swarm's manager: its
# sessions reach the test's engine, as a manager's reach its own, and get
# the suite's deadlines). Sets SSHD_PORT. Stopped when the test ends.
start_sshd() {
	D=$1
	mkdir -p "$D" /run/sshd
	SSHD_PORT=$(free_port)
	ssh-keygen -q -t ed25519 -N '' -f "$D/host_ed25519"
	ssh-keygen -q -t ed25519 -N '' -f "$D/client_ed25519"
	cp "$D/client_ed25519.pub" "$D/authorized_keys"
	sshd_config "$D" "$SSHD_PORT"
	printf 'SetEnv DOCKER_HOST=%s DOCKER_CONFIG=%s JOB_TIMEOUT=%s CONVERGE_TIMEOUT=%s\n' \
	    "$DOCKER_HOST" "$DOCKER_CONFIG" "$JOB_TIMEOUT" "$CONVERGE_TIMEOUT" >>"$D/sshd_config"
	printf '[127.0.0.1]:%s %s\n' "$SSHD_PORT" "$(cut -d' ' -f1,2 "$D/host_ed25519.pub")" >"$D/known_hosts"
	/usr/sbin/sshd -f "$D/sshd_config" -E "$D/sshd.log" || return 1
	on_exit "kill \$(cat '$D/sshd.pid') 2>/dev/null"
	wait_port "$SSHD_PORT"
}

# mount_sshfs REMOTE MNT: REMOTE (a folder of this machine) mounted through
# the loopback sshd at MNT with the options the runbook gives (port, uid,
# gid, allow_other, reconnect). Unmounted when the test ends.
mount_sshfs() {
	mkdir -p "$1" "$2"
	sshfs -o "allow_other,port=$SSHD_PORT,uid=0,gid=0,reconnect" \
	    -o "IdentityFile=$D/client_ed25519,UserKnownHostsFile=$D/known_hosts" \
	    -o StrictHostKeyChecking=yes,BatchMode=yes \
	    "root@127.0.0.1:$1" "$2" || return 1
	on_exit "fusermount3 -u '$2' 2>/dev/null || fusermount -u '$2' 2>/dev/null"
}
