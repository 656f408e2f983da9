#!/bin/bash
# `make check`: the test lists on build/kernel-CONFIG, then (unless a
# filter picks tests) the guest_memfd tests again with huge folios as the
# default (tests/huge-default.list; GMEM_HUGE_DEFAULT=0 leaves them out),
# and (unless GMEM_DEBIAN=0) the DKMS package on Debian's own kernel
# (scripts/debian.sh check). Prints each part's summary line, then
# their sums as the last line "N passed, N failed, N skipped"; a part that
# failed without a failed test (it stopped before its tests, or its guest
# did not finish) counts as one failure. Exit status is non-zero if
# either part failed.
#
#   scripts/check.sh CONFIG FILTER LIST...
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cfg=$1 filter=$2
shift 2
logs="$top/build/logs"
mkdir -p "$logs"
t0=$(date +%s)
lines=() sums=() rc=0

# part NAME LOG COMMAND...: run a part, record its summary and status.
part() {
	local name=$1 log=$2 t1 r=0 sum
	shift 2
	t1=$(date +%s)
	"$@" 2>&1 | tee "$log" || r=1
	sum=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
	lines+=("$name ($(( ($(date +%s) - t1) / 60 )) min): ${sum:-no summary} (exit $r)")
	sums+=("${sum:-0 passed, 0 failed, 0 skipped} $r")
	[ $r = 0 ] || rc=1
}

part "build/kernel-$cfg" "$logs/check.out" \
	"$top/scripts/run-tests.sh" -k "$cfg" -n check ${filter:+-t "$filter"} "$@"
if [ -z "$filter" ] && [ "${GMEM_HUGE_DEFAULT:-1}" != 0 ]; then
	part "build/kernel-$cfg, kvm.guest_memfd_huge_folios=1" "$logs/check-huge.out" \
		env GMEM_KERNEL_ARGS="${GMEM_KERNEL_ARGS:+$GMEM_KERNEL_ARGS }kvm.guest_memfd_huge_folios=1" \
		"$top/scripts/run-tests.sh" -k "$cfg" -n check-huge "$top/tests/huge-default.list"
fi
if [ -z "$filter" ] && [ "${GMEM_DEBIAN:-1}" != 0 ]; then
	part "Debian $(. "$top/scripts/debian.env"; echo "$DEB_KVER") with the DKMS package" \
		"$logs/debian.out" "$top/scripts/debian.sh" check
fi
echo
echo ">> make check: $(( ($(date +%s) - t0) / 60 )) min of tests and module builds"
printf '   %s\n' "${lines[@]}"
printf '%s\n' "${sums[@]}" |
	awk '{ p += $1; f += $3; s += $5; if ($7 != 0 && $3 == 0) f++ }
		END { printf "%d passed, %d failed, %d skipped\n", p, f, s }'
exit $rc
