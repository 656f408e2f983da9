#!/bin/bash
# Run the guest_memfd race/stress test and the ioctl/fallocate fuzzer for
# DURATION seconds each on a kernel config (default debug):
#   scripts/stress.sh <config> <seconds>
# The tests print the counts they achieved; the usual TAP summary follows.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cfg=${1:-debug}
duration=${2:-600}
case "$duration" in
''|*[!0-9]*) echo "DURATION must be a number of seconds" >&2; exit 2 ;;
esac
mkdir -p "$top/build/logs"
list="$top/build/logs/stress.list"
# Each test gets its duration plus time to set up, tear down and check for
# leaks (generous: the debug kernel under TCG is slow).
limit=$((duration + 300))
{
	echo "kvm/x86_64/gmem_stress_test $limit -d $duration"
	echo "kvm/x86_64/gmem_fuzz_test $limit -d $duration"
} >"$list"
exec "$top/scripts/run-tests.sh" -k "$cfg" -n stress "$list"
