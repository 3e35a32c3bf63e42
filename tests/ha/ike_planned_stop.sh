#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# A planned stop of the active twin is a switchover, not a goodbye
# (issue 19): twins A and B (tests/lib/topo_twins.bash,
# config/ha-{a,b}-ike.conf, the outside VIP 192.0.2.254 the IKE endpoint)
# against strongSwan 5.9.8 in the peer namespace at 192.0.2.3:
#   1. A ACTIVE, B STANDBY HOT with the IKE SA; strongSwan initiates; ping
#      through A;
#   2. A stopped cleanly (SIGTERM, a systemctl stop): A sends no DELETE
#      (its log says the SAs are kept for the STANDBY HOT twin), B takes
#      over, strongSwan's IKE SA and CHILD_SA are unchanged (no DELETE
#      received, no renegotiation), ping through B;
#   3. B stopped cleanly, now without a twin: B sends the DELETE of the
#      IKE SA, strongSwan receives it and holds no SA (it renegotiates at
#      once with whoever answers next instead of waiting for DPD).
# Namespaces tw-ps-*; processes stopped by PID. Exit 0 pass, 1 fail, 77 skip.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_twins.bash
. "$ROOT/tests/lib/topo_twins.bash"
# shellcheck source=tests/lib/strongswan.bash
. "$ROOT/tests/lib/strongswan.bash"
# shellcheck source=tests/lib/twins_ike.bash
. "$ROOT/tests/lib/twins_ike.bash"
P=tw-ps
SW_NS=$P-p

need_root
need_built "$TWINSECD"
need_strongswan

work_dir ike-planned-stop
on_fail() { twins_ike_on_fail; }

sw_deletes() { grep -c "received DELETE for IKE_SA" "$WORK/sw/charon.log"; }

twins_ike_up
twins_ike_sw_conf

twins_ike_tunnel
wait_rf b my_state "STANDBY HOT" 5
before=$(sw_sas)
echo "1. A ACTIVE, B STANDBY HOT with the IKE SA; strongSwan: $before"

twins_stop a
grep -q "stopping: IKE SAs kept for the STANDBY HOT twin (no DELETE)" "$WORK/a.log" ||
	fail "A's stop did not keep the IKE SAs for its twin"
wait_rf b my_state ACTIVE 10
replies 4 "through B"
[ "$(sw_deletes)" = 0 ] || fail "strongSwan received a DELETE on a planned switchover"
after=$(sw_sas)
[ "$after" = "$before" ] || fail "strongSwan's SAs changed: before '$before', after '$after'"
echo "2. A stopped (SIGTERM): no DELETE, B ACTIVE, strongSwan's IKE SA and CHILD_SA unchanged: $after"

twins_stop b
grep -q "stopping: the peers answered the DELETE of 1 IKE SA" "$WORK/b.log" ||
	fail "B, alone, did not delete its IKE SA on stop"
sw_deleted() { [ "$(sw_deletes)" -gt 0 ]; }
wait_until 3 sw_deleted || fail "strongSwan received no DELETE from B"
swan --list-sas 2>/dev/null | grep -q ESTABLISHED && fail "strongSwan still holds an IKE SA"
echo "3. B stopped without a twin: DELETE sent and answered, strongSwan holds no SA"
echo "PASS"
