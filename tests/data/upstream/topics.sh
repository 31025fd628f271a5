#!/bin/sh
# Writes RELEASE-topics.txt: every Kafka topic a Sentry release's own tools
# create (`snuba bootstrap` creates Snuba's Topic enum, `sentry upgrade
# --create-kafka-topics` Sentry's, which follows the sentry-kafka-schemas
# registry), one per line, sorted. Run from this folder with git mirrors of
# getsentry/snuba and getsentry/sentry-kafka-schemas:
#
#   ./topics.sh RELEASE SNUBA_GIT SCHEMAS_GIT SCHEMAS_VERSION
#
# SCHEMAS_VERSION is the sentry-kafka-schemas that snuba pins at the tag
# (requirements.txt or uv.lock): 24.8.0 -> 0.1.106, 26.8.0 -> 2.1.39.
set -eu

[ $# -eq 4 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
release=$1 snuba=$2 schemas=$3 version=$4
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

git -C "$snuba" show "$release:snuba/utils/streams/topics.py" |
	sed -n 's/^ *[A-Z_0-9]* = "\([a-z0-9-]*\)"$/\1/p' >"$tmp"
git -C "$schemas" ls-tree --name-only "$version" topics/ |
	sed -n 's|^topics/\(.*\)\.yaml$|\1|p' >>"$tmp"
sort -u "$tmp" >"$release-topics.txt"
wc -l <"$release-topics.txt"
