#!/bin/bash
# Build the kernel (and the selftests) at every patch of the series, in a
# separate worktree so build/linux is left alone. Uses the same configuration
# and checks as `make kernel` (scripts/build-kernel.sh).
#   scripts/bisect-build.sh [CONFIG]     (default: test; 'modules' for KVM=m)
# GMEM_BISECT_FROM=<commit> builds only the patches after that commit of
# build/linux (e.g. the ones added since the last full run); the selftests
# must then build at every one of them.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cfg=${1:-test}
[ "$cfg" = debug ] && cfg=test
src="$top/build/linux"
wt="$top/build/bisect-linux"
[ -e "$wt/.git" ] || git -C "$src" worktree add -q --detach "$wt" base
export GMEM_SRC="$wt" GMEM_KOUT="$top/build/bisect-$cfg" GMEM_STOUT="$top/build/bisect-selftests"
# The base's own selftests do not build (6.1's uapi asm/kvm.h lacks
# linux/stddef.h, dirty_log_test lacks TEST_ASSERT_EQ()): the series fixes
# that in its first patches, and from the first patch at which they build,
# they must build at every patch.
fail=0 st_ok=0 from=base
if [ -n "${GMEM_BISECT_FROM:-}" ]; then
	from=$GMEM_BISECT_FROM st_ok=1
fi
commits=$(git -C "$src" rev-list --reverse "$from"..HEAD)
t0=$(date +%s)
for c in $commits; do
	line="$(git -C "$src" rev-parse --short "$c") $(git -C "$src" log -1 --format=%s "$c")"
	git -C "$wt" checkout -q --detach "$c"
	t1=$(date +%s)
	if ! "$top/scripts/build-kernel.sh" "$cfg" >"$top/build/bisect.log" 2>&1; then
		echo "FAIL $line (kernel)"
		tail -20 "$top/build/bisect.log"
		fail=1
		continue
	fi
	warn="$(grep -c 'warning:' "$GMEM_KOUT/build.log" || true) kernel warnings"
	if "$top/scripts/build-selftests.sh" >>"$top/build/bisect.log" 2>&1; then
		st_ok=1
		echo "ok   $line ($warn, $(( $(date +%s) - t1 ))s)"
	elif [ $st_ok = 0 ]; then
		echo "ok   $line ($warn, $(( $(date +%s) - t1 ))s; selftests do not build yet, as at the base)"
	else
		echo "FAIL $line (selftests)"
		tail -20 "$top/build/bisect.log"
		fail=1
	fi
done
[ $st_ok = 1 ] || { echo "the selftests never built"; fail=1; }
echo ">> $(wc -w <<<"$commits") patches in $(( ($(date +%s) - t0) / 60 )) min"
exit $fail
