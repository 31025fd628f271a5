#!/bin/sh
# The Debian package: its control fields and contents, installed by dpkg
# into a scratch root, and the installed program run from there with no
# SENTRY_HA_SETUP_DATA: it finds its profiles and assets, generates from the
# demo answers exactly what the source tree does, and its man page and
# completion work. Then `make install` and `make uninstall` into a staging
# root, and dpkg's removal.
# Usage: tests/install/test-deb.sh [PACKAGE.deb]   (default: make deb)
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
unset SENTRY_HA_SETUP_DATA

if [ $# -ge 1 ]; then
	DEB=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
else
	echo "  make deb"
	make -C "$ROOT" --no-print-directory -s deb >"$T/make.log" 2>&1 ||
	    { cat "$T/make.log"; fail "make deb"; finish "Debian package"; exit; }
	DEB=$(ls "$ROOT"/build/deb/sentry-ha-setup_*.deb)
fi
TREE="$ROOT/sentry-ha-setup"	# the source tree's binary, to compare with
version=$("$TREE" --version | sed 's/^sentry-ha-setup //')
arch=$(dpkg --print-architecture)
expect_true "the package is named for its version and architecture" \
    test "$(basename "$DEB")" = "sentry-ha-setup_${version}_$arch.deb"

# The control fields.
expect_status 0 "dpkg-deb -I" -- dpkg-deb -I "$DEB"
expect_status 0 "dpkg-deb -f" -- dpkg-deb -f "$DEB"
cp "$T/out" "$T/control"
expect_in "$T/control" "Package: sentry-ha-setup" "Package"
expect_in "$T/control" "Version: $version" "Version is the program's --version"
expect_in "$T/control" "Architecture: $arch" "Architecture"
expect_true "Maintainer: a name and an address" \
    grep -qE '^Maintainer: [^<]+ <[^>]+@[^>]+>$' "$T/control"
expect_in "$T/control" "Description: highly available Sentry" "Description"
expect_true "Installed-Size" grep -qE '^Installed-Size: [0-9]+$' "$T/control"
depends=$(dpkg-deb -f "$DEB" Depends)
echo "  Depends: $depends"

# Depends names the package of every library the binary links (NEEDED),
# found with dpkg -S from where the loader finds the library.
dpkg-deb -x "$DEB" "$T/x"
objdump -p "$T/x/usr/bin/sentry-ha-setup" | awk '$1 == "NEEDED" { print $2 }' \
    >"$T/needed"
expect_true "the binary links libraries" test "$(wc -l <"$T/needed")" -ge 10
ldd "$T/x/usr/bin/sentry-ha-setup" >"$T/ldd"
# owner SONAME: the package that holds the library the loader finds.
owner() {
	path=$(awk -v so="$1" '$1 == so && $2 == "=>" { print $3 }' "$T/ldd")
	[ -n "$path" ] || return 1
	for p in "$path" "/usr$path" "${path#/usr}" "$(readlink -f "$path")"; do
		pkg=$(dpkg -S "$p" 2>/dev/null | head -n 1 | sed 's/[:,].*//')
		[ -n "$pkg" ] && { echo "$pkg"; return 0; }
	done
	return 1
}
printf '%s\n' "$depends" | tr ',' '\n' | sed 's/^ *//; s/ *(.*//' >"$T/dep-names"
while IFS= read -r so; do
	pkg=$(owner "$so") || { fail "no package holds $so"; continue; }
	expect_in "$T/dep-names" "$pkg" "Depends names $pkg ($so)"
done <"$T/needed"
# Those the brief names, whichever of their packages it is.
for alt in libpq5 librdkafka1 "libncursesw6 libncurses6" libyaml-0-2 \
    "libcurl4 libcurl3-gnutls" libssh2-1 libhiredis libmemcached libtirpc3 \
    libssl3 libc6; do
	found=""
	for p in $alt; do
		grep -q "^$p" "$T/dep-names" && found=$p
	done
	expect_true "Depends names ${alt% *}" test -n "$found"
done
# ... and this machine, which built it, satisfies every one of them.
printf '%s\n' "$depends" | tr ',' '\n' | sed 's/^ *//' >"$T/deps"
while IFS= read -r d; do
	name=${d%% *}
	have=$(dpkg-query -W -f='${Version}' "$name" 2>/dev/null | head -n 1)
	case $d in
	*"(>= "*)
		want=$(printf '%s\n' "$d" | sed 's/.*(>= \(.*\))/\1/')
		expect_true "$name $have satisfies $d" \
		    dpkg --compare-versions "$have" ge "$want"
		;;
	*) expect_true "$name is installed" test -n "$have" ;;
	esac
done <"$T/deps"
# apt agrees: on this machine the package needs nothing more.
if command -v apt-get >/dev/null 2>&1; then
	expect_status 0 "apt-get install --simulate" -- \
	    apt-get install --simulate --no-install-recommends "$DEB"
	expect_in "$T/out" "0 upgraded, 1 newly installed, 0 to remove" \
	    "apt-get: nothing but the package to install"
fi

# The contents: the binary, every profile, the assets, the man page
# (gzipped) and the completion, owned by root.
dpkg-deb -c "$DEB" >"$T/contents"
expect_true "every file is root's" test -z "$(awk '$2 != "root/root"' "$T/contents")"
expect_true "the binary, mode 0755" \
    grep -qE '^-rwxr-xr-x root/root .* \./usr/bin/sentry-ha-setup$' "$T/contents"
expect_in "$T/contents" "./usr/share/man/man1/sentry-ha-setup.1.gz" "the man page"
expect_in "$T/contents" "./usr/share/bash-completion/completions/sentry-ha-setup" \
    "the completion"
for f in "$ROOT"/profiles/*.yaml; do
	expect_in "$T/contents" "./usr/share/sentry-ha-setup/profiles/${f##*/}" \
	    "profile ${f##*/}"
done
(cd "$ROOT/assets" && find . -type f ! -path './man/*' ! -path './completion/*' \
    ! -path './readme/*') >"$T/assets"
expect_true "the assets to ship" test "$(wc -l <"$T/assets")" -ge 10
missing=""
while IFS= read -r f; do
	grep -qF " ./usr/share/sentry-ha-setup/assets/${f#./}" "$T/contents" ||
	    missing="$missing ${f#./}"
	cmp -s "$ROOT/assets/$f" "$T/x/usr/share/sentry-ha-setup/assets/$f" ||
	    missing="$missing (${f#./} differs)"
done <"$T/assets"
expect_true "every asset is shipped as it is:$missing" test -z "$missing"
expect_not_in "$T/contents" "assets/man" "the man page only where man looks"
expect_not_in "$T/contents" "assets/completion" "the completion only where bash looks"
expect_not_in "$T/contents" "assets/readme" "not the README's picture"
gzip -dc "$T/x/usr/share/man/man1/sentry-ha-setup.1.gz" >"$T/page.1"
expect_true "the man page is the source's" cmp -s "$T/page.1" \
    "$ROOT/assets/man/sentry-ha-setup.1"
expect_true "the man page is gzipped with no name or time (gzip -n)" \
    test "$(od -An -tu1 -j4 -N4 "$T/x/usr/share/man/man1/sentry-ha-setup.1.gz" |
    tr -d ' ')" = 0000
expect_true "the binary is stripped" \
    test -z "$(objdump -h "$T/x/usr/bin/sentry-ha-setup" | grep -F .debug_info)"

# Installed by dpkg into a scratch root. The root has an empty dpkg
# database and none of the libraries' packages, hence --force-depends (the
# loader takes the libraries from this machine, checked above); dpkg runs
# no script, since the package has none.
R="$T/root"
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates"
: >"$R/var/lib/dpkg/status"
expect_status 0 "dpkg --root -i" -- dpkg --root="$R" --force-not-root \
    --force-depends --log=/dev/null -i "$DEB"
expect_status 0 "dpkg --root -s" -- dpkg --root="$R" -s sentry-ha-setup
expect_in "$T/out" "Status: install ok installed" "the package is installed"
expect_status 0 "dpkg --root -L" -- dpkg --root="$R" -L sentry-ha-setup
expect_in "$T/out" "/usr/share/sentry-ha-setup/profiles/26.8.0.yaml" "dpkg lists a profile"

# The installed program, with no SENTRY_HA_SETUP_DATA.
IB="$R/usr/bin/sentry-ha-setup"
expect_status 0 "installed --version" -- "$IB" --version
expect_in "$T/out" "sentry-ha-setup $version" "installed --version"
expect_status 0 "installed --help" -- "$IB" --help
expect_in "$T/out" "Commands:" "installed --help lists the commands"
expect_status 0 "installed generate --help" -- "$IB" generate --help
expect_in "$T/out" "--target kubernetes|swarm" "installed generate --help"
expect_status 0 "installed profiles" -- "$IB" profiles
for f in "$ROOT"/profiles/*.yaml; do
	v=${f##*/}
	expect_in "$T/out" "${v%.yaml} " "installed profiles lists ${v%.yaml}"
done
expect_status 0 "installed explain a rule" -- "$IB" explain worker-needs-cron
expect_in "$T/out" "worker-needs-cron: " "the rules' texts are installed"

# generate on the demo answers that the package ships, into a temporary
# folder; the same answers and keys in the source tree give the same bytes.
mkdir -p "$T/inst" "$T/tree"
cp "$R/usr/share/sentry-ha-setup/assets/demo/"* "$T/inst/"
export SENTRY_DEMO_PG_PASSWORD=demo-only
expect_status 0 "installed generate on the demo answers" -- \
    "$IB" generate -a "$T/inst/sentry-ha.yaml" -o "$T/inst/out"
expect_in "$T/out" "Wrote $T/inst/out/ for Sentry 24.8.0" "installed generate wrote"
expect_true "RUNBOOK.md" test -s "$T/inst/out/RUNBOOK.md"
expect_true "kustomization.yaml" test -s "$T/inst/out/kubernetes/kustomization.yaml"
expect_true "a service" test -s "$T/inst/out/kubernetes/services/web.yaml"
expect_in "$T/inst/out/kubernetes/config.yaml" "sentry.conf.py" \
    "the configuration, from the installed templates"
expect_true "the keys file" test -s "$T/inst/sentry-ha.keys.yaml"
cp "$T/inst/sentry-ha.yaml" "$T/inst/demo-redis-password.txt" \
    "$T/inst/sentry-ha.keys.yaml" "$T/tree/"
expect_status 0 "the tree's generate" -- \
    "$TREE" generate -a "$T/tree/sentry-ha.yaml" -o "$T/tree/out"
sed "s|$T/tree|$T/inst|g" "$T/tree/out/RUNBOOK.md" >"$T/tree-runbook"
cp "$T/tree-runbook" "$T/tree/out/RUNBOOK.md"
expect_true "the installed program writes what the source tree does" \
    diff -r "$T/inst/out" "$T/tree/out"
expect_status 0 "installed check --offline" -- \
    "$IB" check --offline -a "$T/inst/sentry-ha.yaml"
expect_status 0 "installed explain a service" -- \
    "$IB" explain web -a "$T/inst/sentry-ha.yaml"
expect_in "$T/out" "web (Sentry 24.8.0)" "installed explain web"
# A missing answers file is told where the installed demo answers are.
expect_status 2 "installed generate without answers" -- \
    "$IB" generate -a "$T/none.yaml" -o "$T/none"
expect_in "$T/err" "$R/usr/share/sentry-ha-setup/assets/demo" \
    "the hint names the installed demo answers"

# The folder it was built for is the package's: a copy of the binary away
# from its share/ looks there last.
mkdir -p "$T/lonely"
cp "$IB" "$T/lonely/"
if [ -d /usr/share/sentry-ha-setup/profiles ]; then
	expect_status 0 "a lone copy uses /usr/share/sentry-ha-setup" -- \
	    "$T/lonely/sentry-ha-setup" profiles
else
	expect_status 3 "a lone copy looks in /usr/share/sentry-ha-setup" -- \
	    "$T/lonely/sentry-ha-setup" profiles
	expect_in "$T/err" "/usr/share/sentry-ha-setup/profiles: cannot read" \
	    "built for DATADIR=/usr/share/sentry-ha-setup"
fi
expect_status 0 "SENTRY_HA_SETUP_DATA still overrides" -- \
    env SENTRY_HA_SETUP_DATA="$R/usr/share/sentry-ha-setup" \
    "$T/lonely/sentry-ha-setup" profiles

# The installed man page and completion.
if command -v man >/dev/null 2>&1; then
	expect_status 0 "man -l on the installed page" -- \
	    env MANWIDTH=80 man --warnings -l "$R/usr/share/man/man1/sentry-ha-setup.1.gz"
	expect_in "$T/out" "SENTRY-HA-SETUP(1)" "the installed man page renders"
	expect_true "no warning from man" test ! -s "$T/err"
fi
"$ROOT/tests/install/test-man.sh" "$IB" \
    "$R/usr/share/man/man1/sentry-ha-setup.1.gz" >"$T/man.log" 2>&1
expect_true "test-man.sh on the installed page and binary" test $? -eq 0
tail -n 3 "$T/man.log" | sed 's/^/    /'
"$ROOT/tests/install/test-completion.sh" "$IB" \
    "$R/usr/share/bash-completion/completions/sentry-ha-setup" >"$T/comp.log" 2>&1
expect_true "test-completion.sh on the installed completion and binary" test $? -eq 0
tail -n 3 "$T/comp.log" | sed 's/^/    /'

# Removed by dpkg, nothing of it is left.
expect_status 0 "dpkg --root -r" -- dpkg --root="$R" --force-not-root \
    --log=/dev/null -r sentry-ha-setup
expect_true "dpkg removed every file" test -z "$(find "$R" -path "$R/var" -prune \
    -o -type f -print)"

# make install and make uninstall into a staging root (PREFIX=/usr, as the
# package: nothing is rebuilt).
S="$T/stage"
make -C "$ROOT" --no-print-directory -s install DESTDIR="$S" PREFIX=/usr \
    >"$T/install.log" 2>&1
expect_true "make install DESTDIR PREFIX=/usr" test $? -eq 0
for f in usr/bin/sentry-ha-setup usr/share/man/man1/sentry-ha-setup.1 \
    usr/share/bash-completion/completions/sentry-ha-setup \
    usr/share/sentry-ha-setup/profiles/24.8.0.yaml \
    usr/share/sentry-ha-setup/assets/rules/catalogue.yaml; do
	expect_true "make install: $f" test -f "$S/$f"
done
expect_true "make install: the binary is executable" test -x "$S/usr/bin/sentry-ha-setup"
expect_status 0 "the staged binary runs" -- "$S/usr/bin/sentry-ha-setup" profiles
make -C "$ROOT" --no-print-directory -s uninstall DESTDIR="$S" PREFIX=/usr \
    >"$T/uninstall.log" 2>&1
expect_true "make uninstall" test $? -eq 0
expect_true "make uninstall leaves no file" test -z "$(find "$S" -type f)"

finish "Debian package"
