#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The end-to-end lab (lab_e2e.sh) with AES-CBC-256 + HMAC-SHA256-128 SAs in
# place of AES-GCM-128: other ESP overheads (16-byte IV and blocks, separate
# ICV), so other PMTUD numbers, and scapy checks the HMAC of every packet.
LAB_TRANSFORM=aes-cbc-256-sha256 exec bash "$(dirname "$0")/lab_e2e.sh"
