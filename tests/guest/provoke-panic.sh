#!/bin/sh
# Self-check of the runner: crash the guest kernel (sysrq-c). The runner must
# report this test as failed and boot again for the tests after it.
echo c >/proc/sysrq-trigger
