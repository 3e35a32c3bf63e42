#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The AES-CBC lab (lab_e2e_cbc.sh) with crypto_mode = "lookaside": the
# other way librte_ipsec runs the cipher (crypto ops on a queue pair), whose
# IVs the capture check must find as fresh as cpu-crypto's (issue 14).
LAB_TRANSFORM=aes-cbc-256-sha256 LAB_CRYPTO_MODE=lookaside exec bash "$(dirname "$0")/lab_e2e.sh"
