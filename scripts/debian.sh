#!/bin/bash
# guest_memfd on an unmodified Debian 6.1 kernel: the series' KVM as a DKMS
# package, built and tested on Debian's own kernel binary.
#
#   scripts/debian.sh deb     build/debian/<name>-dkms_<version>_all.deb
#                             from the assembled tree (build/linux)
#   scripts/debian.sh fetch   download the pinned linux-image and
#                             linux-headers packages (scripts/debian.env)
#   scripts/debian.sh check   all of the above; install the pinned headers,
#                             build the modules with dkms from the package
#                             (in build/debian, nothing installed), boot
#                             Debian's vmlinuz under QEMU with them and run
#                             tests/debian.list there (like run-tests.sh:
#                             a TAP summary, last line "N passed, ...")
#
# The check installs the pinned linux-headers packages on this machine (as
# an administrator would, for DKMS), nothing else: dkms runs on private
# trees under build/debian, so the host's own modules are never touched.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/base.env"
. "$top/scripts/debian.env"
src="${GMEM_SRC:-$top/build/linux}"
out="$top/build/debian"
dl="$out/dl"
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo

# The files the package takes from the tree: KVM itself, and the headers
# that the series changes and only KVM includes. Headers the series changes
# that vmlinux uses too are not here: the modules see stock 6.1's.
kvm_dirs="arch/x86/kvm virt/kvm"
kvm_headers="include/linux/kvm_host.h include/linux/kvm_types.h
	include/uapi/linux/kvm.h include/trace/events/kvm.h
	arch/x86/include/asm/kvm_host.h arch/x86/include/asm/kvm-x86-ops.h
	arch/x86/include/uapi/asm/kvm.h"

version() { # the package version: base version and series length
	local n
	n=$(git -C "$src" rev-list --count base..HEAD)
	echo "${BASE_VERSION%-*}.${BASE_VERSION#*-}.$n"
}

cmd_deb() {
	[ -e "$src/.git" ] || { echo "no assembled tree: run 'make tree'" >&2; exit 1; }
	local ver pkg root usr f
	ver=$(version)
	pkg="$DKMS_NAME-dkms"
	root="$out/pkg"
	usr="$root/usr/src/$DKMS_NAME-$ver"
	rm -rf "$root"
	mkdir -p "$usr" "$root/DEBIAN" "$root/usr/share/doc/$pkg"
	for d in $kvm_dirs; do
		mkdir -p "$usr/$d"
		git -C "$src" archive HEAD "$d" | tar -x -C "$usr"
	done
	for f in $kvm_headers; do
		mkdir -p "$usr/$(dirname "$f")"
		git -C "$src" show "HEAD:$f" >"$usr/$f"
	done
	# arch/x86/kvm/Makefile finds virt/kvm and its own headers through
	# $(srctree), the kernel's headers here: point it at the package.
	sed -i 's|\$(srctree)/|$(GMEM_TOP)/|g' "$usr/arch/x86/kvm/Makefile"
	if grep -rq 'srctree' "$usr/arch/x86/kvm/Makefile" "$usr/virt/kvm/Makefile.kvm"; then
		echo "KVM's Makefiles still use \$(srctree)" >&2
		exit 1
	fi
	cp "$top/dkms/Makefile" "$top/dkms/Kbuild" "$usr/"
	sed -e "s/@NAME@/$DKMS_NAME/" -e "s/@VERSION@/$ver/" "$top/dkms/dkms.conf.in" >"$usr/dkms.conf"
	cat >"$root/usr/share/doc/$pkg/copyright" <<EOF
The Linux kernel's KVM, from Debian's $BASE_PKG $BASE_VERSION, with the
guest_memfd-6.1 patch series applied.
License: GPL-2.0 (see /usr/share/common-licenses/GPL-2).
EOF
	cat >"$root/DEBIAN/control" <<EOF
Package: $pkg
Version: $ver
Architecture: all
Installed-Size: $(du -sk "$root/usr" | cut -f1)
Maintainer: guest_memfd-6.1 developers <gmem-6.1@lists.example.org>
Depends: dkms (>= 3.0)
Recommends: linux-headers-amd64
Section: kernel
Priority: optional
Description: KVM with guest_memfd for Debian 12's 6.1 kernels (DKMS)
 The guest_memfd-6.1 series' KVM (kvm.ko, kvm-amd.ko, kvm-intel.ko),
 built by DKMS for every installed Debian 6.1 kernel with headers and
 installed in updates/dkms, where it takes precedence over the kernel's
 own KVM modules. Base: $BASE_PKG $BASE_VERSION.
EOF
	cat >"$root/DEBIAN/postinst" <<EOF
#!/bin/sh
set -e
if [ "\$1" = configure ]; then
	/usr/lib/dkms/common.postinst $DKMS_NAME $ver "" "" "\$2"
fi
EOF
	cat >"$root/DEBIAN/prerm" <<EOF
#!/bin/sh
set -e
case "\$1" in
remove|upgrade|deconfigure)
	dkms remove -m $DKMS_NAME -v $ver --all >/dev/null 2>&1 || true
	;;
esac
EOF
	chmod 755 "$root/DEBIAN/postinst" "$root/DEBIAN/prerm"
	rm -f "$out/${pkg}"_*.deb
	dpkg-deb --root-owner-group -Zxz --build "$root" "$out/${pkg}_${ver}_all.deb" >/dev/null
	echo ">> package: build/debian/${pkg}_${ver}_all.deb"
}

# fetch: exit 3 if a pinned package is no longer in the archive.
cmd_fetch() {
	local p f missing=""
	mkdir -p "$dl"
	for p in "linux-image-$DEB_KVER" "linux-headers-$DEB_KVER" "linux-headers-${DEB_KVER%-*}-common"; do
		f=$(ls "$dl/${p}_${DEB_VERSION}_"*.deb 2>/dev/null || true)
		[ -n "$f" ] && continue
		(cd "$dl" && apt-get download "$p=$DEB_VERSION" >/dev/null 2>&1) ||
			(apt-get update -qq && cd "$dl" && apt-get download "$p=$DEB_VERSION" >/dev/null 2>&1) ||
			missing="$missing $p=$DEB_VERSION"
	done
	if [ -n "$missing" ]; then
		cat >&2 <<MSG
>> The Debian kernel packages this check is pinned to are not in the
>> configured archives any more:$missing
>> (Debian drops a kernel's packages some time after the next upload.)
>> Re-pin: set BASE_VERSION in scripts/base.env to a version that
>> 'apt-cache madison linux-image-amd64' still offers, and DEB_KVER and
>> DEB_VERSION in scripts/debian.env to that version's kernel.
MSG
		return 3
	fi
	echo ">> Debian $DEB_KVER $DEB_VERSION: packages in build/debian/dl"
}

cmd_check() {
	local ver kdir image mods st plan rc=0 miss
	if [ "$DEB_VERSION" != "$BASE_VERSION" ]; then
		echo "scripts/debian.env pins $DEB_VERSION, the base is $BASE_VERSION" >&2
		exit 1
	fi
	mkdir -p "$out" "$top/build/logs"
	plan="$top/build/logs/debian.plan"
	if ! cmd_fetch; then
		# Nothing to test on: every test of the list is a skip, with why.
		sed 's/#.*//' "$top/tests/debian.list" | awk 'NF { print "skip " $1 " pinned Debian kernel packages left the archive (see above)" }' >"$plan"
		: >"$top/build/logs/debian.log"
		exec "$top/scripts/summarize.sh" "$plan" "$top/build/logs/debian.log"
	fi
	# The headers, installed as DKMS needs them.
	if [ "$(dpkg-query -W -f='${Version}' "linux-headers-$DEB_KVER" 2>/dev/null)" != "$DEB_VERSION" ]; then
		echo ">> installing linux-headers-$DEB_KVER $DEB_VERSION"
		$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			"$dl/linux-headers-${DEB_KVER}_${DEB_VERSION}_amd64.deb" \
			"$dl/linux-headers-${DEB_KVER%-*}-common_${DEB_VERSION}_all.deb" >/dev/null
	fi
	kdir="/usr/src/linux-headers-$DEB_KVER"

	cmd_deb
	ver=$(version)
	# The package as apt would unpack it, and dkms on private trees.
	rm -rf "$out/root" "$out/dkms"
	dpkg-deb -x "$out/$DKMS_NAME-dkms_${ver}_all.deb" "$out/root"
	mkdir -p "$out/dkms"
	dk=(dkms --dkmstree "$out/dkms" --sourcetree "$out/root/usr/src" -m "$DKMS_NAME" -v "$ver")
	"${dk[@]}" add >/dev/null
	echo ">> dkms build for $DEB_KVER"
	t0=$(date +%s)
	if ! "${dk[@]}" build -k "$DEB_KVER" --kernelsourcedir "$kdir" >"$out/dkms-build.log" 2>&1; then
		cat "$out/dkms-build.log" "$out/dkms/$DKMS_NAME/$ver/$DEB_KVER/x86_64/log/make.log" 2>/dev/null | tail -40
		echo "dkms build failed" >&2
		exit 1
	fi
	echo ">> built in $(( $(date +%s) - t0 ))s"
	built="$out/dkms/$DKMS_NAME/$ver/$DEB_KVER/x86_64/module"
	# No compiler warning in the build (CONFIG_KVM_WERROR makes KVM's own
	# files fail on one; this catches the rest, and modpost's).
	if grep -E 'warning:|WARNING:' "$out/dkms/$DKMS_NAME/$ver/$DEB_KVER/x86_64/log/make.log"; then
		echo "warnings in the module build" >&2
		exit 1
	fi

	# Debian's kernel and modules, with ours where dkms puts them.
	image="$out/image"
	if [ ! -f "$image/boot/vmlinuz-$DEB_KVER" ]; then
		rm -rf "$image"
		dpkg-deb -x "$dl/linux-image-${DEB_KVER}_${DEB_VERSION}_amd64.deb" "$image"
	fi
	mods="$image/lib/modules/$DEB_KVER"
	rm -rf "$mods/updates"
	mkdir -p "$mods/updates/dkms"
	cp "$built"/*.ko "$mods/updates/dkms/"
	depmod -b "$image" "$DEB_KVER"
	# What modprobe would load, resolved as on an installed system.
	extra="$out/initramfs"
	rm -rf "$extra"
	mkdir -p "$extra/tests"
	# hwpoison_inject: gmem_hooks_test poisons pages through its debugfs file.
	for m in kvm_amd hwpoison_inject; do
		modprobe -d "$image" -S "$DEB_KVER" --show-depends "$m"
	done | awk -v p="$image" '$1 == "insmod" && !seen[$2]++ { print substr($2, length(p) + 1) }' \
		>"$extra/tests/modules"
	while read -r m; do
		mkdir -p "$extra$(dirname "$m")"
		cp "$image$m" "$extra$m"
	done <"$extra/tests/modules"
	miss=$(grep -c "/updates/dkms/kvm\(-amd\)\?\.ko$" "$extra/tests/modules" || true)
	[ "$miss" = 2 ] || { echo "modprobe does not pick the package's kvm.ko and kvm-amd.ko:" >&2; cat "$extra/tests/modules" >&2; exit 1; }
	# The guest compares the loaded kvm module's build ID note with this.
	objcopy -O binary --only-section=.note.gnu.build-id "$built/kvm.ko" "$out/kvm.note"
	od -An -v -tx1 "$out/kvm.note" | tr -d ' \n' >"$extra/tests/kvm.build-id"
	[ -s "$extra/tests/kvm.build-id" ] || { echo "kvm.ko has no build ID" >&2; exit 1; }
	echo ">> modules: $(tr '\n' ' ' <"$extra/tests/modules")"

	st="${GMEM_STOUT:-$top/build/selftests}"
	[ -d "$st/kvm" ] || "$top/scripts/build-selftests.sh"
	GMEM_KERNEL_IMAGE="$image/boot/vmlinuz-$DEB_KVER" GMEM_INITRAMFS_EXTRA="$extra" \
		"$top/scripts/run-tests.sh" -k debian -n debian "$top/tests/debian.list" || rc=$?
	return $rc
}

case "${1:-}" in
deb) cmd_deb ;;
fetch) cmd_fetch ;;
check) cmd_check ;;
*) echo "usage: $0 deb|fetch|check" >&2; exit 2 ;;
esac
