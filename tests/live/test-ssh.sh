#!/bin/sh
# Live check of SSH against a real OpenSSH sshd on loopback, with its own
# host key and authorized_keys, and HOME set to a folder with this machine's
# key and known_hosts: a good host, the sshfs server (its folder there, then
# missing, then a file), a closed port and a server that never greets, all
# at once; then known_hosts without the key, with another key (CHANGED),
# a key that authorized_keys does not hold, no key at all, and ssh-agent.
# With the volume on sshfs each host also logs in to the sshfs server as
# the vieux/sshfs plugin will, with the key folder of sshfs.key_source (one
# of the test's own, never /root/.ssh): all good, no key there, the key
# refused, known_hosts without the server or with another key, and the
# server's port closed.
# Usage: tests/live/test-ssh.sh BINARY
. "$(dirname "$0")/lib.sh"	# sets ROOT, BIN (from $1) and T
. "$(dirname "$0")/servers.sh"

SSH=$(free_port)
D=$T/sshd
mkdir -p "$D" "$T/home/.ssh" "$T/stranger/.ssh" "$T/share" "$T/plugin"
: >"$T/a-file"
ssh-keygen -q -t ed25519 -N '' -C live-host -f "$D/host_ed25519"
ssh-keygen -q -t ed25519 -N '' -C live-other-host -f "$D/other_ed25519"
ssh-keygen -q -t ed25519 -N '' -C live-client -f "$T/home/.ssh/id_ed25519"
ssh-keygen -q -t ed25519 -N '' -C live-stranger -f "$T/stranger/.ssh/id_ed25519"
ssh-keygen -q -t ed25519 -N '' -C live-plugin -f "$T/plugin/id_ed25519"
cat "$T/home/.ssh/id_ed25519.pub" "$T/plugin/id_ed25519.pub" >"$D/authorized_keys"
sshd_config "$D" "$SSH"
# known_hosts entries as ssh writes them for a port other than 22.
known() {
	printf '[127.0.0.1]:%s %s\n' "$SSH" "$(cut -d' ' -f1,2 "$1")"
}
known "$D/host_ed25519.pub" >"$T/home/.ssh/known_hosts"
known "$D/host_ed25519.pub" >"$T/stranger/.ssh/known_hosts"
known "$D/host_ed25519.pub" >"$T/plugin/known_hosts"
mkdir -p /run/sshd
/usr/sbin/sshd -f "$D/sshd_config" -E "$D/sshd.log"
on_exit 'kill $(cat "$D/sshd.pid") 2>/dev/null'
wait_port "$SSH"
HANG=$(free_port)
blackhole "$HANG"

LIVE_TARGET="{kind: swarm, stack: sentry}"
# ssh_check HOME SSHFS-PATH HOSTS...: one check of the SSH endpoints (each
# HOST is ADDRESS:PORT) and of the sshfs server at 127.0.0.1:$SSHFS_PORT
# ($SSH), whose plugin keys are in $KEYS ($T/plugin/).
ssh_check() {
	home=$1 path=$2
	shift 2
	hosts="" i=0
	for h in "$@"; do
		hosts="$hosts${hosts:+, }{name: n$i, address: ${h%:*}, port: ${h##*:}}"
		i=$((i + 1))
	done
	LIVE_FILESTORE="{backend: filesystem, shared_volume: {kind: sshfs, sshfs: {host: 127.0.0.1, port: ${SSHFS_PORT:-$SSH}, path: \"$path\", key_source: \"${KEYS:-$T/plugin/}\"}}}"
	LIVE_EXTRA="hosts: [$hosts]"
	live_answers "$T/a.yaml"
	elapsed_ms env -u SSH_AUTH_SOCK ${AGENT:+SSH_AUTH_SOCK=$AGENT} \
	    HOME="$home" "$BIN" check -a "$T/a.yaml" --only ssh \
	    --timeout "${TIMEOUT:-2}" $ACCEPT
}
AGENT= ACCEPT=

ssh_check "$T/home" "$T/share" "127.0.0.1:$SSH" "127.0.0.1:$LIVE_CLOSED" \
    "127.0.0.1:$HANG"
expect_true "failed endpoints exit 1" test "$LIVE_STATUS" -eq 1
expect_true "a good host and the sshfs server pass" test \
    "$(grep -c "^ok    SSH 127.0.0.1:$SSH " "$T/out")" -eq 2
expect_said "$T/out" "SSH-2.0-OpenSSH_" "the banner is reported"
expect_said "$T/out" "logged in as root by publickey, with ~/.ssh/id_ed25519" "the login is reported"
expect_said "$T/out" "$T/share is a folder" "the sshfs folder is there"
expect_in "$T/out" "FAIL  SSH 127.0.0.1:$LIVE_CLOSED: connection refused" "closed port"
expect_in "$T/out" "FAIL  SSH 127.0.0.1:$HANG: timed out waiting for a reply" "no SSH greeting"
expect_in "$T/out" "(hosts[2].address at $T/a.yaml:" "failure names the answer"
# Four endpoints at once: about one deadline, not four.
expect_true "deadline holds (${LIVE_MS} ms for a 2 s timeout)" test "$LIVE_MS" -lt 3500
# The host's facts: the loopback host is this machine. PRETTY_NAME as
# os-release has it, unquoted (the shell does it as the probe does).
PRETTY=$(. /etc/os-release && printf '%s' "$PRETTY_NAME")
expect_said "$T/out" "$(uname -sr), $PRETTY; $(nproc) CPU" "OS, kernel and CPUs of the host"
expect_said "$T/out" "GiB; clock " "memory and clock of the host"
expect_in "$T/out" "      no Docker engine reachable: " "no Docker engine in the sshd session"
expect_not_in "$T/out" "host-clock-skew" "no clock skew on this machine"
expect_true "only the host has facts, not the sshfs server" test \
    "$(grep -c "; clock [-+]" "$T/out")" -eq 1

ssh_check "$T/home" "$T/share" "127.0.0.1:$SSH"
elapsed_ms env -u SSH_AUTH_SOCK HOME="$T/home" "$BIN" check -a "$T/a.yaml" \
    --only ssh --timeout 2 --json
expect_in "$T/out" "\"about\": {\"kernel\": \"$(uname -sr)\", \"os\": \"$PRETTY\", \"cpus\": \"$(nproc)\", \"memory_kib\": \"$(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo)\", \"clock_skew_s\": " "--json has the host's facts"
expect_in "$T/out" "\"docker_none\": " "--json says there is no Docker engine"
expect_in "$T/out" "\"about\": {\"shared_path\": \"$T/share\", \"shared_free_kib\": \"" "the sshfs server has only the share's free space"
expect_not_in "$T/out" "host-clock-skew" "no clock skew in --json"

ssh_check "$T/home" "$T/no-such-folder"
expect_in "$T/out" "FAIL  SSH 127.0.0.1:$SSH: missing" "sshfs folder missing"
expect_said "$T/out" "$T/no-such-folder does not exist" "names the folder"
expect_in "$T/out" "(filestore.shared_volume.sshfs.host at $T/a.yaml:" "names the sshfs answer"
ssh_check "$T/home" "$T/a-file"
expect_said "$T/out" "$T/a-file on 127.0.0.1 is not a folder" "sshfs path is a file"

mkdir -p "$T/nokh/.ssh"
cp "$T/home/.ssh/id_ed25519" "$T/nokh/.ssh/"
ssh_check "$T/nokh" "$T/share"
expect_in "$T/out" "FAIL  SSH 127.0.0.1:$SSH: host key not trusted" "known_hosts lacks the key"
expect_said "$T/out" "ssh-keyscan -p $SSH 127.0.0.1 >> ~/.ssh/known_hosts" "says how to add it"
expect_said "$T/out" "ED25519 SHA256:$(ssh-keygen -lf "$D/host_ed25519.pub" | cut -d' ' -f2 | cut -d: -f2)" "shows the fingerprint ssh-keygen shows"

known "$D/other_ed25519.pub" >"$T/nokh/.ssh/known_hosts"
ssh_check "$T/nokh" "$T/share"
expect_in "$T/out" "FAIL  SSH 127.0.0.1:$SSH: host key not trusted" "another key in known_hosts"
expect_said "$T/out" "CHANGED" "says the key changed"
expect_said "$T/out" "ssh-keygen -R '[127.0.0.1]:$SSH'" "says how to drop the old key"

# --accept-new never trusts a changed key, and names the line to remove.
cp "$T/nokh/.ssh/known_hosts" "$T/kh-before"
ACCEPT=--accept-new ssh_check "$T/nokh" "$T/share"
expect_in "$T/out" "FAIL  SSH 127.0.0.1:$SSH: host key not trusted" "--accept-new refuses a changed key"
expect_said "$T/out" "line 1 of $T/nokh/.ssh/known_hosts holds another key" "names the line that holds the old key"
expect_said "$T/out" "ssh-keygen -R '[127.0.0.1]:$SSH' -f $T/nokh/.ssh/known_hosts" "says which file to drop it from"
expect_true "a changed key leaves known_hosts as it was" cmp -s "$T/kh-before" "$T/nokh/.ssh/known_hosts"

# --accept-new records a key no file holds, as ssh's accept-new does: the
# host and the sshfs server (one server, two endpoints) add it once, in a
# file of mode 0600 that OpenSSH itself then trusts.
mkdir -p "$T/fresh/.ssh"
cp "$T/home/.ssh/id_ed25519" "$T/fresh/.ssh/"
ACCEPT=--accept-new ssh_check "$T/fresh" "$T/share" "127.0.0.1:$SSH"
expect_true "--accept-new: host and sshfs server pass" test \
    "$(grep -c "^ok    SSH 127.0.0.1:$SSH " "$T/out")" -eq 2
expect_said "$T/out" "was new: added to ~/.ssh/known_hosts" "says the key was added"
expect_true "the key is recorded once" test \
    "$(grep -c "^\[127.0.0.1\]:$SSH ssh-ed25519 $(cut -d' ' -f2 "$D/host_ed25519.pub")\$" "$T/fresh/.ssh/known_hosts")" -eq 1
expect_true "nothing else is recorded" test "$(wc -l <"$T/fresh/.ssh/known_hosts")" -eq 1
expect_true "known_hosts is made 0600" test "$(stat -c %a "$T/fresh/.ssh/known_hosts")" = 600
expect_true "OpenSSH trusts the recorded line" ssh -p "$SSH" -i "$T/fresh/.ssh/id_ed25519" \
    -o UserKnownHostsFile="$T/fresh/.ssh/known_hosts" -o StrictHostKeyChecking=yes \
    -o BatchMode=yes root@127.0.0.1 true
ssh_check "$T/fresh" "$T/share" "127.0.0.1:$SSH"
expect_true "then the key is known without --accept-new" test \
    "$(grep -c "^ok    SSH 127.0.0.1:$SSH " "$T/out")" -eq 2
expect_not_in "$T/out" "was new" "and is not added again"
expect_true "known_hosts keeps its one line" test "$(wc -l <"$T/fresh/.ssh/known_hosts")" -eq 1

# The bare name is not trusted for another port (as with OpenSSH).
printf '127.0.0.1 %s\n' "$(cut -d' ' -f1,2 "$D/host_ed25519.pub")" >"$T/nokh/.ssh/known_hosts"
ssh_check "$T/nokh" "$T/share"
expect_in "$T/out" "FAIL  SSH 127.0.0.1:$SSH: host key not trusted" "port 22's entry does not count"

ssh_check "$T/stranger" "$T/share"
expect_in "$T/out" "FAIL  SSH 127.0.0.1:$SSH: authentication failed" "key not in authorized_keys"
expect_said "$T/out" "root@127.0.0.1 refused every key: ~/.ssh/id_ed25519 (refused)" "names the key tried"

mkdir -p "$T/nokey/.ssh"
cp "$T/home/.ssh/known_hosts" "$T/nokey/.ssh/"
ssh_check "$T/nokey" "$T/share"
expect_in "$T/out" "FAIL  SSH 127.0.0.1:$SSH: cannot check" "no key at all"
expect_said "$T/out" "no key to log in with" "says there is no key"

# ssh-agent comes first; here it is the only source of keys.
AGENT=$T/agent.sock
ssh-agent -a "$AGENT" >"$T/agent.env"
on_exit "kill $(sed -n 's/^SSH_AGENT_PID=\([0-9]*\).*/\1/p' "$T/agent.env") 2>/dev/null"
SSH_AUTH_SOCK=$AGENT ssh-add -q "$T/stranger/.ssh/id_ed25519" 2>/dev/null
ssh_check "$T/nokey" "$T/share"
expect_said "$T/out" "refused every key: ssh-agent's 1 key (refused)" "an agent key that is refused"
SSH_AUTH_SOCK=$AGENT ssh-add -q "$T/home/.ssh/id_ed25519" 2>/dev/null
ssh_check "$T/nokey" "$T/share"
expect_in "$T/out" "ok    SSH 127.0.0.1:$SSH" "login through ssh-agent"
expect_said "$T/out" "logged in as root by publickey, with ssh-agent's key live-client" "says the agent's key was used"

# Mutual access. The host logs in to the sshfs server with the plugin's
# key, and says so (the host is this machine, the server its sshd). The
# login comes after the host's facts, within the same deadline: 5 s, so
# that a loaded machine does not leave it unchecked.
unset SSH_AUTH_SOCK
AGENT= TIMEOUT=5
ssh_check "$T/home" "$T/share" "127.0.0.1:$SSH"
expect_true "mutual: host and server pass" test "$LIVE_STATUS" -eq 0
expect_said "$T/out" "sshfs server root@127.0.0.1:$SSH reached with $T/plugin/id_ed25519, as the vieux/sshfs plugin will; its host key is known ($T/plugin/known_hosts)" "mutual: the key and known_hosts used"
elapsed_ms env -u SSH_AUTH_SOCK HOME="$T/home" "$BIN" check -a "$T/a.yaml" \
    --only ssh --timeout 5 --json
expect_in "$T/out" "\"sshfs_login\": \"ok\", \"sshfs_login_key\": \"$T/plugin/id_ed25519\"" "mutual: --json says the login worked, with which key"
# The folder is named without its slash too, and as the plugin's own: the
# runbook installs the plugin with it.
"$BIN" generate -a "$T/a.yaml" -o "$T/gen" >/dev/null 2>&1
expect_in "$T/gen/RUNBOOK.md" "vieux/sshfs sshkey.source=$T/plugin/" "the runbook's plugin takes key_source"

# No key in the folder.
mkdir -p "$T/nokeys"
cp "$T/plugin/known_hosts" "$T/nokeys/"
KEYS=$T/nokeys ssh_check "$T/home" "$T/share" "127.0.0.1:$SSH"
expect_true "mutual, no key: exit 1" test "$LIVE_STATUS" -eq 1
expect_in "$T/out" "FAIL  SSH 127.0.0.1:$SSH: missing" "mutual, no key: the host fails"
expect_said "$T/out" "n0 has no key for the vieux/sshfs plugin to log in to root@127.0.0.1 with: none of $T/nokeys/id_ed25519, id_ecdsa, id_rsa" "mutual, no key: says which files"
expect_said "$T/out" "Fix: on n0, as root: ssh-keygen -t ed25519 -N '' -f $T/nokeys/id_ed25519, then append $T/nokeys/id_ed25519.pub to ~root/.ssh/authorized_keys on 127.0.0.1" "mutual, no key: the fix"
expect_true "mutual, no key: the sshfs server itself passes" test \
    "$(grep -c "^ok    SSH 127.0.0.1:$SSH " "$T/out")" -eq 1

# A key that authorized_keys does not hold (and an RSA one, tried next).
mkdir -p "$T/refused"
cp "$T/stranger/.ssh/id_ed25519" "$T/stranger/.ssh/id_ed25519.pub" "$T/plugin/known_hosts" "$T/refused/"
ssh-keygen -q -t rsa -b 2048 -N '' -C live-rsa -f "$T/refused/id_rsa"
KEYS=$T/refused/ ssh_check "$T/home" "$T/share" "127.0.0.1:$SSH"
expect_in "$T/out" "FAIL  SSH 127.0.0.1:$SSH: authentication failed" "mutual, refused: the host fails"
expect_said "$T/out" "logged in as root by publickey, with ~/.ssh/id_ed25519; but root@127.0.0.1 refused every key that the vieux/sshfs plugin of n0 would log in with: id_ed25519, id_rsa in $T/refused (root@127.0.0.1: Permission denied (publickey)" "mutual, refused: names the keys and ssh's words"
expect_said "$T/out" "Fix: append $T/refused/id_ed25519.pub of n0 to ~root/.ssh/authorized_keys on 127.0.0.1" "mutual, refused: the fix"
elapsed_ms env -u SSH_AUTH_SOCK HOME="$T/home" "$BIN" check -a "$T/a.yaml" \
    --only ssh --timeout 5 --json
expect_in "$T/out" "\"sshfs_login\": \"key-refused\"" "mutual, refused: --json"

# known_hosts without the server, then with another key for it.
mkdir -p "$T/nokh-plugin"
cp "$T/plugin/id_ed25519" "$T/nokh-plugin/"
KEYS=$T/nokh-plugin ssh_check "$T/home" "$T/share" "127.0.0.1:$SSH"
expect_in "$T/out" "FAIL  SSH 127.0.0.1:$SSH: host key not trusted" "mutual, unknown host key: the host fails"
expect_said "$T/out" "$T/nokh-plugin/known_hosts on n0 does not hold the host key of 127.0.0.1:$SSH (No ED25519 host key is known for [127.0.0.1]:$SSH" "mutual, unknown host key: says so, in ssh's words"
expect_said "$T/out" "Fix: on n0, as root: ssh-keyscan -p $SSH 127.0.0.1 >> $T/nokh-plugin/known_hosts, then check" "mutual, unknown host key: the ssh-keyscan fix"
expect_not_in "$T/out" "--accept-new" "mutual: --accept-new is not offered for the plugin's known_hosts"
known "$D/other_ed25519.pub" >"$T/nokh-plugin/known_hosts"
KEYS=$T/nokh-plugin ssh_check "$T/home" "$T/share" "127.0.0.1:$SSH"
expect_in "$T/out" "FAIL  SSH 127.0.0.1:$SSH: host key not trusted" "mutual, changed host key: the host fails"
expect_said "$T/out" "$T/nokh-plugin/known_hosts on n0 holds another host key for 127.0.0.1:$SSH than the one it shows" "mutual, changed host key: says so"
expect_said "$T/out" "ssh-keygen -R '[127.0.0.1]:$SSH' -f $T/nokh-plugin/known_hosts" "mutual, changed host key: how to drop the old one"
expect_true "mutual: the check wrote nothing into the key folder" test \
    "$(ls "$T/nokh-plugin")" = "$(printf 'id_ed25519\nknown_hosts')"

# The sshfs server's port closed: the host says so (its view, not ours).
SSHFS_PORT=$LIVE_CLOSED ssh_check "$T/home" "$T/share" "127.0.0.1:$SSH"
expect_in "$T/out" "FAIL  SSH 127.0.0.1:$SSH: connection refused" "mutual, closed port: the host fails"
expect_said "$T/out" "from n0, 127.0.0.1:$LIVE_CLOSED refuses the connection (ssh: connect to host 127.0.0.1 port $LIVE_CLOSED: Connection refused)" "mutual, closed port: in ssh's words"
expect_said "$T/out" "Fix: that is what n0 sees, not this machine" "mutual, closed port: whose network"
expect_in "$T/out" "FAIL  SSH 127.0.0.1:$LIVE_CLOSED: connection refused" "mutual, closed port: the server fails as well"
# A server that takes the connection and never greets: ssh's own
# ConnectTimeout ends it before the probe's deadline.
SSHFS_PORT=$HANG ssh_check "$T/home" "$T/share" "127.0.0.1:$SSH"
expect_in "$T/out" "FAIL  SSH 127.0.0.1:$SSH: timed out connecting" "mutual, silent server: the host fails"
expect_said "$T/out" "from n0, 127.0.0.1:$HANG does not answer in time (Connection timed out during banner exchange)" "mutual, silent server: in ssh's words"

# hostpath: each host measures the share's folder with df; a folder that
# is not there says so. (No sshfs server, so no login to one.)
LIVE_FILESTORE="{backend: filesystem, shared_volume: {kind: hostpath, hostpath: {path: \"$T/share/\"}}}"
LIVE_EXTRA="hosts: [{name: n0, address: 127.0.0.1, port: $SSH}]"
live_answers "$T/a.yaml"
elapsed_ms env -u SSH_AUTH_SOCK HOME="$T/home" "$BIN" check -a "$T/a.yaml" --only ssh --timeout 5
expect_said "$T/out" "free space on the shared path $T/share: " "hostpath: the share's free space is a fact"
expect_not_in "$T/out" "sshfs server" "hostpath: no sshfs login"
elapsed_ms env -u SSH_AUTH_SOCK HOME="$T/home" "$BIN" check -a "$T/a.yaml" --only ssh --timeout 5 --json
expect_in "$T/out" "\"shared_path\": \"$T/share\", \"shared_free_kib\": \"" "hostpath: --json has the free space"
expect_in "$T/out" "\"shared_total_kib\": \"$(df -Pk "$T/share" | awk 'END { print $2 }')\"" "hostpath: the size df gives"
LIVE_FILESTORE="{backend: filesystem, shared_volume: {kind: hostpath, hostpath: {path: \"$T/not-mounted\"}}}"
live_answers "$T/a.yaml"
elapsed_ms env -u SSH_AUTH_SOCK HOME="$T/home" "$BIN" check -a "$T/a.yaml" --only ssh --timeout 5
expect_said "$T/out" "free space on the shared path $T/not-mounted: unknown, df failed (df: $T/not-mounted: No such file or directory)" "hostpath: a folder not there"
# A share that is nearly full: an 8 MiB tmpfs, where mounting is allowed.
mkdir -p "$T/small"
if mount -t tmpfs -o size=8m tmpfs "$T/small" 2>/dev/null; then
	on_exit "umount '$T/small' 2>/dev/null"
	LIVE_FILESTORE="{backend: filesystem, shared_volume: {kind: hostpath, hostpath: {path: \"$T/small\"}}}"
	live_answers "$T/a.yaml"
	elapsed_ms env -u SSH_AUTH_SOCK HOME="$T/home" "$BIN" check -a "$T/a.yaml" --only ssh --timeout 5
	expect_said "$T/out" "free space on the shared path $T/small: 8 MiB of 8 MiB (100%), low" "hostpath: a small share is low"
	expect_in "$T/out" "WARNING  shared-volume-free-space  filestore.shared_volume.hostpath.path" "hostpath: a warning on the share"
	expect_said "$T/out" "the shared path $T/small has 8 MiB free (100% of 8 MiB) as 127.0.0.1:$SSH sees it; below 5 GiB or 5% uploads soon fail" "hostpath: the warning"
else
	echo "live ssh: no tmpfs mount here: the low-space warning is not tried" >&2
fi

finish "live ssh"
