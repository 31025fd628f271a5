#!/bin/sh
# Live check of Google Cloud Storage: the service account's key file (not
# JSON, a PEM file instead of JSON, a person's login, no private_key, a
# damaged key: each says precisely what is wrong and never shows the key),
# then the bucket, asked for through STORAGE_EMULATOR_HOST (as Google's
# client libraries honour it) at a small HTTP server that answers 404 for a
# missing bucket, 403 for a private one and 200 for a public one. Without
# the emulator, storage.googleapis.com is not reachable from here.
# Usage: tests/live/test-gcs.sh BINARY
. "$(dirname "$0")/lib.sh"	# sets ROOT, BIN (from $1) and T

EMU=$(free_port)
python3 -c '
import http.server, sys
status = {"/private-bucket": 403, "/public-bucket": 200}
log = open(sys.argv[2], "a")
class H(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self):
        log.write("%s %s auth=%s\n" % (self.command, self.path,
            "Authorization" in self.headers))
        log.flush()
        self.send_response(status.get(self.path, 404))
        self.send_header("Content-Length", "0")
        self.end_headers()
    do_GET = do_HEAD
    def log_message(self, *a):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
' "$EMU" "$T/emu.log" &
on_exit "kill $! 2>/dev/null"
wait_port "$EMU"

# A real key, so that a good file passes OpenSSL's reading of it.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
    -out "$T/key.pem" 2>/dev/null
KEYLINE=$(sed -n 2p "$T/key.pem")
# creds FILE TYPE [private_key|damaged|none]: a key file as Google writes it.
creds() {
	python3 - "$1" "$2" "${3:-private_key}" "$T/key.pem" <<'PY'
import json, sys
path, kind, key, pem = sys.argv[1:5]
doc = {"type": kind, "project_id": "live", "private_key_id": "0123abcd",
       "client_email": "sentry@live.iam.gserviceaccount.com",
       "client_id": "1", "token_uri": "https://oauth2.googleapis.com/token"}
text = open(pem).read()
if key == "private_key":
    doc["private_key"] = text
elif key == "damaged":
    doc["private_key"] = text[:len(text) // 2]
open(path, "w").write(json.dumps(doc, indent=2))
PY
}

# gcs_check BUCKET CREDENTIALS [EMULATOR]: one check of the GCS file store.
gcs_check() {
	LIVE_FILESTORE="{backend: gcs, gcs: {bucket: $1, credentials_file: \"$2\"${GCS_MORE:-}}, shared_volume: {kind: pvc}}"
	live_answers "$T/a.yaml"
	if [ -n "${3:-}" ]; then
		elapsed_ms env STORAGE_EMULATOR_HOST="$3" "$BIN" check \
		    -a "$T/a.yaml" --only gcs --timeout 2
	else
		elapsed_ms env -u STORAGE_EMULATOR_HOST "$BIN" check \
		    -a "$T/a.yaml" --only gcs --timeout 2
	fi
}
# no_key_shown: the private key's text appears nowhere in the output.
no_key_shown() {
	expect_not_in "$T/out" "$KEYLINE" "$1: the private key is never shown"
	expect_not_in "$T/err" "$KEYLINE" "$1: the private key is never shown (stderr)"
}
EMU_URL=http://127.0.0.1:$EMU

creds "$T/good.json" service_account
gcs_check private-bucket "$T/good.json" "$EMU_URL"
expect_true "a private bucket passes (exit $LIVE_STATUS)" test "$LIVE_STATUS" -eq 0
expect_in "$T/out" "ok    GCS gs://private-bucket" "private bucket exists"
expect_said "$T/out" "service account sentry@live.iam.gserviceaccount.com" "names the account"
expect_said "$T/out" "HTTP 403 to an anonymous request" "says how it knows"
expect_in "$T/emu.log" "HEAD /private-bucket auth=False" "asked anonymously, at the emulator"
no_key_shown "good key"

gcs_check public-bucket "$T/good.json" "127.0.0.1:$EMU"
expect_in "$T/out" "ok    GCS gs://public-bucket" "an emulator host without a scheme"
expect_said "$T/out" "anyone may list it" "says the bucket is public"

gcs_check missing-bucket "$T/good.json" "$EMU_URL/"
expect_true "a missing bucket fails (exit $LIVE_STATUS)" test "$LIVE_STATUS" -eq 1
expect_in "$T/out" "FAIL  GCS gs://missing-bucket: missing" "missing bucket"
expect_in "$T/out" "(filestore.gcs.credentials_file at $T/a.yaml:" "failure names the answer"

{ printf '{"type": "service_account", "private_key": "'; sed -n 1,3p "$T/key.pem"; } >"$T/broken.json"
gcs_check private-bucket "$T/broken.json" "$EMU_URL"
expect_in "$T/out" "FAIL  GCS gs://private-bucket: cannot check" "not JSON"
expect_said "$T/out" "the key file is not JSON: $T/broken.json:" "says where the JSON breaks"
no_key_shown "not JSON"

gcs_check private-bucket "$T/key.pem" "$EMU_URL"
expect_said "$T/out" "$T/key.pem is not a JSON object" "a PEM file instead of the JSON key"
no_key_shown "PEM file"

creds "$T/user.json" authorized_user
gcs_check private-bucket "$T/user.json" "$EMU_URL"
expect_in "$T/out" "FAIL  GCS gs://private-bucket: cannot check" "wrong type"
expect_said "$T/out" "is of type \"authorized_user\", not \"service_account\"" "says the type"

creds "$T/nokey.json" service_account none
gcs_check private-bucket "$T/nokey.json" "$EMU_URL"
expect_said "$T/out" "$T/nokey.json has no \"private_key\"" "missing private_key"

creds "$T/damaged.json" service_account damaged
gcs_check private-bucket "$T/damaged.json" "$EMU_URL"
expect_said "$T/out" "is not a PEM private key" "damaged private_key"
no_key_shown "damaged key"
expect_true "a bad key file never reaches the bucket" test "$(grep -c . "$T/emu.log")" -eq 3

# A bucket of their own for profiles is asked for too.
GCS_MORE=", profiles_bucket: missing-bucket" gcs_check private-bucket "$T/good.json" "$EMU_URL"
expect_in "$T/out" "ok    GCS gs://private-bucket" "the file store's bucket"
expect_in "$T/out" "FAIL  GCS gs://missing-bucket: missing" "the missing profiles bucket"
expect_in "$T/out" "(filestore.gcs.profiles_bucket at $T/a.yaml:" "names the profiles answer"
GCS_MORE=

# No emulator: Google itself, which this machine does not reach.
gcs_check private-bucket "$T/good.json"
expect_true "no Internet fails (exit $LIVE_STATUS)" test "$LIVE_STATUS" -eq 1
expect_true "no Internet: cannot reach storage.googleapis.com" grep -qE \
    "FAIL  GCS gs://private-bucket: (name does not resolve|connection refused|timed out)" "$T/out"
expect_true "deadline holds (${LIVE_MS} ms for a 2 s timeout)" test "$LIVE_MS" -lt 3500

finish "live gcs"
