#!/bin/bash
# Build the kernel (and the selftests) at every patch of the series, in a
# separate worktree so build/linux is left alone. Uses the same configuration
# and checks as `make kernel` (scripts/build-kernel.sh).
#   scripts/bisect-build.sh [CONFIG]     (default: test; 'modules' for KVM=m)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cfg=${1:-test}
[ "$cfg" = debug ] && cfg=test
src="$top/build/linux"
wt="$top/build/bisect-linux"
[ -e "$wt/.git" ] || git -C "$src" worktree add -q --detach "$wt" base
export GMEM_SRC="$wt" GMEM_KOUT="$top/build/bisect-$cfg" GMEM_STOUT="$top/build/bisect-selftests"
fail=0
for c in $(git -C "$src" rev-list --reverse base..HEAD); do
	line="$(git -C "$src" rev-parse --short "$c") $(git -C "$src" log -1 --format=%s "$c")"
	git -C "$wt" checkout -q --detach "$c"
	if "$top/scripts/build-kernel.sh" "$cfg" >"$top/build/bisect.log" 2>&1 &&
		"$top/scripts/build-selftests.sh" >>"$top/build/bisect.log" 2>&1; then
		echo "ok   $line ($(grep -c 'warning:' "$GMEM_KOUT/build.log" || true) kernel warnings)"
	else
		echo "FAIL $line"
		tail -20 "$top/build/bisect.log"
		fail=1
	fi
done
exit $fail
