# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# tests/lib/blackhole.bash: how long traffic is black-holed after a peer
# restart (issue 19), after tests/lib/common.bash. A ping every 0.1 s with
# timestamps runs in the background; the time from a moment (the restarted
# peer is back) to the first reply after it is the black hole.
#
#   bh_ping_start NS DST      the ping (BH_PID, output in BH_OUT)
#   T=$(bh_now)               the moment
#   bh_measure WHAT T BOUND_MS  prints the figure; true when a reply came
#                             within BOUND_MS of T (waits up to
#                             BH_WAIT s, 20, for one)
#   bh_ping_stop

BH_PID=
BH_OUT=
bh_ping_start() {
	BH_OUT=$WORK/bh-ping-$1-$RANDOM.out
	ip netns exec "$1" ping -D -i 0.1 -W 1 "$2" >"$BH_OUT" 2>&1 &
	BH_PID=$!
	track "$BH_PID"
}
bh_ping_stop() { stop_pid "$BH_PID" INT; BH_PID=; }
bh_now() { date +%s.%N; }
# The first reply stamped after $1, in ms after it; nothing if none.
bh_first_ms() {
	awk -v t="$1" '/bytes from/ {
		gsub(/[][]/, "", $1)
		if ($1 + 0 > t + 0) { printf "%d", ($1 - t) * 1000; exit }
	}' "$BH_OUT"
}
_bh_replied() { [ -n "$(bh_first_ms "$1")" ]; }
bh_measure() {
	local what=$1 t=$2 bound=$3 ms
	wait_until "${BH_WAIT:-20}" _bh_replied "$t"
	ms=$(bh_first_ms "$t")
	echo "    $what: first ping reply ${ms:-never (${BH_WAIT:-20} s)} ms after the peer was back (bound $bound ms)"
	[ -n "$ms" ] && [ "$ms" -lt "$bound" ]
}
