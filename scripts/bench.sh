#!/bin/bash
# Run the guest_memfd benchmark on the test kernel and collect its report:
# the Markdown table goes to stdout (in the guest console output), the JSON
# with every raw sample to build/bench/gmem_bench.json.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out="$top/build/bench"
mkdir -p "$out"
rc=0
"$top/scripts/run-tests.sh" -k test -n bench "$top/tests/bench.list" || rc=$?
log="$top/build/logs/bench.log"
json="$out/gmem_bench.json"

# The benchmark prints its JSON between marker lines, then the cksum(1) of
# it. Take the last block, drop kernel lines that got interleaved into the
# console output, and check the checksum.
tr -d '\r' <"$log" | awk '
	/^@@@ BENCH-JSON BEGIN$/ { buf = ""; on = 1; next }
	/^@@@ BENCH-JSON END$/   { on = 0; last = buf; next }
	on && !/^\[ *[0-9]+\.[0-9]+\] / { buf = buf $0 "\n" }
	END { printf "%s", last }' >"$json"
want=$(tr -d '\r' <"$log" | sed -n 's/^@@@ BENCH-JSON CKSUM //p' | tail -1)
got=$(cksum <"$json" | awk '{ print $1, $2 }')
if [ ! -s "$json" ]; then
	echo "ERROR: no benchmark report in $log" >&2
	rc=1
elif [ "$got" != "$want" ]; then
	echo "ERROR: benchmark JSON damaged in the console log (cksum $got, guest said $want)" >&2
	rc=1
else
	echo ">> JSON report: ${json#"$top"/}"
fi
exit "$rc"
