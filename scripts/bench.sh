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
# The benchmark prints its JSON between marker lines; strip the console's
# carriage returns and any kernel lines that got interleaved.
sed -n '/@@@ BENCH-JSON BEGIN/,/@@@ BENCH-JSON END/p' "$log" | tr -d '\r' |
	grep -v -e '@@@ BENCH-JSON' -e '^\[ *[0-9]*\.[0-9]*\]' >"$out/gmem_bench.json" || true
if [ -s "$out/gmem_bench.json" ]; then
	echo ">> JSON report: ${out#"$top"/}/gmem_bench.json"
else
	echo "ERROR: no benchmark report in $log" >&2
	rc=1
fi
exit "$rc"
