#!/bin/sh
# The wizard as an operator meets it, through tmux (send-keys and
# capture-pane): a whole run from an empty folder to written manifests at
# 80x24, Back keeping answers, a resize, a dropped session resumed, no
# colour, an ASCII locale, 120x40, and a form tested against a real Redis.
# Usage: tests/e2e/test-wizard.sh BINARY
. "$(dirname "$0")/../live/lib.sh"	# sets ROOT, BIN (from $1) and T

SOCK="shs-e2e-$$"
on_exit "tmux -L $SOCK kill-server 2>/dev/null"

# start NAME COLSxROWS [ENV=VALUE...]: the wizard in a fresh folder.
start() {
	name=$1 size=$2
	shift 2
	mkdir -p "$T/$name"
	tmux -L "$SOCK" -f /dev/null new-session -d -s "$name" -x "${size%x*}" \
	    -y "${size#*x}" -c "$T/$name" \
	    "env $* SENTRY_HA_SETUP_DATA='$ROOT' '$BIN'; echo \"exit=\$?\"; sleep 600"
}

# screen NAME: what the pane shows now.
screen() {
	tmux -L "$SOCK" capture-pane -p -t "$1"
}

# keys NAME KEY...: one key at a time, as typed.
keys() {
	_s=$1
	shift
	for _k in "$@"; do
		tmux -L "$SOCK" send-keys -t "$_s" "$_k"
		sleep 0.05
	done
}

# type NAME TEXT: literal text.
type_text() {
	tmux -L "$SOCK" send-keys -t "$1" -l "$2"
	sleep 0.05
}

# wait_for NAME TEXT [SECONDS]: until the pane shows TEXT (fails after).
wait_for() {
	_n=$(( ${3:-5} * 20 ))
	while [ "$_n" -gt 0 ]; do
		if screen "$1" | grep -qF -- "$2"; then
			return 0
		fi
		sleep 0.05
		_n=$((_n - 1))
	done
	return 1
}

expect_screen() {	# expect_screen NAME TEXT DESCRIPTION [SECONDS]
	if wait_for "$1" "$2" "${4:-5}"; then ok; else
		fail "$3: \"$2\" not on screen"; screen "$1" | sed 's/^/    | /'
	fi
}

# tabs NAME N: Tab N times.
tabs() {
	_i=0
	while [ "$_i" -lt "$2" ]; do keys "$1" Tab; _i=$((_i + 1)); done
}

# choose NAME VALUE: Right on the focused choice until it shows VALUE (the
# releases grow; a count of Rights would not last).
choose() {
	_n=40
	while ! screen "$1" | grep -qE -- "(‹|<) $2 (›|>)" && [ "$_n" -gt 0 ]; do
		keys "$1" Right
		_n=$((_n - 1))
	done
}

# release NAME: the release 24.8.0 and the orchestrator kubernetes, from
# the first field of the release screen.
release() {
	wait_for "$1" "Sentry release"
	choose "$1" 24.8.0
	keys "$1" Tab Tab Right
}

# field NAME TEXT: types into the focused field and moves on.
field() {
	type_text "$1" "$2"
	keys "$1" Tab
}

# The whole way, from nothing to files on disk, at a terminal size. PgDn
# is the Next button of a form, End reaches a list's Next.
full_run() {	# full_run NAME COLSxROWS
	n=$1 size=$2
	start "$n" "$size"
	expect_screen "$n" "Welcome" "$size: the wizard starts on the welcome screen"
	expect_screen "$n" "step 1 of 12" "$size: the steps are counted"
	keys "$n" Enter
	expect_screen "$n" "Release and target" "$size: Start opens the release"
	release "$n"
	expect_screen "$n" "24.8.0" "Right picks a release"
	expect_screen "$n" "kubernetes" "Right picks the orchestrator"
	# Past namespace, storage class, ingress host, registry, air gap: Size.
	tabs "$n" 6
	choose "$n" small
	expect_screen "$n" "Size                  ‹ small ›" "$size: Right picks the size"
	# Past the URL, e-mail, retention, CA and GeoIP: the cluster's fields.
	tabs "$n" 8
	expect_screen "$n" "Autoscaling           ‹ none ›" "$size: autoscaling is off unless chosen"
	choose "$n" hpa
	expect_screen "$n" "Autoscaling           ‹ hpa ›" "$size: Right picks HPA"
	# A node selector and a toleration, typed as kubectl writes them.
	tabs "$n" 1
	field "$n" "disktype=ssd"
	field "$n" "dedicated=sentry:NoSchedule"
	expect_screen "$n" "Tolerations           dedicated=sentry:NoSchedule" "$size: the toleration reads back as typed"
	tabs "$n" 2
	choose "$n" true
	expect_screen "$n" "NetworkPolicies       ‹ true ›" "$size: Right turns NetworkPolicies on"
	keys "$n" NPage
	expect_screen "$n" "PostgreSQL" "Next goes to PostgreSQL"
	field "$n" "pg.internal"
	keys "$n" Tab Tab Tab
	field "$n" "pg-secret"
	expect_screen "$n" "$(printf '\342\200\242\342\200\242\342\200\242')" "$size: a password shows as dots"
	if screen "$n" | grep -q "pg-secret"; then fail "$size: the password shows on screen"; else ok; fi
	keys "$n" NPage
	expect_screen "$n" "Redis" "PostgreSQL is complete"
	field "$n" "redis.internal"
	keys "$n" NPage
	expect_screen "$n" "Brokers" "on to Kafka"
	field "$n" "k1:9092, k2"
	expect_screen "$n" "kafka.brokers[1]: expected HOST:PORT" "$size: a bad broker is explained"
	keys "$n" BSpace BSpace
	field "$n" "k2:9092, k3:9092"
	keys "$n" NPage
	expect_screen "$n" "ClickHouse" "24.8.0 needs no ZooKeeper: ClickHouse follows Kafka"
	# Next with the host missing: the problem sits at its field.
	keys "$n" NPage
	expect_screen "$n" "missing (required)" "Next refuses a form without its host"
	field "$n" "ch.internal"
	keys "$n" NPage
	expect_screen "$n" "Memcached" "on to Memcached"
	field "$n" "mc1:11211"
	keys "$n" NPage
	expect_screen "$n" "SMTP (mail)" "on to SMTP"
	keys "$n" NPage
	expect_screen "$n" "File store" "no mail: on to the file store"
	keys "$n" Right
	keys "$n" Tab Right
	expect_screen "$n" "pvc" "$size: a claim for the shared volume"
	keys "$n" NPage
	expect_screen "$n" "Services" "on to the services"
	expect_screen "$n" "web                                 stateless-http" "services with their role"
	expect_screen "$n" "singleton                 1 (0 or 1)" "$size: a singleton runs once at most"
	# The third row is the worker: Enter, a new count, Enter.
	keys "$n" Down Down Enter BSpace
	type_text "$n" "3"
	keys "$n" Enter
	expect_screen "$n" "stateless-worker          3" "$size: the worker's replicas changed"
	expect_in "$T/$n/sentry-ha.yaml" "replicas: 3" "$size: the replicas are saved"
	expect_in "$T/$n/sentry-ha.yaml" "size: small" "$size: the size is saved"
	expect_in "$T/$n/sentry-ha.yaml" "autoscaling: hpa" "$size: the autoscaling is saved"
	expect_in "$T/$n/sentry-ha.yaml" "network_policy: true" "$size: NetworkPolicies are saved"
	expect_in "$T/$n/sentry-ha.yaml" "disktype: \"ssd\"" "$size: the node selector is saved"
	expect_in "$T/$n/sentry-ha.yaml" "key: dedicated" "$size: the toleration is saved"
	expect_screen "$n" "Size small reserves" "$size: the Services screen sums the reservations"
	expect_screen "$n" "A replica reserves 25m CPU and 128Mi" "$size: the selected worker's reservation, scaled to small"
	# End: the Next button.
	keys "$n" End Enter
	expect_screen "$n" "Review" "on to the review"
	expect_screen "$n" "  0 errors," "$size: the answers have no errors"
	keys "$n" End Enter
	expect_screen "$n" "Write" "on to Write"
	expect_screen "$n" "sentry-ha-out/: " "Write sums up the folder"
	expect_screen "$n" "new      RUNBOOK.md" "Write lists the new files"
	keys "$n" Enter
	expect_screen "$n" "Written. Next: less sentry-ha-out/RUNBOOK.md" "written"
	keys "$n" Enter
	expect_screen "$n" "Next: less sentry-ha-out/RUNBOOK.md, and follow it" "$size: the farewell names the next command"
	expect_screen "$n" "exit=0" "$size: the wizard exits 0"
	expect_true "$size: the manifests are written" test -f "$T/$n/sentry-ha-out/kubernetes/kustomization.yaml"
	expect_true "$size: every pod selects the nodes and tolerates the taint" sh -c "grep -q 'disktype: .ssd.' '$T/$n/sentry-ha-out/kubernetes/services/web.yaml' && grep -q 'key: dedicated' '$T/$n/sentry-ha-out/kubernetes/services/web.yaml'"
	expect_true "$size: with the NetworkPolicies and an HPA for web" sh -c "grep -q network-policy.yaml '$T/$n/sentry-ha-out/kubernetes/kustomization.yaml' && grep -rq 'kind: HorizontalPodAutoscaler' '$T/$n/sentry-ha-out/kubernetes/'"
	expect_true "$size: the answers are 0600" test "$(stat -c %a "$T/$n/sentry-ha.yaml")" = 600
	expect_true "$size: the answers pass check" sh -c "cd '$T/$n' && SENTRY_HA_SETUP_DATA='$ROOT' '$BIN' check --offline -a sentry-ha.yaml >/dev/null"
	expect_in "$T/$n/sentry-ha.yaml" "password: \"pg-secret\"" "$size: the password is in the answers (0600)"
}

full_run full 80x24
full_run fullbig 120x40

# Back keeps the answers; a resize redraws at once; too small says so.
start back 80x24
keys back Enter
release back
keys back NPage
expect_screen back "PostgreSQL" "back: at PostgreSQL"
field back "db.example.org"
keys back Escape
expect_screen back "Release and target" "Esc goes back"
expect_screen back "24.8.0" "the release is still chosen"
tmux -L "$SOCK" resize-window -t back -x 120 -y 40
# Only the 120-column layout has this on one line.
expect_screen back "their commands, the Kafka topics" "the resized screen is redrawn"
tmux -L "$SOCK" resize-window -t back -x 60 -y 20
expect_screen back "the wizard needs 80x24" "a small terminal is told so"
tmux -L "$SOCK" resize-window -t back -x 80 -y 24
expect_screen back "Release and target" "enlarged again, the wizard is back"
keys back NPage
expect_screen back "db.example.org" "the host typed before is still there"

# A dropped session (SIGHUP) in the middle of a field resumes at the same
# screen with what was typed.
start drop 80x24
keys drop Enter
release drop
keys drop NPage
expect_screen drop "PostgreSQL" "drop: at PostgreSQL"
field drop "kept.example.org"
keys drop Tab
type_text drop "typed-then-dropped"
sleep 0.2
pid=$(tmux -L "$SOCK" list-panes -t drop -F '#{pane_pid}')
pkill -HUP -P "$pid" -f sentry-ha-setup
expect_screen drop "exit=129" "SIGHUP ends the wizard (128 + 1)"
tmux -L "$SOCK" kill-session -t drop
start drop 80x24
expect_screen drop "TLS (sslmode)" "resumed at the same screen"
expect_screen drop "kept.example.org" "the completed field is kept"
expect_screen drop "typed-then-dropped" "the field being typed is kept"

# kill -9: nothing runs at all; the last completed field is on disk.
keys drop Tab Tab
type_text drop "lost-user"
pid=$(tmux -L "$SOCK" list-panes -t drop -F '#{pane_pid}')
pkill -KILL -P "$pid" -f sentry-ha-setup
sleep 0.2
tmux -L "$SOCK" kill-session -t drop
start drop 80x24
expect_screen drop "kept.example.org" "after kill -9 the saved answers are there"

# Ctrl-C (SIGINT) and SIGTERM: the typed field is kept, the terminal is
# given back (the shell after the wizard prints its status), 128 + signal.
start intr 80x24
keys intr Enter
release intr
keys intr NPage
expect_screen intr "TLS (sslmode)" "intr: at PostgreSQL"
type_text intr "typed-before-ctrl-c"
keys intr C-c
expect_screen intr "exit=130" "Ctrl-C ends the wizard with 130"
expect_in "$T/intr/sentry-ha.yaml" "typed-before-ctrl-c" "Ctrl-C keeps the field being typed"
start term 80x24
keys term Enter
release term
keys term NPage
expect_screen term "TLS (sslmode)" "term: at PostgreSQL"
type_text term "typed-before-term"
pid=$(tmux -L "$SOCK" list-panes -t term -F '#{pane_pid}')
pkill -TERM -P "$pid" -f sentry-ha-setup
expect_screen term "exit=143" "SIGTERM ends the wizard with 143"
expect_in "$T/term/sentry-ha.yaml" "typed-before-term" "SIGTERM keeps the field being typed"

# Errors block writing, even when a session resumes right at Write.
mkdir -p "$T/gate"
sed -e 's/worker: {replicas: 4}/worker: {replicas: 4}\n  cron: {replicas: 0}/' \
    -e 's/{env: SENTRY_DEMO_PG_PASSWORD}/"pg"/' "$ROOT/assets/demo/sentry-ha.yaml" >"$T/gate/sentry-ha.yaml"
cp "$ROOT/assets/demo/demo-redis-password.txt" "$T/gate/"
printf 'screen: write\n' >"$T/gate/sentry-ha.yaml.wizard"
start gate 80x24
expect_screen gate "1 rule reported an error: nothing is written" "Write says why it will not write"
keys gate Right Enter
sleep 0.3
expect_true "nothing written while a rule reports an error" test ! -e "$T/gate/sentry-ha-out"

# An empty keys file: every screen that needs a plan says so, none
# crashes, and the wizard still quits cleanly.
mkdir -p "$T/nokeys"
sed 's/{env: SENTRY_DEMO_PG_PASSWORD}/"pg"/' "$ROOT/assets/demo/sentry-ha.yaml" >"$T/nokeys/sentry-ha.yaml"
cp "$ROOT/assets/demo/demo-redis-password.txt" "$T/nokeys/"
: >"$T/nokeys/sentry-ha.keys.yaml"
printf 'screen: services\n' >"$T/nokeys/sentry-ha.yaml.wizard"
start nokeys 80x24
expect_screen nokeys "the file is empty" "Services says the keys file is empty"
keys nokeys End Enter
expect_screen nokeys "the file is empty" "Review says it too"
keys nokeys F10
expect_screen nokeys "exit=" "the wizard ends, it does not crash"
if screen nokeys | grep -q "exit=1[3-9][0-9]"; then
	fail "an empty keys file ended the wizard by a signal"; screen nokeys | sed 's/^/    | /'
else ok; fi

# No colour, and an ASCII locale.
start nocolor 80x24 NO_COLOR=1
expect_screen nocolor "Welcome" "NO_COLOR: the wizard runs"
if tmux -L "$SOCK" capture-pane -e -p -t nocolor | grep -q "$(printf '\033\\[3[0-7]m\\|\033\\[4[0-7]m')"; then
	fail "NO_COLOR: colours were used"
else ok; fi
start ascii 80x24 LANG=C LC_ALL=C
keys ascii Enter
expect_screen ascii "< choose >" "LANG=C: ASCII marks"
if screen ascii | grep -q "$(printf '\342')"; then fail "LANG=C: non-ASCII on screen"; else ok; fi
start big 120x40
keys big Enter
expect_screen big "Release and target" "120x40: the wizard runs"
expect_screen big "step 2 of 12" "120x40: the frame fits"

# A form tested against a real Redis: fine, then a wrong password; and a
# check of a server that never answers, cancelled with Esc.
RP=$(free_port)
redis-server --port "$RP" --bind 127.0.0.1 --requirepass right-pw --daemonize yes \
    --pidfile "$T/redis.pid" --save '' --appendonly no >/dev/null
on_exit 'kill $(cat "$T/redis.pid") 2>/dev/null'
wait_port "$RP"
start redis 80x24
keys redis Enter
release redis
keys redis NPage
field redis "pg.internal"
keys redis NPage
expect_screen redis "DB index" "at the Redis form"
field redis "127.0.0.1"
HANG=$(free_port)
blackhole "$HANG"
field redis "$HANG"
tabs redis 4
keys redis Enter
expect_screen redis "Checking Redis (at most 5 s) ... Esc cancels" "a test runs in the background"
keys redis Escape
expect_screen redis "Check cancelled." "Esc cancels the test at once"
expect_screen redis "DB index" "still on the Redis form"
# From Test back to Port: five fields and Back lie between.
keys redis BTab BTab BTab BTab BTab
keys redis End BSpace BSpace BSpace BSpace BSpace
field redis "$RP"
field redis "right-pw"
# Back, Test, Next follow the last field (TLS).
tabs redis 3
keys redis Enter
expect_screen redis "ok   Redis 127.0.0.1:$RP" "the test passes against the real Redis" 8
expect_screen redis "standalone" "the diagnosis shows the mode"
keys redis BTab BTab BTab BTab
keys redis BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
field redis "wrong-pw"
tabs redis 3
keys redis Enter
expect_screen redis "FAIL Redis 127.0.0.1:$RP: authentication failed" "a wrong password is diagnosed" 8
expect_screen redis "Fix: check redis.password" "with the fix"

# A host key that no known_hosts holds: the review's Test all shows its
# fingerprint and asks; n adds nothing, y records it (as ssh's accept-new)
# and checks again, and then SSH passes.
. "$ROOT/tests/live/servers.sh"
SP=$(free_port)
mkdir -p "$T/sshd" "$T/kh/home/.ssh" /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$T/sshd/host_ed25519"
ssh-keygen -q -t ed25519 -N '' -f "$T/kh/home/.ssh/id_ed25519"
cp "$T/kh/home/.ssh/id_ed25519.pub" "$T/sshd/authorized_keys"
sshd_config "$T/sshd" "$SP"
# A docker that the deploy below can make hang (deploy.sh's first docker
# call then waits), and the machine's own otherwise.
mkdir -p "$T/fakebin"
printf '#!/bin/sh\nif [ -e %s/dep/slow ]; then echo $$ >%s/dep/slow.pid; exec sleep 60; fi\nPATH=/usr/local/bin:/usr/bin:/bin exec docker "$@"\n' "$T" "$T" >"$T/fakebin/docker"
chmod 755 "$T/fakebin/docker"
printf 'SetEnv PATH=%s/fakebin:/usr/local/bin:/usr/bin:/bin\n' "$T" >>"$T/sshd/sshd_config"
/usr/sbin/sshd -f "$T/sshd/sshd_config" -E "$T/sshd/sshd.log"
on_exit 'kill $(cat "$T/sshd/sshd.pid") 2>/dev/null'
wait_port "$SP"
sed 's/{env: SENTRY_DEMO_PG_PASSWORD}/"pg"/' "$ROOT/assets/demo/sentry-ha.yaml" >"$T/kh/sentry-ha.yaml"
printf 'hosts: [{name: n0, address: 127.0.0.1, port: %s, user: root}]\n' "$SP" >>"$T/kh/sentry-ha.yaml"
cp "$ROOT/assets/demo/demo-redis-password.txt" "$T/kh/"
printf 'screen: review\n' >"$T/kh/sentry-ha.yaml.wizard"
start kh 80x24 HOME="$T/kh/home"
expect_screen kh "[ Test all ]" "at the review"
keys kh Tab Enter
FP=$(ssh-keygen -lf "$T/sshd/host_ed25519.pub" | cut -d' ' -f2)
expect_screen kh "Trust host key $FP? y/n" "a new host key: its fingerprint, and a question" 10
keys kh n
expect_screen kh "Not trusted: nothing was added" "n trusts nothing"
expect_true "n writes no known_hosts" test ! -e "$T/kh/home/.ssh/known_hosts"
keys kh Enter
expect_screen kh "Trust host key $FP? y/n" "asked again on the next test" 10
keys kh y
expect_screen kh "every endpoint: 9 of 10 failed" "y checks again and SSH passes" 10
expect_true "y records the key as ssh does" grep -qx "\[127.0.0.1\]:$SP $(cut -d' ' -f1,2 "$T/sshd/host_ed25519.pub")" "$T/kh/home/.ssh/known_hosts"

# Deploy from the Write screen of a Swarm output, onto the same sshd as the
# manager (whose key the session above trusted): n copies nothing; y
# copies the output into target.deploy_dir and runs deploy.sh there (no
# Docker engine here, so it refuses, with its words in the log), and says
# its exit status.
mkdir -p "$T/dep"
sed -e 's/{env: SENTRY_DEMO_PG_PASSWORD}/"pg"/' \
    -e "s|^  kind: kubernetes\$|  kind: swarm\n  deploy_dir: $T/dep/remote|" \
    -e '/^  storage_class:/d' -e '/^  ingress_host:/d' -e '/^  namespace:/d' \
    -e '/^filestore:/,/^services:/{/^services:/!d}' \
    -e 's/^services:$/filestore: {backend: s3, s3: {bucket: b, region: eu-west-1, access_key: AKIA, secret_key: s3-secret}}\nservices:/' \
    "$ROOT/assets/demo/sentry-ha.yaml" >"$T/dep/sentry-ha.yaml"
printf 'hosts: [{name: mgr, address: 127.0.0.1, port: %s, user: root, roles: [manager]}]\n' "$SP" >>"$T/dep/sentry-ha.yaml"
cp "$ROOT/assets/demo/demo-redis-password.txt" "$T/dep/"
printf 'screen: write\n' >"$T/dep/sentry-ha.yaml.wizard"
start dep 80x24 HOME="$T/kh/home"
expect_screen dep "[ Write ]" "deploy: at Write"
keys dep Enter
expect_screen dep "[ Deploy ]  [ Quit ]" "deploy: once written, Deploy is offered on Swarm"
keys dep Enter
expect_screen dep "Deploy onto mgr (root@127.0.0.1, port $SP):" "deploy: it says where first"
expect_screen dep "then rename it to $T/dep/remote/swarm" "deploy: and what it copies where"
expect_screen dep "Deploy onto mgr now, as above? y/n" "deploy: and asks"
keys dep n
expect_screen dep "Not deployed: nothing was copied or run." "deploy: n deploys nothing"
expect_true "deploy: n copies nothing" test ! -e "$T/dep/remote"
keys dep Enter
expect_screen dep "as above? y/n" "deploy: asked again"
keys dep y
expect_screen dep "deploy.sh on mgr exited with status 1 (Log shows why)." "deploy: y runs deploy.sh on the host and says its status" 20
expect_screen dep "deploy.sh: run me on a Swarm manager" "deploy: deploy.sh's words are shown as they come"
expect_screen dep "Logged in to mgr: SSH-2.0-OpenSSH" "deploy: the log says where it logged in"
expect_true "deploy: the manager holds the output's swarm/ folder" diff -r "$T/dep/sentry-ha-out/swarm" "$T/dep/remote/swarm"
expect_true "deploy: its secrets in 0600 files" test "$(stat -c %a "$T/dep/remote/swarm/secrets/secret-key")" = 600
expect_screen dep "[ Deploy ]  [ Log ]  [ Quit ]" "deploy: after it, Deploy again and the Log"
keys dep Right Enter
expect_screen dep "Deploy onto mgr" "deploy: Log opens the whole log"
keys dep Escape
sleep 0.3
keys dep F10
expect_screen dep "exit=0" "deploy: the wizard ends normally"
expect_screen dep "deploy.sh on mgr exited with status 1" "deploy: the outcome stays on the terminal after the wizard"

# Quitting while deploy.sh runs asks first, and says what goes on there.
touch "$T/dep/slow"
printf 'screen: write\n' >"$T/dep/sentry-ha.yaml.wizard"
tmux -L "$SOCK" kill-session -t dep
start dep 80x24 HOME="$T/kh/home"
expect_screen dep "[ Write ]" "deploy quit: at Write"
keys dep Enter
expect_screen dep "[ Deploy ]  [ Quit ]" "deploy quit: Deploy offered"
keys dep Enter
expect_screen dep "as above? y/n" "deploy quit: asked"
keys dep y
n=0
until [ -s "$T/dep/slow.pid" ] || [ "$n" -ge 100 ]; do sleep 0.1; n=$((n + 1)); done
expect_true "deploy quit: deploy.sh runs (and waits in docker)" test -s "$T/dep/slow.pid"
keys dep F10
expect_screen dep "deploy.sh runs on mgr and goes on there without the wizard. Quit? y/n" "deploy quit: F10 while deploy.sh runs asks, saying it goes on"
keys dep n
expect_screen dep "Deploying onto mgr..." "deploy quit: n stays, deploying"
keys dep F10
expect_screen dep "Quit? y/n" "deploy quit: asked again"
keys dep y
expect_screen dep "exit=0" "deploy quit: y quits"
expect_screen dep "deploy.sh was still running on mgr: it goes on there, writing to" "deploy quit: the terminal says where deploy.sh goes on"
expect_true "deploy quit: and it does go on there" kill -0 "$(cat "$T/dep/slow.pid")"
kill "$(cat "$T/dep/slow.pid")" 2>/dev/null
rm -f "$T/dep/slow"

# A service's own answers on the Services screen (Kubernetes): Enter opens
# them below the list, Up/Down goes from one to the next, each is checked
# when left (a ceiling of 0 is refused at its row), Enter ends; the file
# holds them and the manifests carry them.
mkdir -p "$T/so"
cp "$ROOT/assets/demo/sentry-ha.yaml" "$ROOT/assets/demo/demo-redis-password.txt" "$T/so/"
printf 'screen: services\n' >"$T/so/sentry-ha.yaml.wizard"
start so 80x24 SENTRY_DEMO_PG_PASSWORD=demo
expect_screen so "web                                 stateless-http            3" "own answers: at the Services screen"
keys so Enter Down
expect_screen so "Max replicas" "own answers: Enter opens them, with the ceiling"
type_text so "0"
keys so Down
expect_screen so "services.web.max_replicas" "own answers: a ceiling of 0 is refused, naming the answer"
keys so BSpace
type_text so "6"
keys so Down
type_text so "disktype=ssd"
keys so Down
type_text so "dedicated=sentry:NoSchedule"
keys so Enter
expect_screen so "answers: at most 6 replicas; on nodes disktype=ssd; tolerates" "own answers: listed under the service once typed"
# A singleton has no ceiling, but its placement: Replicas, then the node
# selector.
keys so Down Enter
expect_screen so "Node selector" "own answers: a singleton opens its answers too"
if screen so | grep -qF "Max replicas"; then fail "own answers: a singleton has no ceiling"; else ok; fi
keys so Down
type_text so "pool=batch"
keys so Enter
expect_screen so "answers: on nodes pool=batch" "own answers: the singleton's selector is listed"
keys so F10
expect_screen so "exit=0" "own answers: the wizard ends normally"
expect_in "$T/so/sentry-ha.yaml" "max_replicas: 6" "own answers: the ceiling is saved"
expect_in "$T/so/sentry-ha.yaml" "disktype: \"ssd\"" "own answers: the node selector is saved"
expect_in "$T/so/sentry-ha.yaml" "key: dedicated" "own answers: the toleration is saved"
expect_true "own answers: web's pods carry them" sh -c "cd '$T/so' && SENTRY_DEMO_PG_PASSWORD=demo SENTRY_HA_SETUP_DATA='$ROOT' '$BIN' generate -o out >/dev/null 2>&1 && grep -q 'disktype: .ssd.' out/kubernetes/services/web.yaml && grep -q 'key: dedicated' out/kubernetes/services/web.yaml && ! grep -q 'disktype' out/kubernetes/services/relay.yaml"

# swarm_answers TARGET LAST: a small Swarm answers file (the file store in
# S3), with TARGET as its target line and LAST as its last line.
swarm_answers() {
	cat <<EOF
schema: 1
sentry: {version: "24.8.0", url_prefix: "https://sentry.example.com", admin_email: ops@example.com}
$1
postgres: {host: pg.internal, password: "pg-pass"}
redis: {host: redis.internal}
kafka: {brokers: ["k1:9092", "k2:9092", "k3:9092"]}
clickhouse: {host: ch.internal}
memcached: {hosts: ["mc1:11211"]}
filestore: {backend: s3, s3: {bucket: sentry-files, region: eu-west-1, access_key: AKIA, secret_key: "s3-secret"}}
$2
EOF
}

# A Kubernetes answer in a Swarm file (the Services screen has no field
# for it): the Review names it, with what Swarm does instead, and Enter on
# it opens the service it belongs to.
mkdir -p "$T/ko"
swarm_answers "target: {kind: swarm}" \
    "services: {web: {replicas: 2, max_replicas: 6}}" >"$T/ko/sentry-ha.yaml"
printf 'screen: review\n' >"$T/ko/sentry-ha.yaml.wizard"
start ko 80x24
expect_screen ko "WARNING answer-ignored                     services.web.max_replicas" "target-only: the Review lists the ignored answer"
keys ko Down
expect_screen ko "Docker Swarm ignores services.web.max_replicas, which only" "target-only: and says what is ignored"
expect_screen ko "autoscaler" "target-only: and what Swarm does instead"
keys ko Enter
expect_screen ko "Services" "target-only: Enter opens the Services screen"
keys ko F10
expect_screen ko "exit=0" "target-only: the wizard ends normally"
expect_in "$T/ko/sentry-ha.yaml" "max_replicas: 6" "target-only: the answer is kept, not dropped"

# The Hosts screen on Swarm: a host added with Add and its fields, Test
# over SSH against the loopback sshd (a new key asks first) showing what
# the host runs, a field edited, a host removed; the answers hold exactly
# what was typed.
mkdir -p "$T/hs/home/.ssh"
cp "$T/kh/home/.ssh/id_ed25519" "$T/kh/home/.ssh/id_ed25519.pub" "$T/hs/home/.ssh/"
CLOSED=$(free_port)
swarm_answers "target: {kind: swarm, stack: sentry}" \
    "hosts: [{name: node1, address: 127.0.0.1, port: $CLOSED, roles: [manager]}]" \
    >"$T/hs/sentry-ha.yaml"
printf 'screen: hosts\n' >"$T/hs/sentry-ha.yaml.wizard"
start hs 80x24 HOME="$T/hs/home"
expect_screen hs "node1          127.0.0.1" "the Hosts screen lists the answers' host"
# From the first row: Back, then Add.
keys hs Down Right Enter
expect_screen hs "A new host" "Add opens a new host's fields"
field hs "n2"
field hs "127.0.0.1"
field hs "99999"
expect_screen hs "hosts[1].port" "a port out of range is refused, at its field"
keys hs C-u
field hs "$SP"
field hs "root"
type_text hs "worker"
keys hs Enter
expect_screen hs "n2             127.0.0.1              $SP root       worker" "Enter on the roles ends: the host is a row"
# End is Next; Test is left of it.
keys hs End Left Enter
expect_screen hs "Trust host key $FP? y/n" "Test asks about the new host key" 15
keys hs y
expect_screen hs "Hosts: 1 of 2 failed (below)." "the closed port fails, the sshd passes" 15
# Up past Add and Back to n2's row: its result alone, with what the host
# runs.
keys hs Up Up Up
expect_screen hs "ok   SSH 127.0.0.1:$SP" "n2's result"
expect_screen hs "$(uname -sr)" "the facts name the host's kernel"
expect_screen hs "Docker" "and its Docker engine (or why none answers)"
expect_screen hs "ok n2" "the row is marked ok"
tmux -L "$SOCK" resize-window -t hs -x 120 -y 40
expect_screen hs "$(uname -sr), " "hosts: the resized screen shows the facts"
tmux -L "$SOCK" resize-window -t hs -x 80 -y 24
# Edit n2's user: past Name, Address and Port.
keys hs Enter Tab Tab Tab C-u
type_text hs "deploy"
keys hs Tab
# Esc and the next key in one read, as over SSH: the Up is not lost.
tmux -L "$SOCK" send-keys -t hs Escape Up
expect_screen hs "$SP deploy     worker" "an edited field is saved and listed"
keys hs DC
expect_screen hs "Remove host node1 (127.0.0.1)? y/n" "Delete asks first"
keys hs y
expect_screen hs "Removed host node1." "y removes it"
sed -n '/^hosts:/,$p' "$T/hs/sentry-ha.yaml" >"$T/hs/hosts.yaml"
printf 'hosts:\n- name: n2\n  address: "127.0.0.1"\n  port: %s\n  user: deploy\n  roles:\n  - "worker"\n' "$SP" >"$T/hs/want.yaml"
if cmp -s "$T/hs/want.yaml" "$T/hs/hosts.yaml"; then ok; else
	fail "the answers hold exactly the host typed"
	diff -u "$T/hs/want.yaml" "$T/hs/hosts.yaml" | sed 's/^/    /'
fi
expect_true "hosts: the answers pass check" sh -c "cd '$T/hs' && SENTRY_HA_SETUP_DATA='$ROOT' '$BIN' check --offline -a sentry-ha.yaml >/dev/null"
# A host's field half typed when the session drops comes back in its field.
keys hs Enter Tab Tab
type_text hs "x"
sleep 0.2
pid=$(tmux -L "$SOCK" list-panes -t hs -F '#{pane_pid}')
pkill -HUP -P "$pid" -f sentry-ha-setup
expect_screen hs "exit=129" "hosts: SIGHUP ends the wizard"
tmux -L "$SOCK" kill-session -t hs
start hs 80x24 HOME="$T/hs/home"
expect_screen hs "Kept from the last session: hosts[0].port" "hosts: the half-typed port is offered again"
expect_screen hs "SSH port              ${SP}x" "in its field, as typed"
# Apart: an Esc read within 30 ms of the one before is taken as the start
# of a key's sequence.
keys hs Escape
sleep 0.3
keys hs Escape
sleep 0.3
keys hs End Enter
expect_screen hs "Services" "Esc drops it; Next goes on to the services"
expect_in "$T/hs/sentry-ha.yaml" "port: $SP" "the dropped text never reached the answers"

finish "wizard (tmux)"
