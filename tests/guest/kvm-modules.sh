#!/bin/sh
# Checks the modules that /init loaded from /tests/modules (paths, in load
# order, as the host's modprobe resolved them for this kernel): each one
# must be loaded, and the kvm module must be the one built for the check,
# whose build ID note is in /tests/kvm.build-id. Exit 0 if so, 1 otherwise.
[ -s /tests/modules ] || { echo "FAIL: no /tests/modules"; exit 1; }
fail=0
while read -r m; do
	n=$(basename "$m" .ko | tr - _)
	if [ -d "/sys/module/$n" ]; then
		echo "loaded: $n ($m)"
	else
		echo "FAIL: $n not loaded ($m)"
		fail=1
	fi
done </tests/modules
want=$(cat /tests/kvm.build-id)
got=$(od -An -v -tx1 /sys/module/kvm/notes/.note.gnu.build-id 2>/dev/null | tr -d ' \n')
echo "kvm build ID note: loaded ${got:-none}, built $want"
if [ -z "$want" ] || [ "$got" != "$want" ]; then
	echo "FAIL: the kvm module loaded is not the one built"
	fail=1
fi
[ -c /dev/kvm ] || { echo "FAIL: no /dev/kvm"; fail=1; }
exit $fail
