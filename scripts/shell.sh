#!/bin/bash
# Boot build/kernel-CONFIG with every selftest in /tests and give an
# interactive shell on the serial console. Ctrl-a x quits QEMU.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cfg=${1:-debug}
mem=${GMEM_QEMU_MEM:-4G} smp=${GMEM_QEMU_SMP:-2}
. "$top/scripts/qemu-topology.sh"
topology=$(topology_opts) || exit 2
cat "$top"/tests/*.list | sed 's/#.*//' | awk 'NF && $1 != "skip"' >"$top/build/shell.list"
"$top/scripts/mkinitramfs.sh" shell "$top/build/shell.list"
# shellcheck disable=SC2086
exec qemu-system-x86_64 -machine q35 -accel "${GMEM_QEMU_ACCEL:-tcg,thread=single}" -cpu max \
	-m "$mem" $topology \
	-kernel "$top/build/kernel-$cfg/arch/x86/boot/bzImage" \
	-initrd "$top/build/initramfs-shell.cpio.gz" \
	-append "console=ttyS0 tsc=reliable clocksource=tsc no5lvl secretmem.enable=1 panic=-1 gmem.mode=shell" \
	-nographic -no-reboot -serial mon:stdio
