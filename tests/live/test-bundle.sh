#!/bin/sh
# Live air-gap bundle against two real distribution registries on loopback
# (Debian's docker-registry) and skopeo: an "upstream" seeded with small
# stand-in images (tests/live/oci-standin.py, no daemon), and the mirror,
# with htpasswd auth. `bundle` lists the images, save.sh copies them from
# the upstream (--from) into one OCI layout and can be resumed, load.sh
# refuses a bundle with a damaged blob before pushing anything, pushes
# and verifies an intact one, and names every image a mirror refuses;
# `generate --digests` then pins every image by its digest.
# Usage: tests/live/test-bundle.sh BINARY
. "$(dirname "$0")/lib.sh"	# sets ROOT, BIN (from $1) and T
. "$(dirname "$0")/servers.sh"	# start_registry, seed_registry

for tool in docker-registry skopeo htpasswd; do
	command -v "$tool" >/dev/null || {
		echo "live bundle: $tool missing (apt-get install docker-registry skopeo apache2-utils)" >&2
		exit 1
	}
done

UP=$(free_port)
MIRROR=$(free_port)
MIRROR_PW='m1rror-S3cret'
htpasswd -Bbn mirror "$MIRROR_PW" >"$T/htpasswd" 2>/dev/null
start_registry upstream "$UP"
start_registry mirror "$MIRROR" "auth: {htpasswd: {realm: mirror, path: $T/htpasswd}}"

# The answers: Sentry 24.8.0, upgraded to 25.5.1, into the mirror's prefix.
LIVE_VERSION=24.8.0
LIVE_EXTRA="registry: \"127.0.0.1:$MIRROR/sentry\""
live_answers "$T/a.yaml"
expect_status 0 "bundle --to 25.5.1" -- "$BIN" bundle -a "$T/a.yaml" -o "$T/b" --to 25.5.1
expect_in "$T/out" "Wrote $T/b/ for Sentry 24.8.0, 25.5.1:" "bundle says what it covers"
N=$(grep -vc '^#' "$T/b/images.txt")
expect_true "bundle: the images of both releases ($N)" test "$N" -ge 8
expect_in "$T/b/images.txt" "getsentry/snuba:25.5.1 127.0.0.1:$MIRROR/sentry/getsentry/snuba:25.5.1" "images.txt pairs the source and the mirror"
expect_true "images.json is JSON, each image with its users and releases" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
web = [i for i in d["images"] if i["source"] == "getsentry/sentry:24.8.0"][0]
assert "web" in web["services"] and web["releases"] == ["24.8.0"] and web["digest"] is None, web
assert d["releases"] == ["24.8.0", "25.5.1"] and len(d["images"]) == int(sys.argv[2]), d' "$T/b/images.json" "$N"
expect_true "the scripts are executable" test -x "$T/b/save.sh" -a -x "$T/b/load.sh"
expect_usage() { expect_status 2 "$1" -- "$BIN" "$@"; }
expect_status 2 "bundle without -o" -- "$BIN" bundle -a "$T/a.yaml"
expect_in "$T/err" "-o DIR is required" "bundle names -o"
expect_status 2 "bundle --platform that is none" -- "$BIN" bundle -a "$T/a.yaml" -o "$T/bp" --platform amd64
expect_in "$T/err" "--platform amd64: expected OS/ARCH or OS/ARCH/VARIANT" "bundle judges --platform"
LIVE_EXTRA=
live_answers "$T/noreg.yaml"
expect_status 2 "bundle without a registry" -- "$BIN" bundle -a "$T/noreg.yaml" -o "$T/bn"
expect_in "$T/err" "registry: the answers name no registry mirror" "bundle needs the registry"
expect_true "nothing written without a registry" test ! -e "$T/bn"

# The upstream holds every source of the bundle, under the same path.
seed_registry "$UP" "$T/b/images.txt"

# save.sh: from the upstream; then again, which keeps what is there.
expect_status 0 "save.sh --from the upstream" -- "$T/b/save.sh" --from "127.0.0.1:$UP" --tls-verify=false
expect_in "$T/out" "[1/$N] copied  getsentry/sentry:24.8.0 (sha256:" "save.sh copies each image"
expect_in "$T/out" "Saved $N images ($N copied now) in oci/" "save.sh says what it saved"
expect_true "every image's digest is recorded" test "$(wc -l <"$T/b/digests.txt")" -eq "$N"
expect_true "images.json has every digest" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert all(i["digest"].startswith("sha256:") and len(i["digest"]) == 71 for i in d["images"]), d' "$T/b/images.json"
BLOBS=$(ls "$T/b/oci/blobs/sha256" | wc -l)
# Two layers and a config a manifest each, the base layer shared by all.
expect_true "the shared layer is stored once ($BLOBS blobs for $N images)" test "$BLOBS" -eq $((3 * N + 1))
expect_true "SHA256SUMS covers the layout and the lists" grep -q " oci/index.json$" "$T/b/SHA256SUMS"
expect_status 0 "save.sh again" -- "$T/b/save.sh" --from "127.0.0.1:$UP" --tls-verify=false
expect_in "$T/out" "Saved $N images (0 copied now)" "save.sh resumes: nothing copied twice"
expect_in "$T/out" "[2/$N] kept    " "save.sh keeps what has its digest"
expect_status 2 "save.sh with an unknown option" -- "$T/b/save.sh" --frm x
expect_in "$T/err" "unknown option --frm" "save.sh names the option"

expect_status 0 "save.sh --help from elsewhere" -- "$T/b/save.sh" --help
expect_in "$T/out" "save.sh [--from REGISTRY] [--tls-verify=false]" "save.sh's help, called by its path"
# A layer gone from the layout: the images that use it are copied again,
# not kept on their manifest alone.
gone=$(skopeo inspect --raw "oci:$T/b/oci:getsentry/snuba:24.8.0" | grep -o 'sha256:[0-9a-f]\{64\}' | tail -1)
rm -f "$T/b/oci/blobs/sha256/${gone#sha256:}"
expect_status 0 "save.sh after a layer was removed" -- "$T/b/save.sh" --from "127.0.0.1:$UP" --tls-verify=false
expect_in "$T/out" "copied  getsentry/snuba:24.8.0" "the image missing a layer is copied again"
expect_true "the layer is back" test -f "$T/b/oci/blobs/sha256/${gone#sha256:}"

# A damaged blob: refused before anything is pushed.
blob=$(ls "$T/b/oci/blobs/sha256" | head -1)
cp "$T/b/oci/blobs/sha256/$blob" "$T/blob.good"
printf 'X' | dd of="$T/b/oci/blobs/sha256/$blob" bs=1 seek=10 conv=notrunc 2>/dev/null
expect_status 1 "load.sh refuses a damaged bundle" -- "$T/b/load.sh" --creds "mirror:$MIRROR_PW" --tls-verify=false
expect_in "$T/out" "oci/blobs/sha256/$blob: FAILED" "load.sh names the damaged file"
expect_in "$T/err" "the bundle is damaged (above): carry it across again; nothing was pushed" "load.sh says nothing was pushed"
expect_true "nothing reached the mirror" test ! -e "$T/mirror/data/docker/registry/v2/repositories"

# Intact again: pushed, then every reference read back and compared.
cp "$T/blob.good" "$T/b/oci/blobs/sha256/$blob"
expect_status 0 "load.sh pushes and verifies" -- "$T/b/load.sh" --creds "mirror:$MIRROR_PW" --tls-verify=false
expect_in "$T/out" "All $N images are in the mirror with the digests save.sh recorded." "load.sh verifies every image"
first=$(awk '!/^#/ && NF { print $2; exit }' "$T/b/images.txt")
expect_in "$T/out" "ok       $first@sha256:" "load.sh shows each digest"
expect_not_in "$T/out" "$MIRROR_PW" "the password is never shown"
expect_not_in "$T/err" "$MIRROR_PW" "nor on stderr"
got=$(curl -s -u "mirror:$MIRROR_PW" -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    -o /dev/null -w '%header{docker-content-digest}' \
    "http://127.0.0.1:$MIRROR/v2/sentry/getsentry/sentry/manifests/24.8.0" 2>/dev/null ||
    curl -s -u "mirror:$MIRROR_PW" -I -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://127.0.0.1:$MIRROR/v2/sentry/getsentry/sentry/manifests/24.8.0" | tr -d '\r' |
    awk -F': ' 'tolower($1) == "docker-content-digest" { print $2 }')
expect_in "$T/b/digests.txt" "getsentry/sentry:24.8.0 $got" "the mirror's digest is the one recorded"

# A mirror that refuses the login: every image is named, exit 1.
expect_status 1 "load.sh with a wrong password" -- "$T/b/load.sh" --creds "mirror:wrong" --tls-verify=false
expect_in "$T/out" "MISSING  $first:" "each image the mirror will not give is named"
expect_in "$T/err" "$N of $N images are not in the mirror as saved" "load.sh counts them"

# A login file named from where the operator stands.
printf '{"auths": {"127.0.0.1:%s": {"auth": "%s"}}}\n' "$MIRROR" \
    "$(printf 'mirror:%s' "$MIRROR_PW" | base64 | tr -d '\n')" >"$T/auth.json"
expect_true "load.sh --authfile relative to the caller" sh -c "cd '$T' && b/load.sh --authfile auth.json --tls-verify=false --verify-only >/dev/null"

# --verify-only: nothing pushed, the mirror checked again.
expect_status 0 "load.sh --verify-only" -- "$T/b/load.sh" --creds "mirror:$MIRROR_PW" --tls-verify=false --verify-only
expect_not_in "$T/out" "pushed" "--verify-only pushes nothing"
expect_in "$T/out" "All $N images are in the mirror" "--verify-only verifies"

# The bundle written again: not saved until save.sh has run again.
cp -r "$T/b" "$T/b-again"
expect_status 0 "bundle over a saved one" -- "$BIN" bundle -a "$T/a.yaml" -o "$T/b-again" --to 25.5.1
expect_status 1 "load.sh before save.sh ran again" -- "$T/b-again/load.sh" --creds "mirror:$MIRROR_PW" --tls-verify=false
expect_in "$T/err" "no SHA256SUMS: save.sh has not finished" "load.sh says save.sh must run"

# generate --digests: every image pinned by what was carried.
"$BIN" generate -a "$T/a.yaml" -o "$T/keys-out" >/dev/null 2>&1
expect_status 0 "generate --digests" -- "$BIN" generate -a "$T/a.yaml" -o "$T/pinned" --digests "$T/b/images.json"
d=$(awk '$1 == "getsentry/sentry:24.8.0" { print $2 }' "$T/b/digests.txt")
expect_in "$T/pinned/kubernetes/services/web.yaml" "image: \"127.0.0.1:$MIRROR/sentry/getsentry/sentry:24.8.0@$d\"" "web runs the carried digest"
expect_true "no image of the output is left unpinned" sh -c "! grep -rhE '^ *image: ' '$T/pinned/kubernetes' | grep -v '@sha256:'"
LIVE_VERSION=26.8.0 LIVE_EXTRA="registry: \"127.0.0.1:$MIRROR/sentry\""
live_answers "$T/other.yaml"
cp "$T/a.keys.yaml" "$T/other.keys.yaml"
expect_status 2 "generate --digests of another release" -- "$BIN" generate -a "$T/other.yaml" -o "$T/pinned2" --digests "$T/b/images.json"
expect_in "$T/err" "images.json: the bundle does not carry 127.0.0.1:$MIRROR/sentry/getsentry/sentry:26.8.0 (used by web)" "names what the bundle lacks"
expect_true "nothing written for an image not carried" test ! -e "$T/pinned2"

finish "live bundle"
