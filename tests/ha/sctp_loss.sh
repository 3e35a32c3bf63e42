#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The sync transport under sync-path faults, over usrsctp (SCTP in UDP,
# RFC 6951), between two network namespaces joined by two veth pairs (the
# association is multi-homed: 198.51.100.0/24 and 198.51.101.0/24), with
# nftables dropping UDP to the encapsulation port:
#   1. 20 % random loss each way: N messages all arrive, in order, intact
#      (small ones, then 64 KiB ones). This phase runs with
#      assoc_retransmit 10: with the IOS default of 4, five timeouts in a
#      row with no progress are likely enough at 36 % loss per exchange
#      (a chunk or its SACK) that one run in a few saw the association
#      given up, which is SCTP doing as told, not what this phase checks;
#   2. one path cut: the association stays up (SCTP moves to the other
#      path) and reports that path down, then up again once restored;
#   3. a full partition: DOWN within (assoc_retransmit + 1) x 2 x rto_max
#      plus a second; heal: UP again within 3 s.
# Both ends are build*/tests/sctp/sctp_peer (see its header). Exit 0 if
# all pass, 1 if one fails, 77 (skip, with the reason) without root,
# nftables or the tool. Namespaces are tw-sctp{a,b}-PID
# (tests/lib/topo_pair.bash); they and the peers (by PID) go away on exit.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
# shellcheck source=tests/lib/topo_pair.bash
. "$ROOT/tests/lib/topo_pair.bash"
PEER=$BUILD/tests/sctp/sctp_peer
N=${N:-300}
SIZE=${SIZE:-1200}
RTO_MAX=600
ASSOC_RTX=4
UDP=9899

need_built "$PEER"
need_root "needs root for network namespaces and nftables"
need_cmd nft "nft (nftables) not installed"

A=tw-sctpa-$$
B=tw-sctpb-$$
work_dir sctp-loss
PIDS=()
on_fail() {
	local f
	for f in "$WORK"/*.log; do
		[ -e "$f" ] && { echo "--- $f"; tail -20 "$f"; }
	done
}

pair_up
for ns in "$A" "$B"; do
	ip netns exec "$ns" nft -f - <<-EOF || fail "nft in $ns"
	table inet twloss {
		chain in { type filter hook input priority 0; }
	}
	EOF
done

# Replace the drop rule in both namespaces (input: each direction once).
drop() {
	local ns
	for ns in "$A" "$B"; do
		ip netns exec "$ns" nft flush chain inet twloss in
		[ -n "$1" ] && ip netns exec "$ns" nft add rule inet twloss in "$@"
	done
}

# peer NS NAME ARGS...: a background sctp_peer, the mirror of the other.
peer() {
	local ns=$1 name=$2
	shift 2
	if [ "$ns" = "$A" ]; then
		set -- -l 198.51.100.1,198.51.101.1 -r 198.51.100.2,198.51.101.2 "$@"
	else
		set -- -l 198.51.100.2,198.51.101.2 -r 198.51.100.1,198.51.101.1 "$@"
	fi
	ip netns exec "$ns" "$PEER" -t sctp-udp -p 5000 -P 5000 \
		-u $UDP -U $UDP -M $RTO_MAX -a $ASSOC_RTX "$@" \
		>"$WORK/$name.log" 2>&1 &
	PIDS+=($!)
	track $!
}

# wait_line FILE PATTERN SECONDS: the first matching line's timestamp.
wait_line() {
	_line_in() {
		LINE=$(grep -m1 -E "$2" "$1" 2>/dev/null)
		[ -n "$LINE" ]
	}
	wait_until "$3" _line_in "$1" "$2" || return 1
	echo "${LINE%% *}"
}

# 1. 20 % loss each way.
echo "--- $N messages of $SIZE bytes with 20 % loss each way"
drop udp dport $UDP numgen random mod 100 '<' 20 counter drop
# lossy COUNT SIZE: COUNT messages of SIZE bytes from A to B, checked.
lossy() {
	local t0 dt rc_send rc_recv
	t0=$(now_ms)
	peer "$B" recv recv -n "$1" -T 50 -a 10
	peer "$A" send send -n "$1" -s "$2" -T 50 -a 10
	wait "${PIDS[1]}"; rc_send=$?
	wait "${PIDS[0]}"; rc_recv=$?
	untrack "${PIDS[@]}"
	PIDS=()
	dt=$(( $(now_ms) - t0 ))
	grep -h RESULT "$WORK/recv.log" "$WORK/send.log"
	[ $rc_recv = 0 ] || fail "receiver: not all $1 messages in order"
	[ $rc_send = 0 ] || fail "sender did not finish"
	echo "ok: $1 messages of $2 bytes in order in $dt ms under loss"
}
lossy "$N" "$SIZE"
echo "--- 10 messages of 64 KiB (fragmented into ~45 DATA chunks each)"
lossy 10 65536
for ns in "$A" "$B"; do
	echo "dropped in $ns: $(ip netns exec "$ns" nft list chain inet twloss in |
		grep -o 'packets [0-9]*')"
done

# 2 and 3 run with a ticker (a message every 50 ms) against an echo.
drop ""
peer "$B" echo echo -T 50
peer "$A" ticker ticker -T 50
wait_line "$WORK/ticker.log" " UP " 10 >/dev/null ||
	fail "no association without loss"

# 2. Cut the primary path only: no DOWN, that path reported down.
echo "--- path 198.51.100.0/24 cut"
t0=$(now_ms)
drop ip saddr 198.51.100.0/24 udp dport $UDP drop
tp=$(wait_line "$WORK/ticker.log" "PATH 198.51.100.2 down" 12) ||
	fail "path 198.51.100.2 not reported down"
echo "ok: path down after $(( tp - t0 )) ms"
sleep 1
grep -q " DOWN " "$WORK/ticker.log" &&
	fail "association went down with one path left"
t0=$(now_ms)
drop ""
tp=$(wait_line "$WORK/ticker.log" "PATH 198.51.100.2 up" 10) ||
	fail "path 198.51.100.2 not reported up again"
echo "ok: path up again $(( tp - t0 )) ms after restoring it, association never down"

# 3. Full partition, then heal.
bound=$(( (ASSOC_RTX + 1) * 2 * RTO_MAX + 1000 ))
echo "--- partition (bound for DOWN: $bound ms)"
t0=$(now_ms)
drop udp dport $UDP drop
td=$(wait_line "$WORK/ticker.log" " DOWN " 15) || fail "no DOWN in a partition"
echo "ok: DOWN after $(( td - t0 )) ms"
[ $(( td - t0 )) -le $bound ] || fail "DOWN after $(( td - t0 )) ms, above $bound"
sleep 1
t0=$(now_ms)
drop ""
# The UP after the heal: the second UP line of the initiator's log.
second_up() { [ "$(grep -c ' UP ' "$WORK/ticker.log")" -ge 2 ]; }
wait_until 5 second_up || fail "no UP within 5 s of the heal"
tu=$(grep ' UP ' "$WORK/ticker.log" | sed -n 2p)
tu=${tu%% *}
echo "ok: UP $(( tu - t0 )) ms after the heal"
[ $(( tu - t0 )) -le 3000 ] || fail "UP $(( tu - t0 )) ms after the heal, above 3000"
echo "PASS"
exit 0
