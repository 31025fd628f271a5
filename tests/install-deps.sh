#!/bin/sh
# Installs the Debian packages named as arguments that are not installed yet.
# PACKAGE@COMMAND counts as installed when COMMAND is on the PATH (node, npm
# or kubectl may come from elsewhere than Debian). A machine that already has
# everything is left untouched (no apt-get run).
set -eu

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "install-deps: not a Debian system; make sure these are installed: $*" >&2
	exit 0
fi

missing=""
for want in "$@"; do
	pkg=${want%@*}
	cmd=${want#*@}
	if [ "$cmd" != "$want" ] && command -v "$cmd" >/dev/null 2>&1; then
		continue
	fi
	if ! dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q '^install ok installed$'; then
		missing="$missing $pkg"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "install-deps: need root (or sudo) to install:$missing" >&2
	exit 3
fi

echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
