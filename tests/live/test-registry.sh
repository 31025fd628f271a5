#!/bin/sh
# Live check of the registry mirror (answers registry: and registry_auth:)
# against Debian's docker-registry (the distribution registry) on loopback,
# seeded with skopeo from a tiny OCI layout written here (no daemon): one
# registry without a login, one with htpasswd (Basic), one with TLS from a
# private CA, all three serving one storage folder; and a small token server
# in Python for the Bearer flow (401 with realm, service and scope, a token
# from the realm for the Basic login, then the request again). Every image
# of the plan is asked for: the present ones with their digest, the missing
# ones named, the forbidden ones named; a wrong password, a closed port and
# a server that never answers each fail as what they are, and the password
# is never shown.
# Usage: tests/live/test-registry.sh BINARY
. "$(dirname "$0")/lib.sh"	# sets ROOT, BIN (from $1) and T

for tool in docker-registry skopeo htpasswd openssl; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP live registry: NOT TESTED: $tool is missing (make test-deps installs docker-registry, skopeo and apache2-utils)" >&2
		echo "SKIP live registry: NOT TESTED ($tool missing)"
		exit 0
	fi
done

PW="reg-Secret-$$-pw"
export REG_PW="$PW" REG_BAD="not-the-password"
OPEN=$(free_port)
AUTH=$(free_port)
TLS=$(free_port)
TOKEN=$(free_port)

# serve PORT [YAML...]: a registry on 127.0.0.1:PORT over $T/store.
serve() {
	_port=$1; shift
	{
		echo "version: 0.1"
		echo "log: {level: error}"
		echo "storage: {filesystem: {rootdirectory: $T/store}, delete: {enabled: true}}"
		echo "http: {addr: 127.0.0.1:$_port$(for x in "$@"; do printf ', %s' "$x"; done)}"
		[ -n "${REG_AUTH:-}" ] && echo "auth: $REG_AUTH"
	} >"$T/reg-$_port.yml"
	docker-registry serve "$T/reg-$_port.yml" >"$T/reg-$_port.log" 2>&1 &
	on_exit "kill $! 2>/dev/null"
	wait_port "$_port"
}

# A private CA and the registry's certificate for 127.0.0.1.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=live test CA" \
    -keyout "$T/ca.key" -out "$T/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$T/srv.key" -out "$T/srv.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' >"$T/san.ext"
openssl x509 -req -in "$T/srv.csr" -CA "$T/ca.crt" -CAkey "$T/ca.key" \
    -CAcreateserial -days 2 -extfile "$T/san.ext" -out "$T/srv.crt" 2>/dev/null

htpasswd -B -b -c "$T/htpasswd" sentry "$PW" >/dev/null 2>&1
serve "$OPEN"
REG_AUTH="{htpasswd: {realm: live, path: $T/htpasswd}}" serve "$AUTH"
serve "$TLS" "tls: {certificate: $T/srv.crt, key: $T/srv.key}"

# One image, as small as an image gets: a config, one layer, a manifest.
python3 - "$T/oci" <<'PY'
import gzip, hashlib, io, json, os, sys, tarfile
d = sys.argv[1]
os.makedirs(d + "/blobs/sha256")
def blob(data):
    h = hashlib.sha256(data).hexdigest()
    open("%s/blobs/sha256/%s" % (d, h), "wb").write(data)
    return {"digest": "sha256:" + h, "size": len(data)}
tar = io.BytesIO()
with tarfile.open(fileobj=tar, mode="w") as t:
    text = b"sentry-ha-setup live test\n"
    info = tarfile.TarInfo("probe.txt"); info.size = len(text)
    t.addfile(info, io.BytesIO(text))
layer = blob(gzip.compress(tar.getvalue(), mtime=0))
layer["mediaType"] = "application/vnd.oci.image.layer.v1.tar+gzip"
config = blob(json.dumps({"architecture": "amd64", "os": "linux", "config": {},
    "rootfs": {"type": "layers", "diff_ids":
    ["sha256:" + hashlib.sha256(tar.getvalue()).hexdigest()]}}).encode())
config["mediaType"] = "application/vnd.oci.image.config.v1+json"
manifest = blob(json.dumps({"schemaVersion": 2, "mediaType":
    "application/vnd.oci.image.manifest.v1+json", "config": config,
    "layers": [layer]}).encode())
manifest["mediaType"] = "application/vnd.oci.image.manifest.v1+json"
manifest["annotations"] = {"org.opencontainers.image.ref.name": "seed"}
json.dump({"schemaVersion": 2, "manifests": [manifest]}, open(d + "/index.json", "w"))
json.dump({"imageLayoutVersion": "1.0.0"}, open(d + "/oci-layout", "w"))
PY

# The plan's images, from the runbook of answers that use the open registry.
LIVE_EXTRA="registry: 127.0.0.1:$OPEN/mirror"
live_answers "$T/a.yaml"
"$BIN" generate -a "$T/a.yaml" -o "$T/gen" >/dev/null 2>&1
grep "^- \`127.0.0.1:$OPEN/mirror/" "$T/gen/RUNBOOK.md" | tr -d '`' | cut -c3- >"$T/images"
N=$(grep -c . "$T/images")
expect_true "the runbook lists the plan's images ($N)" test "$N" -ge 5
# Two stay missing for now: the last two of the list.
head -n $((N - 2)) "$T/images" >"$T/seeded"
tail -n 2 "$T/images" >"$T/unseeded"
MISS1=$(sed -n 1p "$T/unseeded" | sed "s|^127.0.0.1:$OPEN/mirror/||")
MISS2=$(sed -n 2p "$T/unseeded" | sed "s|^127.0.0.1:$OPEN/mirror/||")
FIRST=$(sed -n 1p "$T/images" | sed "s|^127.0.0.1:$OPEN/mirror/||")
push() {
	while read -r ref; do
		skopeo copy --quiet --dest-tls-verify=false oci:"$T/oci":seed \
		    "docker://$ref" >>"$T/skopeo.log" 2>&1 || echo "push $ref failed" >&2
	done <"$1"
}
push "$T/seeded"
DIGEST=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["manifests"][0]["digest"])' "$T/oci/index.json")

# reg_check REGISTRY [REGISTRY_AUTH]: one check of the registry alone.
reg_check() {
	LIVE_EXTRA="registry: $1${2:+
registry_auth: $2}"
	live_answers "$T/a.yaml"
	elapsed_ms "$BIN" check -a "$T/a.yaml" --only registry --timeout 2 ${REG_MORE:-}
}
# no_password: the registry's password appears nowhere in the output.
no_password() {
	expect_not_in "$T/out" "$PW" "$1: the password is never shown"
	expect_not_in "$T/err" "$PW" "$1: the password is never shown (stderr)"
}

reg_check "127.0.0.1:$OPEN/mirror"
expect_true "missing images fail (exit $LIVE_STATUS)" test "$LIVE_STATUS" -eq 1
expect_in "$T/out" "FAIL  Registry 127.0.0.1:$OPEN/mirror: missing" "missing images"
expect_said "$T/out" "2 of $N images are missing: $MISS1, $MISS2" "names every missing image"
expect_said "$T/out" "$FIRST $DIGEST" "a present image's digest"
expect_said "$T/out" "Fix: copy each missing image into the registry, e.g. skopeo copy docker://" "the fix"
expect_said "$T/out" "docker://127.0.0.1:$OPEN/mirror/$MISS1 (RUNBOOK.md lists every image)" "the fix names the first missing image"
expect_said "$T/out" "plain HTTP: an insecure registry to the nodes" "plain HTTP on loopback"
expect_in "$T/out" "(registry at $T/a.yaml:" "names the answer"

push "$T/unseeded"
REG_MORE="--json" reg_check "127.0.0.1:$OPEN/mirror"
expect_true "every image there passes (exit $LIVE_STATUS)" test "$LIVE_STATUS" -eq 0
python3 - "$T/out" "$DIGEST" "$N" <<'PY' >"$T/json.txt" 2>&1
import json, sys
doc = json.load(open(sys.argv[1]))
p = [x for x in doc["probes"] if x["service"] == "Registry"]
assert len(p) == 1 and p[0]["status"] == "ok", p
assert p[0]["field"] == "registry", p
assert p[0]["detail"].count(sys.argv[2]) == int(sys.argv[3]), p[0]["detail"]
print("json ok")
PY
expect_in "$T/json.txt" "json ok" "--json: one ok result, every digest in its detail"

# Basic login (htpasswd), the password read from the environment.
reg_check "127.0.0.1:$AUTH/mirror" "{username: sentry, password: {env: REG_PW}}"
expect_true "Basic login passes (exit $LIVE_STATUS)" test "$LIVE_STATUS" -eq 0
expect_in "$T/out" "ok    Registry 127.0.0.1:$AUTH/mirror" "Basic login"
expect_said "$T/out" "logged in as sentry (Basic)" "says how it logged in"
expect_said "$T/out" "all $N images are there" "every image, through the login"
no_password "Basic"

reg_check "127.0.0.1:$AUTH/mirror" "{username: sentry, password: {env: REG_BAD}}"
expect_true "a wrong password fails (exit $LIVE_STATUS)" test "$LIVE_STATUS" -eq 1
expect_in "$T/out" "FAIL  Registry 127.0.0.1:$AUTH/mirror: authentication failed" "wrong password"
expect_said "$T/out" "the registry refused the login of sentry" "says whose login"
expect_said "$T/out" "Fix: check registry_auth.username and registry_auth.password" "the fix"
expect_not_in "$T/out" "$REG_BAD" "the wrong password is never shown"
no_password "wrong password"

reg_check "127.0.0.1:$AUTH/mirror"
expect_in "$T/out" "FAIL  Registry 127.0.0.1:$AUTH/mirror: authentication failed" "no login given"
expect_said "$T/out" "the registry asks for a login" "says a login is needed"
expect_said "$T/out" "Fix: give registry_auth.username and registry_auth.password" "the fix"

reg_check "127.0.0.1:$AUTH/mirror" "{username: sentry, password: {env: REG_UNSET}}"
expect_in "$T/out" "FAIL  Registry registry_auth.password: cannot check" "an unset variable"
expect_said "$T/out" "Registry was not contacted without it" "not contacted"

# TLS from a private CA: verified when asked for (on loopback it is not by
# default, as Docker does), with the CA of registry_auth.ca_file.
reg_check "127.0.0.1:$TLS/mirror" "{ca_file: \"$T/ca.crt\", tls_verify: true}"
expect_true "TLS with the private CA passes (exit $LIVE_STATUS)" test "$LIVE_STATUS" -eq 0
expect_in "$T/out" "ok    Registry 127.0.0.1:$TLS/mirror" "private CA"
expect_said "$T/out" "at https://127.0.0.1:$TLS (no login)" "over HTTPS"
reg_check "127.0.0.1:$TLS/mirror" "{tls_verify: true}"
expect_in "$T/out" "FAIL  Registry 127.0.0.1:$TLS/mirror: TLS failure" "without the CA"
expect_said "$T/out" "Fix: give registry_auth.ca_file the CA that signed the registry's certificate" "the TLS fix"
reg_check "127.0.0.1:$TLS/mirror"
expect_in "$T/out" "ok    Registry 127.0.0.1:$TLS/mirror" "loopback: TLS not verified"
expect_said "$T/out" "TLS not verified: an insecure registry to the nodes" "says it is not verified"
reg_check "127.0.0.1:$OPEN/mirror" "{tls_verify: true}"
expect_in "$T/out" "FAIL  Registry 127.0.0.1:$OPEN/mirror: TLS failure" "plain HTTP when TLS is asked for"
expect_said "$T/out" "registry_auth.tls_verify: false" "the fix names tls_verify"

# The Bearer flow: a token server in front of the open registry, as
# Docker Hub, Harbor or GitLab are. It refuses getsentry/vroom to sentry.
DENY=$(grep -m1 'getsentry/vroom' "$T/images" | sed "s|^127.0.0.1:$OPEN/mirror/||")
python3 - "$TOKEN" "$OPEN" "$PW" "$T/token.log" <<'PY' &
import base64, http.client, http.server, sys, urllib.parse
port, upstream, pw, logf = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
log = open(logf, "a")
good = "Basic " + base64.b64encode(b"sentry:" + pw.encode()).decode()
tokens = {}
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers: self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD": self.wfile.write(body)
    def challenge(self, scope):
        realm = 'Bearer realm="http://127.0.0.1:%d/token",service="live"' % port
        self.reply(401, b"", [("WWW-Authenticate", realm + (',scope="%s"' % scope if scope else ""))])
    def do_GET(self):
        u = urllib.parse.urlparse(self.path)
        if u.path == "/token":
            q = urllib.parse.parse_qs(u.query)
            log.write("token %s %s\n" % (q.get("service"), q.get("scope"))); log.flush()
            if self.headers.get("Authorization") != good:
                return self.reply(401, b'{"errors": "denied"}')
            scope = q.get("scope", [""])[0]
            tok = "tok%d" % len(tokens); tokens[tok] = "" if "getsentry/vroom" in scope else scope
            return self.reply(200, ('{"token": "%s"}' % tok).encode())
        auth = self.headers.get("Authorization", "")
        tok = tokens.get(auth[7:]) if auth.startswith("Bearer ") else None
        if u.path == "/v2/":
            return self.reply(200, b"{}") if tok is not None else self.challenge("")
        name = u.path[4:u.path.index("/manifests/")]
        scope = "repository:%s:pull" % name
        if tok != scope:
            return self.challenge(scope)
        c = http.client.HTTPConnection("127.0.0.1", upstream)
        c.request("HEAD", u.path, headers={"Accept": self.headers.get("Accept", "")})
        r = c.getresponse()
        self.reply(r.status, b"", [("Docker-Content-Digest", r.getheader("Docker-Content-Digest", ""))])
    do_HEAD = do_GET
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
PY
on_exit "kill $! 2>/dev/null"
wait_port "$TOKEN"

reg_check "127.0.0.1:$TOKEN/mirror" "{username: sentry, password: {env: REG_PW}}"
expect_true "a forbidden image fails (exit $LIVE_STATUS)" test "$LIVE_STATUS" -eq 1
expect_in "$T/out" "FAIL  Registry 127.0.0.1:$TOKEN/mirror: permission denied" "not authorised"
expect_said "$T/out" "1 of $N images may not be pulled by this login: $DENY" "names the forbidden image"
expect_said "$T/out" "logged in as sentry with a token from http://127.0.0.1:$TOKEN/token" "the token flow"
expect_said "$T/out" "$FIRST $DIGEST" "a digest through the token flow"
expect_said "$T/out" "Fix: let sentry pull these repositories" "the fix"
expect_in "$T/token.log" "token ['live'] ['repository:mirror/getsentry/" "a token per repository, with service and scope"
no_password "Bearer"

reg_check "127.0.0.1:$TOKEN/mirror" "{username: sentry, password: {env: REG_BAD}}"
expect_in "$T/out" "FAIL  Registry 127.0.0.1:$TOKEN/mirror: authentication failed" "the token server refuses"
expect_said "$T/out" "the token server http://127.0.0.1:$TOKEN/token refused the login" "says who refused"
no_password "Bearer, wrong password"

# A closed port, and a server that never answers.
reg_check "127.0.0.1:$LIVE_CLOSED/mirror"
expect_in "$T/out" "FAIL  Registry 127.0.0.1:$LIVE_CLOSED/mirror: connection refused" "closed port"
expect_said "$T/out" "Fix: check the host and port of registry" "the fix"
HOLE=$(free_port)
blackhole "$HOLE"
reg_check "127.0.0.1:$HOLE/mirror" "{username: sentry, password: {env: REG_PW}}"
expect_in "$T/out" "FAIL  Registry 127.0.0.1:$HOLE/mirror: timed out" "a registry that never answers"
expect_true "deadline holds (${LIVE_MS} ms for a 2 s timeout)" test "$LIVE_MS" -lt 3500
no_password "blackhole"

# No registry: nothing to check; and the password goes into no file.
LIVE_EXTRA= live_answers "$T/a.yaml"
elapsed_ms "$BIN" check -a "$T/a.yaml" --only registry --timeout 2
expect_said "$T/out" "--only registry: nothing to check: $T/a.yaml names no Registry endpoint (registry)" "no registry"
LIVE_EXTRA="registry: 127.0.0.1:$AUTH/mirror
registry_auth: {username: sentry, password: {env: REG_PW}}"
live_answers "$T/a.yaml"
rm -rf "$T/gen"
"$BIN" generate -a "$T/a.yaml" -o "$T/gen" >/dev/null 2>&1
expect_true "generate writes the manifests" test -d "$T/gen/kubernetes"
expect_true "the registry's password is in no generated file" sh -c \
    "! grep -rqF -- \"\$1\" \"\$2\"" sh "$PW" "$T/gen"

finish "live registry"
