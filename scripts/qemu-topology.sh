# shellcheck shell=bash
# Sourced by the scripts that boot the test VM (run-tests.sh, shell.sh).
# topology_opts prints QEMU's -smp and NUMA options: $smp CPUs and $mem of
# memory on GMEM_QEMU_NUMA nodes (default 2, which the NUMA placement
# tests need; 1 = no NUMA topology, see README). Memory is split evenly, CPUs are dealt out in turn.
# With several nodes each CPU is a socket of its own: CPUs of different
# nodes must not share a cache, or the guest kernel warns that its topology
# is insane.
# shellcheck disable=SC2154 # $mem and $smp are the caller's
topology_opts() {
	local nodes=${GMEM_QEMU_NUMA:-2} mib n c cpus
	case "$nodes" in
	''|*[!0-9]*|0) echo "GMEM_QEMU_NUMA must be a number of nodes >= 1" >&2; return 1 ;;
	1) echo "-smp $smp"; return 0 ;;
	esac
	case "$mem" in
	*[Gg]) mib=$((${mem%[Gg]} * 1024)) ;;
	*[Mm]) mib=${mem%[Mm]} ;;
	*[!0-9]*|'') echo "GMEM_QEMU_MEM: use a size in M or G with GMEM_QEMU_NUMA" >&2; return 1 ;;
	*) mib=$mem ;;
	esac
	if [ $((mib % nodes)) -ne 0 ]; then
		echo "GMEM_QEMU_MEM=$mem does not split into $nodes equal nodes" >&2
		return 1
	fi
	for ((n = 0; n < nodes; n++)); do
		cpus=""
		for ((c = n; c < smp; c += nodes)); do cpus+=",cpus=$c"; done
		echo "-object memory-backend-ram,id=mem$n,size=$((mib / nodes))M"
		echo "-numa node,nodeid=$n,memdev=mem$n$cpus"
	done
	echo "-smp $smp,sockets=$smp,cores=1,threads=1"
}
