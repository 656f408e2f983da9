#!/bin/bash
# Prove that patches/ applies as a quilt queue in Debian's kernel source
# package layout: unpack Debian's source package linux $BASE_VERSION with
# dpkg-source (which applies Debian's own patches), add the series as
# debian/patches/features/x86/guest_memfd/, run `quilt push -a --fuzz=0` and
# check that the result equals build/linux HEAD (the assembled tree).
# Works in build/quilt; fails on fuzz, rejects or any difference.
#
#   scripts/quilt-check.sh                 check on the source package
#   scripts/quilt-check.sh --linux-source  when the source package cannot be
#                                          downloaded: use linux-source-6.1's
#                                          tarball (Debian's patches already
#                                          applied) with only our queue
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/base.env"
mode=source
case "${1:-}" in
	"") ;;
	--linux-source) mode=linux-source ;;
	*) sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
esac

ver=${BASE_VERSION#*:}
q="$top/build/quilt"
dl="$q/dl"
qdir=features/x86/guest_memfd
pools="http://deb.debian.org/debian-security/pool/updates/main/l/linux
http://deb.debian.org/debian/pool/main/l/linux"
mkdir -p "$dl"

die() { echo "ERROR: $*" >&2; exit 1; }
now() { date +%s.%N; }
timings=()
took() { # label start
	timings+=("$(awk -v l="$1" -v a="$2" -v b="$(now)" \
		'BEGIN { printf "  %-12s %6.1fs", l, b - a }')")
}
need() { # command package
	command -v "$1" >/dev/null && return
	[ "$(id -u)" = 0 ] || die "$1 is missing: apt-get install $2"
	echo ">> installing $2" >&2
	apt-get -qq -o DPkg::Lock::Timeout=600 update >&2
	DEBIAN_FRONTEND=noninteractive apt-get -qq -y \
		-o DPkg::Lock::Timeout=600 install "$2" >/dev/null
}
fetch() { # url file
	curl -fsSL --retry 3 -o "$2.part" "$1" && mv "$2.part" "$2"
}

need quilt quilt
mapfile -t ours < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' \
	"$top/patches/series" | grep .)
for p in "${ours[@]}"; do
	[ -f "$top/patches/$p" ] || die "patches/series lists missing $p"
	case "$p" in 0000-*) die "patches/series lists the cover letter $p" ;; esac
done

# --- a. download ---------------------------------------------------------
t=$(now)
if [ $mode = source ]; then
	need dpkg-source dpkg-dev
	dsc=linux_${ver}.dsc
	if [ ! -s "$dl/$dsc" ] || [ ! -s "$dl/$dsc.pool" ]; then
		rm -f "$dl"/linux_*
		pool=
		for p in $pools; do
			if fetch "$p/$dsc" "$dl/$dsc" 2>/dev/null; then
				pool=$p; break
			fi
		done
		if [ -z "$pool" ]; then
			deb=${BASE_PKG}_${ver}_all.deb
			for p in $pools; do
				if curl -fsS -r 0-0 -o /dev/null "$p/$deb" 2>/dev/null; then
					cat >&2 <<MSG
ERROR: Debian's source package linux $ver cannot be downloaded from
$(echo "$pools" | sed 's/^/  /')
but its binary $deb is still in the archive ($p):
the source files are not served from here. Run
  scripts/quilt-check.sh --linux-source
to check the queue on linux-source-6.1's tarball instead.
MSG
					exit 1
				fi
			done
			cat >&2 <<MSG
ERROR: the pinned base version $ver has left Debian's archive: neither
$(echo "$pools" | sed 's/^/  /')
has linux_$ver.dsc (nor $deb).
Re-pin: run 'apt-get update; apt-cache madison $BASE_PKG', choose a version,
then 'scripts/fetch-base.sh --print-sha VERSION' and update
scripts/base.env (BASE_VERSION and BASE_TARBALL_SHA256).
MSG
			exit 1
		fi
		echo "$pool" >"$dl/$dsc.pool"
	fi
	pool=$(cat "$dl/$dsc.pool")
	sums=$(awk '/^Checksums-Sha256:/ { f = 1; next } /^[^ ]/ { f = 0 }
		f && NF == 3 { print $1 "  " $3 }' "$dl/$dsc")
	[ -n "$sums" ] || die "$dsc has no Checksums-Sha256"
	while read -r sum f; do
		if [ -s "$dl/$f" ] &&
			echo "$sum  $f" | (cd "$dl" && sha256sum -c --status); then
			continue
		fi
		echo ">> downloading $pool/$f" >&2
		fetch "$pool/$f" "$dl/$f" || die "cannot download $pool/$f"
		echo "$sum  $f" | (cd "$dl" && sha256sum -c --status) ||
			die "$f does not match the sha256 in $dsc"
	done <<<"$sums"
	echo ">> linux $ver: $dsc and $(($(wc -l <<<"$sums"))) files verified (sha256 from the .dsc)"
	what="Debian's linux $ver source package"
	tree="$q/linux-$ver"
else
	deb=${BASE_PKG}_${ver}_all.deb
	tarball="$dl/$BASE_PKG-$ver.tar.xz"
	if [ ! -s "$tarball" ] ||
		! echo "$BASE_TARBALL_SHA256  $tarball" | sha256sum -c --status; then
		if [ -s "$top/build/dl/$deb" ]; then
			src="$top/build/dl/$deb"
		else
			echo ">> downloading $BASE_PKG=$ver" >&2
			(cd "$dl" && apt-get download "$BASE_PKG=$ver" >&2) ||
				die "cannot download $BASE_PKG=$ver (see scripts/base.env to re-pin)"
			src=$(ls "$dl"/"${BASE_PKG}"_*"$ver"_all.deb)
		fi
		dpkg-deb --fsys-tarfile "$src" |
			tar -xO "./usr/src/$BASE_PKG.tar.xz" >"$tarball.part"
		mv "$tarball.part" "$tarball"
		rm -f "$dl"/*.deb
	fi
	echo "$BASE_TARBALL_SHA256  $tarball" | sha256sum -c --status ||
		die "$BASE_PKG $ver tarball does not match BASE_TARBALL_SHA256"
	echo ">> $BASE_PKG $ver: tarball sha256 verified"
	what="$BASE_PKG $ver (Debian's patches pre-applied; NOT the source package)"
	tree="$q/linux-source-$ver"
fi
took download "$t"

# --- b. extract ----------------------------------------------------------
t=$(now)
rm -rf "$tree"
if [ $mode = source ]; then
	echo ">> dpkg-source -x (log: build/quilt/dpkg-source.log)" >&2
	(cd "$q" && nice dpkg-source --no-copy -x "$dl/$dsc" "$tree") >"$q/dpkg-source.log" 2>&1 ||
		{ tail -20 "$q/dpkg-source.log" >&2; die "dpkg-source -x failed"; }
	grep -i 'warning' "$q/dpkg-source.log" >&2 || true
else
	mkdir -p "$tree/debian/patches"
	nice tar -xf "$tarball" -C "$tree" --strip-components=1
	echo "# Debian's patches are already applied in $BASE_PKG's tarball" \
		>"$tree/debian/patches/series"
fi
took extraction "$t"

# --- c. add the queue and push it ----------------------------------------
cd "$tree"
export QUILT_PATCHES=debian/patches QUILT_PC=.pc
qt() { quilt --quiltrc=- "$@" 2>&1 | sed 's|^debian/patches/||'; }
debian_n=$(sed -e 's/#.*//' debian/patches/series | grep -c '[^[:space:]]' || true)
[ $mode = linux-source ] || [ "$debian_n" -gt 0 ] || die "empty debian/patches/series"
mkdir -p "debian/patches/$qdir"
[ -z "$(tail -c1 debian/patches/series)" ] || echo >>debian/patches/series
for p in "${ours[@]}"; do
	cp "$top/patches/$p" "debian/patches/$qdir/"
	echo "$qdir/$p" >>debian/patches/series
done
applied=$(qt applied | grep -vx 'No patches applied' || true)
[ "$(grep -c . <<<"$applied" || true)" = "$debian_n" ] ||
	die "quilt applied lists $(grep -c . <<<"$applied" || true) patches, debian/patches/series has $debian_n"
expected=$(printf "$qdir/%s\n" "${ours[@]}")
[ "$(qt unapplied)" = "$expected" ] ||
	die "quilt unapplied is not exactly our ${#ours[@]} patches"
echo ">> quilt: $debian_n of Debian's patches applied, ${#ours[@]} of ours unapplied"

t=$(now)
log="$q/quilt-push.log"
if ! nice quilt --quiltrc=- push -a --fuzz=0 >"$log" 2>&1; then
	grep -E '^(Applying|Hunk|patch:|[0-9]+ out of)|FAILED|fuzz' "$log" | tail -20 >&2
	die "quilt push failed (log: build/quilt/quilt-push.log)"
fi
took "quilt push" "$t"
pushed=$(grep -c '^Applying patch' "$log" || true)
[ "$pushed" = "${#ours[@]}" ] || die "quilt pushed $pushed patches, expected ${#ours[@]}"
! grep -q 'with fuzz' "$log" || die "fuzz in quilt push (log: $log)"
[ -z "$(qt unapplied | grep -vx 'File series fully applied.*' || true)" ] ||
	die "patches left unapplied after quilt push"
offsets=$(awk '/^Applying patch/ { p = $3 } /offset -?[0-9]+ line/ { n[p]++ }
	END { for (x in n) print "   " x ": " n[x] " hunk(s)" }' "$log" |
	sed 's|debian/patches/||' | sort)
if [ -n "$offsets" ]; then
	echo ">> quilt: hunks applied at an offset (no fuzz):"
	echo "$offsets"
else
	echo ">> quilt: every hunk applied exactly (no fuzz, no offsets)"
fi
grep -i 'trailing whitespace' "$log" | sed 's/^/>> /' || true

# --- d. compare with build/linux HEAD ------------------------------------
t=$(now)
gl="$top/build/linux"
head=$(git -C "$gl" rev-parse HEAD)
base=$(git -C "$gl" rev-parse base)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$gl" diff --name-only --no-renames "$base" "$head" | sort >"$tmp/touched"
g() { # git on build/linux's objects, our tree, a throwaway index
	GIT_DIR="$gl/.git" GIT_WORK_TREE="$tree" GIT_INDEX_FILE="$tmp/index" \
		git -c core.autocrlf=false -c core.filemode=true "$@"
}
g read-tree "$head"
x=(-- . ':(exclude)debian' ':(exclude).pc')
g diff --name-only --no-renames "${x[@]}" | sort >"$tmp/mod"
g diff --name-only --no-renames --diff-filter=D "${x[@]}" | sort >"$tmp/gone"
g ls-files -o "${x[@]}" | sort >"$tmp/extra"
sort -u "$tmp/mod" "$tmp/extra" >"$tmp/differ"
total=$(g ls-files | wc -l)
same=$((total - $(wc -l <"$tmp/mod")))
comm -12 "$tmp/differ" "$tmp/touched" >"$tmp/bad"
comm -23 "$tmp/differ" "$tmp/touched" >"$tmp/basediff"
nbad=$(wc -l <"$tmp/bad")
nbase=$(wc -l <"$tmp/basediff")
ntouched=$(wc -l <"$tmp/touched")
took compare "$t"

if [ "$nbase" -gt 0 ]; then
	only_pkg=$(comm -12 "$tmp/basediff" "$tmp/extra" | wc -l)
	gone=$(comm -12 "$tmp/basediff" "$tmp/gone" | wc -l)
	echo ">> base: outside the series, the source package (with Debian's patches) and"
	echo "   the $BASE_PKG tarball differ in $nbase files: $((nbase - only_pkg - gone))" \
		"modified, $gone only in the tarball, $only_pkg only in the package"
	head -20 "$tmp/basediff" | sed 's/^/     /'
	[ "$nbase" -le 20 ] || echo "     ... (full list: build/quilt/base-differences.txt)"
	cp "$tmp/basediff" "$q/base-differences.txt"
else
	rm -f "$q/base-differences.txt"
fi
echo ">> timings:"
printf '%s\n' "${timings[@]}"
if [ "$nbad" -gt 0 ]; then
	echo "ERROR: $nbad of the $ntouched files the series touches differ from build/linux HEAD:" >&2
	sed 's/^/   /' "$tmp/bad" >&2
	exit 1
fi
echo "quilt: ${#ours[@]} patches applied on $what;" \
	"$same files identical to the assembled tree (all $ntouched files the series touches)"
