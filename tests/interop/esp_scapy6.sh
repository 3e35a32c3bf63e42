#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# ESP tunnel mode with IPv6 (issue 18) against scapy, an implementation
# nobody here wrote: IPv6 inner over IPv6 outer, IPv6 inner over IPv4
# outer, IPv4 inner over IPv6 outer, for aes-gcm-128 and aes-cbc with
# hmac-sha1-96 / hmac-sha256-128, in both crypto modes:
#   - scapy decrypts what twinsec's dp_sa encrypts back to the plaintext;
#     outer header of the right family, SPI, sequence numbers increasing;
#   - twinsec decrypts what scapy encrypts back to the same inner packets;
#     replayed, tampered (ICV) and out-of-selector packets dropped and
#     counted per reason.
# twinsec's side is build/tests/dpdk/esp_pcap_tool (one dp_sa over a pcap,
# DPDK with --no-pci --no-huge and a crypto_aesni_mb vdev). No strongSwan:
# its userspace ESP is UDP-encapsulated IPv4 only.
# Exit 0 if all pass, 1 if any fails, 77 (skip, with the reason) when scapy
# or the tool is missing.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
TOOL=$BUILD/tests/dpdk/esp_pcap_tool

need_built "$TOOL"
need_python scapy.layers.ipsec cryptography

work_dir esp-scapy6
"$PYTHON" "$ROOT/tests/interop/esp_scapy6.py" "$TOOL" "$WORK"
