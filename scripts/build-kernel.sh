#!/bin/bash
# Build the assembled tree (build/linux) with one of the configs in configs/.
#
#   scripts/build-kernel.sh test|debug|modules
#
# Output: build/kernel-<config>/arch/x86/boot/bzImage
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cfg=${1:-test}
# GMEM_SRC / GMEM_KOUT: build another tree (e.g. a worktree) elsewhere.
src="${GMEM_SRC:-$top/build/linux}"
out="${GMEM_KOUT:-$top/build/kernel-$cfg}"
case "$cfg" in
test) frags="test" ;;
debug) frags="test debug" ;;
modules) frags="test modules" ;;
*) echo "unknown config '$cfg' (test, debug, modules)" >&2; exit 2 ;;
esac
[ -e "$src/.git" ] || { echo "no assembled tree: run 'make tree'" >&2; exit 1; }

export CCACHE_DIR="${CCACHE_DIR:-$top/build/ccache}"
export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-8G}"
export CCACHE_COMPILERCHECK=content
# Timestamps are not what ccache should hash: kernel objects embed none.
export CCACHE_SLOPPINESS="time_macros,include_file_mtime,include_file_ctime"
mkdir -p "$out"
kmake() { make -C "$src" O="$out" CC="ccache gcc" HOSTCC="ccache gcc" "$@"; }

files=()
for f in $frags; do files+=("$top/configs/$f.config"); done
kmake -s x86_64_defconfig
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "${files[@]}" >"$out/merge.log"
kmake -s olddefconfig
# Every option a fragment asks for must be in the result (except options
# that do not exist yet at this point of the series, reported only).
missing=0
# The effective request: the last fragment that names an option wins.
# Options after a "# trim:" line are best effort and not checked.
for f in "${files[@]}"; do
	awk '/^# trim:/ { exit } /^CONFIG_/' "$f"
done | awk -F= '{ v[$1] = $0; if (!($1 in seen)) { seen[$1] = 1; o[++n] = $1 } }
	END { for (i = 1; i <= n; i++) print v[o[i]] }' >"$out/requested.config"
while IFS= read -r line; do
	opt=${line%%=*} val=${line#*=}
	if [ "$val" = n ]; then
		grep -q "^$opt=" "$out/.config" && { echo "config: $opt not disabled" >&2; missing=1; }
		continue
	fi
	if ! grep -qx "$line" "$out/.config"; then
		if grep -rqs "^config ${opt#CONFIG_}\$" "$src" --include='Kconfig*'; then
			echo "config: $line requested, got: $(grep "^$opt=\|# $opt " "$out/.config" || echo unset)" >&2
			missing=1
		else
			echo "config: $opt does not exist in this tree (ignored)" >&2
		fi
	fi
done <"$out/requested.config"
[ $missing = 0 ] || { echo "config fragments not satisfied" >&2; exit 1; }

t0=$(date +%s)
if ! kmake -j"$(nproc)" bzImage modules >"$out/build.log" 2>&1; then
	grep -E 'error|Error' "$out/build.log" | head -40 >&2
	echo "kernel build failed, see $out/build.log" >&2
	exit 1
fi
grep -E 'warning:' "$out/build.log" || true
echo ">> kernel ($cfg) built in $(( $(date +%s) - t0 ))s: ${out#"$top"/}/arch/x86/boot/bzImage"
