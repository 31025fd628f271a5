#!/bin/sh
# save.sh [--from REGISTRY] [--tls-verify=false]
#
# Written by sentry-ha-setup bundle. On a machine that can reach the images'
# registries (or REGISTRY, a pull-through cache or a registry of your own
# that holds the same repositories), copies every image of images.txt into
# oci/, one OCI layout: the layers that Sentry's images share are stored
# once. Each image's digest is recorded (digests.txt, images.json), every
# blob is checked against its name, and SHA256SUMS is written over the
# bundle. Run it again after a failure: an image already in oci/ with its
# recorded digest is kept. Needs skopeo (apt-get install skopeo).
set -eu
SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
cd "$(dirname "$SELF")"

usage() {
	sed -n '2,/^set -eu/{/^set/d;s/^# \{0,1\}//;p;}' "$SELF"
}

FROM=
TLS=
while [ $# -gt 0 ]; do
	case $1 in
	--from)
		[ $# -ge 2 ] || { echo "save.sh: --from needs a registry" >&2; exit 2; }
		FROM=$2; shift 2 ;;
	--from=*) FROM=${1#--from=}; shift ;;
	--tls-verify=false) TLS=--src-tls-verify=false; shift ;;
	-h|--help) usage; exit 0 ;;
	*) echo "save.sh: unknown option $1 (save.sh --help)" >&2; exit 2 ;;
	esac
done
command -v skopeo >/dev/null 2>&1 ||
	{ echo "save.sh: skopeo is missing (apt-get install skopeo)" >&2; exit 3; }
. ./bundle.conf
OS=${PLATFORM%%/*}
REST=${PLATFORM#*/}
ARCH=${REST%%/*}
VARIANT=
[ "$REST" = "$ARCH" ] || VARIANT=${REST#*/}

# Where to copy an image from: its own registry, or the same repository
# path under --from (the first part is a registry host when it has a dot
# or a colon, or is localhost). A Docker Hub image of one part ("nginx")
# is library/nginx there, as a pull-through cache of Docker Hub names it.
source_of() {
	if [ -z "$FROM" ]; then
		echo "docker://$1"
		return
	fi
	first=${1%%/*}
	path=$1
	case $first in
	*.*|*:*|localhost) [ "$first" = "$1" ] || path=${1#*/} ;;
	*) case $1 in */*) ;; *) path=library/$1 ;; esac ;;
	esac
	echo "docker://${FROM%/}/$path"
}

# The digest recorded for an image of this platform, or nothing.
recorded() {
	awk -v s="$1" -v p="$PLATFORM" '$1 == s && $3 == p { d = $2 }
	    END { if (d != "") print d }' digests.txt
}

# The digest of an image's manifest in oci/, or nothing when it is not
# there whole (its config or a layer missing).
in_layout() {
	skopeo inspect --raw "oci:oci:$1" >.manifest 2>/dev/null || return 0
	for blob in $(grep -o 'sha256:[0-9a-f]\{64\}' .manifest); do
		[ -f "oci/blobs/sha256/${blob#sha256:}" ] || return 0
	done
	echo "sha256:$(sha256sum <.manifest | cut -d' ' -f1)"
}

record() {
	awk -v s="$1" '$1 != s' digests.txt >digests.txt.new
	echo "$1 $2 $PLATFORM" >>digests.txt.new
	mv digests.txt.new digests.txt
}

copy_one() {
	set -- "$1" --override-os "$OS" --override-arch "$ARCH"
	[ -z "$VARIANT" ] || set -- "$@" --override-variant "$VARIANT"
	src=$1
	shift
	# shellcheck disable=SC2086 # TLS is one word or none
	skopeo "$@" copy --quiet --retry-times 3 --preserve-digests $TLS \
	    --digestfile .digest "$(source_of "$src")" "oci:oci:$src" </dev/null
}

mkdir -p oci
touch digests.txt
# Not finished until SHA256SUMS is written again; skopeo's files of a copy
# that was cut short are no part of the layout.
rm -f SHA256SUMS oci/oci-put-blob*
total=$(grep -vc '^#' images.txt || true)
n=0
copied=0
while read -r src mirror; do
	case $src in ''|'#'*) continue ;; esac
	n=$((n + 1))
	want=$(recorded "$src")
	if [ -n "$want" ] && [ "$(in_layout "$src")" = "$want" ]; then
		echo "[$n/$total] kept    $src ($want)"
		continue
	fi
	if ! copy_one "$src"; then
		echo "save.sh: $src: the copy failed (above); run save.sh again to" \
		    "go on from here" >&2
		exit 1
	fi
	record "$src" "$(cat .digest)"
	copied=$((copied + 1))
	echo "[$n/$total] copied  $src ($(cat .digest)) for $mirror"
done <images.txt
rm -f .digest .manifest

# A blob is named for its digest: one that is not was cut short or
# damaged on the way, and would be carried across as it is. It is removed,
# so that the next run copies the images that use it again.
bad=0
for blob in oci/blobs/sha256/*; do
	sum=$(sha256sum <"$blob" | cut -d' ' -f1) || exit 1
	[ "$sum" = "${blob##*/}" ] && continue
	rm -f "$blob"
	echo "save.sh: $blob was damaged and is removed: run save.sh again" >&2
	bad=1
done
[ "$bad" = 0 ] || exit 1

# images.json: each image's line gets its digest.
awk 'NR == FNR { d[$1] = $2; next }
     match($0, /"source": "[^"]*"/) {
	s = substr($0, RSTART + 11, RLENGTH - 12)
	if (s in d) sub(/"digest": [^,]*/, "\"digest\": \"" d[s] "\"")
     }
     { print }' digests.txt images.json >images.json.new
mv images.json.new images.json

find oci/index.json oci/oci-layout oci/blobs images.txt images.json \
    digests.txt bundle.conf load.sh README.md -type f | LC_ALL=C sort >.files
# shellcheck disable=SC2046 # one path a word: the layout's names hold no space
sha256sum $(cat .files) >SHA256SUMS.new
rm -f .files
mv SHA256SUMS.new SHA256SUMS
echo "Saved $n images ($copied copied now) in oci/: $(du -sh oci | cut -f1)."
echo "Next: carry this folder across, then run ./load.sh there."
