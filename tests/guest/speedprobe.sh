#!/bin/bash
# Speed probe of the test VM: a fixed piece of guest work, timed with the
# guest clock (the TSC, which under QEMU TCG follows the host's wall clock,
# so time the host spends not running QEMU counts too).
#
#   speedprobe.sh [ROUNDS]
#
# Each round hashes 8 MiB read through a pipe from /dev/zero (user-space
# code and memory traffic, with kernel copies) and counts a shell loop
# (the interpreter's branches and calls): work whose cost does not depend
# on the kernel configuration, so one reference serves the test and debug
# kernels. Prints one line: "<total ms> <ms of round 1> ...". The total of
# several rounds, not the fastest one, is what counts: a host that takes
# the CPU away now and then makes every test slower in the same way.
set -u
rounds=${1:-3}
now() { local t=${EPOCHREALTIME/./}; echo $((10#$t / 1000)); }
total=0 each=""
for ((r = 0; r < rounds; r++)); do
	t0=$(now)
	dd if=/dev/zero bs=64k count=128 2>/dev/null | md5sum >/dev/null
	for ((i = 0; i < 2000; i++)); do :; done
	t1=$(now)
	total=$((total + t1 - t0))
	each="$each $((t1 - t0))"
done
echo "$total$each"
