#!/bin/sh
# The air-gap bundle's figures (make bench): the size of save.sh's one OCI
# layout against the sum of one archive per image (what `docker save` per
# image, or docker-archive, would carry), and how long load.sh's
# verification pass takes, for the images of Sentry 26.8.0 as stand-ins
# that share an incompressible base layer, as Sentry's images share
# theirs.
# Usage: tests/bench/bundle-bench.sh BINARY [BASE_MIB]
. "$(dirname "$0")/../live/lib.sh"
. "$(dirname "$0")/../live/servers.sh"
BASE_MIB=${2:-8}
for tool in docker-registry skopeo; do
	command -v "$tool" >/dev/null || { echo "bundle bench: SKIP, $tool missing" >&2; exit 0; }
done
UP=$(free_port)
MIRROR=$(free_port)
start_registry upstream "$UP"
start_registry mirror "$MIRROR"
LIVE_EXTRA="registry: \"127.0.0.1:$MIRROR/sentry\"" live_answers "$T/a.yaml"
"$BIN" bundle -a "$T/a.yaml" -o "$T/b" >/dev/null || exit 1
seed_registry "$UP" "$T/b/images.txt" $((BASE_MIB * 1024 * 1024))
ms() { echo $(($(date +%s%N) / 1000000)); }
t0=$(ms)
"$T/b/save.sh" --from "127.0.0.1:$UP" --tls-verify=false >/dev/null || exit 1
t1=$(ms)
"$T/b/load.sh" --tls-verify=false >/dev/null || exit 1
t2=$(ms)
"$T/b/load.sh" --tls-verify=false --verify-only >/dev/null || exit 1
t3=$(ms)
mkdir "$T/per"
n=0
while read -r src mirror; do
	case $src in ''|'#'*) continue ;; esac
	n=$((n + 1))
	skopeo copy --quiet "oci:$T/b/oci:$src" "oci-archive:$T/per/$n.tar" </dev/null || exit 1
done <"$T/b/images.txt"
one=$(du -sb "$T/b/oci" | cut -f1)
each=$(du -cb "$T/per"/*.tar | tail -1 | cut -f1)
echo "bundle: $n images of Sentry 26.8.0, a shared base layer of $BASE_MIB MiB"
echo "  one OCI layout        $((one / 1024)) KiB"
echo "  one archive an image  $((each / 1024)) KiB ($((each * 10 / one / 10)).$((each * 10 / one % 10))x the layout)"
echo "  save.sh               $((t1 - t0)) ms"
echo "  load.sh (push+verify) $((t2 - t1)) ms"
echo "  load.sh --verify-only $((t3 - t2)) ms (SHA256SUMS and every reference read back)"
live_finish >/dev/null 2>&1
