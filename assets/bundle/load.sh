#!/bin/sh
# load.sh [--creds USER:PASS | --authfile FILE] [--ca FILE] [--tls-verify=false]
#         [--verify-only]
#
# Written by sentry-ha-setup bundle. On the bastion: checks SHA256SUMS
# before anything else, pushes every image of the bundle into the mirror
# (the second column of images.txt), keeping its digest, then reads each
# reference back from the mirror and compares its digest with the one
# save.sh recorded. It names every image that is missing or different,
# and exits 0 only when all of them are there. A push is no proof: a
# registry that holds a blob already never reads it again.
#
#   --creds USER:PASS   the mirror's login (it shows in the process list;
#                       --authfile does not)
#   --authfile FILE     a login file, as docker login or skopeo login
#                       write it (~/.docker/config.json)
#   --ca FILE           the CA that signed the mirror's certificate
#   --tls-verify=false  a mirror without TLS, or one not to be verified
#   --verify-only       push nothing: check the bundle and the mirror again
#
# Exit status: 0 every image verified, 1 the bundle is damaged or an image
# is missing, 2 usage, 3 skopeo or sha256sum missing. Needs skopeo.
set -eu
SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")

usage() {
	sed -n '2,/^set -eu/{/^set/d;s/^# \{0,1\}//;p;}' "$SELF"
}

CREDS=
AUTHFILE=
CA=
TLS=
VERIFY_ONLY=
while [ $# -gt 0 ]; do
	case $1 in
	--creds|--authfile|--ca)
		[ $# -ge 2 ] || { echo "load.sh: $1 needs a value" >&2; exit 2; }
		case $1 in
		--creds) CREDS=$2 ;;
		--authfile) AUTHFILE=$2 ;;
		--ca) CA=$2 ;;
		esac
		shift 2 ;;
	--creds=*) CREDS=${1#--creds=}; shift ;;
	--authfile=*) AUTHFILE=${1#--authfile=}; shift ;;
	--ca=*) CA=${1#--ca=}; shift ;;
	--tls-verify=false) TLS=false; shift ;;
	--verify-only) VERIFY_ONLY=1; shift ;;
	-h|--help) usage; exit 0 ;;
	*) echo "load.sh: unknown option $1 (load.sh --help)" >&2; exit 2 ;;
	esac
done
for tool in skopeo sha256sum; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "load.sh: $tool is missing" >&2; exit 3; }
done
[ -z "$CREDS" ] || [ -z "$AUTHFILE" ] ||
	{ echo "load.sh: --creds or --authfile, not both" >&2; exit 2; }
case $CREDS in ''|*:*) ;; *) echo "load.sh: --creds: expected USER:PASS" >&2; exit 2 ;; esac
[ -z "$AUTHFILE" ] || [ -r "$AUTHFILE" ] ||
	{ echo "load.sh: --authfile $AUTHFILE: cannot be read" >&2; exit 2; }
[ -z "$CA" ] || [ -r "$CA" ] || { echo "load.sh: --ca $CA: cannot be read" >&2; exit 2; }
# The files named are the caller's, from where it stands; then to work.
case $AUTHFILE in ''|/*) ;; *) AUTHFILE=$PWD/$AUTHFILE ;; esac
case $CA in ''|/*) ;; *) CA=$PWD/$CA ;; esac
cd "$(dirname "$SELF")"

echo "Checking the bundle against SHA256SUMS ..."
if [ ! -f SHA256SUMS ]; then
	echo "load.sh: no SHA256SUMS: save.sh has not finished; nothing was pushed" >&2
	exit 1
fi
if ! sha256sum --check --quiet --strict SHA256SUMS; then
	echo "load.sh: the bundle is damaged (above): carry it across again;" \
	    "nothing was pushed" >&2
	exit 1
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
# The login goes to skopeo in a file of this run's, never on its command
# line. The mirror's host is the first part of its references.
if [ -n "$CREDS" ]; then
	host=$(awk '!/^#/ && NF { split($2, p, "/"); print p[1]; exit }' images.txt)
	umask 077
	printf '{"auths": {"%s": {"auth": "%s"}}}\n' "$host" \
	    "$(printf '%s' "$CREDS" | base64 | tr -d '\n')" >"$TMP/auth.json"
	AUTHFILE=$TMP/auth.json
fi
if [ -n "$CA" ]; then
	mkdir "$TMP/certs"
	cp "$CA" "$TMP/certs/ca.crt"
fi

# skopeo's options for the mirror, one a line ("dest-" for a copy, none
# for inspect), read back a line at a time so that a path with spaces
# stays one word.
mirror_opts() {
	[ -z "$AUTHFILE" ] || printf -- '--%sauthfile\n%s\n' "$1" "$AUTHFILE"
	[ -z "$CA" ] || printf -- '--%scert-dir\n%s\n' "$1" "$TMP/certs"
	[ -z "$TLS" ] || printf -- '--%stls-verify=false\n' "$1"
}

recorded() {
	awk -v s="$1" '$1 == s { d = $2 } END { if (d != "") print d }' digests.txt
}

push() {
	set --
	while IFS= read -r opt; do set -- "$@" "$opt"; done <"$TMP/dest"
	skopeo copy --quiet --retry-times 3 --preserve-digests "$@" \
	    "oci:oci:$src" "docker://$mirror" </dev/null
}

digest_in_mirror() {
	set --
	while IFS= read -r opt; do set -- "$@" "$opt"; done <"$TMP/read"
	skopeo inspect --raw "$@" "docker://$mirror" >"$TMP/manifest" </dev/null \
	    2>"$TMP/why" || return 1
	echo "sha256:$(sha256sum <"$TMP/manifest" | cut -d' ' -f1)"
}

mirror_opts dest- >"$TMP/dest"
mirror_opts "" >"$TMP/read"
total=$(grep -vc '^#' images.txt || true)
n=0
while [ -z "$VERIFY_ONLY" ] && read -r src mirror; do
	case $src in ''|'#'*) continue ;; esac
	n=$((n + 1))
	if push; then
		echo "[$n/$total] pushed  $mirror"
	else
		echo "[$n/$total] FAILED  $mirror (above)" >&2
	fi
done <images.txt

echo "Verifying the mirror: every reference, read back ..."
missing=0
while read -r src mirror; do
	case $src in ''|'#'*) continue ;; esac
	want=$(recorded "$src")
	if ! got=$(digest_in_mirror); then
		echo "MISSING  $mirror: $(tr '\n' ' ' <"$TMP/why")"
		missing=$((missing + 1))
	elif [ "$got" != "$want" ]; then
		echo "WRONG    $mirror: the mirror has $got, the bundle $want"
		missing=$((missing + 1))
	else
		echo "ok       $mirror@$got"
	fi
done <images.txt
if [ "$missing" -gt 0 ]; then
	echo "load.sh: $missing of $total images are not in the mirror as" \
	    "saved (above)" >&2
	exit 1
fi
echo "All $total images are in the mirror with the digests save.sh recorded."
echo "Next: sentry-ha-setup generate --digests $(pwd)/images.json"
