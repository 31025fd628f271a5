#!/bin/sh
# Installs the npm tools the tests use (the Kubernetes schema check, the S3
# server) into node_modules folders that git ignores, from their pinned
# package-lock.json files. Skipped when they are already there.
set -eu
cd "$(dirname "$0")"
# tests/k8s: the Kubernetes schema check; tests/live/s3: the S3 server.
for dir in k8s live/s3; do
	[ -f "$dir/package-lock.json" ] || continue
	stamp=$dir/node_modules/.installed-from-lock
	if [ -f "$stamp" ] && [ "$stamp" -nt "$dir/package-lock.json" ]; then
		continue
	fi
	echo "install-node-tools: npm ci in tests/$dir"
	(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
	touch "$stamp"
done
