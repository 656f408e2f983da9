#!/bin/bash
# Turn a guest console log into a TAP summary.
#   scripts/summarize.sh PLAN LOG
# Every test of PLAN gets a line; kernel splats are printed and fail the test
# that was running (or the run, if none was). Last line:
#   N passed, N failed, N skipped
set -uo pipefail
plan=$1 log=$2
awk -v planfile="$plan" '
function splat(line) {
	return line ~ /^\[ *[0-9]+\.[0-9]+\] (.*(WARNING:|BUG:|Oops|general protection fault|kernel BUG at|Kernel panic|UBSAN:|INFO: task .* blocked for more than|rcu: INFO:|detected stall|INFO: trying to register non-static key|Call Trace:|KASAN))/
}
BEGIN {
	n = 0
	while ((getline l < planfile) > 0) {
		split(l, f, " ")
		if (f[1] == "skip") {
			t = f[2]; sub(/^skip +[^ ]+ */, "", l); skipwhy[t] = l
		} else t = f[1]
		order[++n] = t
	}
	cur = ""
}
{
	line = $0
	if (line ~ /^@@@ BEGIN /) { cur = $3; began[cur] = 1; last[cur] = ""; inassert = 0; next }
	if (line ~ /^@@@ END /) {
		t = $3; r = $4; sub(/rc=/, "", r); rc[t] = r; secs[t] = $5; sub(/secs=/, "", secs[t])
		cur = ""; next
	}
	if (line ~ /^@@@ DONE/) { done = 1; next }
	if (cur != "" && line !~ /^\[ *[0-9]+\.[0-9]+\]/ && tolower(line) ~ /skip/) last[cur] = line
	# Why a test failed, for its summary line: the first selftest
	# assertion (where, then its message) or the first failed TAP case.
	if (cur != "" && line !~ /^\[ *[0-9]+\.[0-9]+\]/ && !(cur in failwhy)) {
		if (line ~ /^==== Test Assertion Failure/) { inassert = 1; where = "" }
		else if (inassert == 1) { where = line; sub(/^ */, "", where); inassert = 2 }
		else if (inassert == 2 && line !~ /^ *pid=|addr2line|^ *[0-9]+\t/) {
			msg = line; sub(/^ */, "", msg); failwhy[cur] = where ": " msg; inassert = 0
		} else if (line ~ /^not ok /) failwhy[cur] = line
	}
	if (splat(line)) {
		who = (cur == "") ? "(outside any test)" : cur
		nsplat[who]++
		splats = splats "  " who ": " line "\n"
		insplat = 40
	} else if (insplat > 0) {
		splats = splats "    " line "\n"; insplat--
	}
}
END {
	if (splats != "") printf "\n>> kernel reports in the guest log:\n%s", splats
	print "TAP version 13"
	print "1.." n
	pass = fail = skip = 0
	for (i = 1; i <= n; i++) {
		t = order[i]
		if (t in skipwhy) { printf "ok %d %s # SKIP %s\n", i, t, skipwhy[t]; skip++; continue }
		if (!(t in rc)) {
			printf "not ok %d %s # %s\n", i, t, (t in began) ? "no result (guest died)" : "not run"
			fail++; continue
		}
		if (nsplat[t]) { printf "not ok %d %s # kernel report during test (rc=%s)\n", i, t, rc[t]; fail++; continue }
		if (rc[t] == 0) { printf "ok %d %s # %ss\n", i, t, secs[t]; pass++ }
		else if (rc[t] == 4) {
			why = last[t]; sub(/^1\.\.0 */, "", why); sub(/^[ #-]*SKIP[ -]*/, "", why)
			printf "ok %d %s # SKIP %s\n", i, t, (why == "") ? "skipped by the test" : why; skip++
		} else if (rc[t] == 137) { printf "not ok %d %s # timeout after %ss\n", i, t, secs[t]; fail++ }
		else {
			w = (t in failwhy) ? ": " substr(failwhy[t], 1, 200) : ""
			printf "not ok %d %s # exit %s%s\n", i, t, rc[t], w; fail++
		}
	}
	if (nsplat["(outside any test)"]) { print "# kernel report outside any test"; fail++ }
	if (!done) print "# the guest did not finish the run"
	printf "%d passed, %d failed, %d skipped\n", pass, fail, skip
	exit (fail > 0 || !done) ? 1 : 0
}' "$log"
