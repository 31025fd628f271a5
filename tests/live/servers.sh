# shellcheck shell=sh
# Real servers for the live tests, started in $T and stopped when the test
# ends, so that one test may run PostgreSQL and ClickHouse side by side.
# Sourced after lib.sh (it needs T, on_exit, free_port, wait_port):
#   . "$(dirname "$0")/lib.sh"
#   . "$(dirname "$0")/servers.sh"
# Nothing starts until a start_* function is called. A server that is not
# installed ends the test with a message on stderr and exit status 1.

# --- sshd --------------------------------------------------------------------
# sshd_config DIR PORT: the config of an sshd on loopback port PORT that
# takes keys only: its host key DIR/host_ed25519, pid file DIR/sshd.pid,
# authorized keys DIR/authorized_keys, and SFTP (for sshfs).
sshd_config() {
	cat >"$1/sshd_config" <<EOF
Port $2
ListenAddress 127.0.0.1
HostKey $1/host_ed25519
PidFile $1/sshd.pid
AuthorizedKeysFile $1/authorized_keys
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
UsePAM no
Subsystem sftp internal-sftp
EOF
}

# --- PostgreSQL --------------------------------------------------------------
# Each server is a cluster of its own in $T/DIR, on loopback, with admin
# user postgres (password $PG_ADMIN_PW, scram-sha-256). pg_sql and
# pg_version talk to the server on port $PG_PORT: start_pg sets it to the
# server it started; a test with two servers sets it to choose between them.
PG_ADMIN_PW=admin-pw
PG_PORT=
# The sslmode of pg_sql and pg_version, if set (libpq's default otherwise:
# TLS when the server offers it).
PG_SSLMODE=

# as_pg COMMAND...: runs COMMAND as the postgres user; initdb and the server
# refuse to run as root, so every path they touch must be that user's.
as_pg() { runuser -u postgres -- "$@"; }

# pg_bin: sets PGBIN, the folder of initdb and pg_ctl, unless set already:
# that of the pg_ctl on PATH, else the last /usr/lib/postgresql/*/bin.
# Ends the test if there is none.
pg_bin() {
	if [ -n "${PGBIN:-}" ]; then
		:
	elif command -v pg_ctl >/dev/null 2>&1; then
		PGBIN=$(dirname "$(command -v pg_ctl)")
	else
		for PGBIN in /usr/lib/postgresql/*/bin; do :; done
	fi
	if [ ! -x "$PGBIN/initdb" ] || [ ! -x "$PGBIN/pg_ctl" ]; then
		echo "live postgres: initdb and pg_ctl missing (apt-get install postgresql)" >&2
		exit 1
	fi
}

# start_pg DIR PORT [SETTINGS] [PREPARE]: a new cluster in $T/DIR on
# 127.0.0.1:PORT (its socket in $T/DIR too), stopped when the test ends.
# SETTINGS are more server options ("-c name=value ..."); PREPARE (a
# command) runs after initdb, before the server starts (to write its
# pg_hba.conf, say). Sets PG_PORT to PORT. Ends the test if the server
# does not start, its log on stdout.
start_pg() {
	pg_bin
	chmod 755 "$T"
	mkdir -p "$T/$1"
	echo "$PG_ADMIN_PW" >"$T/$1/admin.pw"
	chown -R postgres "$T/$1"
	as_pg "$PGBIN/initdb" -D "$T/$1/data" -U postgres -A scram-sha-256 \
	    --pwfile="$T/$1/admin.pw" -E UTF8 --locale=C.UTF-8 -N >"$T/$1/initdb.log" 2>&1 ||
	    { cat "$T/$1/initdb.log"; exit 1; }
	${4:-:}
	as_pg "$PGBIN/pg_ctl" -D "$T/$1/data" -l "$T/$1/pg.log" -w -t 30 -o \
	    "-c listen_addresses=127.0.0.1 -p $2 -k $T/$1 -c fsync=off -c shared_buffers=16MB ${3:-}" \
	    start >/dev/null || { cat "$T/$1/pg.log"; exit 1; }
	on_exit "runuser -u postgres -- \"$PGBIN/pg_ctl\" -D \"$T/$1/data\" -m immediate stop >/dev/null 2>&1"
	PG_PORT=$2
}

# pg_reload DIR: the server of $T/DIR rereads pg_hba.conf, pg_ident.conf
# and its settings (a signal; the short wait lets it act on it).
pg_reload() {
	as_pg "$PGBIN/pg_ctl" -D "$T/$1/data" reload >/dev/null
	sleep 0.3
}

# pg_conninfo [DB]: the admin's connection to database DB (postgres) on
# the server of $PG_PORT (the password goes through PGPASSWORD).
pg_conninfo() {
	echo "host=127.0.0.1 port=$PG_PORT user=postgres dbname=${1:-postgres}${PG_SSLMODE:+ sslmode=$PG_SSLMODE}"
}

# pg_sql SQL [DB]: runs SQL (one statement or several) as the admin in
# database DB (postgres); quiet, and fails on the first error.
pg_sql() {
	PGPASSWORD=$PG_ADMIN_PW psql -X -q -v ON_ERROR_STOP=1 "$(pg_conninfo "${2:-}")" -c "$1"
}

# pg_version: the server's version as the probe writes it ("15.20").
pg_version() {
	PGPASSWORD=$PG_ADMIN_PW psql -X -At "$(pg_conninfo)" \
	    -c "SELECT current_setting('server_version_num')::int / 10000 || '.' || current_setting('server_version_num')::int % 10000"
}

# pg_django_table DB OWNER: Sentry's django_migrations in database DB,
# created as Django creates it, owned by role OWNER (who then may read it).
pg_django_table() {
	pg_sql "CREATE TABLE django_migrations (id serial PRIMARY KEY, app varchar(255) NOT NULL,
	    name varchar(255) NOT NULL, applied timestamp with time zone NOT NULL);
	    ALTER TABLE django_migrations OWNER TO $2" "$1"
}

# pg_migrated DB APP.NAME...: each migration recorded as applied now in
# DB's django_migrations, as Django records them (APP before the first dot:
# sentry.0200_release_indices, contenttypes.0001_initial).
pg_migrated() {
	_db=$1; shift
	_rows=""
	for _m in "$@"; do
		_rows="$_rows, ('${_m%%.*}', '${_m#*.}', now())"
	done
	pg_sql "INSERT INTO django_migrations (app, name, applied) VALUES ${_rows#, }" "$_db"
}

# --- ClickHouse --------------------------------------------------------------
# Debian's clickhouse-server (18.16.1): user default with password $CH_PW,
# which reaches the tool through the environment only (SHS_TEST_CH_PW, for
# an answer `password: {env: SHS_TEST_CH_PW}`), and cluster sentry_cluster
# of one shard, the server itself.
CH_PW='ch-S3cret-pw'

# ch_config DIR HTTP_PORT TCP_PORT INTERSERVER_PORT: the configuration of a
# server of its own in DIR (ClickHouse 18's root element is <yandex>).
ch_config() {
	mkdir -p "$1/log" "$1/data" "$1/tmp" "$1/user_files" "$1/format_schemas"
	cat >"$1/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$1/log/server.log</log>
    <errorlog>$1/log/server.err.log</errorlog><size>10M</size><count>1</count></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>$2</http_port><tcp_port>$3</tcp_port>
  <interserver_http_port>$4</interserver_http_port>
  <path>$1/data/</path><tmp_path>$1/tmp/</tmp_path>
  <user_files_path>$1/user_files/</user_files_path>
  <format_schema_path>$1/format_schemas/</format_schema_path>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile><default_database>default</default_database>
  <mark_cache_size>67108864</mark_cache_size>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <remote_servers><sentry_cluster><shard><replica>
    <host>127.0.0.1</host><port>$3</port><user>default</user><password>$CH_PW</password>
  </replica></shard></sentry_cluster></remote_servers>
</yandex>
XML
	cat >"$1/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <profiles><default/></profiles>
  <users><default>
    <password>$CH_PW</password>
    <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
    <profile>default</profile><quota>default</quota>
  </default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries>
    <errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows>
    <execution_time>0</execution_time></interval></default></quotas>
</yandex>
XML
}

# start_clickhouse DIR: a server in $T/DIR on free ports, stopped when the
# test ends; returns once both its ports listen. Exports CH_HTTP and CH_TCP
# (its HTTP and native ports) and SHS_TEST_CH_PW. Ends the test if
# clickhouse-server is missing or does not start (its output on stderr).
start_clickhouse() {
	if ! command -v clickhouse-server >/dev/null; then
		echo "live clickhouse: clickhouse-server missing (apt-get install clickhouse-server)" >&2
		exit 1
	fi
	SHS_TEST_CH_PW=$CH_PW
	CH_HTTP=$(free_port)
	CH_TCP=$(free_port)
	export SHS_TEST_CH_PW CH_HTTP CH_TCP
	ch_config "$T/$1" "$CH_HTTP" "$CH_TCP" "$(free_port)"
	# In the foreground, as the test's child: killed when it ends.
	clickhouse-server --config-file="$T/$1/config.xml" >"$T/$1/log/out" 2>&1 &
	on_exit "kill $! 2>/dev/null"
	if ! wait_port "$CH_HTTP" 20 || ! wait_port "$CH_TCP"; then
		cat "$T/$1/log/out" >&2
		exit 1
	fi
}

# ch_query SQL: runs SQL over HTTP on the server of $CH_HTTP, as default;
# prints what it answers, fails if it refuses.
ch_query() {
	python3 -c '
import sys, urllib.request
r = urllib.request.Request("http://127.0.0.1:%s/" % sys.argv[1], data=sys.argv[2].encode(),
    headers={"X-ClickHouse-User": "default", "X-ClickHouse-Key": sys.argv[3]})
sys.stdout.write(urllib.request.urlopen(r, timeout=10).read().decode())' "$CH_HTTP" "$1" "$CH_PW"
}

# ch_snuba_table: Snuba's own table of migrations in database default, as
# Snuba creates it (snuba/migrations/runner.py); ClickHouse 18 knows the
# enum as Enum8 only. Its probe reads it FINAL: of the rows of a migration,
# the one with the highest version.
ch_snuba_table() {
	ch_query "CREATE TABLE migrations_local (group String, migration_id String,
    timestamp DateTime, status Enum8('completed' = 0, 'in_progress' = 1, 'not_started' = 2),
    version UInt64 DEFAULT 1) ENGINE = ReplacingMergeTree(version) ORDER BY (group, migration_id)"
}

# ch_snuba_rows STATUS VERSION GROUP:ID...: one row for each migration ID of
# GROUP, recorded now with STATUS (completed, in_progress, not_started) at
# VERSION (Snuba's runner writes 1, then one more at each change of status).
ch_snuba_rows() {
	_status=$1; _version=$2; shift 2
	_rows=""
	for _m in "$@"; do
		_rows="$_rows, ('${_m%%:*}', '${_m#*:}', now(), '$_status', $_version)"
	done
	ch_query "INSERT INTO migrations_local (group, migration_id, timestamp, status, version) VALUES ${_rows#, }"
}

# ch_snuba_release RELEASE [STATUS [VERSION]]: the last migration of each
# group of RELEASE's profile (snuba_migrations) recorded with STATUS
# (completed) at VERSION (2): ClickHouse as Sentry RELEASE left it.
ch_snuba_release() {
	# shellcheck disable=SC2046	# one word per GROUP:ID
	ch_snuba_rows "${2:-completed}" "${3:-2}" $(sed -n \
	    '/^snuba_migrations:/,/^[^ ]/s/^  \([a-z_]*\): \([0-9a-z_]*\)$/\1:\2/p' "$ROOT/profiles/$1.yaml")
}

# start_registry NAME PORT [CONFIG]: Debian's distribution registry in
# $T/NAME on PORT, stopped when the test ends; CONFIG is more of its YAML
# (auth: {htpasswd: ...}). Ends the test if it does not start.
start_registry() {
	mkdir -p "$T/$1"
	cat >"$T/$1/config.yml" <<YAML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $T/$1/data}}
http: {addr: 127.0.0.1:$2}
${3:-}
YAML
	docker-registry serve "$T/$1/config.yml" >"$T/$1/log" 2>&1 &
	on_exit "kill $! 2>/dev/null"
	wait_port "$2" 20 || { cat "$T/$1/log" >&2; exit 1; }
}

# seed_registry PORT IMAGES_TXT [BASE_BYTES]: every source of a bundle's images.txt as
# a small stand-in image (tests/live/oci-standin.py: no daemon, one base
# layer shared by all) in the open registry on PORT, under the same path,
# its registry host left out (a Docker Hub image of one part under
# library/), as save.sh --from asks for it.
seed_registry() {
	awk '!/^#/ && NF { s = $1; n = split(s, p, "/")
	    if (p[1] ~ /[.:]/ || p[1] == "localhost") sub(/^[^\/]*\//, "", s)
	    else if (n == 1) s = "library/" s
	    print s }' \
	    "$2" >"$T/seed.list"
	# shellcheck disable=SC2046 # one name a word
	python3 "$ROOT/tests/live/oci-standin.py" ${3:+--base-bytes "$3"} \
	    "$T/seed" $(cat "$T/seed.list") ||
	    exit 1
	while read -r s; do
		skopeo copy --quiet --dest-tls-verify=false "oci:$T/seed:$s" \
		    "docker://127.0.0.1:$1/$s" </dev/null ||
		    { echo "cannot seed $s into 127.0.0.1:$1" >&2; exit 1; }
	done <"$T/seed.list"
}
