#!/bin/bash
# Regenerate patches/ from the commits base..HEAD of build/linux.
# The output is stable: an unchanged tree gives no diff.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top/build/linux"
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
	echo "ERROR: build/linux has uncommitted changes: commit them first" >&2
	exit 1
fi
n=$(git rev-list --count base..HEAD)
[ "$n" -gt 0 ] || { echo "ERROR: no commits on top of base" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -c branch.series.description="$(cat "$top/docs/cover-letter.txt")" \
	format-patch -q --zero-commit --no-signature --cover-letter \
	--cover-from-description=subject --subject-prefix="PATCH 6.1" \
	-o "$tmp" base..HEAD
# The cover letter carries the export time; pin it to the newest patch's.
cover=$(ls "$tmp"/0000-*.patch)
last=$(ls "$tmp"/*.patch | tail -1)
date=$(grep -m1 '^Date: ' "$last")
sed -i "s/^Date: .*/$date/" "$cover"
rm -f "$top"/patches/*.patch
cp "$tmp"/*.patch "$top/patches/"
(cd "$tmp" && ls [0-9]*.patch | grep -v '^0000-') >"$top/patches/series"
echo ">> exported $n patches to patches/"
