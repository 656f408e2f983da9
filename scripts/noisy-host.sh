#!/bin/bash
# Mimic a noisy host for a test run: stop the run's QEMU for 50-250 ms
# every 0.3-0.9 s, so the guest clock jumps as it does when a busy host
# deschedules the VM. Timing-sensitive tests show their races this way.
#
#   scripts/run-tests.sh -n NAME LIST... & scripts/noisy-host.sh NAME
#
# Runs until the run's QEMU has been gone for about a minute.
set -u
name=${1:?usage: $0 NAME (the -n NAME of run-tests.sh)}
idle=0
while [ $idle -lt 100 ]; do
	p=$(pgrep -f "qemu-system-x86_64.*initramfs-$name\.cpio" | head -1)
	if [ -n "$p" ]; then
		idle=0
		kill -STOP "$p" 2>/dev/null
		sleep "0.$((RANDOM % 3))5"
		kill -CONT "$p" 2>/dev/null
	else
		idle=$((idle + 1))
	fi
	sleep "0.$((RANDOM % 7 + 3))"
done
