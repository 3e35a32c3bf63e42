#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# HSRP priority changed from the console (configure terminal), which
# applies it through the reload path: two twins with HSRP only
# (config/hsrp-{a,b}.conf, topology of tests/lib/topo_twins.bash), A
# priority 110, B 100 with preempt, B with a console.
#   1. A is Active on both groups, B Standby on both;
#   2. on B's console: interface inside / outside, standby 1 priority 120:
#      A hears B's hellos at 120 and B (preempt) takes both groups over:
#      B Active, A Standby, B kept its PID (no restart);
#   3. write memory: B's file has priority 120 on both groups and --check
#      accepts it; the old file is kept as .bak.
# Namespaces tw-hc-*, removed on exit; processes stopped by PID.
# Exit 0 pass, 1 fail, 77 skip.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_twins.bash
. "$ROOT/tests/lib/topo_twins.bash"
P=tw-hc
NO_STATE_DIR=1

need_root
need_built "$TWINSECD"

work_dir hsrp-confterm
on_fail() { logs_tail 15; }

# console user admin, secret "cisco"
ADMIN='$6$twinsecadmin$VeeoK5TKAa.hMxNWEByK/MP1rOGtA0TSAPlBoMjbRrUiE51jTl3p0mllwWFTG6orr5jkP9.MTceuCZnLIdPrQ.'
twins_up
twin_conf hsrp-a a
twin_conf hsrp-b b
cat >>"$WORK/b.conf" <<EOF
console = { listen = "127.0.0.1:2323";
	users = ( { name = "admin"; privilege = 15; secret = "$ADMIN"; } ); };
EOF
cp "$WORK/b.conf" "$WORK/b-start.conf"
ip netns exec "$P-b" ip link set lo up

start a a
sleep 1
start b b
wait_states a "Active Active" 10
wait_states b "Standby Standby" 10
echo "1. A Active, B Standby on both groups"

# console_b OUT COMMANDS...: on B's console as admin; exit status 0
console_b() {
	local out=$1 c args=()
	shift
	for c in "$@"; do
		args+=(-c "$c")
	done
	ip netns exec "$P-b" "$PYTHON" "$TOOLS/twinsec-console" -t 20 \
		127.0.0.1:2323 -u admin -p cisco "${args[@]}" >"$WORK/$out" 2>&1
	local rc=$?
	sed 's/^/   /' "$WORK/$out"
	return $rc
}
console_b prio.txt "configure terminal" "interface inside" \
	"standby 1 priority 120" "exit" "interface outside" \
	"standby 1 priority 120" "end" ||
	fail "B's console refused standby 1 priority 120"
wait_until 5 grep -q "configured from console: standby groups reconfigured: 1" "$WORK/b.log" ||
	fail "no log line of the standby change applied through the reload path"
wait_states b "Active Active" 10
wait_states a "Standby Standby" 10
alive "$pid_b" || fail "B is gone"
echo "2. priority 120 from B's console: B (preempt) Active on both groups, A Standby; same PID $pid_b"

console_b save.txt "write memory" || fail "write memory on B"
[ "$(grep -c 'priority = 120;' "$WORK/b.conf")" = 2 ] ||
	fail "B's written file has not priority 120 on both groups"
cmp -s "$WORK/b.conf.bak" "$WORK/b-start.conf" || fail "b.conf.bak is not the file B started from"
"$TWINSECD" -- -f "$WORK/b.conf" --check >"$WORK/check.log" 2>&1 ||
	{ cat "$WORK/check.log"; fail "--check refuses the file write memory wrote"; }
echo "3. write memory: priority 120 on both groups in B's file, --check accepts it, .bak kept"
twins_stop a b
echo "PASS"
