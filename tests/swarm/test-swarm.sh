#!/bin/sh
# The generated Swarm output run for real: Debian's dockerd with a data
# root and socket of the test's own, a one-node Swarm on loopback, stand-in
# images built from nothing (tests/swarm/standin/) tagged as every image of
# the plan, and the generated swarm/deploy.sh. For Sentry 10.1.0, 24.8.0
# and 26.8.0 (tests/swarm/answers-*.yaml):
#   - deploy.sh succeeds, runs every migration job in order, and every
#     service reaches its replicas;
#   - every Sentry container sees sentry.conf.py, config.yml and its
#     secrets with exactly the generated content;
#   - a second deploy.sh with the same answers changes no service;
# over SSH (sentry-ha-setup deploy, the loopback sshd as the manager), on
# 26.8.0: --dry-run, no terminal, "n", a real deploy and a second one; and
# deploy.sh's refusal (sizing) as deploy's exit status; `check --only
# share` (a container of the Sentry image writes on one host, the others
# must read it) over a shared folder, one that is not, and one uid 999 may
# not write into;
# and once, on 24.8.0:
#   - a sentry.conf.py change (memcached hosts) rolls exactly the services
#     that mount it;
#   - an NFS shared volume (this kernel has no NFS client) fails the first
#     deploy with the task's error, and a changed NFS definition is then
#     refused with the commands to run, which work.
# Where dockerd cannot start, the test says SKIP and ends with status 77
# (tests/run-all.sh reports SKIP, not PASS).
# Usage: tests/swarm/test-swarm.sh BINARY
. "$(dirname "$0")/../live/lib.sh"	# sets ROOT, BIN (from $1) and T
. "$(dirname "$0")/../live/servers.sh"
. "$(dirname "$0")/engine.sh"

# Short deadlines: the stand-ins start in a second, and a healthcheck's
# first run is after its interval (60 s).
export JOB_TIMEOUT=${JOB_TIMEOUT:-120} CONVERGE_TIMEOUT=${CONVERGE_TIMEOUT:-240}
STACK=sentry
t0=$(date +%s)

# note TEXT: a progress line, with the seconds since the start.
note() { printf '  [%4ds] %s\n' $(($(date +%s) - t0)) "$*"; }

# check DESCRIPTION command...: ok, or FAIL with DESCRIPTION.
check() {
	what=$1; shift
	if "$@"; then ok; echo "ok   $what"; else fail "$what"; return 1; fi
}

# answers VERSION FILE [EXTRA-SED]: the suite's answers for VERSION in FILE.
answers() {
	sed "${3:-}" "$ROOT/tests/swarm/answers-$1.yaml" >"$2"
}

# generate ANSWERS OUT: sentry-ha-setup generate, which must succeed.
generate() {
	"$BIN" generate -a "$1" -o "$2" >"$T/gen.out" 2>&1 || {
		cat "$T/gen.out"
		fail "generate -a $1"
		return 1
	}
}

# deploy OUT LOG [ARGS]: runs OUT/swarm/deploy.sh; its status in DEPLOY_RC.
deploy() {
	sh "$1/swarm/deploy.sh" ${3:-} >"$2" 2>&1
	DEPLOY_RC=$?
}

# show LOG: the end of a log, indented (after a failure).
show() { tail -n "${2:-15}" "$1" | sed 's/^/    /'; }

# stack_mounts FILE: for each service of a stack file, "SVC image IMAGE"
# and "SVC configs|secrets SOURCE TARGET" (the emitter's layout: two
# spaces a level).
stack_mounts() {
	awk '
	/^services:/ { in_s = 1; next }
	/^[a-z]/ { in_s = 0 }
	!in_s { next }
	/^  [^ ].*:$/ { svc = $1; sub(":", "", svc); sect = ""; next }
	/^    image:/ { img = $2; gsub("\"", "", img); print svc, "image", img; next }
	/^    (configs|secrets):$/ { sect = $1; sub(":", "", sect); next }
	/^    [a-z_]+:/ { sect = ""; next }
	sect != "" && /^    - source:/ { src = $3; next }
	sect != "" && /^      target:/ { print svc, sect, src, $2 }
	' "$1"
}

# stack_of OUT FILE: the stack deploy.sh deploys stack file FILE as.
stack_of() {
	_f=${2##*/}
	sed -n "s|^deploy_stack ${_f%.yml} \\([^ ]*\\)\$|\\1|p" "$1/swarm/deploy.sh"
}

# services OUT: the services of the stacks (not the jobs), as Swarm names
# them: STACK-GROUP_SERVICE, one a line, sorted.
services() {
	for f in "$1"/swarm/stacks/[1-9]*.yml; do
		group=$(stack_of "$1" "$f")
		stack_mounts "$f" | awk -v g="$group" '$2 == "image" { print g "_" $1 }'
	done | sort
}

# versions: "NAME VERSION-INDEX" of every service, sorted.
versions() {
	docker service ls -q | xargs -r docker service inspect \
	    --format '{{.Spec.Name}} {{.Version.Index}}' | sort
}

# all_replicas OUT: every service of OUT's stacks exists and runs N/N.
all_replicas() {
	docker service ls --format '{{.Name}} {{.Replicas}}' | sort >"$T/ls"
	awk '{ split($2, r, "/"); if (r[1] != r[2] || r[2] == 0) print "    not running: " $0 }' "$T/ls" >"$T/behind"
	awk '{ print $1 }' "$T/ls" >"$T/have"
	services "$1" >"$T/want"
	if ! cmp -s "$T/have" "$T/want"; then
		diff "$T/want" "$T/have" | sed 's/^/    /' | head -12
		return 1
	fi
	[ ! -s "$T/behind" ] || { head -12 "$T/behind"; return 1; }
}

# jobs_in_order OUT LOG: the log says "running JOB" for every run_job of
# deploy.sh, in its order, and names no failure.
jobs_in_order() {
	sed -n 's/^run_job [^ ]* \([^ ]*\)$/\1/p' "$1/swarm/deploy.sh" >"$T/jobs.want"
	sed -n 's/^deploy.sh: running \(.*\)$/\1/p' "$2" >"$T/jobs.have"
	[ -s "$T/jobs.want" ] && cmp -s "$T/jobs.want" "$T/jobs.have" && ! grep -q ' failed' "$2" || {
		echo "    jobs expected: $(tr '\n' ' ' <"$T/jobs.want")"
		echo "    jobs run:      $(tr '\n' ' ' <"$T/jobs.have")"
		return 1
	}
}

# contents OUT: every running container of every service whose image is
# Sentry's sees each config and secret its stack mounts with the content
# of OUT/swarm/configs/SOURCE or OUT/swarm/secrets/SOURCE (sha256).
contents() {
	bad=0 seen=0
	for f in "$1"/swarm/stacks/[1-9]*.yml; do
		group=$(stack_of "$1" "$f")
		stack_mounts "$f" >"$T/mounts"
		for svc in $(awk '$2 == "image" && $3 ~ /\/sentry:/ { print $1 }' "$T/mounts"); do
			: >"$T/expect"
			awk -v s="$svc" '$1 == s && $2 != "image"' "$T/mounts" |
			while read -r _ kind src target; do
				case $target in /*) ;; *) target=/run/secrets/$target ;; esac
				echo "$(sha256sum <"$1/swarm/$kind/$src" | cut -d' ' -f1)  $target" >>"$T/expect"
			done
			grep -q /etc/sentry/sentry.conf.py "$T/expect" && grep -q /etc/sentry/config.yml "$T/expect" || {
				echo "    ${group}_$svc: its stack mounts no sentry.conf.py or config.yml"
				bad=1
			}
			for c in $(docker ps -q --filter "label=com.docker.swarm.service.name=${group}_$svc"); do
				seen=$((seen + 1))
				# shellcheck disable=SC2046
				docker exec "$c" sha256sum $(awk '{ print $2 }' "$T/expect") >"$T/got" 2>&1
				if ! cmp -s "$T/expect" "$T/got"; then
					echo "    ${group}_$svc ($c):"
					diff "$T/expect" "$T/got" | sed 's/^/      /'
					bad=1
				fi
			done
		done
	done
	[ "$seen" -gt 0 ] || { echo "    no Sentry container running"; bad=1; }
	[ "$bad" -eq 0 ]
}

# mounting OUT SOURCE: the services whose stack mounts config SOURCE.
mounting() {
	for f in "$1"/swarm/stacks/[1-9]*.yml; do
		group=$(stack_of "$1" "$f")
		stack_mounts "$f" | awk -v g="$group" -v s="$2" '$2 == "configs" && $3 == s { print g "_" $1 }'
	done | sort -u
}

# refused LOG: deploy.sh failed, refusing the changed volume definitions.
refused() {
	[ "$DEPLOY_RC" -ne 0 ] && grep -q 'volume definitions .* changed' "$1"
}

# tasks: "SERVICE CONTAINER" of every running container, sorted.
tasks() {
	docker ps --format '{{.Label "com.docker.swarm.service.name"}} {{.ID}}' | sort
}

# replaced BEFORE AFTER: the services whose set of containers changed.
replaced() {
	{ comm -23 "$1" "$2"; comm -13 "$1" "$2"; } | awk '{ print $1 }' | sort -u
}

# not_in FILE PATTERN: FILE has no line that matches PATTERN.
not_in() { ! grep -q -- "$2" "$1"; }

# changed BEFORE AFTER: the services whose version differs.
changed() {
	join "$1" "$2" | awk '$2 != $3 { print $1 }' | sort
}

# teardown: nothing of the last release left: stacks, containers,
# volumes, configs, secrets, the network.
teardown() {
	for s in $(docker stack ls --format '{{.Name}}'); do
		docker stack rm "$s" >/dev/null
	done
	n=0
	while docker service ls -q | grep -q . && [ "$n" -lt 120 ]; do sleep 1; n=$((n + 1)); done
	docker ps -aq | xargs -r docker rm -f >/dev/null 2>&1
	docker container prune -f >/dev/null
	docker volume prune -f >/dev/null
	docker volume ls -q | xargs -r docker volume rm >/dev/null 2>&1
	docker config ls -q | xargs -r docker config rm >/dev/null
	docker secret ls -q | xargs -r docker secret rm >/dev/null
	docker network rm "$STACK" >/dev/null 2>&1
	n=0
	while docker network inspect "$STACK" >/dev/null 2>&1 && [ "$n" -lt 30 ]; do
		sleep 1; n=$((n + 1)); docker network rm "$STACK" >/dev/null 2>&1
	done
	[ -z "$(docker service ls -q)$(docker config ls -q)$(docker secret ls -q)$(docker volume ls -q)" ]
}

note "starting dockerd and a one-node Swarm"
start_engine
note "engine $(docker version --format '{{.Server.Version}}'), Swarm active"

# The stand-ins: for each release, one per image of its plan.
check "stand-in base image built from nothing" build_base || exit 1
for v in 10.1.0 24.8.0 26.8.0; do
	answers "$v" "$T/img-$v.yaml"
	generate "$T/img-$v.yaml" "$T/img-$v" || exit 1
	stack_images "$T/img-$v" >"$T/images-$v"
	# shellcheck disable=SC2046
	check "$v: stand-ins built and tagged as its $(wc -l <"$T/images-$v") images" \
	    build_standins "$v" $(cat "$T/images-$v")
done
note "images ready"

# release VERSION: the first deploy, its contents, a second deploy.
release() {
	v=$1 O=$T/$1/out A=$T/$1/a.yaml
	mkdir -p "$T/$v"
	if [ "$v" = 24.8.0 ]; then
		answers "$v" "$A" "s|^filestore:.*|filestore: {backend: filesystem, shared_volume: {kind: hostpath, hostpath: {path: $MNT}}}|"
	else
		answers "$v" "$A"
	fi
	generate "$A" "$O" || return 1
	deploy "$O" "$T/$v/deploy1.log"
	note "$v: first deploy.sh done (exit $DEPLOY_RC)"
	check "$v: deploy.sh exits 0" [ "$DEPLOY_RC" -eq 0 ] || show "$T/$v/deploy1.log" 25
	check "$v: every migration job ran and completed, in deploy.sh's order" \
	    jobs_in_order "$O" "$T/$v/deploy1.log"
	check "$v: every service of the stacks runs its replicas ($(services "$O" | wc -l) services)" \
	    all_replicas "$O"
	check "$v: every Sentry container sees sentry.conf.py, config.yml and its secrets as generated" \
	    contents "$O"

	[ "$v" != 24.8.0 ] || shared "$O"
	versions >"$T/$v/v1"
	docker ps -q --no-trunc | sort >"$T/$v/c1"
	generate "$A" "$O" || return 1
	deploy "$O" "$T/$v/deploy2.log"
	note "$v: second deploy.sh done (exit $DEPLOY_RC)"
	check "$v: the second deploy.sh exits 0" [ "$DEPLOY_RC" -eq 0 ] || show "$T/$v/deploy2.log"
	versions >"$T/$v/v2"
	docker ps -q --no-trunc | sort >"$T/$v/c2"
	check "$v: the second deploy.sh restarts no container" cmp -s "$T/$v/c1" "$T/$v/c2" ||
	    echo "    $(comm -23 "$T/$v/c1" "$T/$v/c2" | wc -l) containers replaced"
	changed "$T/$v/v1" "$T/$v/v2" >"$T/$v/changed"
	check "$v: the second deploy.sh with the same answers changes no service" \
	    [ ! -s "$T/$v/changed" ] || sed 's/^/    changed: /' "$T/$v/changed" | head -8
}

# shared OUT: the hostpath folder is an sshfs mount (of a loopback sshd);
# a file web writes into the file store is there for the worker, and on
# the server's side.
shared() {
	check "hostpath: $MNT is an sshfs FUSE mount" sh -c "mount | grep -q ' $MNT type fuse.sshfs'"
	web=$(docker ps -q --filter label=com.docker.swarm.service.name=sentry-web_web | head -n 1)
	worker=$(docker ps -q --filter label=com.docker.swarm.service.name=sentry-sentry_worker | head -n 1)
	target=$(awk '/^  web:/ { w = 1 } w && /source: .*sentry-data$/ { getline; print $2; exit }' "$1/swarm/stacks/30-web.yml")
	check "hostpath: web mounts the file store from $MNT/sentry-data (at ${target:-nowhere})" [ -n "$target" ]
	docker exec "$web" sh -c "echo written-by-web >$target/.shared-probe" 2>"$T/shared.err"
	check "hostpath: a file web writes, the worker reads" \
	    sh -c "docker exec '$worker' cat '$target/.shared-probe' | grep -qx written-by-web" || show "$T/shared.err"
	check "hostpath: and it is on the sshfs server's side" grep -qx written-by-web "$SRV/sentry-data/.shared-probe"
	rm -f "$SRV/sentry-data/.shared-probe"
}

# nothing_created: no service, config, secret or network of the stacks.
nothing_created() {
	[ -z "$(docker service ls -q)$(docker config ls -q)$(docker secret ls -q)" ] &&
	    ! docker network inspect "$STACK" >/dev/null 2>&1
}

# sizing VERSION: the release's own reservations (size medium) do not fit
# this node: deploy.sh refuses before it changes anything, saying by how
# much. --dry-run prints the commands and changes nothing either.
sizing() {
	v=$1 O=$T/size/out A=$T/size/a.yaml
	mkdir -p "$T/size"
	answers "$v" "$A" '/^size:/d'
	generate "$A" "$O" || return 1
	deploy "$O" "$T/size/deploy.log"
	check "sizing: with size medium deploy.sh refuses (exit 1)" [ "$DEPLOY_RC" -eq 1 ] || show "$T/size/deploy.log"
	check "sizing: it says what the services reserve and what the node has" \
	    grep -qE '^deploy.sh: the services reserve [0-9.]+ CPUs and [0-9.]+ GiB; the 1 node has [0-9.]+ CPUs' "$T/size/deploy.log" ||
	    show "$T/size/deploy.log"
	check "sizing: and by how much they fall short, with the fix" \
	    grep -qE 'do not fit the nodes: short by [0-9.]+ CPUs.*size: small' "$T/size/deploy.log" || show "$T/size/deploy.log"
	check "sizing: nothing was created (no service, config, secret, network)" nothing_created
	answers "$v" "$A"
	generate "$A" "$O" || return 1
	deploy "$O" "$T/size/dry.log" --dry-run
	check "dry run: exits 0" [ "$DEPLOY_RC" -eq 0 ] || show "$T/size/dry.log"
	check "dry run: prints the network, the configs, the jobs and every stack" sh -c "
	    grep -q '^+ docker network create' '$T/size/dry.log' &&
	    grep -q '^+ docker config create' '$T/size/dry.log' &&
	    grep -q '^+ docker stack deploy .* sentry-job' '$T/size/dry.log' &&
	    [ \$(grep -c '^+ docker stack deploy .* -c stacks/[1-9]' '$T/size/dry.log') -eq \$(grep -c '^deploy_stack ' '$O/swarm/deploy.sh') ]" ||
	    show "$T/size/dry.log"
	check "dry run: nothing was created" nothing_created
}

# roll VERSION: a sentry.conf.py-only change (a second memcached host)
# rolls exactly the services that mount sentry.conf.py.
roll() {
	v=$1 O=$T/$1/out A=$T/$1/a.yaml
	sed 's/^memcached:.*/memcached: {hosts: ["mc1:11211", "mc2:11211"]}/' "$A" >"$T/$v/a2.yaml"
	mv "$T/$v/a2.yaml" "$A"
	cp -r "$O/swarm" "$T/$v/before"
	generate "$A" "$O" || return 1
	diff -r "$T/$v/before/configs" "$O/swarm/configs" | sed -n 's/^diff -r [^ ]* [^ ]*\/configs\///p' >"$T/$v/diffs"
	check "$v: a second memcached host changes only sentry.conf.py" \
	    [ "$(diff -rq "$T/$v/before/configs" "$O/swarm/configs" | wc -l)" -eq 1 ] ||
	    diff -rq "$T/$v/before/configs" "$O/swarm/configs" | sed 's/^/    /'
	tasks >"$T/$v/t3"
	deploy "$O" "$T/$v/deploy3.log"
	note "$v: deploy.sh with a new sentry.conf.py done (exit $DEPLOY_RC)"
	check "$v: deploy.sh with the new sentry.conf.py exits 0" [ "$DEPLOY_RC" -eq 0 ] ||
	    show "$T/$v/deploy3.log"
	tasks >"$T/$v/t4"
	replaced "$T/$v/t3" "$T/$v/t4" >"$T/$v/rolled"
	mounting "$O" sentry-config-sentry.conf.py >"$T/$v/mount"
	check "$v: the new sentry.conf.py rolls exactly the $(wc -l <"$T/$v/mount") services that mount it" \
	    cmp -s "$T/$v/rolled" "$T/$v/mount" || diff "$T/$v/mount" "$T/$v/rolled" | sed 's/^/    /' | head -10
	check "$v: after the roll, every service runs its replicas" all_replicas "$O"
	check "$v: after the roll, every Sentry container sees the new sentry.conf.py" contents "$O"
}

# nfs VERSION: the first deploy with an NFS shared volume fails with the
# task's error (no NFS client here); a changed NFS path is refused with the
# exact commands; after them, deploy.sh gets past the check.
nfs() {
	v=$1 O=$T/nfs/out A=$T/nfs/a.yaml
	mkdir -p "$T/nfs"
	answers "$v" "$A" 's|^filestore:.*|filestore: {backend: filesystem, shared_volume: {kind: nfs, nfs: {server: 127.0.0.1, path: /exports/sentry}}}|'
	generate "$A" "$O" || return 1
	CONVERGE_TIMEOUT=20 deploy "$O" "$T/nfs/deploy1.log"
	note "nfs: first deploy.sh done (exit $DEPLOY_RC)"
	check "nfs: the first deploy.sh with an NFS volume fails here (no NFS client)" \
	    [ "$DEPLOY_RC" -ne 0 ] || show "$T/nfs/deploy1.log"
	check "nfs: it prints the task's error (the mount that failed)" \
	    grep -qiE 'failed.*(mount|volume|nfs|no such device)|(mount|volume).*(failed|error)' "$T/nfs/deploy1.log" ||
	    show "$T/nfs/deploy1.log"
	sed -i 's|path: /exports/sentry|path: /exports/other|' "$A"
	generate "$A" "$O" || return 1
	deploy "$O" "$T/nfs/deploy2.log"
	note "nfs: deploy.sh with another NFS path done (exit $DEPLOY_RC)"
	check "nfs: a changed NFS path after the failed deploy is refused" \
	    refused "$T/nfs/deploy2.log" ||
	    show "$T/nfs/deploy2.log"
	stacks=$(sed -n 's/^deploy_stack [^ ]* \([^ ]*\)$/\1/p' "$O/swarm/deploy.sh" | tr '\n' ' ')
	stacks=${stacks% }
	vols=$(for f in "$O"/swarm/stacks/[1-9]*.yml; do
		awk '/^volumes:/ { v = 1; next } /^[a-z]/ { v = 0 } v && /^    name:/ { print $2 }' "$f"
	done | sort -u | tr '\n' ' ')
	vols=${vols% }
	check "nfs: the refusal says: docker stack rm $stacks" \
	    grep -qxF "deploy.sh:   docker stack rm $stacks" "$T/nfs/deploy2.log" || show "$T/nfs/deploy2.log"
	check "nfs: the refusal says: docker volume rm $vols" \
	    grep -qE "deploy.sh:   (on every node: )?(docker container prune -f && )?docker volume rm $vols\$" "$T/nfs/deploy2.log" ||
	    show "$T/nfs/deploy2.log"
	# Follow the refusal's commands, as printed.
	sed -n 's/^deploy.sh:   \(on every node: \)\{0,1\}\(docker .*\)$/\2/p' "$T/nfs/deploy2.log" >"$T/nfs/fix.sh"
	note "nfs: running the refusal's commands: $(tr '\n' ';' <"$T/nfs/fix.sh")"
	# The stacks' containers go before their volumes can.
	sh -c "$(sed -n 1p "$T/nfs/fix.sh")" >/dev/null 2>&1
	n=0
	for s in $stacks; do
		while docker service ls -q --filter "label=com.docker.stack.namespace=$s" | grep -q . &&
		    [ "$n" -lt 60 ]; do
			sleep 1; n=$((n + 1))
		done
	done
	docker ps -aq | xargs -r docker rm -f >/dev/null 2>&1
	sed 1d "$T/nfs/fix.sh" | sh >"$T/nfs/fix.log" 2>&1
	check "nfs: the refusal's commands run" [ $? -eq 0 ] || show "$T/nfs/fix.log"
	CONVERGE_TIMEOUT=20 deploy "$O" "$T/nfs/deploy3.log"
	note "nfs: deploy.sh after the commands done (exit $DEPLOY_RC)"
	check "nfs: after them, deploy.sh is not refused" \
	    not_in "$T/nfs/deploy3.log" 'volume definitions .* changed' || show "$T/nfs/deploy3.log"
}

# ssh_answers VERSION FILE: the suite's answers with the loopback sshd as
# the Swarm's manager.
ssh_answers() {
	answers "$1" "$2"
	printf 'hosts: [{name: mgr, address: 127.0.0.1, port: %s, user: root, roles: [manager]}]\n' \
	    "$SSHD_PORT" >>"$2"
}

# ssh_deploy OUT LOG ARGS...: sentry-ha-setup deploy over the loopback sshd,
# with a home of its own (the key sshd takes, known_hosts with its key) and
# the remote folder under $T; its status in DEPLOY_RC.
ssh_deploy() {
	_o=$1 _l=$2
	shift 2
	env -u SSH_AUTH_SOCK HOME="$T/client" "$BIN" deploy -a "$A" -o "$_o" \
	    --remote-dir "$REMOTE" "$@" >"$_l" 2>&1
	DEPLOY_RC=$?
}

# over_ssh VERSION: `deploy` copies the output to the manager and runs
# deploy.sh there: --dry-run first (every command, deploy.sh's own dry run,
# nothing created or left behind); no terminal and no --yes, then a "n",
# change nothing; then a real deploy, a second one, and a third whose
# client is killed while deploy.sh runs.
over_ssh() {
	v=$1 O=$T/ssh/out A=$T/ssh/a.yaml REMOTE=$T/manager/sentry-ha-setup
	mkdir -p "$T/ssh" "$T/client/.ssh"
	cp "$D/client_ed25519" "$T/client/.ssh/id_ed25519"
	cp "$D/known_hosts" "$T/client/.ssh/known_hosts"
	ssh_answers "$v" "$A"
	generate "$A" "$O" || return 1
	ssh_deploy "$O" "$T/ssh/dry.log" --dry-run
	check "ssh: deploy --dry-run exits 0" [ "$DEPLOY_RC" -eq 0 ] || show "$T/ssh/dry.log"
	check "ssh: it logged in with the known host key" \
	    grep -q '^Logged in to mgr: SSH-2.0-OpenSSH.*, host key ED25519 SHA256:.* known\.$' "$T/ssh/dry.log" || show "$T/ssh/dry.log"
	files=$(cd "$O" && find swarm -type f | wc -l)
	check "ssh: --dry-run prints a put of each of the $files files, secrets with mode 0600" sh -c "
	    [ \$(grep -c '^sftp: put -m 0[0-7][0-7][0-7] $O/swarm/' '$T/ssh/dry.log') -eq $files ] &&
	    grep -q '^sftp: put -m 0600 $O/swarm/secrets/secret-key $REMOTE/swarm.upload/secrets/secret-key ' '$T/ssh/dry.log'" ||
	    show "$T/ssh/dry.log"
	check "ssh: --dry-run prints the rename into place and the run of deploy.sh" sh -c "
	    grep -qF \"ssh -p $SSHD_PORT root@127.0.0.1 'cd $REMOTE && rm -rf swarm.previous && { [ ! -e swarm ] || mv swarm swarm.previous; } && mv swarm.upload swarm'\" '$T/ssh/dry.log' &&
	    grep -qF \"ssh -p $SSHD_PORT root@127.0.0.1 'cd $REMOTE/swarm && : >../deploy.log && { nohup sh deploy.sh >>../deploy.log 2>&1 </dev/null & }\" '$T/ssh/dry.log'" ||
	    show "$T/ssh/dry.log"
	# Pasted as printed (the first: make the folder), it does what it says.
	rm -rf "$REMOTE"
	cmd=$(sed -n "s|^ssh -p $SSHD_PORT root@127.0.0.1 ||p" "$T/ssh/dry.log" | head -n 1)
	env -u SSH_AUTH_SOCK ssh -F /dev/null -o BatchMode=yes -o UserKnownHostsFile="$T/client/.ssh/known_hosts" \
	    -i "$T/client/.ssh/id_ed25519" -p "$SSHD_PORT" root@127.0.0.1 "$(eval "printf '%s' $cmd")" >"$T/ssh/pasted.log" 2>&1
	check "ssh: the printed first command, pasted into ssh, makes the remote folder" \
	    test -d "$REMOTE" || show "$T/ssh/pasted.log"
	check "ssh: then deploy.sh --dry-run's docker commands, from the manager" sh -c "
	    grep -q '^+ docker network create' '$T/ssh/dry.log' &&
	    [ \$(grep -c '^+ docker stack deploy .* -c stacks/[1-9]' '$T/ssh/dry.log') -eq \$(grep -c '^deploy_stack ' '$O/swarm/deploy.sh') ]" ||
	    show "$T/ssh/dry.log"
	check "ssh: --dry-run created nothing and left nothing on the manager" sh -c "
	    [ -z \"\$(docker service ls -q)\$(docker config ls -q)\$(docker secret ls -q)\" ] &&
	    [ -d '$REMOTE' ] && [ -z \"\$(ls -A '$REMOTE')\" ]"

	ssh_deploy "$O" "$T/ssh/notty.log" </dev/null
	check "ssh: without a terminal and without --yes deploy refuses (exit 2), naming --yes" sh -c "
	    [ $DEPLOY_RC -eq 2 ] && grep -q 'no terminal to ask on: pass --yes' '$T/ssh/notty.log'" || show "$T/ssh/notty.log"
	printf 'n\n' | env -u SSH_AUTH_SOCK HOME="$T/client" script -qec \
	    "'$BIN' deploy -a '$A' -o '$O' --remote-dir '$REMOTE'" /dev/null >"$T/ssh/no.log" 2>&1
	DEPLOY_RC=$?
	check "ssh: answering n on the terminal deploys nothing (exit 1)" sh -c "
	    [ $DEPLOY_RC -eq 1 ] && grep -q 'Go on? \[y/N\]' '$T/ssh/no.log' &&
	    grep -q 'Not deployed: nothing was copied or run' '$T/ssh/no.log'" || show "$T/ssh/no.log"
	check "ssh: and copied nothing" sh -c "[ -z \"\$(ls -A '$REMOTE')\" ] && [ -z \"\$(docker service ls -q)\" ]"

	ssh_deploy "$O" "$T/ssh/deploy1.log" --yes
	note "ssh: first deploy over SSH done (exit $DEPLOY_RC)"
	check "ssh: deploy --yes exits 0, as deploy.sh on the manager did" sh -c "
	    [ $DEPLOY_RC -eq 0 ] && grep -q '^deploy.sh on mgr exited with status 0: deployed\.$' '$T/ssh/deploy1.log'" ||
	    show "$T/ssh/deploy1.log" 25
	check "ssh: the manager holds exactly the output's swarm/ folder" diff -r "$O/swarm" "$REMOTE/swarm"
	check "ssh: with the secrets in 0600 files" sh -c "
	    [ -z \"\$(find '$REMOTE/swarm/secrets' -type f ! -perm 0600)\" ] && [ -n \"\$(ls '$REMOTE/swarm/secrets')\" ]"
	check "ssh: deploy.sh's output was streamed: every migration job, in order" \
	    jobs_in_order "$O" "$T/ssh/deploy1.log"
	check "ssh: every service of the stacks runs its replicas ($(services "$O" | wc -l) services)" \
	    all_replicas "$O"
	check "ssh: every Sentry container sees its configs and secrets as generated" contents "$O"

	check "ssh: the manager keeps deploy.sh's output in deploy.log" \
	    grep -q '^deploy.sh: done: every service runs its replicas' "$REMOTE/deploy.log"

	ssh_deploy "$O" "$T/ssh/deploy2.log" --yes
	note "ssh: second deploy over SSH done (exit $DEPLOY_RC)"
	check "ssh: a second deploy exits 0 and keeps the copy before as swarm.previous" sh -c "
	    [ $DEPLOY_RC -eq 0 ] && diff -r '$O/swarm' '$REMOTE/swarm.previous' >/dev/null &&
	    diff -r '$O/swarm' '$REMOTE/swarm' >/dev/null && [ ! -e '$REMOTE/swarm.upload' ]" ||
	    show "$T/ssh/deploy2.log"

	# The operator's connection drops while deploy.sh runs (kill -9 of
	# deploy): deploy.sh goes on on the manager to the end.
	env -u SSH_AUTH_SOCK HOME="$T/client" "$BIN" deploy -a "$A" -o "$O" \
	    --remote-dir "$REMOTE" --yes >"$T/ssh/killed.log" 2>&1 &
	client=$!
	n=0
	until grep -q '^deploy.sh: running' "$T/ssh/killed.log" || [ "$n" -ge 600 ]; do
		sleep 0.1; n=$((n + 1))
	done
	kill -9 "$client"
	wait "$client" 2>/dev/null
	ssh_deploy "$O" "$T/ssh/again.log" --yes
	check "ssh: a deploy while that deploy.sh still runs is refused before it copies, with where to follow it" sh -c "
	    [ $DEPLOY_RC -ne 0 ] && tr -s ' \n' '  ' <'$T/ssh/again.log' |
	    grep -q 'on mgr, deploy.sh is still running there (pid [0-9]*): an earlier deploy has not ended; wait for it (tail -f $REMOTE/deploy.log shows how it goes)' &&
	    [ ! -e '$REMOTE/swarm.upload' ]" || show "$T/ssh/again.log"
	n=0
	until grep -q '^deploy.sh: done:' "$REMOTE/deploy.log" || [ "$n" -ge 300 ]; do
		sleep 1; n=$((n + 1))
	done
	check "ssh: killed while deploy.sh ran, deploy.sh still ends its deploy on the manager" \
	    grep -q '^deploy.sh: done: every service runs its replicas' "$REMOTE/deploy.log" ||
	    show "$REMOTE/deploy.log"
	check "ssh: and every service runs its replicas" all_replicas "$O"
}

# host_rules VERSION: the rules on the facts the hosts give over SSH, with
# the engine the sshd sessions reach: no vieux/sshfs plugin on an sshfs
# deployment, a drained node holding a pinned group, and more reserved
# than the node's CPUs and memory (size medium on the CI machine).
host_rules() {
	v=$1 A=$T/rules/a.yaml
	mkdir -p "$T/rules/srv" "$T/client/.ssh"
	cp "$D/client_ed25519" "$T/client/.ssh/id_ed25519"
	cp "$D/known_hosts" "$T/client/.ssh/known_hosts"
	answers "$v" "$A" "s|^filestore:.*|filestore: {backend: filesystem, shared_volume: {kind: sshfs, sshfs: {host: 127.0.0.1, port: $SSHD_PORT, path: $T/rules/srv}}}|; /^size:/d"
	printf 'hosts: [{name: mgr, address: 127.0.0.1, port: %s, user: root, roles: [manager, sentry]}]\n' \
	    "$SSHD_PORT" >>"$A"
	rules_check() {
		env -u SSH_AUTH_SOCK HOME="$T/client" "$BIN" check -a "$A" --only ssh \
		    --timeout 20 >"$1" 2>&1
		tr -s ' \n' '  ' <"$1" >"$1.flat"
	}
	rules_check "$T/rules/active.log"
	check "host rules: the engine's facts: Docker, API, Swarm active, node active" \
	    grep -q 'Docker [^ ]* (API [0-9.]*); Swarm active, a manager, node active' "$T/rules/active.log.flat" ||
	    show "$T/rules/active.log"
	check "host rules: no vieux/sshfs plugin on an sshfs deployment is an error, with the install line" \
	    grep -q "ERROR swarm-sshfs-plugin hosts\\[0\\].address .*127.0.0.1:$SSHD_PORT has no vieux/sshfs plugin: .*(docker plugin install --grant-all-permissions vieux/sshfs sshkey.source=/root/.ssh/" "$T/rules/active.log.flat" ||
	    show "$T/rules/active.log"
	check "host rules: size medium pinned to a 2-CPU node is an error, with its figures" \
	    grep -q "ERROR swarm-host-capacity hosts\\[0\\].roles .*mgr has $(nproc) CPUs and [0-9]* MiB, and its roles pin [0-9.]* CPUs and [0-9]* MiB of reservations to it, more [CPUsandmemory ]* than it has: tasks stay pending" "$T/rules/active.log.flat" ||
	    show "$T/rules/active.log"
	node=$(docker node ls -q | head -n 1)
	docker node update --availability drain "$node" >/dev/null
	rules_check "$T/rules/drain.log"
	docker node update --availability active "$node" >/dev/null
	check "host rules: a drained node that alone has a pinned role is an error" \
	    grep -q "ERROR swarm-node-available hosts\\[0\\].roles .*node mgr is drain: Swarm starts no task of role sentry there, and no other host has the role" "$T/rules/drain.log.flat" ||
	    show "$T/rules/drain.log"
}

# ssh_sizing VERSION: deploy.sh refusing on the manager (the size does not
# fit) is deploy's exit status, with deploy.sh's words.
ssh_sizing() {
	v=$1 O=$T/ssh-size/out A=$T/ssh-size/a.yaml REMOTE=$T/manager-size
	mkdir -p "$T/ssh-size" "$T/client/.ssh"
	cp "$D/client_ed25519" "$T/client/.ssh/id_ed25519"
	cp "$D/known_hosts" "$T/client/.ssh/known_hosts"
	ssh_answers "$v" "$A"
	sed -i '/^size:/d' "$A"
	generate "$A" "$O" || return 1
	ssh_deploy "$O" "$T/ssh-size/deploy.log" --yes
	check "ssh: deploy.sh refusing on the manager is deploy's exit status (1), with its words" sh -c "
	    [ $DEPLOY_RC -eq 1 ] && grep -q 'do not fit the nodes: short by' '$T/ssh-size/deploy.log' &&
	    grep -q '^deploy.sh on mgr exited with status 1\.$' '$T/ssh-size/deploy.log'" ||
	    show "$T/ssh-size/deploy.log"
	check "ssh: nothing was created (no service, config, secret, network)" nothing_created
}

# share_check VERSION LOG HOSTS: check --only share with the suite's
# answers, a hostpath share at $T/plain and HOSTS; its status in SHARE_RC.
share_check() {
	answers "$1" "$T/share.yaml" "s|^filestore:.*|filestore: {backend: filesystem, shared_volume: {kind: hostpath, hostpath: {path: $T/plain}}}|"
	printf 'hosts: [%s]\n' "$3" >>"$T/share.yaml"
	env -u SSH_AUTH_SOCK HOME="$T/client" "$BIN" check -a "$T/share.yaml" \
	    --only share --timeout 20 >"$2" 2>&1
	SHARE_RC=$?
}

# sharing VERSION: the write-up's sharing test, for real: a container of
# the Sentry image writes a token into the hostpath folder on host a, and
# host b must see it there, owned by 999:999. Shared: a and b are the same
# machine. Not shared: b is an sshd chrooted to a folder of its own, whose
# $T/plain is another folder (under /run: sshd refuses a chroot below the
# world-writable /tmp). A folder that uid 999 may not write into.
sharing() {
	v=$1
	CH=$(mktemp -d /run/shs-chroot.XXXXXX) || return 1
	on_exit "rm -rf '$CH'"
	chmod 755 "$CH"
	mkdir -p "$T/client/.ssh" "$CH$T/plain"
	cp "$D/client_ed25519" "$T/client/.ssh/id_ed25519"
	cp "$D/known_hosts" "$T/client/.ssh/known_hosts"
	for f in sentry-data symbolicator-data vroom-profiles geoip; do
		mkdir -p "$T/plain/$f" "$CH$T/plain/$f"
		chown 999:999 "$T/plain/$f"
	done
	B=$T/sshd-b
	mkdir -p "$B"
	ssh-keygen -q -t ed25519 -N '' -f "$B/host_ed25519"
	cp "$D/authorized_keys" "$B/authorized_keys"
	BPORT=$(free_port)
	sshd_config "$B" "$BPORT"
	printf 'ChrootDirectory %s\n' "$CH" >>"$B/sshd_config"
	printf '[127.0.0.1]:%s %s\n' "$BPORT" "$(cut -d' ' -f1,2 "$B/host_ed25519.pub")" >>"$T/client/.ssh/known_hosts"
	/usr/sbin/sshd -f "$B/sshd_config" -E "$B/sshd.log" || return 1
	on_exit "kill \$(cat '$B/sshd.pid') 2>/dev/null"
	wait_port "$BPORT"
	a="{name: a, address: 127.0.0.1, port: $SSHD_PORT, user: root}"
	b="{name: b, address: 127.0.0.1, port: $SSHD_PORT, user: root}"
	c="{name: c, address: 127.0.0.1, port: $BPORT, user: root}"

	share_check "$v" "$T/share-ok.log" "$a, $b"
	check "share: a shared folder passes (exit 0)" [ "$SHARE_RC" -eq 0 ] || show "$T/share-ok.log"
	check "share: a container of the Sentry image as 999:999 wrote on a, b read it, owned by 999:999" sh -c "
	    tr -s ' \n' '  ' <'$T/share-ok.log' | grep -q 'ok Shared folder .* a container of .* as 999:999 wrote a token into $T/plain/[a-z-]* on a; 1 other host read it there, owned by 999:999: the folder is shared'" ||
	    show "$T/share-ok.log"
	check "share: the token is gone after" sh -c "! ls -a '$T/plain'/* | grep -q sentry-ha-setup-share"

	share_check "$v" "$T/share-no.log" "$a, $c"
	check "share: a folder that is not shared fails (exit 1)" [ "$SHARE_RC" -eq 1 ] || show "$T/share-no.log"
	check "share: it says the file written on a is not there on c" sh -c "
	    tr -s ' \n' '  ' <'$T/share-no.log' | grep -q 'not shared: the file a container wrote into $T/plain/[a-z-]* on a is not in $T/plain/[a-z-]* on c'" ||
	    show "$T/share-no.log"
	check "share: with the fix" sh -c "tr -s ' \n' '  ' <'$T/share-no.log' | grep -q 'mount the same share at that path on every host'" ||
	    show "$T/share-no.log"
	check "share: nothing left on a either" sh -c "! ls -a '$T/plain'/* | grep -q sentry-ha-setup-share"

	mv "$T/plain" "$T/plain.away"
	share_check "$v" "$T/share-none.log" "$a, $b"
	check "share: a share that is not mounted fails, and no folder is made for it" sh -c "
	    [ $SHARE_RC -eq 1 ] && [ ! -e '$T/plain' ] &&
	    tr -s ' \n' '  ' <'$T/share-none.log' | grep -q 'the shared folder does not exist on this host'" ||
	    show "$T/share-none.log"
	mv "$T/plain.away" "$T/plain"
	for f in sentry-data symbolicator-data vroom-profiles geoip; do
		chown 0:0 "$T/plain/$f"; chmod 755 "$T/plain/$f"
	done
	share_check "$v" "$T/share-perm.log" "$a, $b"
	check "share: a folder uid 999 may not write into fails, naming the owner to give it" sh -c "
	    [ $SHARE_RC -eq 1 ] && grep -q 'may not write into the shared folder' '$T/share-perm.log' &&
	    grep -q 'chown 999:999 $T/plain/' '$T/share-perm.log'" || show "$T/share-perm.log"
}

# The shared folder: a loopback sshd's folder, mounted with sshfs as the
# Swarm write-up mounts it on every node.
SRV=$T/sshd-files MNT=$T/shared
check "sshd on loopback for the shared folder" start_sshd "$T/sshd" || exit 1
check "sshfs mounts its folder at $MNT" mount_sshfs "$SRV" "$MNT" || exit 1
mkdir -p "$MNT/sentry-data" "$MNT/symbolicator-data" "$MNT/vroom-profiles" "$MNT/geoip"

sizing 10.1.0
ssh_sizing 10.1.0
host_rules 24.8.0
sharing 26.8.0
for v in 10.1.0 24.8.0 26.8.0; do
	release "$v"
	[ "$v" = 24.8.0 ] && roll "$v"
	check "$v: torn down (stacks, containers, volumes, configs, secrets)" teardown
	note "$v: torn down"
done
over_ssh 26.8.0
check "ssh: torn down" teardown
nfs 24.8.0
check "nfs: torn down" teardown

note "done"
finish "Swarm engine (dockerd, real deploy.sh)"
