# guest_memfd for Linux 6.1 LTS: build, boot and test the patch series.
# See README.md. Every output lives under build/ (ignored, reused).

SHELL := /bin/bash
CONFIG ?= debug
# T=<regex>: run only the tests whose name matches (make check T=set_memory).
T ?=
# make stress DURATION=<seconds>: how long each stress program runs.
DURATION ?= 600
LISTS ?= tests/kvm-x86_64.list tests/series.list
S := scripts

.PHONY: all deps tree export kernel selftests initramfs run check shell lint deb debian-check debian-w1 quilt-check \
	bisect-build stress bench clean distclean help

help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST)

## make deps          install missing Debian packages (idempotent)
deps:
	@$(S)/deps.sh

## make tree          fetch the pinned base, apply patches/series -> build/linux
tree: deps
	@$(S)/tree.sh

## make export        regenerate patches/ from build/linux (base..HEAD)
export:
	@$(S)/export.sh

## make kernel        build build/kernel-$(CONFIG)/arch/x86/boot/bzImage
##                    (CONFIG=test|debug|modules, default debug)
kernel:
	@$(S)/build-kernel.sh $(CONFIG)

## make selftests     build the KVM selftests into build/selftests/kvm
selftests:
	@$(S)/build-selftests.sh

## make initramfs     build/initramfs-check.cpio.gz: busybox, the selftests,
##                    their libraries and the tests of $(LISTS)
initramfs:
	@mkdir -p build/logs
	@cat $(LISTS) | sed 's/#.*//' | awk 'NF && $$1 != "skip" && $$1 != "skip-on"' >build/logs/check.list
	@$(S)/mkinitramfs.sh check build/logs/check.list

## make run           everything from scratch, then boot the test kernel
##                    and show guest-private memory at work
run: tree
	@$(S)/build-kernel.sh test
	@$(S)/build-selftests.sh
	@$(S)/run-tests.sh -k test -n run tests/demo.list

## make check         the full test suite on the debug kernel (T= filters),
##                    then, without T=, the DKMS package on Debian's own
##                    kernel (make debian-check; GMEM_DEBIAN=0 leaves it out)
check: tree
	@$(S)/build-kernel.sh $(CONFIG)
	@$(S)/build-selftests.sh
	@$(S)/check.sh $(CONFIG) '$(T)' $(LISTS)

## make deb           build/debian/guest-memfd-kvm-dkms_<version>_all.deb: the
##                    series' KVM as a DKMS package for Debian 12's kernels
deb: tree
	@$(S)/debian.sh deb

## make debian-check  build the package's modules with dkms against the
##                    pinned Debian kernel's headers, boot that unmodified
##                    kernel under QEMU with them, run tests/debian.list
debian-check: tree
	@$(S)/build-selftests.sh
	@$(S)/debian.sh check

## make debian-w1     no new W=1 warnings in the files the series changes,
##                    building KVM's modules at the base and at the series'
##                    end against the pinned Debian headers
debian-w1: tree
	@$(S)/debian.sh w1

## make quilt-check   the series as a quilt queue in Debian's source package
##                    layout, applied with quilt (QUILT=--linux-source: on
##                    the linux-source tarball when the source package is
##                    not served)
quilt-check: tree
	@$(S)/quilt-check.sh $(QUILT)

## make stress        race/stress test and fuzzer for DURATION seconds each
##                    (default 600) on the debug kernel, with their counts
stress: tree
	@$(S)/build-kernel.sh $(CONFIG)
	@$(S)/build-selftests.sh
	@$(S)/stress.sh $(CONFIG) $(DURATION)

## make bench         guest_memfd benchmark on the test kernel: Markdown table
##                    on stdout, JSON in build/bench/gmem_bench.json
bench: tree
	@$(S)/build-kernel.sh test
	@$(S)/build-selftests.sh
	@$(S)/bench.sh

## make shell         interactive shell in the booted kernel (Ctrl-a x quits)
shell:
	@$(S)/build-kernel.sh $(CONFIG)
	@$(S)/build-selftests.sh
	@$(S)/shell.sh $(CONFIG)

## make lint          checkpatch --strict over every patch of the series
lint:
	@$(S)/lint.sh

## make bisect-build  build the kernel and selftests at every patch
bisect-build:
	@$(S)/bisect-build.sh $(CONFIG)

## make clean         remove build outputs but keep the tree and ccache
clean:
	rm -rf build/kernel-* build/selftests build/initramfs-* build/logs

## make distclean     remove everything under build/
distclean:
	rm -rf build
