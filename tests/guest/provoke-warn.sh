#!/bin/sh
# Self-check of the runner: make the guest kernel WARN through LKDTM.
# `make check LISTS=tests/selfcheck.list` must then fail with the report.
echo WARNING >/sys/kernel/debug/provoke-crash/DIRECT
