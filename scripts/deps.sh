#!/bin/bash
# Install the Debian packages the pipeline needs, if missing. Idempotent.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/base.env"
pkgs="build-essential bc bison flex libelf-dev libssl-dev dwarves python3 perl
	git ccache cpio gzip xz-utils file kmod rsync busybox-static
	qemu-system-x86 dkms dpkg-dev openssl"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
known=$(apt-cache madison "$BASE_PKG" 2>/dev/null | awk -v v="$BASE_VERSION" '$3 == v' | wc -l)
if [ -n "$missing" ] || [ "$known" = 0 ]; then
	SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
	echo ">> apt-get update"
	$SUDO apt-get update -qq
	if [ -n "$missing" ]; then
		echo ">> installing:$missing"
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
	fi
fi
