#!/bin/bash
# `make check`: the test lists on build/kernel-CONFIG, then (unless a
# filter picks tests, or GMEM_DEBIAN=0) the DKMS package on Debian's own
# kernel (scripts/debian.sh check). Prints each part's summary line, then
# their sums as the last line "N passed, N failed, N skipped". Exit
# status is non-zero if either part failed.
#
#   scripts/check.sh CONFIG FILTER LIST...
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cfg=$1 filter=$2
shift 2
logs="$top/build/logs"
mkdir -p "$logs"
rc=0
t0=$(date +%s)
"$top/scripts/run-tests.sh" -k "$cfg" -n check ${filter:+-t "$filter"} "$@" |
	tee "$logs/check.out" || rc=1
lines=("build/kernel-$cfg ($(( ($(date +%s) - t0) / 60 )) min): $(grep -E '^[0-9]+ passed, ' "$logs/check.out" | tail -1)")
if [ -z "$filter" ] && [ "${GMEM_DEBIAN:-1}" != 0 ]; then
	t1=$(date +%s)
	"$top/scripts/debian.sh" check 2>&1 | tee "$logs/debian.out" || rc=1
	lines+=("Debian $(. "$top/scripts/debian.env"; echo "$DEB_KVER") with the DKMS package ($(( ($(date +%s) - t1) / 60 )) min): $(grep -E '^[0-9]+ passed, ' "$logs/debian.out" | tail -1)")
fi
echo
echo ">> make check ($(( ($(date +%s) - t0) / 60 )) min of tests and module builds):"
printf '   %s\n' "${lines[@]}"
printf '%s\n' "${lines[@]}" | sed 's/.*: //' |
	awk '/passed/ { p += $1; f += $3; s += $5; n++ }
		END { printf "%d passed, %d failed, %d skipped\n", p, f + (n < NR), s }'
# A part that printed no summary line failed before its tests.
for l in "${lines[@]}"; do
	grep -q 'passed, ' <<<"$l" || rc=1
done
exit $rc
