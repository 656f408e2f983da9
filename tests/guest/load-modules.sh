#!/bin/sh
# Loads the modules listed in /tests/modules (paths, dependencies first, as
# the host's modprobe resolved them for the guest's kernel) and checks that
# the kvm module now loaded is the one built for the check: its build ID
# note must be the one in /tests/kvm.build-id. Exit 0 if so, 1 otherwise.
[ -s /tests/modules ] || { echo "no /tests/modules"; exit 1; }
while read -r m; do
	echo "insmod $m"
	insmod "$m" || { echo "FAIL: insmod $m"; exit 1; }
done </tests/modules
want=$(cat /tests/kvm.build-id)
got=$(od -An -v -tx1 /sys/module/kvm/notes/.note.gnu.build-id 2>/dev/null | tr -d ' \n')
echo "kvm build ID note: loaded ${got:-none}, built $want"
[ -n "$want" ] && [ "$got" = "$want" ] || { echo "FAIL: the kvm module loaded is not the one built"; exit 1; }
[ -c /dev/kvm ] || mknod /dev/kvm c 10 232
[ -c /dev/kvm ] || { echo "FAIL: no /dev/kvm"; exit 1; }
echo "kvm_amd loaded: $(ls /sys/module/kvm_amd/parameters | wc -l) parameters, /dev/kvm present"
