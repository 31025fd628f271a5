#!/bin/sh
# The core's layers, as folders of src/, and which of them each may use.
# A file may include the headers of its own layer and of the layers listed
# for it, nothing above; the outputs (emit/), the probes and the rules read
# the plan, never the answers; and no file of src/ includes curses.
# Prints every breach as FILE: includes HEADER (LAYER): WHY; exit 1 if any.
# Usage: tests/check-layers.sh [ROOT]
set -u
ROOT=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$ROOT" || exit 2

# layer: the layers below it that it may use.
allowed() {
	case $1 in
	base)	echo "base" ;;
	input)	echo "base input" ;;
	plan)	echo "base input plan" ;;
	probes)	echo "base input plan probes" ;;
	emit)	echo "base input plan emit" ;;
	rules)	echo "base input plan probes emit rules" ;;
	app)	echo "base input plan probes emit rules app" ;;
	wiz)	echo "base input plan probes emit rules app wiz" ;;
	cli)	echo "base input plan probes emit rules app wiz cli" ;;
	*)	echo "" ;;
	esac
}

# Files that turn a plan into something must not see the answers.
plan_only="emit probes rules"

bad=0
breach() { printf '%s\n' "$*"; bad=1; }

for dir in src/*/; do
	layer=$(basename "$dir")
	[ -n "$(allowed "$layer")" ] ||
	    breach "$dir: a folder that is no layer (tests/check-layers.sh lists them)"
done

for f in src/*/*.c src/*/*.h; do
	layer=$(basename "$(dirname "$f")")
	may=$(allowed "$layer")
	grep -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]((n?curses|form|menu|panel)\.h|ncursesw/)' "$f" >/dev/null &&
	    breach "$f: includes curses: the core never draws (ui/ does)"
	for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
		found=$(ls src/*/"$h" 2>/dev/null | head -n 1)
		if [ -z "$found" ]; then
			breach "$f: includes $h, which is in no layer of src/"
			continue
		fi
		hl=$(basename "$(dirname "$found")")
		case " $may " in
		*" $hl "*) ;;
		*) breach "$f: includes $h ($hl): layer $layer may use only: $may" ;;
		esac
		if [ "$h" = answers.h ]; then
			case " $plan_only " in
			*" $layer "*) breach "$f: includes answers.h: $layer reads the plan, never the answers" ;;
			esac
		fi
	done
done
exit $bad
