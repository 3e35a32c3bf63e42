#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# twinsecd starts on virtual devices (two net_null ports, the crypto PMD
# chosen by "auto"), installs its SAs, answers telemetry, and stops cleanly
# on SIGTERM (exit 0, "stopped" logged) and on SIGINT.
#   startstop.sh TWINSECD
set -u
TWINSECD=$1
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../../lib/common.bash"
here=$ROOT/tests/dpdk/daemon
work_dir test-d1
log=$WORK/log
pid=
on_fail() { sed 's/^/    /' "$log"; }

start() {
	: >"$log"
	twinsecd_bg "" tw-test-d1 "$log" --vdev net_null0,no-rx=1 --vdev net_null1,no-rx=1 \
		-- -f "$here/good.conf" --log-level debug
	pid=$TW_PID
	wait_running "$log" "$pid"
}

stop() { # stop SIGNAL
	stop_pid "$pid" "$1" 10
	rc=$?
	pid=
	[ "$rc" = 0 ] || fail "exit status $rc after SIG$1"
	grep -q "twinsec.main: twinsecd stopped" "$log" || fail "no 'stopped' log"
	grep -q "twinsec.sadb: SA 0 spi 0x00002001 in: INSTALLED -> DELETED" \
		"$log" || fail "SAs not deleted at shutdown"
	echo "ok: SIG$1 -> exit 0, stopped"
}

start
grep -q "twinsec.sadb: SA 1 spi 0x00001001 out: INIT -> INSTALLED (config)" \
	"$log" || fail "outbound SA not installed"
grep -q "twinsec.arp: port 1: gratuitous ARP for 192.0.2.1" "$log" ||
	fail "no gratuitous ARP (debug log)"
out=$(tel tw-test-d1 /twinsec/version /twinsec/sa /twinsec/interfaces /twinsec/drops \
	/twinsec/control /twinsec/acquire) || fail "telemetry: $out"
echo "telemetry: $out" | cut -c1-300
for want in '"twinsec": "0.1' '"state": "INSTALLED"' '"spi": "0x00002001"' \
	'"outside": {"name": "outside"' '"no_sa": 0' '"sas": 2' \
	'"no_out_sa": 0' '"/twinsec/acquire": {"dropped_no_out_sa": 0, "raised": 0'; do
	case "$out" in *"$want"*) ;; *) fail "telemetry lacks $want" ;; esac
done
out=$(tel tw-test-d1 /twinsec/sa,1) || fail "telemetry /twinsec/sa,1"
case "$out" in *'"pkts_encaps": 0'*) ;; *) fail "no SA counters: $out" ;; esac
stop TERM

start
stop INT
exit 0
