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
#   scripts/debian.sh w1      no new W=1 warnings in the files the series
#                             changes, building against the pinned headers
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

# populate DIR REV: the module source tree of the tree's commit REV in DIR.
populate() {
	local dir=$1 rev=$2 d f
	mkdir -p "$dir"
	for d in $kvm_dirs; do
		git -C "$src" -c tar.umask=022 archive "$rev" "$d" | tar -x -C "$dir"
	done
	for f in $kvm_headers; do
		git -C "$src" cat-file -e "$rev:$f" 2>/dev/null || continue
		mkdir -p "$dir/$(dirname "$f")"
		git -C "$src" show "$rev:$f" >"$dir/$f"
	done
	# arch/x86/kvm/Makefile finds virt/kvm and its own headers through
	# $(srctree), the kernel's headers here: point it at the package.
	sed -i 's|\$(srctree)/|$(GMEM_TOP)/|g' "$dir/arch/x86/kvm/Makefile"
	if grep -q 'srctree' "$dir/arch/x86/kvm/Makefile" "$dir/virt/kvm/Makefile.kvm"; then
		echo "KVM's Makefiles still use \$(srctree)" >&2
		exit 1
	fi
	cp "$top/dkms/Makefile" "$top/dkms/Kbuild" "$dir/"
}

cmd_deb() {
	[ -e "$src/.git" ] || { echo "no assembled tree: run 'make tree'" >&2; exit 1; }
	local ver pkg root usr
	ver=$(version)
	pkg="$DKMS_NAME-dkms"
	root="$out/pkg"
	usr="$root/usr/src/$DKMS_NAME-$ver"
	rm -rf "$root"
	mkdir -p "$root/DEBIAN" "$root/usr/share/doc/$pkg" "$root/usr/share/dkms/modules_to_force_install"
	populate "$usr" HEAD
	# The stock modules have no version either: without this, dkms finds
	# them "exactly matching" and installs none of the package's.
	echo "${DKMS_NAME}_version-override" >"$root/usr/share/dkms/modules_to_force_install/$DKMS_NAME"
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
	if [ -n "\$(dkms status -m $DKMS_NAME -v $ver)" ]; then
		dkms remove -m $DKMS_NAME -v $ver --all
	fi
	;;
esac
EOF
	chmod 755 "$root/DEBIAN/postinst" "$root/DEBIAN/prerm"
	rm -f "$out/${pkg}"_*.deb
	dpkg-deb --root-owner-group -Zxz --build "$root" "$out/${pkg}_${ver}_all.deb" >/dev/null
	echo ">> package: build/debian/${pkg}_${ver}_all.deb"
}

# fetch: download the pinned packages; fail with the reason.
cmd_fetch() {
	local p f gone="" failed=""
	mkdir -p "$dl"
	for p in "linux-image-$DEB_KVER" "linux-headers-$DEB_KVER" "linux-headers-${DEB_KVER%-*}-common"; do
		f=$(ls "$dl/${p}_${DEB_VERSION}_"*.deb 2>/dev/null || true)
		[ -n "$f" ] && continue
		if ! apt-cache madison "$p" 2>/dev/null | awk -v v="$DEB_VERSION" '$3 == v { ok = 1 } END { exit !ok }'; then
			$SUDO apt-get update -qq || true
		fi
		if ! apt-cache madison "$p" 2>/dev/null | awk -v v="$DEB_VERSION" '$3 == v { ok = 1 } END { exit !ok }'; then
			gone="$gone $p=$DEB_VERSION"
		elif ! (cd "$dl" && apt-get download "$p=$DEB_VERSION" >/dev/null); then
			failed="$failed $p=$DEB_VERSION"
		fi
	done
	if [ -n "$gone" ]; then
		cat >&2 <<MSG
>> The Debian kernel packages this check is pinned to are not in the
>> configured archives any more:$gone
>> (Debian drops a kernel's packages some time after the next upload.)
>> Re-pin: set BASE_VERSION in scripts/base.env to a version that
>> 'apt-cache madison linux-image-amd64' still offers, and DEB_KVER and
>> DEB_VERSION in scripts/debian.env to that version's kernel.
MSG
		return 1
	fi
	if [ -n "$failed" ]; then
		echo ">> could not download$failed (see apt-get's message above)" >&2
		return 1
	fi
	echo ">> Debian $DEB_KVER $DEB_VERSION: packages in build/debian/dl"
}

# The pinned kernel's headers, installed as DKMS needs them.
kdir="/usr/src/linux-headers-$DEB_KVER"
install_headers() {
	if [ "$(dpkg-query -W -f='${Version}' "linux-headers-$DEB_KVER" 2>/dev/null)" != "$DEB_VERSION" ]; then
		echo ">> installing linux-headers-$DEB_KVER $DEB_VERSION"
		$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			"$dl/linux-headers-${DEB_KVER}_${DEB_VERSION}_amd64.deb" \
			"$dl/linux-headers-${DEB_KVER%-*}-common_${DEB_VERSION}_all.deb" >/dev/null
	fi
}

# w1: build the base's KVM and the series' against the pinned headers with
# W=1 (and without CONFIG_KVM_WERROR's -Werror), and fail on a warning in
# the series' build that the base's build does not have, in a file the
# series changes. Warnings are compared by file, text and option, not by
# line number.
cmd_w1() {
	local rev dir files new
	cmd_fetch || exit 1
	install_headers
	for rev in base HEAD; do
		dir="$out/w1/$rev"
		rm -rf "$dir"
		populate "$dir" "$rev"
		echo ">> W=1 build of the KVM modules at $rev"
		make -C "$dir" KDIR="$kdir" W=1 CONFIG_KVM_WERROR= -j"$(nproc)" >"$dir.log" 2>&1 ||
			{ tail -30 "$dir.log"; echo "W=1 build at $rev failed" >&2; exit 1; }
		# Compiler warnings are file:line:column:, kernel-doc's file:line:.
		{ sed -n "s|^$dir/||p" "$dir.log" | grep -E '^[^ :]+:[0-9]+(:[0-9]+)?: warning:' || true; } |
			sed -E 's/:[0-9]+(:[0-9]+)?: /: /' | sort -u >"$dir.warnings"
		echo ">>   $(wc -l <"$dir.warnings") distinct warnings"
	done
	files=$(git -C "$src" diff --name-only base HEAD -- $kvm_dirs $kvm_headers)
	new=$(comm -13 "$out/w1/base.warnings" "$out/w1/HEAD.warnings" |
		grep -F -f <(echo "$files" | sed 's/$/: /') || true)
	echo ">> files the series changes: $(echo "$files" | wc -l); warnings there that the base has not: $(echo -n "$new" | grep -c . || true)"
	if [ -n "$new" ]; then
		echo "$new"
		exit 1
	fi
}

cmd_check() {
	local ver image mods st rc=0 miss
	if [ "$DEB_VERSION" != "$BASE_VERSION" ]; then
		echo "scripts/debian.env pins $DEB_VERSION, the base is $BASE_VERSION" >&2
		exit 1
	fi
	mkdir -p "$out" "$top/build/logs"
	cmd_fetch || exit 1
	install_headers

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
		# The log stays in the build directory when the build fails.
		cat "$out/dkms-build.log" "$out/dkms/$DKMS_NAME/$ver/build/make.log" 2>/dev/null | tail -40 || true
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

	# Debian's kernel and modules, and dkms installing the package's next to
	# them, as on a host with that kernel.
	image="$out/image"
	if [ "$(cat "$image.stamp" 2>/dev/null)" != "$DEB_KVER $DEB_VERSION" ]; then
		rm -rf "$image" "$image.stamp"
		dpkg-deb -x "$dl/linux-image-${DEB_KVER}_${DEB_VERSION}_amd64.deb" "$image"
		echo "$DEB_KVER $DEB_VERSION" >"$image.stamp"
	fi
	mods="$image/lib/modules/$DEB_KVER"
	rm -rf "$mods/updates"
	# dkms reads the package's request to override its version check from
	# /usr/share/dkms/modules_to_force_install once the package is
	# installed; here the check passes it on.
	force=()
	if grep -qx "${DKMS_NAME}_version-override" \
		"$out/root/usr/share/dkms/modules_to_force_install/$DKMS_NAME" 2>/dev/null; then
		force=(--force-version-override)
	fi
	if ! "${dk[@]}" install -k "$DEB_KVER" --installtree "$image/lib/modules" --no-depmod \
		"${force[@]}" >"$out/dkms-install.log" 2>&1; then
		cat "$out/dkms-install.log"
		echo "dkms install failed" >&2
		exit 1
	fi
	for m in kvm kvm-amd kvm-intel; do
		[ -f "$mods/updates/dkms/$m.ko" ] || {
			cat "$out/dkms-install.log"
			echo "dkms installed no $m.ko in updates/dkms" >&2
			exit 1
		}
	done
	depmod -b "$image" "$DEB_KVER"
	# What modprobe would load, resolved as on an installed system.
	extra="$out/initramfs"
	rm -rf "$extra"
	mkdir -p "$extra/tests"
	# hwpoison_inject: gmem_hooks_test poisons pages through its debugfs file.
	for m in kvm_amd hwpoison_inject; do
		modprobe -C /dev/null -d "$image" -S "$DEB_KVER" --show-depends "$m"
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
w1) cmd_w1 ;;
*) echo "usage: $0 deb|fetch|check|w1" >&2; exit 2 ;;
esac
