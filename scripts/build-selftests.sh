#!/bin/bash
# Build the KVM selftests of the assembled tree against its own uapi headers.
# Output: build/selftests/kvm/{x86_64/,}<test>
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
src="${GMEM_SRC:-$top/build/linux}"
out="${GMEM_STOUT:-$top/build/selftests}"
[ -e "$src/.git" ] || { echo "no assembled tree: run 'make tree'" >&2; exit 1; }
export CCACHE_DIR="${CCACHE_DIR:-$top/build/ccache}"
mkdir -p "$out/kvm" "$out/headers"
make -s -C "$src" O="$out/hdr-obj" INSTALL_HDR_PATH="$out/headers" headers_install
make -C "$src/tools/testing/selftests/kvm" -j"$(nproc)" \
	CC="ccache gcc" OUTPUT="$out/kvm" INSTALL_HDR_PATH="$out/headers" \
	>"$out/build.log" 2>&1 || {
	grep -E 'error|Error' "$out/build.log" | head -40 >&2
	echo "selftests build failed, see $out/build.log" >&2
	exit 1
}
grep -E 'warning:' "$out/build.log" || true
echo ">> selftests built in ${out#"$top"/}/kvm"
