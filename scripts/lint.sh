#!/bin/bash
# checkpatch --strict over every patch of patches/series. Fails on any
# error or warning; checks are printed and counted.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cp="$top/build/linux/scripts/checkpatch.pl"
[ -x "$cp" ] || { echo "no assembled tree: run 'make tree'" >&2; exit 1; }
bad=0 n=0
while read -r p; do
	case "$p" in ''|'#'*) continue ;; esac
	n=$((n + 1))
	out=$(cd "$top/build/linux" && "$cp" --strict --no-tree --no-summary \
		--ignore FILE_PATH_CHANGES,GIT_COMMIT_ID \
		--codespellfile /dev/null "$top/patches/$p" 2>&1)
	e=$(grep -c '^ERROR:' <<<"$out")
	w=$(grep -c '^WARNING:' <<<"$out")
	c=$(grep -c '^CHECK:' <<<"$out")
	printf '%-70s %d errors, %d warnings, %d checks\n' "$p" "$e" "$w" "$c"
	if [ "$e$w$c" != 000 ]; then
		sed 's/^/    /' <<<"$out"
		bad=1
	fi
done <"$top/patches/series"
echo ">> checkpatch --strict: $n patches, $([ $bad = 0 ] && echo clean || echo 'NOT clean')"
exit $bad
