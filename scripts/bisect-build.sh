#!/bin/bash
# Build the kernel (and the selftests) at every patch of the series, in a
# separate worktree so build/linux is left alone.
#   scripts/bisect-build.sh [CONFIG]     (default: test; 'modules' for KVM=m)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cfg=${1:-test}
[ "$cfg" = debug ] && cfg=test
src="$top/build/linux"
wt="$top/build/bisect-linux"
out="$top/build/bisect-$cfg"
export CCACHE_DIR="${CCACHE_DIR:-$top/build/ccache}"
[ -d "$wt" ] || git -C "$src" worktree add -q --detach "$wt" base
frags="$top/configs/test.config"
[ "$cfg" = modules ] && frags="$frags $top/configs/modules.config"
mkdir -p "$out"
fail=0
for c in $(git -C "$src" rev-list --reverse base..HEAD); do
	subj=$(git -C "$src" log -1 --format=%s "$c")
	git -C "$wt" checkout -q --detach "$c"
	make -s -C "$wt" O="$out" CC="ccache gcc" x86_64_defconfig
	"$wt/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" $frags >/dev/null
	make -s -C "$wt" O="$out" CC="ccache gcc" olddefconfig
	if make -s -C "$wt" O="$out" CC="ccache gcc" -j"$(nproc)" bzImage modules \
		>"$out/build.log" 2>&1 &&
		make -s -C "$wt" O="$out/hdr" INSTALL_HDR_PATH="$out/headers" headers_install &&
		make -s -C "$wt/tools/testing/selftests/kvm" -j"$(nproc)" CC="ccache gcc" \
			OUTPUT="$out/selftests" INSTALL_HDR_PATH="$out/headers" >>"$out/build.log" 2>&1; then
		w=$(grep -c 'warning:' "$out/build.log" || true)
		echo "ok   $(git -C "$src" rev-parse --short "$c") $subj ($w warnings)"
	else
		echo "FAIL $(git -C "$src" rev-parse --short "$c") $subj"
		grep -E 'error' "$out/build.log" | head -20
		fail=1
	fi
done
exit $fail
