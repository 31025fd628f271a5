#!/bin/sh
# Live check of S3 against a real S3 server on loopback (@20minutes/s3rver,
# which verifies SigV4 signatures): good keys (and the probe object is gone
# afterwards), a wrong secret, an unknown key, a missing bucket, a closed
# port, a server that never answers, no keys at all (the nodes' IAM role:
# not checked from here, which is not a failure), a bucket of its own for
# profiles (present and missing), and keys that may write
# but not read or delete (an S3 double: s3rver has no policies).
# Usage: tests/live/test-s3.sh BINARY
. "$(dirname "$0")/lib.sh"	# sets ROOT, BIN (from $1) and T

if [ ! -d "$ROOT/tests/live/s3/node_modules/@20minutes/s3rver" ]; then
	"$ROOT/tests/install-node-tools.sh" || exit 1
fi

S3=$(free_port)
KEY=live-access-key
SECRET=live-secret-k3y
mkdir -p "$T/s3"
node "$ROOT/tests/live/s3/s3-server.js" "$S3" "$T/s3" "$KEY" "$SECRET" \
    sentry-files sentry-profiles >"$T/s3.out" 2>&1 &
on_exit "kill $! 2>/dev/null"
n=200
until grep -q '^READY' "$T/s3.out" 2>/dev/null || [ "$n" -eq 0 ]; do
	sleep 0.05
	n=$((n - 1))
done
wait_port "$S3" || { cat "$T/s3.out"; exit 1; }
HANG=$(free_port)
blackhole "$HANG"

# s3_check BUCKET ENDPOINT [KEYS]: one check of the S3 file store; KEYS are
# more fields of the section (default: the keys, from the environment).
KEYS=", access_key: {env: SHS_TEST_S3_KEY}, secret_key: {env: SHS_TEST_S3_SECRET}"
s3_check() {
	LIVE_FILESTORE="{backend: s3, s3: {bucket: $1, region: us-east-1, endpoint: \"$2\"${3-$KEYS}}, shared_volume: {kind: pvc}}"
	live_answers "$T/a.yaml"
	elapsed_ms "$BIN" check -a "$T/a.yaml" --only s3 --timeout 2
}
URL=http://127.0.0.1:$S3

export SHS_TEST_S3_KEY="$KEY" SHS_TEST_S3_SECRET="$SECRET"
s3_check sentry-files "$URL"
expect_true "good keys pass (exit $LIVE_STATUS)" test "$LIVE_STATUS" -eq 0
expect_in "$T/out" "ok    S3 $URL/sentry-files" "write, read, delete"
expect_said "$T/out" "wrote, read back and deleted sentry-ha-setup-probe-" "says what it did"
expect_true "the probe object is gone" test -z "$(find "$T/s3/sentry-files" -name 'sentry-ha-setup-probe-*')"
expect_not_in "$T/out" "$SECRET" "the secret is never shown"
expect_not_in "$T/out" "$KEY" "the access key is never shown"

SHS_TEST_S3_SECRET=wrong-secret s3_check sentry-files "$URL"
expect_true "a wrong secret fails (exit $LIVE_STATUS)" test "$LIVE_STATUS" -eq 1
expect_in "$T/out" "FAIL  S3 $URL/sentry-files: authentication failed" "wrong secret"
expect_said "$T/out" "SignatureDoesNotMatch" "names S3's reason"
expect_not_in "$T/out" "wrong-secret" "the wrong secret is never shown"

SHS_TEST_S3_KEY=nobody-key s3_check sentry-files "$URL"
expect_in "$T/out" "FAIL  S3 $URL/sentry-files: authentication failed" "unknown access key"
expect_said "$T/out" "access key is unknown" "says the key is unknown"
expect_not_in "$T/out" "nobody-key" "the access key is never shown"

s3_check no-such-bucket "$URL/"
expect_in "$T/out" "FAIL  S3 $URL/no-such-bucket: missing" "missing bucket"
expect_in "$T/out" "(filestore.s3.bucket at $T/a.yaml:" "failure names the answer"

# A bucket of their own for profiles is checked too, and named when missing.
s3_check sentry-files "$URL" "$KEYS, profiles_bucket: sentry-profiles"
expect_true "both buckets pass (exit $LIVE_STATUS)" test "$LIVE_STATUS" -eq 0
expect_in "$T/out" "ok    S3 $URL/sentry-profiles" "the profiles bucket is checked"
s3_check sentry-files "$URL" "$KEYS, profiles_bucket: no-profiles"
expect_in "$T/out" "FAIL  S3 $URL/no-profiles: missing" "a missing profiles bucket"
expect_in "$T/out" "(filestore.s3.profiles_bucket at $T/a.yaml:" "names the profiles answer"
expect_in "$T/out" "ok    S3 $URL/sentry-files" "the file store still passes"

s3_check sentry-files "http://127.0.0.1:$LIVE_CLOSED"
expect_in "$T/out" "FAIL  S3 http://127.0.0.1:$LIVE_CLOSED/sentry-files: connection refused" "closed port"

s3_check sentry-files "http://127.0.0.1:$HANG"
expect_in "$T/out" "FAIL  S3 http://127.0.0.1:$HANG/sentry-files: timed out waiting for a reply" "silent server"
expect_true "deadline holds (${LIVE_MS} ms for a 2 s timeout)" test "$LIVE_MS" -lt 3500

s3_check sentry-files "$URL" ""
expect_true "no keys is not a failure (exit $LIVE_STATUS)" test "$LIVE_STATUS" -eq 0
expect_in "$T/out" "skip  S3 $URL/sentry-files" "no keys: skipped"
expect_said "$T/out" "the nodes' IAM role is used" "says why"

expect_true "no probe object was left behind" test -z "$(find "$T/s3" -name 'sentry-ha-setup-probe-*')"

# An S3 double whose policy denies reading (or deleting) in one bucket, as
# AWS answers keys that may write but not read: the probe object must be
# deleted even when reading it failed.
DENY=$(free_port)
python3 -c '
import http.server, sys
store, log = {}, open(sys.argv[2], "a")
DENIED = b"<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code></Error>"
class H(http.server.BaseHTTPRequestHandler):
    def reply(self, code, body=b""):
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_PUT(self):
        store[self.path] = self.rfile.read(int(self.headers["Content-Length"]))
        self.reply(200)
    def do_GET(self):
        denied = self.path.startswith("/read-denied/")
        self.reply(403, DENIED) if denied else self.reply(200, store[self.path])
    def do_DELETE(self):
        log.write("DELETE %s\n" % self.path)
        log.flush()
        if self.path.startswith("/delete-denied/"):
            return self.reply(403, DENIED)
        store.pop(self.path, None)
        self.reply(204)
    def log_message(self, *a):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
' "$DENY" "$T/deny.log" &
on_exit "kill $! 2>/dev/null"
wait_port "$DENY"

s3_check read-denied "http://127.0.0.1:$DENY"
expect_in "$T/out" "FAIL  S3 http://127.0.0.1:$DENY/read-denied: permission denied" "reading denied"
expect_said "$T/out" "not allowed to read the probe object" "says what was denied"
expect_in "$T/deny.log" "DELETE /read-denied/sentry-ha-setup-probe-" "deleted although the read failed"
expect_not_in "$T/out" "may be left" "nothing left behind after a failed read"

s3_check delete-denied "http://127.0.0.1:$DENY"
expect_in "$T/out" "FAIL  S3 http://127.0.0.1:$DENY/delete-denied: permission denied" "deleting denied"
expect_said "$T/out" "not allowed to delete the probe object" "says what was denied"
expect_said "$T/out" "may be left in the bucket" "says the object may be left"

finish "live s3"
