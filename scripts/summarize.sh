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
	if (line ~ /^@@@ guest up/) { nboot++; next }
	if (line ~ /^@@@ SPEED /) {
		fv = line; sub(/^.* factor=/, "", fv); sub(/ .*/, "", fv)
		p = line; sub(/^.* probe_ms=/, "", p); sub(/ .*/, "", p)
		r = line; sub(/^.* ref_ms=/, "", r); sub(/ .*/, "", r)
		forced = (line ~ /forced/) ? ", forced by gmem.speed" : ""
		p = (p == "none") ? "failed, limits as listed" : p " ms"
		speed = speed sprintf("%s%s (boot %d: speed probe %s, reference %s ms%s)", (speed == "") ? "" : "; ", fv, nboot, p, r, forced)
		factor = fv
		next
	}
	if (line ~ /^@@@ BEGIN /) {
		cur = $3; began[cur] = 1; last[cur] = ""; inassert = 0; ntail = 0
		next
	}
	if (line ~ /^@@@ TIMEOUT /) {
		t = $3
		if (!(t in tmout)) { m = line; sub(/^@@@ TIMEOUT [^ ]+ /, "", m); tmout[t] = m }
		else tdump[t] = tdump[t] "    " substr(line, length("@@@ TIMEOUT " t) + 2) "\n"
		next
	}
	if (line ~ /^@@@ HOSTKILL /) { t = $3; m = line; sub(/^@@@ HOSTKILL [^ ]+ /, "", m); hostkill[t] = m; next }
	if (line ~ /^@@@ END /) {
		t = $3; r = $4; sub(/rc=/, "", r); rc[t] = r; secs[t] = $5; sub(/secs=/, "", secs[t])
		if (t in tmout || t in hostkill) {
			# The last lines the test printed, for the timeout report.
			for (i = (ntail > 10 ? ntail - 9 : 1); i <= ntail; i++) tails[t] = tails[t] "    | " tail[i % 10] "\n"
		}
		cur = ""; next
	}
	if (cur != "" && line !~ /^\[ *[0-9]+\.[0-9]+\]/ && line !~ /^@@@ /) { ntail++; tail[ntail % 10] = line }
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
	for (i = 1; i <= n; i++) {
		t = order[i]
		if (!(t in tmout) && !(t in hostkill)) continue
		if (!hdr++) printf "\n>> timeouts (limits scaled by the speed factor):\n"
		printf "  %s: %s\n", t, (t in tmout) ? tmout[t] : "killed from the host " hostkill[t]
		if (t in tmout && !(t in hostkill) && (rc[t] == 0 || rc[t] == 4))
			printf "    (then it finished on its own before the kill, rc=%s)\n", rc[t]
		printf "%s", tdump[t]
		if (tails[t] != "") printf "    last lines of its output:\n%s", tails[t]
		else printf "    (it printed nothing)\n"
	}
	print "TAP version 13"
	print "1.." n
	pass = fail = skip = 0
	for (i = 1; i <= n; i++) {
		t = order[i]
		if (t in skipwhy) { printf "ok %d %s # SKIP %s\n", i, t, skipwhy[t]; skip++; continue }
		if (!(t in rc)) {
			printf "not ok %d %s # %s\n", i, t, (t in hostkill) ? "killed from the host " hostkill[t] : (t in began) ? "no result (guest died)" : "not run"
			fail++; continue
		}
		if (nsplat[t]) { printf "not ok %d %s # kernel report during test (rc=%s)\n", i, t, rc[t]; fail++; continue }
		if (rc[t] == 0) { printf "ok %d %s # %ss\n", i, t, secs[t]; pass++ }
		else if (rc[t] == 4) {
			why = last[t]; sub(/^1\.\.0 */, "", why); sub(/^[ #-]*SKIP[ -]*/, "", why)
			printf "ok %d %s # SKIP %s\n", i, t, (why == "") ? "skipped by the test" : why; skip++
		} else if (t in hostkill) { printf "not ok %d %s # killed from the host %s\n", i, t, hostkill[t]; fail++
		} else if (t in tmout) {
			w = tmout[t]; sub(/; in the last 10s:.*: /, "; ", w)
			printf "not ok %d %s # timeout %s\n", i, t, w; fail++
		} else if (rc[t] == 137) { printf "not ok %d %s # killed (SIGKILL) after %ss\n", i, t, secs[t]; fail++ }
		else {
			w = (t in failwhy) ? ": " substr(failwhy[t], 1, 200) : ""
			printf "not ok %d %s # exit %s%s\n", i, t, rc[t], w; fail++
		}
	}
	if (nsplat["(outside any test)"]) { print "# kernel report outside any test"; fail++ }
	if (!done) print "# the guest did not finish the run"
	printf "# time limits scaled by %s\n", (speed == "") ? "1 (no speed probe ran)" : speed
	printf "%d passed, %d failed, %d skipped\n", pass, fail, skip
	exit (fail > 0 || !done) ? 1 : 0
}' "$log"
