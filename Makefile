# SPDX-License-Identifier: BSD-3-Clause
# The two commands a newcomer needs: `make demo` and `make test`.
# Each first runs tools/setup (idempotent: installs missing Debian packages).

BUILD ?= build
BUILD_ASAN ?= build-asan

.PHONY: all setup build build-asan check demo test bench fuzz clean deb image test-vm

all: build

setup:
	@tools/setup

$(BUILD)/build.ninja:
	meson setup $(BUILD)

$(BUILD_ASAN)/build.ninja:
	meson setup $(BUILD_ASAN) -Dunit_only=true -Db_sanitize=address,undefined \
		-Db_lundef=false -Dbuildtype=debug

build: setup $(BUILD)/build.ninja
	ninja -C $(BUILD)

build-asan: setup $(BUILD_ASAN)/build.ninja
	ninja -C $(BUILD_ASAN)

demo: build
	tools/demo

# The conventions, each a check that fails: both builds carry DPDK's
# warning set with -Werror; the subsystems call one way
# (tools/check-layers); the shell scripts pass shellcheck
# (tools/check-shell); every fuzz corpus replays clean under ASan+UBSan.
check: build build-asan
	tools/check-layers $(BUILD)
	tools/check-shell
	meson test -C $(BUILD_ASAN) --suite fuzz --print-errorlogs

test: build build-asan check
	tools/run-tests

bench: build
	tools/bench

# Every libFuzzer target for FUZZ_SECONDS (default 180) or FUZZ_RUNS
# executions each, results in docs/fuzzing.md (long: not part of make
# test, which replays the corpora).
fuzz: setup
	tools/fuzz

# The Debian package (debian/, dpkg-buildpackage) from a copy of the tree
# in $(BUILD_DEB), where the .deb lands too (never in the parent folder).
BUILD_DEB ?= build-deb
deb: setup
	tools/mkdeb $(BUILD_DEB)

# The appliance image (Debian 12 by mmdebstrap, the package installed) in
# $(BUILD_IMAGE), and its boot test in QEMU (tests/vm, also in make test).
BUILD_IMAGE ?= build-image
image: deb
	tools/mkimage $(BUILD_IMAGE)

test-vm: image
	IMG_DIR=$(CURDIR)/$(BUILD_IMAGE) TESTS=tests/vm tools/run-tests

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) build-fuzz $(BUILD_DEB) $(BUILD_IMAGE)
