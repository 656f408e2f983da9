#!/bin/bash
# Boot a kernel under QEMU (software emulation, -cpu max: AMD SVM with
# nested paging, so kvm_amd runs VMs in the guest) and run KVM selftests.
#
#   scripts/run-tests.sh [-k CONFIG] [-n NAME] [-t FILTER] LIST...
#
# LIST files hold lines "<test> <timeout-seconds> [args...]" or
# "skip <test> <reason>". FILTER (a grep -E pattern) picks tests by name.
# The guest console streams to stdout and build/logs/<NAME>.log; then a TAP
# summary and a last line "N passed, N failed, N skipped". Exit status is
# non-zero on any failure, timeout, missing result or kernel splat.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cfg=debug name="" filter="" mem=${GMEM_QEMU_MEM:-4G} smp=${GMEM_QEMU_SMP:-2}
while getopts "k:n:t:" o; do
	case $o in
	k) cfg=$OPTARG ;;
	n) name=$OPTARG ;;
	t) filter=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "usage: $0 [-k config] [-n name] [-t filter] list..." >&2; exit 2; }
name=${name:-$cfg}
kernel="${GMEM_KOUT:-$top/build/kernel-$cfg}/arch/x86/boot/bzImage"
[ -f "$kernel" ] || { echo "no kernel $kernel: run 'make kernel CONFIG=$cfg'" >&2; exit 1; }
logs="$top/build/logs"
mkdir -p "$logs"
log="$logs/$name.log"
plan="$logs/$name.plan"

# The plan: tests to run (in order) and tests skipped here with a reason.
cat "$@" | sed 's/#.*//' | awk 'NF' |
	if [ -n "$filter" ]; then
		awk -v f="$filter" '{ n = ($1 == "skip") ? $2 : $1; if (n ~ f) print }'
	else cat; fi >"$plan"
[ -s "$plan" ] || { echo "no test matches '$filter'" >&2; exit 2; }
grep -v '^skip ' "$plan" >"$logs/$name.list" || true
total_tmo=$(awk '$1 != "skip" { s += $2 } END { print s + 300 }' "$plan")

"$top/scripts/mkinitramfs.sh" "$name" "$logs/$name.list" >/dev/null || exit 1

echo ">> booting build/kernel-$cfg ($(grep -c . "$logs/$name.list") tests, at most ${total_tmo}s)"
timeout -s KILL "$total_tmo" qemu-system-x86_64 \
	-machine q35 -accel tcg -cpu max -smp "$smp" -m "$mem" \
	-kernel "$kernel" -initrd "$top/build/initramfs-$name.cpio.gz" \
	-append "console=ttyS0 panic=-1 hung_task_timeout_secs=120 gmem.mode=check" \
	-nographic -no-reboot -serial stdio -monitor none \
	</dev/null 2>&1 | tr -d '\r' | tee "$log"

exec "$top/scripts/summarize.sh" "$plan" "$log"
