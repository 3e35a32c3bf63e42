# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# strongSwan 5.9.8 (charon with kernel-libipsec, which only does
# UDP-encapsulated ESP) as an IKEv2 peer in a network namespace, for the
# tests that need one (sourced after tests/lib/common.bash by
# tests/interop/ike_strongswan.sh and tests/ha/ike_failover.sh). The
# caller sets WORK (strongSwan's files go to $WORK/sw) and SW_NS (the
# namespace charon runs in) and writes $WORK/sw/swanctl.conf; charon
# (SW_PID) is tracked, so it dies with the test.

CHARON=/usr/lib/ipsec/charon
SW_PID=

# need_strongswan: skip without charon, swanctl or kernel-libipsec
need_strongswan() {
	[ -x "$CHARON" ] || skip "strongSwan charon not installed (strongswan-charon)"
	need_cmd swanctl "swanctl not installed (strongswan-swanctl)"
	[ -e /usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so ] ||
		skip "kernel-libipsec plugin missing (libcharon-extra-plugins)"
}

# strongswan.conf: the plugins kernel-libipsec needs, a log of IKE and
# CHILD_SA events in $WORK/sw/charon.log, short retransmissions.
sw_charon_conf() {
	mkdir -p "$WORK/sw/run"
	cat >"$WORK/sw/strongswan.conf" <<EOF
charon {
	load_modular = no
	load = random nonce aes sha1 sha2 hmac gcm openssl pem pkcs1 x509 pubkey kdf gmp kernel-libipsec kernel-netlink socket-default vici
	plugins {
		vici {
			socket = unix://$WORK/sw/charon.vici
		}
	}
	filelog {
		tw {
			path = $WORK/sw/charon.log
			default = 1
			ike = 2
			chd = 2
			knl = 1
			net = 1
			time_format = %T
			flush_line = yes
		}
	}
	install_virtual_ip = no
	retransmit_timeout = 1
	retransmit_tries = 3
}
EOF
}

swan() { # command [args]: --uri goes after the command
	local cmd=$1; shift
	STRONGSWAN_CONF=$WORK/sw/strongswan.conf ip netns exec "$SW_NS" \
		swanctl "$cmd" --uri "unix://$WORK/sw/charon.vici" "$@" 2>&1 |
		grep -v "^plugin '"
	return "${PIPESTATUS[0]}"
}

_sw_ready() { swan --stats >/dev/null 2>&1; }

# charon in SW_NS (SW_PID) with the connections of swanctl.conf loaded;
# non-zero when loading failed ($WORK/sw/load.out says why).
# sw_stop: charon stopped (SIGTERM, then SIGKILL).
sw_start() {
	# A killed charon leaves its pid file: each start gets a fresh /run.
	rm -rf "$WORK/sw/run" "$WORK/sw/charon.vici"
	mkdir -p "$WORK/sw/run"
	: >"$WORK/sw/charon.log"
	STRONGSWAN_CONF=$WORK/sw/strongswan.conf ip netns exec "$SW_NS" sh -c \
		'mount -n --bind "$1" /run && exec "$2" --use-syslog no' sw \
		"$WORK/sw/run" "$CHARON" >"$WORK/sw/charon.out" 2>&1 </dev/null &
	SW_PID=$!
	track "$SW_PID"
	wait_until 5 _sw_ready
	swan --load-all --file "$WORK/sw/swanctl.conf" >"$WORK/sw/load.out" 2>&1
}

sw_stop() {
	stop_pid "$SW_PID"
	SW_PID=
}
