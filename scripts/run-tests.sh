#!/bin/bash
# Boot a kernel under QEMU (software emulation, -cpu max: AMD SVM with
# nested paging, so kvm_amd runs VMs in the guest) and run KVM selftests.
#
#   scripts/run-tests.sh [-k CONFIG] [-n NAME] [-t FILTER] LIST...
#
# LIST files hold lines "<test> <timeout-seconds> [args...]",
# "skip <test> <reason>" or "skip-on <config> <test> <reason>". FILTER (a grep -E pattern) picks tests by name.
# The guest console streams to stdout and build/logs/<NAME>.log; then a TAP
# summary and a last line "N passed, N failed, N skipped". Exit status is
# non-zero on any failure, timeout, missing result or kernel splat.
# GMEM_KERNEL_ARGS adds arguments to the guest kernel command line.
# GMEM_KERNEL_IMAGE boots that kernel image instead of build/kernel-CONFIG's
# (CONFIG then only names the run for skip-on lines), and
# GMEM_INITRAMFS_EXTRA adds a directory's contents to the initramfs
# (scripts/debian.sh: Debian's kernel and the modules to load).
# The guest has GMEM_QEMU_NUMA NUMA nodes (default 2, for the NUMA
# placement tests; 1: no NUMA topology): the memory (GMEM_QEMU_MEM) is split evenly
# between them and the CPUs (GMEM_QEMU_SMP) are dealt out in turn.
# Time limits follow the machine's speed: at each boot the guest times a
# fixed piece of work (tests/guest/speedprobe.sh) against the reference in
# tests/speed.ref and scales every limit by that factor (never below the
# listed value); the factor is printed with the summary and with every
# timeout. GMEM_SPEED=<percent> forces the factor (100 = limits as listed).
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
kernel="${GMEM_KERNEL_IMAGE:-${GMEM_KOUT:-$top/build/kernel-$cfg}/arch/x86/boot/bzImage}"
[ -f "$kernel" ] || { echo "no kernel $kernel: run 'make kernel CONFIG=$cfg'" >&2; exit 1; }
logs="$top/build/logs"
mkdir -p "$logs"
log="$logs/$name.log"
plan="$logs/$name.plan"

# The plan: tests to run (in order) and tests skipped here with a reason.
# "skip-on <config> <test> <reason>" skips a test on that kernel config only.
cat "$@" | sed 's/#.*//' | awk 'NF' |
	awk -v cfg="$cfg" '
		{ line[NR] = $0 }
		$1 == "skip-on" && $2 == cfg { off[$3] = 1 }
		END {
			for (i = 1; i <= NR; i++) {
				n = split(line[i], f, " ")
				if (f[1] == "skip-on") {
					if (f[2] != cfg) continue
					l = line[i]; sub(/^skip-on +[^ ]+ +/, "", l)
					print "skip " l
				} else if (!(f[1] in off)) print line[i]
			}
		}' |
	if [ -n "$filter" ]; then
		awk -v f="$filter" '{ n = ($1 == "skip") ? $2 : $1; if (n ~ f) print }'
	else cat; fi >"$plan"
[ -s "$plan" ] || { echo "no test matches '$filter'" >&2; exit 2; }
grep -v '^skip ' "$plan" >"$logs/$name.list" || true

grace=${GMEM_GRACE:-60}

. "$top/scripts/qemu-topology.sh"
topology=$(topology_opts) || exit 2

# boot LIST PART: boot the guest on the tests of LIST, console into PART.
# A host-side watchdog kills QEMU when a test outlives its timeout by more
# than $grace seconds (the guest enforces the timeout itself; this catches
# a guest that cannot), or when the guest does not start a test in time.
boot() {
	local list=$1 part=$2 qpid tpid cur="" t0 now tmo last pct
	"$top/scripts/mkinitramfs.sh" "$name" "$list" >/dev/null || return 2
	: >"$part"
	# $topology is a list of options, split on purpose.
	# shellcheck disable=SC2086
	qemu-system-x86_64 \
		-machine q35 -accel "${GMEM_QEMU_ACCEL:-tcg,thread=single}" -cpu max -m "$mem" $topology \
		-kernel "$kernel" -initrd "$top/build/initramfs-$name.cpio.gz" \
		-append "console=ttyS0 tsc=reliable clocksource=tsc no5lvl secretmem.enable=1 panic=-1 gmem.mode=check${GMEM_SPEED:+ gmem.speed=$GMEM_SPEED}${GMEM_KERNEL_ARGS:+ $GMEM_KERNEL_ARGS}" \
		-nographic -no-reboot -serial stdio -monitor none \
		</dev/null >"$part" 2>&1 &
	qpid=$!
	tail -n +1 -f --pid=$qpid "$part" | sed -u 's/\r$//' &
	tpid=$!
	t0=$(date +%s)
	while kill -0 $qpid 2>/dev/null; do
		sleep 2
		now=$(date +%s)
		last=$(grep -a '^@@@ \(BEGIN\|END\|DONE\)' "$part" | tail -1 | tr -d '\r')
		# The guest's speed factor (percent), once it has measured it.
		pct=$(grep -a -m1 '^@@@ SPEED ' "$part" | tr -d '\r' | sed -n 's/.* pct=\([0-9]*\).*/\1/p')
		case "$last" in
		"@@@ BEGIN "*)
			[ "$cur" = "${last#@@@ BEGIN }" ] || { cur=${last#@@@ BEGIN }; t0=$now; }
			tmo=$(awk -v n="$cur" '$1 == n { print $2; exit }' "$list")
			;;
		*)	# booting, between tests, shutting down: timed afresh
			[ -z "$cur" ] || { cur=""; t0=$now; }
			tmo=300 ;;
		esac
		tmo=$(( (${tmo:-300} * ${pct:-100} + 99) / 100 ))
		# The guest's own look at a test that outlived its limit (10 s,
		# then a dump) is slower on a slower machine too.
		if [ $((now - t0)) -gt $((tmo + grace * ${pct:-100} / 100)) ]; then
			echo "@@@ HOSTKILL ${cur:-(no test running)} after $((now - t0))s (limit ${tmo}s with speed factor ${pct:-100}%)" >>"$part"
			kill $qpid 2>/dev/null
		fi
	done
	wait $qpid 2>/dev/null
	wait $tpid 2>/dev/null
	return 0
}

# Run the list; if the guest dies or is killed in the middle of a test,
# record that test as failed and boot again on the tests after it.
todo="$logs/$name.todo"
part="$logs/$name.part"
cp "$logs/$name.list" "$todo"
: >"$log"
boots=0
echo ">> booting ${GMEM_KERNEL_IMAGE:-build/kernel-$cfg} ($(grep -c . "$todo") tests)"
while [ -s "$todo" ]; do
	boots=$((boots + 1))
	boot "$todo" "$part" || exit 1
	tr -d '\r' <"$part" >>"$log"
	grep -aq '^@@@ DONE' "$part" && break
	ended=$(grep -a '^@@@ END ' "$part" | awk '{ print $3 }')
	inprog=$(grep -a '^@@@ BEGIN ' "$part" | awk '{ print $3 }' | tail -1 | tr -d '\r')
	if [ -n "$inprog" ] && ! grep -qx "$inprog" <<<"$ended"; then
		why=crashed
		grep -aq "^@@@ HOSTKILL $inprog" "$part" && why=hostkill
		echo "@@@ END $inprog rc=$why secs=?" >>"$log"
		echo ">> guest stopped during $inprog ($why); booting again for the rest"
		awk -v n="$inprog" 'skip { print } $1 == n { skip = 1 }' "$todo" >"$todo.new"
	else
		# Died outside any test: drop what ran, retry once, then give up.
		awk -v e="$ended" 'BEGIN { split(e, a, "\n"); for (i in a) done[a[i]] = 1 }
			!($1 in done) { print }' "$todo" >"$todo.new"
		if cmp -s "$todo" "$todo.new" && [ "${retried:-0}" = 1 ]; then
			echo ">> guest made no progress twice; giving up" >&2
			break
		fi
		retried=1
	fi
	mv "$todo.new" "$todo"
done
echo "@@@ BOOTS $boots" >>"$log"

exec "$top/scripts/summarize.sh" "$plan" "$log"
