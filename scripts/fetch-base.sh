#!/bin/bash
# Fetch the pinned Debian linux-source-6.1 package, verify its tarball and
# create build/linux as a git repository whose root commit is that source.
#
#   scripts/fetch-base.sh             create build/linux at the base (once)
#   scripts/fetch-base.sh --print-sha VERSION
#                                     download VERSION, print its tarball sha
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/base.env"
dl="$top/build/dl"
mkdir -p "$dl"

download() { # version -> path of the extracted tarball
	local ver=$1 deb
	deb="$dl/${BASE_PKG}_${ver}_all.deb"
	if [ ! -s "$deb" ]; then
		echo ">> downloading $BASE_PKG=$ver" >&2
		rm -f "$dl"/*.deb
		if ! (cd "$dl" && apt-get download "$BASE_PKG=$ver" >&2); then
			cat >&2 <<MSG
ERROR: cannot download $BASE_PKG version $ver.
The pinned base is no longer offered by the configured Debian archives.
Re-pin: run 'apt-get update; apt-cache madison $BASE_PKG', choose a version,
then 'scripts/fetch-base.sh --print-sha VERSION' and update
scripts/base.env (BASE_VERSION and BASE_TARBALL_SHA256).
MSG
			exit 1
		fi
		mv "$dl"/"${BASE_PKG}"_*"${ver#*:}"_all.deb "$deb" 2>/dev/null || true
	fi
	rm -rf "$dl/x"
	dpkg-deb -x "$deb" "$dl/x"
	echo "$dl/x/usr/src/$BASE_PKG.tar.xz"
}

if [ "${1:-}" = --print-sha ]; then
	sha256sum "$(download "$2")" | cut -d' ' -f1
	exit 0
fi

base="$top/build/linux"
stamp="$base/.git/base-$BASE_VERSION-$BASE_TARBALL_SHA256"
if [ -f "$stamp" ]; then
	exit 0
fi
if [ -e "$base" ]; then
	echo "ERROR: build/linux exists but is not based on $BASE_VERSION;" >&2
	echo "       move it away (it may hold unexported work) and retry." >&2
	exit 1
fi

tarball=$(download "$BASE_VERSION")
got=$(sha256sum "$tarball" | cut -d' ' -f1)
if [ "$got" != "$BASE_TARBALL_SHA256" ]; then
	echo "ERROR: $BASE_PKG $BASE_VERSION tarball sha256 is $got," >&2
	echo "       scripts/base.env pins $BASE_TARBALL_SHA256. Refusing to build." >&2
	exit 1
fi
echo ">> $BASE_PKG $BASE_VERSION: sha256 verified"

rm -rf "$base"
mkdir -p "$base"
tar -xf "$tarball" -C "$base" --strip-components=1
rm -rf "$dl/x"
cd "$base"
git init -q -b series
git config core.autocrlf false
git config gc.auto 0
git add -A -f .
# Fixed identity and dates: the base commit has the same id everywhere.
export GIT_AUTHOR_NAME="Debian $BASE_PKG" GIT_AUTHOR_EMAIL="base@localhost"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
export GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z"
git commit -q -m "Debian $BASE_PKG $BASE_VERSION"
git tag base
touch "$stamp"
echo ">> base commit $(git rev-parse --short HEAD) in build/linux (tag: base)"
