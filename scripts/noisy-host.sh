#!/bin/bash
# Mimic a noisy or slow host for a test run by stopping the run's QEMU.
#
#   scripts/run-tests.sh -n NAME LIST... & scripts/noisy-host.sh NAME [STOP%]
#
# Without STOP%: stop QEMU for 50-250 ms every 0.3-0.9 s, so the guest
# clock jumps as it does when a busy host deschedules the VM; timing-
# sensitive tests show their races this way.
# With STOP% (1-90): a steady duty cycle that keeps QEMU stopped STOP% of
# every 250 ms, so the test VM runs 100/(100-STOP%) times slower, as on a
# slower machine (60 makes it about 2.5x slower).
# Runs until the run's QEMU has been gone for about a minute.
set -u
name=${1:?usage: $0 NAME [STOP%] (NAME: the -n NAME of run-tests.sh)}
stop=${2:-}
case "$stop" in
'') ;;
[1-9] | [1-8][0-9] | 90) ;;
*) echo "STOP% must be 1-90" >&2; exit 2 ;;
esac
ms() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }
# Never leave QEMU stopped: a stopped QEMU ignores the runner's kill.
p=""
trap '[ -n "$p" ] && kill -CONT "$p" 2>/dev/null' EXIT
trap 'exit 130' INT TERM
idle=0
while [ $idle -lt 100 ]; do
	p=$(pgrep -f "qemu-system-x86_64.*initramfs-$name\.cpio" | head -1)
	if [ -z "$p" ]; then
		idle=$((idle + 1))
		sleep 0.6
	elif [ -n "$stop" ]; then
		idle=0
		kill -STOP "$p" 2>/dev/null
		sleep "$(ms $((250 * stop / 100)))"
		kill -CONT "$p" 2>/dev/null
		sleep "$(ms $((250 * (100 - stop) / 100)))"
	else
		idle=0
		kill -STOP "$p" 2>/dev/null
		sleep "0.$((RANDOM % 3))5"
		kill -CONT "$p" 2>/dev/null
		sleep "0.$((RANDOM % 7 + 3))"
	fi
done
