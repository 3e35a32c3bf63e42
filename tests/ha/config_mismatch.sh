#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Twins whose crypto configuration differs (B has a crypto map entry A
# lacks): the sync channel comes up, HELLOs are exchanged, the digests
# differ, and B stays STANDBY COLD (no bulk sync) and says which part
# differs, in its log, in /twinsec/redundancy and in "show redundancy".
# Topology from tests/lib/topo_twins.bash (no peer gateway needed).
# Exit 0 pass, 1 fail, 77 skip.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_twins.bash
. "$ROOT/tests/lib/topo_twins.bash"
P=tw-cm

need_root
need_built "$TWINSECD"

work_dir config-mismatch
on_fail() { logs_tail 20; }

twins_up
twin_conf ha-a a
EXTRA_ENTRY='	, { seq = 20; type = "ipsec-manual"; peer = "192.0.2.9"; transform_set = "gcm128";
		match = ( { action = "protect"; src = "10.1.0.0/16"; dst = "10.9.0.0/16"; } );
		inbound = { spi = 0x3001; key = "4f2156b8b8d629a85d864406708db30e58ba911e"; };
		outbound = { spi = 0x3002; key = "f3e02880b4fbe9c7181c5babfa863b74e14dfa9b"; }; }' \
	twin_conf ha-b b
start a a
sleep 1
start b b
wait_rf a my_state ACTIVE 15
wait_rf b communications Up 15
sleep 2
st=$(rf b my_state)
[ "$st" = "STANDBY COLD" ] || fail "B is '$st', wanted STANDBY COLD"
why=$(rf b mismatch)
echo "1. B stays STANDBY COLD: $why"
case "$why" in *"crypto map 'to-p'"*) ;; *) fail "the reason does not name crypto map to-p" ;; esac
grep -q "configuration differs from twin twin-a's" "$WORK/b.log" || fail "B did not log the mismatch"
grep -q "configuration differs from twin twin-b's" "$WORK/a.log" || fail "A did not log the mismatch"
[ "$(rf b bulks_received)" = 0 ] || fail "B took a bulk sync"
[ "$(rf a bulks_sent)" = 0 ] || fail "A sent a bulk sync"
console "$P-b" "show redundancy" >"$WORK/show.txt" 2>&1 || fail "console: $(cat "$WORK/show.txt")"
grep -q "my state = 4  -STANDBY COLD" "$WORK/show.txt" || fail "show redundancy: $(cat "$WORK/show.txt")"
grep -q "Configuration mismatch = .*crypto map 'to-p'" "$WORK/show.txt" ||
	fail "show redundancy does not say why"
echo "2. show redundancy on B:"
grep -E "my state|peer state|Communications|mismatch" "$WORK/show.txt" | sed 's/^/   /'
echo "PASS"
