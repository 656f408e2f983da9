#!/bin/bash
# Assemble build/linux: the pinned base (root commit, tag 'base') with every
# patch of patches/series applied by `git am`, on branch 'series'.
# Refuses to run over uncommitted work; the previous HEAD stays in the reflog.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/fetch-base.sh"
cd "$top/build/linux"

# The series is applied and extended under the team's identity, whatever
# the machine's global git identity: the cover letter's From: comes from it
# and `make export` must give the same output everywhere.
git config user.name "guest_memfd-6.1 developers"
git config user.email "gmem-6.1@lists.example.org"

if [ -d .git/rebase-apply ] || [ -d .git/rebase-merge ]; then
	echo "ERROR: a git am/rebase is in progress in build/linux; finish or abort it" >&2
	exit 1
fi
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
	echo "ERROR: build/linux has uncommitted changes; commit (and 'make export') or discard them" >&2
	exit 1
fi
prev=$(git rev-parse HEAD)
git checkout -q -B series base
n=0
while read -r p; do
	case "$p" in ''|'#'*) continue ;; esac
	if ! git am -q --committer-date-is-author-date "$top/patches/$p" >/tmp/gmem-am.$$ 2>&1; then
		cat /tmp/gmem-am.$$ >&2; rm -f /tmp/gmem-am.$$
		git am --abort || true
		echo "ERROR: patch $p does not apply (after $n patches)" >&2
		exit 1
	fi
	rm -f /tmp/gmem-am.$$
	n=$((n + 1))
done <"$top/patches/series"
echo ">> build/linux: base + $n patches at $(git rev-parse --short HEAD) (previous HEAD $(git rev-parse --short "$prev"))"
