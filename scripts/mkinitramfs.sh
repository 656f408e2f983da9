#!/bin/bash
# Build build/initramfs-<name>.cpio.gz: busybox, the selftests with their
# shared libraries, /init, and /tests/list (the tests to run).
#
#   scripts/mkinitramfs.sh NAME LISTFILE
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
name=$1 list=$2
src="${GMEM_SRC:-$top/build/linux}"
st="${GMEM_STOUT:-$top/build/selftests}/kvm"
root="$top/build/initramfs-$name"
[ -d "$st" ] || { echo "no selftests: run 'make selftests'" >&2; exit 1; }
bb=$(command -v busybox || echo /bin/busybox)
file "$bb" 2>/dev/null | grep -q 'statically linked' ||
	ldd "$bb" 2>&1 | grep -q 'not a dynamic' ||
	{ echo "need busybox-static (apt-get install busybox-static)" >&2; exit 1; }

rm -rf "$root"
mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,tmp,root,tests/kvm,lib64,usr/lib}
cp "$bb" "$root/bin/busybox"
install -m 755 "$top/scripts/guest-init" "$root/init"
echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"

# Tests: every executable the selftests build produced, plus shell wrappers.
(cd "$st" && find . -path ./lib -prune -o -type f -perm -u+x -print) |
while read -r f; do
	mkdir -p "$root/tests/kvm/$(dirname "$f")"
	cp "$st/$f" "$root/tests/kvm/$f"
done
for f in $(cd "$src/tools/testing/selftests/kvm" && ls x86_64/*.sh 2>/dev/null); do
	cp "$src/tools/testing/selftests/kvm/$f" "$root/tests/kvm/$f"
done
# nx_huge_pages_test.sh is a bash script that sets knobs through sudo; the
# guest runs everything as root, so sudo only runs its arguments.
cp "$(command -v bash)" "$root/bin/bash"
printf '#!/bin/sh\nexec "$@"\n' >"$root/bin/sudo"
chmod 755 "$root/bin/sudo"

# Guest-side helper scripts of the project.
cp -r "$top/tests/guest" "$root/tests/"
# The speed probe's reference, for the time-limit scale factor.
cp "$top/tests/speed.ref" "$root/tests/"
cp "$list" "$root/tests/list"
# Files for this run only (scripts/debian.sh: modules to load).
[ -z "${GMEM_INITRAMFS_EXTRA:-}" ] || cp -a "$GMEM_INITRAMFS_EXTRA/." "$root/"

# Shared libraries of the tests, and libgcc_s (pthread_cancel dlopens it).
libs=$(find "$root/tests" "$root/bin/bash" -type f -perm -u+x -exec ldd {} \; 2>/dev/null |
	awk '/=>/ { print $3 } /^[ \t]*\/.*ld-linux/ { print $1 }' | sort -u)
gcc_s=$(gcc -print-file-name=libgcc_s.so.1)
for l in $libs $(readlink -f "$gcc_s"); do
	[ -f "$l" ] || continue
	d="$root$(dirname "$l")"
	mkdir -p "$d"
	cp -L "$l" "$d/"
done

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$root.cpio.gz"
echo ">> initramfs: build/initramfs-$name.cpio.gz ($(du -h "$root.cpio.gz" | cut -f1))"
