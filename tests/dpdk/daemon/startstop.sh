#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# twinsecd starts on virtual devices (two net_null ports, the crypto PMD
# chosen by "auto"), installs its SAs, answers telemetry, and stops cleanly
# on SIGTERM (exit 0, "stopped" logged) and on SIGINT.
#   startstop.sh TWINSECD
set -u
D=$1
here=$(cd "$(dirname "$0")" && pwd)
tel="python3 $here/../../../tools/tw-telemetry.py -p tw-test-d1"
log=$(mktemp)
pid=
cleanup() {
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
	rm -f "$log"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; sed 's/^/    /' "$log"; exit 1; }

start() {
	"$D" --no-pci --no-huge -m 512 --file-prefix tw-test-d1 -l 0,1 \
		--vdev net_null0,no-rx=1 --vdev net_null1,no-rx=1 \
		-- -f "$here/good.conf" --log-level debug >"$log" 2>&1 &
	pid=$!
	for _ in $(seq 100); do
		grep -q "twinsec.main: running" "$log" && return 0
		kill -0 "$pid" 2>/dev/null || fail "twinsecd exited at start"
		sleep 0.1
	done
	fail "twinsecd did not come up in 10 s"
}

stop() { # stop SIGNAL
	kill "-$1" "$pid"
	for _ in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$pid" 2>/dev/null && fail "still running 10 s after SIG$1"
	wait "$pid"
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
out=$($tel /twinsec/version /twinsec/sa /twinsec/interfaces /twinsec/drops \
	/twinsec/control /twinsec/acquire) || fail "telemetry: $out"
echo "telemetry: $out" | cut -c1-300
for want in '"twinsec": "0.1' '"state": "INSTALLED"' '"spi": "0x00002001"' \
	'"outside": {"name": "outside"' '"no_sa": 0' '"sas": 2' \
	'"no_out_sa": 0' '"/twinsec/acquire": {"dropped_no_out_sa": 0, "raised": 0'; do
	case "$out" in *"$want"*) ;; *) fail "telemetry lacks $want" ;; esac
done
out=$($tel /twinsec/sa,1) || fail "telemetry /twinsec/sa,1"
case "$out" in *'"pkts_encaps": 0'*) ;; *) fail "no SA counters: $out" ;; esac
stop TERM

start
stop INT
exit 0
