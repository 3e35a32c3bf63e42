#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# HSRP group parameters changed by a reload (SIGHUP), without a restart:
# two twins with HSRP only (config/hsrp-{a,b}.conf, topology of
# tests/lib/topo_twins.bash), A priority 110, B 100 with preempt.
#   1. A is Active on both groups, B Standby on both;
#   2. B's file gets priority 120 on both groups, SIGHUP: the reload says
#      2 standby groups reconfigured, and B (preempt) takes both groups
#      over: B Active, A Standby, and B kept its PID (no restart);
#   3. B's file changes a VIP: the reload is refused as needing a restart
#      (file:line), and the groups stay as they are.
# Namespaces tw-hr-*, removed on exit; processes stopped by PID.
# Exit 0 pass, 1 fail, 77 skip.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_twins.bash
. "$ROOT/tests/lib/topo_twins.bash"
P=tw-hr
NO_STATE_DIR=1

need_root
need_built "$TWINSECD"

work_dir hsrp-reload
on_fail() { logs_tail 15; }

twins_up
twin_conf hsrp-a a
twin_conf hsrp-b b
PRIORITY=120 twin_conf hsrp-b b120
sed 's/ip = "10.1.0.254";/ip = "10.1.0.253";/' "$WORK/b120.conf" >"$WORK/b-vip.conf"
grep -q '10.1.0.253' "$WORK/b-vip.conf" || fail "hsrp-b.conf: no inside VIP to patch"
vip_line=$(grep -n '10.1.0.253' "$WORK/b-vip.conf" | cut -d: -f1)
cp "$WORK/b.conf" "$WORK/b-run.conf"

start a a
sleep 1
start b b-run
wait_states a "Active Active" 10
wait_states b "Standby Standby" 10
echo "1. A Active, B Standby on both groups"

# reload_b FILE: FILE becomes B's config, SIGHUP; prints the reload line
reload_b() {
	local from
	from=$(($(wc -l <"$WORK/b.log") + 1))
	cp "$1" "$WORK/b-run.conf"
	kill -HUP "$pid_b"
	_reload_logged() { tail -n +"$from" "$WORK/b.log" | grep -q 'twinsec.reload'; }
	wait_until 10 _reload_logged || fail "no reload line in B's log"
	RELOAD_LINE=$(tail -n +"$from" "$WORK/b.log" | grep 'twinsec.reload' | head -1)
	echo "   $RELOAD_LINE"
}
reload_b "$WORK/b120.conf"
grep -q 'reloaded: standby groups reconfigured: 2' <<<"$RELOAD_LINE" ||
	fail "B's reload did not reconfigure its 2 groups"
wait_states b "Active Active" 10
wait_states a "Standby Standby" 10
alive "$pid_b" || fail "B is gone"
echo "2. priority 120 by reload: B (preempt) Active on both groups, A Standby; same PID $pid_b"

reload_b "$WORK/b-vip.conf"
grep -q "refused, nothing changed: $WORK/b-run.conf:$vip_line: .*needs a restart" <<<"$RELOAD_LINE" ||
	fail "a VIP change was not refused as needing a restart at line $vip_line"
sleep 2
wait_states b "Active Active" 5
wait_states a "Standby Standby" 5
echo "3. a VIP change is refused with file:line (needs a restart); the groups stay"
twins_stop a b
echo "PASS"
