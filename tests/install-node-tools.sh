#!/bin/sh
# Installs the npm tools the manifest tests use into tests/k8s/node_modules
# (git ignores it), from the pinned package-lock.json. Skipped when they are
# already there.
set -eu
cd "$(dirname "$0")/k8s"
if [ -f node_modules/.installed-from-lock ] && [ node_modules/.installed-from-lock -nt package-lock.json ]; then
	exit 0
fi
echo "install-node-tools: npm ci in tests/k8s"
npm ci --no-audit --no-fund --loglevel=error >/dev/null
touch node_modules/.installed-from-lock
