#!/bin/sh
# Live check of SMTP against a real exim4 on loopback. One daemon listens on
# two ports: TLSPORT offers STARTTLS (a certificate of the test CA, which
# this machine does not trust) and AUTH only after it; PLAINPORT offers no
# TLS and AUTH at once. Cases: a good login, a wrong password, STARTTLS that
# is not offered, an untrusted certificate, the same trusted through
# tls.ca_file, AUTH that is not offered, TLS on a plain port, a closed port
# and a server that never answers. No mail may be delivered: the check only
# says NOOP.
# Usage: tests/live/test-smtp.sh BINARY
. "$(dirname "$0")/lib.sh"	# sets ROOT, BIN (from $1) and T

TLSPORT=$(free_port)
PLAINPORT=$(free_port)
S=$T/smtp
# exim delivers as Debian-exim, which must reach its folders in $T.
chmod 755 "$T"
mkdir -p "$S/spool" "$S/log" "$S/mail"
cp "$ROOT/tests/data/tls/server.crt" "$S/smtp.crt"
cp "$ROOT/tests/data/tls/server.key" "$S/smtp.key"
chown Debian-exim "$S/spool" "$S/log" "$S/mail" "$S/smtp.key"
chmod 600 "$S/smtp.key"
cat >"$S/exim.conf" <<EOF
primary_hostname = localhost
exim_user = Debian-exim
exim_group = Debian-exim
never_users = root
spool_directory = $S/spool
log_file_path = $S/log/%slog
pid_file_path = $S/exim.pid
daemon_smtp_ports = $TLSPORT : $PLAINPORT
local_interfaces = 127.0.0.1
tls_advertise_hosts = \${if eq{\$received_port}{$TLSPORT}{*}{}}
tls_certificate = $S/smtp.crt
tls_privatekey = $S/smtp.key
auth_advertise_hosts = \${if or{{eq{\$received_port}{$PLAINPORT}}{!eq{\$tls_in_cipher}{}}}{*}{}}
acl_smtp_rcpt = acl_check_rcpt
host_lookup =
rfc1413_hosts =
keep_environment =
begin acl
acl_check_rcpt:
  accept authenticated = *
  deny message = authentication required
begin routers
all:
  driver = accept
  transport = tofile
begin transports
tofile:
  driver = appendfile
  file = $S/mail/mbox
  user = Debian-exim
begin authenticators
PLAIN:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_condition = \${if and {{eq{\$auth2}{mailer}}{eq{\$auth3}{mail-pw-1}}}}
  server_set_id = \$auth2
LOGIN:
  driver = plaintext
  public_name = LOGIN
  server_prompts = "Username:: : Password::"
  server_condition = \${if and {{eq{\$auth1}{mailer}}{eq{\$auth2}{mail-pw-1}}}}
  server_set_id = \$auth1
EOF
exim4 -C "$S/exim.conf" -bd -q30m
on_exit 'kill $(cat "$S/exim.pid") 2>/dev/null'
wait_port "$TLSPORT"
wait_port "$PLAINPORT"
HANG=$(free_port)
blackhole "$HANG"

# smtp_check SMTP-SECTION [PASSWORD]: one check of the answers' smtp.
smtp_check() {
	LIVE_SMTP=$1
	live_answers "$T/a.yaml"
	elapsed_ms env SHS_TEST_SMTP_PW="${2:-mail-pw-1}" "$BIN" check \
	    -a "$T/a.yaml" --only smtp --timeout 2
}
LOGIN="username: mailer, password: {env: SHS_TEST_SMTP_PW}"

smtp_check "{host: 127.0.0.1, port: $PLAINPORT, $LOGIN, tls: none}"
expect_true "a good server passes (exit $LIVE_STATUS)" test "$LIVE_STATUS" -eq 0
expect_in "$T/out" "ok    SMTP 127.0.0.1:$PLAINPORT" "login over plain SMTP"
expect_said "$T/out" "localhost ESMTP Exim 4." "the banner is reported"
expect_said "$T/out" "logged in as mailer with AUTH PLAIN" "the login is reported"
expect_not_in "$T/out" "mail-pw-1" "the password is never shown"

smtp_check "{host: 127.0.0.1, port: $PLAINPORT, tls: none}"
expect_in "$T/out" "ok    SMTP 127.0.0.1:$PLAINPORT" "no credentials: no login"
expect_said "$T/out" "no login" "says it did not log in"

smtp_check "{host: 127.0.0.1, port: $PLAINPORT, $LOGIN, tls: none}" wrong-pw
expect_true "a wrong password fails (exit $LIVE_STATUS)" test "$LIVE_STATUS" -eq 1
expect_in "$T/out" "FAIL  SMTP 127.0.0.1:$PLAINPORT: authentication failed" "wrong password"
expect_not_in "$T/out" "wrong-pw" "the wrong password is never shown"

smtp_check "{host: 127.0.0.1, port: $PLAINPORT, $LOGIN, tls: starttls}"
expect_in "$T/out" "FAIL  SMTP 127.0.0.1:$PLAINPORT: TLS failure" "STARTTLS not offered"
expect_said "$T/out" "does not offer STARTTLS" "says STARTTLS is missing"

smtp_check "{host: 127.0.0.1, port: $TLSPORT, $LOGIN, tls: starttls}"
expect_in "$T/out" "FAIL  SMTP 127.0.0.1:$TLSPORT: TLS failure" "untrusted certificate"
expect_said "$T/out" "certificate is not trusted here" "says the certificate is not trusted"

# The same certificate, trusted through the answers' private CA.
LIVE_EXTRA="tls: {ca_file: $ROOT/tests/data/tls/ca.crt}"
smtp_check "{host: 127.0.0.1, port: $TLSPORT, $LOGIN, tls: starttls}"
expect_true "the private CA is trusted (exit $LIVE_STATUS)" test "$LIVE_STATUS" -eq 0
expect_said "$T/out" "logged in as mailer" "logs in after STARTTLS"
LIVE_EXTRA=

smtp_check "{host: 127.0.0.1, port: $TLSPORT, $LOGIN, tls: none}"
expect_in "$T/out" "FAIL  SMTP 127.0.0.1:$TLSPORT: authentication failed" "AUTH only after TLS"
expect_said "$T/out" "offered no AUTH" "says AUTH was not offered"

smtp_check "{host: 127.0.0.1, port: $PLAINPORT, $LOGIN, tls: tls}"
expect_in "$T/out" "FAIL  SMTP 127.0.0.1:$PLAINPORT: TLS failure" "TLS on a plain port"

smtp_check "{host: 127.0.0.1, port: $LIVE_CLOSED, tls: none}"
expect_in "$T/out" "FAIL  SMTP 127.0.0.1:$LIVE_CLOSED: connection refused" "closed port"

smtp_check "{host: 127.0.0.1, port: $HANG, $LOGIN, tls: starttls}"
expect_in "$T/out" "FAIL  SMTP 127.0.0.1:$HANG: timed out waiting for a reply" "silent server"
expect_true "deadline holds (${LIVE_MS} ms for a 2 s timeout)" test "$LIVE_MS" -lt 3500
expect_in "$T/out" "(smtp.host at $T/a.yaml:" "failure names the answer"

# NOOP only: nothing reached the mailbox or the queue, nothing arrived.
expect_true "no mail was delivered" test ! -e "$S/mail/mbox"
expect_true "no mail is queued" test -z "$(find "$S/spool" -path '*input*' -type f)"
expect_not_in "$S/log/mainlog" " <= " "exim logged no message arrival"

finish "live smtp"
