# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# tests/lib/topo_pair.bash: two namespaces joined by two veth pairs (a
# multi-homed association's two paths), after tests/lib/common.bash.
# Sourced by tests/ha/sctp_loss.sh.
#
#   $A  tw-sa0-PID 198.51.100.1/24 ── tw-sb0-PID 198.51.100.2/24  $B
#       tw-sa1-PID 198.51.101.1/24 ── tw-sb1-PID 198.51.101.2/24
#
# The caller sets A and B (namespace names); pair_up builds it and
# registers its removal with at_exit.

pair_down() { netns_del "$A" "$B"; }

pair_up() {
	local i
	at_exit pair_down
	ip netns add "$A" && ip netns add "$B" || fail "cannot create namespaces"
	for i in 0 1; do
		ip link add "tw-sa$i-$$" netns "$A" type veth peer \
			name "tw-sb$i-$$" netns "$B" || fail "veth"
		ip -n "$A" addr add "198.51.10$i.1/24" dev "tw-sa$i-$$"
		ip -n "$B" addr add "198.51.10$i.2/24" dev "tw-sb$i-$$"
		ip -n "$A" link set "tw-sa$i-$$" up
		ip -n "$B" link set "tw-sb$i-$$" up
	done
	ip -n "$A" link set lo up
	ip -n "$B" link set lo up
}
