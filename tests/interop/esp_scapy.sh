#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# ESP interop with scapy, an implementation nobody here wrote: for every
# algorithm (aes-gcm-128/256, aes-cbc-128/256 with hmac-sha1-96 or
# hmac-sha256-128), with and without UDP encapsulation (RFC 3948), in both
# crypto modes (cpu-crypto, lookaside):
#   - scapy decrypts what twinsec's dp_sa encrypts, back to the plaintext,
#     and the outer header and sequence numbers are what twinsec promises;
#   - twinsec decrypts what scapy encrypts, back to the same inner packets;
#   - replayed, tampered (ICV), unknown-SPI and out-of-selector packets are
#     dropped and counted per reason.
# twinsec's side is build/tests/dpdk/esp_pcap_tool (one dp_sa over a pcap,
# DPDK with --no-pci --no-huge --in-memory and a crypto_aesni_mb vdev).
# Exit 0 if all pass, 1 if any fails, 77 (skip, with the reason) when scapy
# or the tool is missing.
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
TOOL=$BUILD/tests/dpdk/esp_pcap_tool
PY=/usr/bin/python3 # the python3 on PATH may lack scapy

if [ ! -x "$TOOL" ]; then
	echo "SKIP: $TOOL not built (ninja -C $BUILD)"
	exit 77
fi
if ! "$PY" -c 'import scapy.layers.ipsec, cryptography' 2>/dev/null; then
	echo "SKIP: $PY lacks scapy or cryptography (tools/setup installs python3-scapy python3-cryptography)"
	exit 77
fi

WORK=$(mktemp -d /tmp/tw-esp-scapy.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
"$PY" "$ROOT/tests/interop/esp_scapy.py" "$TOOL" "$WORK"
