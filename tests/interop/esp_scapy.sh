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
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
TOOL=$BUILD/tests/dpdk/esp_pcap_tool

need_built "$TOOL"
need_python scapy.layers.ipsec cryptography

work_dir esp-scapy
"$PYTHON" "$ROOT/tests/interop/esp_scapy.py" "$TOOL" "$WORK"
