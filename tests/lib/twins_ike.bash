# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# The twins (topo_twins.bash, config/ha-{a,b}-ike.conf: the outside VIP
# 192.0.2.254 is the IKE endpoint) against strongSwan 5.9.8 in the peer
# namespace $P-p at 192.0.2.3, protecting 10.2.0.10 on its lo. Sourced
# after topo_twins.bash and strongswan.bash by the tests/ha IKE scripts.

# the pre-shared key of config/ha-{a,b}-ike.conf
PSK=ha-ike-secret-1

# twins_ike_on_fail: what a failing IKE twin test shows
twins_ike_on_fail() {
	logs_tail 30
	echo "  --- charon"
	tail -n 30 "$WORK/sw/charon.log" 2>/dev/null | sed 's/^/    /'
	echo "  --- charon's SA events"
	grep -E "CHILD_SA|IKE_SA .* established|DELETE|DPD|retransmit|message ID" \
		"$WORK/sw/charon.log" 2>/dev/null | tail -n 20 | sed 's/^/    /'
	echo "  --- swanctl --list-sas"
	swan --list-sas 2>/dev/null | sed 's/^/    /'
}

# twins_ike_sw_conf [DPD_DELAY]: charon's and swanctl's configuration
# (no rekeying by time; DPD only when a delay is given)
twins_ike_sw_conf() {
	local dpd=""

	[ -n "${1:-}" ] && dpd="dpd_delay = $1"
	sw_charon_conf
	cat >"$WORK/sw/swanctl.conf" <<EOF
connections {
	tw {
		version = 2
		local_addrs = 192.0.2.3
		remote_addrs = 192.0.2.254
		proposals = aes128gcm16-prfsha256-ecp256
		$dpd
		rekey_time = 0
		local {
			auth = psk
			id = 192.0.2.3
		}
		remote {
			auth = psk
			id = 192.0.2.254
		}
		children {
			net {
				local_ts = 10.2.0.10/32
				remote_ts = 10.1.0.0/16
				esp_proposals = aes128gcm16
				start_action = none
				rekey_time = 0
			}
		}
	}
}
secrets {
	ike-1 {
		id = 192.0.2.254
		secret = "$PSK"
	}
}
EOF
}

# twins_ike_up: the twins' topology, the peer's addresses, the twins'
# configurations (twin_conf: HELLO/HOLD from the environment)
twins_ike_up() {
	twins_up
	nsx "$P-p" ip addr add 192.0.2.3/24 dev p-out
	nsx "$P-p" ip addr add 10.2.0.10/32 dev lo
	nsx "$P-p" ethtool -K p-out tx off tso off gso off >/dev/null 2>&1
	twin_conf ha-a-ike a
	twin_conf ha-b-ike b
	grep -q "key = \"$PSK\";" "$WORK/a.conf" ||
		fail "config/ha-a-ike.conf's pre-shared key is not $PSK"
}

# sw_sas: "IKE_UNIQUE SPI_I SPI_R CHILD_IN CHILD_OUT" of strongSwan's SAs
sw_sas() {
	swan --list-sas --raw 2>/dev/null | "$PYTHON" -c '
import re, sys
t = sys.stdin.read()
def f(k):
    m = re.search(r"\b" + k + r"=([0-9a-fx]+)", t)
    return m.group(1) if m else "-"
print(f("uniqueid"), f("initiator-spi"), f("responder-spi"), f("spi-in"), f("spi-out"))'
}

# sw_children: strongSwan's CHILD_SAs, one "STATE SPI_IN SPI_OUT" a line
# (after a rekey the old one stays listed until charon destroys it)
sw_children() {
	swan --list-sas --raw 2>/dev/null | "$PYTHON" -c '
import re, sys
t = sys.stdin.read()
for m in re.finditer(r"reqid=\d+ state=(\w+).*?spi-in=([0-9a-f]+) spi-out=([0-9a-f]+)", t):
    print(*m.groups())'
}

# negotiations: IKE_SAs and CHILD_SAs charon has established so far
negotiations() {
	grep -cE "(IKE_SA|CHILD_SA) .*established" "$WORK/sw/charon.log"
}

# twins_ike_tunnel: A started ACTIVE, then B STANDBY HOT; then
# twins_ike_initiate
twins_ike_tunnel() {
	start a a
	sleep 1
	start b b
	twins_ike_initiate
}

# twins_ike_initiate: (the twins started, A first) A ACTIVE and B STANDBY
# HOT; strongSwan's tunnel up through A (4 pings answered) and B holding
# its standby copy of the IKE SA
twins_ike_b_has_ike() { [ "$(rf b ike_sas_standby)" = 1 ]; }
twins_ike_initiate() {
	wait_rf a my_state ACTIVE 15
	wait_rf b my_state "STANDBY HOT" 15
	sw_start || fail "swanctl --load-all: $(cat "$WORK/sw/load.out")"
	swan --initiate --child net >"$WORK/init.out" 2>&1 ||
		fail "swanctl --initiate: $(tail -3 "$WORK/init.out")"
	replies 4 "through A"
	wait_until 10 twins_ike_b_has_ike ||
		fail "B holds $(rf b ike_sas_standby) standby IKE SAs, wanted 1"
}

# dpd_answered WHAT: strongSwan sends DPD within 7 s, answered; then the
# script's own sw_ok WHAT (what must not have changed: $SW_KEPT, "SAs"
# unless the script names it)
dpd_answered() {
	local n0 n
	n0=$(grep -c "sending DPD request" "$WORK/sw/charon.log")
	sleep 7
	n=$(grep -c "sending DPD request" "$WORK/sw/charon.log")
	[ "$n" -gt "$n0" ] || fail "$1: strongSwan sent no DPD in 7 s"
	sw_ok "$1"
	echo "   $1: $((n - n0)) DPD exchanges answered, strongSwan's ${SW_KEPT:-SAs} unchanged"
}
