# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# tests/lib/common.bash: the one shell library of the scripted tests.
# Every test script sources it first:
#
#   . "$(dirname "$0")/../lib/common.bash"
#
# Not a test itself (tools/run-tests runs tests/<dir>/*.sh). It gives:
#   paths      ROOT, BUILD (absolute), TWINSECD, TOOLS, PYTHON (Debian's
#              python3, which has scapy; the one on PATH may not)
#   verdicts   skip, fail (runs the script's on_fail, if any, first),
#              need_root, need_netns, need_cmd, need_built, need_python;
#              check / check_rc / check_summary for scripts that count
#              PASS/FAIL lines
#   cleanup    ONE trap on EXIT, INT and TERM: track PID registers a
#              process (killed by PID, never by name), at_exit CMD a
#              cleanup command (run last registered first, after the
#              processes are gone); work_dir NAME makes $WORK
#   processes  nsx, netns_del, alive, dead, stop_pid, twinsecd_bg, wait_running
#   polling    wait_until SECS CMD... (one tick, TW_TICK), now_ms
#   telemetry  tel, tel_py (tools/tw-telemetry.py)
#   console    console NS CMD... (tools/twinsec-console)
#   traffic    ping_ok, tcp_xfer
#
# Topologies are in tests/lib/topo_*.bash, strongSwan in strongswan.bash.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
TWINSECD=${TWINSECD:-$BUILD/app/twinsecd/twinsecd}
TOOLS=$ROOT/tools
PYTHON=/usr/bin/python3
# The one polling tick of wait_until, in seconds (it counts 10 a second).
TW_TICK=0.1

# ---- verdicts ----

skip() { echo "SKIP: $*"; exit 77; }

# fail WHY: FAIL, the script's on_fail (its logs), exit 1
fail() {
	echo "FAIL: $*"
	if declare -F on_fail >/dev/null; then
		on_fail
	fi
	exit 1
}

need_root() { [ "$(id -u)" = 0 ] || skip "${1:-needs root (network namespaces)}"; }

# need_netns: this machine lets us create network namespaces
need_netns() {
	ip netns add "tw-probe-$$" 2>/dev/null || skip "cannot create network namespaces here"
	ip netns delete "tw-probe-$$"
}

# need_cmd CMD [WHY]
need_cmd() { command -v "$1" >/dev/null || skip "${2:-$1 not installed (tools/setup)}"; }

# need_built FILE...: programs of the build
need_built() {
	local f
	for f in "$@"; do
		[ -x "$f" ] || skip "$f not built (ninja -C $BUILD)"
	done
}

# need_python MODULE...: PYTHON imports every MODULE
need_python() {
	local m
	for m in "$@"; do
		"$PYTHON" -c "import $m" 2>/dev/null ||
			skip "$PYTHON lacks $m (tools/setup installs python3-scapy python3-cryptography)"
	done
}

# check WHAT CMD...: runs CMD, prints PASS: WHAT or FAIL: WHAT and counts
TW_PASS=0 TW_FAIL=0
check() {
	local what=$1
	shift
	"$@"
	check_rc $? "$what"
}

# check_rc RC WHAT: the same for a status already known (0 passes)
check_rc() {
	if [ "$1" = 0 ]; then
		echo "PASS: $2"
		TW_PASS=$((TW_PASS + 1))
		return 0
	fi
	echo "FAIL: $2"
	TW_FAIL=$((TW_FAIL + 1))
	return 1
}

# check_summary NAME: "NAME: N passed, M failed"; true when none failed
check_summary() {
	echo "$1: $TW_PASS passed, $TW_FAIL failed"
	[ "$TW_FAIL" = 0 ]
}

# nsx NS CMD...: CMD in network namespace NS
nsx() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# netns_del NS...: delete our namespaces, after a SIGKILL to whatever still
# runs in them (by PID: a process the test started and did not track, or
# one left over by an interrupted run of the same test)
netns_del() {
	local ns p
	for ns in "$@"; do
		for p in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$p" 2>/dev/null
		done
		ip netns delete "$ns" 2>/dev/null
	done
}

# ---- processes and cleanup: one trap ----

TW_PIDS=()
TW_AT_EXIT=()

# track PID...: killed (SIGKILL, by PID) on the way out unless stopped before
track() { TW_PIDS+=("$@"); }

untrack() {
	local p keep=() q
	for p in "${TW_PIDS[@]}"; do
		for q in "$@"; do
			[ "$p" = "$q" ] && continue 2
		done
		keep+=("$p")
	done
	TW_PIDS=("${keep[@]}")
}

# at_exit CMD...: run CMD on the way out, after the tracked processes died
# (once, however often it is registered)
at_exit() {
	local c
	for c in "${TW_AT_EXIT[@]}"; do
		[ "$c" = "$*" ] && return 0
	done
	TW_AT_EXIT+=("$*")
}

# alive PID: the process runs (a zombie has exited); dead PID: it does not
alive() {
	[ -n "$1" ] && kill -0 "$1" 2>/dev/null &&
		[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}
dead() { ! alive "$1"; }

# stop_pid PID [SIGNAL [SECS]]: SIGNAL (TERM) to PID, SIGKILL if it still
# runs SECS (20) later; returns its exit status and forgets it
stop_pid() {
	local p=$1 sig=${2:-TERM} secs=${3:-20} rc
	[ -n "$p" ] || return 0
	kill "-$sig" "$p" 2>/dev/null
	if ! wait_until "$secs" dead "$p"; then
		echo "    pid $p still running $secs s after SIG$sig: SIGKILL"
		kill -KILL "$p" 2>/dev/null
	fi
	wait "$p" 2>/dev/null
	rc=$?
	untrack "$p"
	return $rc
}

_tw_exit() {
	local rc=$? p i
	trap - EXIT INT TERM
	for p in "${TW_PIDS[@]}"; do
		alive "$p" && kill -KILL "$p" 2>/dev/null
	done
	for p in "${TW_PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
	TW_PIDS=()
	for ((i = ${#TW_AT_EXIT[@]} - 1; i >= 0; i--)); do
		eval "${TW_AT_EXIT[i]}"
	done
	exit "$rc"
}
trap _tw_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# work_dir NAME: WORK=/tmp/tw-NAME.XXXXXX, removed on exit (KEEP=1 keeps it)
work_dir() {
	WORK=$(mktemp -d "/tmp/tw-$1.XXXXXX") || fail "mktemp"
	at_exit _tw_rm_work
}
_tw_rm_work() {
	if [ "${KEEP:-0}" = 1 ]; then
		echo "logs kept in $WORK"
	else
		rm -rf "$WORK"
	fi
}

# twinsecd_bg NS PREFIX LOG ARGS...: twinsecd in namespace NS ("" for this
# one) with the EAL options of every test (--no-pci --no-huge -m 512
# --file-prefix PREFIX -l 0,1), then ARGS (more EAL options, --, the
# daemon's own); output appended to LOG. TW_PID is its PID, tracked
# (ip netns exec execs the daemon: $! is twinsecd itself).
twinsecd_bg() {
	local ns=$1 prefix=$2 log=$3 a dd=0 sd=0
	shift 3
	# Its state (persisted sequence numbers) in the test's scratch
	# directory, never the machine's /var/lib/twinsec: --state-dir
	# WORK/state-PREFIX unless the caller gave one.
	for a in "$@"; do
		case $a in --) dd=1 ;; --state-dir) sd=1 ;; esac
	done
	if [ $sd = 0 ]; then
		mkdir -p "$WORK/state-$prefix"
		[ $dd = 1 ] || set -- "$@" --
		set -- "$@" --state-dir "$WORK/state-$prefix"
	fi
	local cmd=("$TWINSECD" --no-pci --no-huge -m 512 --file-prefix "$prefix" -l "0,1" "$@")
	rm -rf "/var/run/dpdk/$prefix"
	if [ -n "$ns" ]; then
		ip netns exec "$ns" "${cmd[@]}" >>"$log" 2>&1 </dev/null &
	else
		"${cmd[@]}" >>"$log" 2>&1 </dev/null &
	fi
	TW_PID=$!
	track "$TW_PID"
	at_exit rm -rf "/var/run/dpdk/$prefix"
}

# wait_running LOG PID [SECS]: the daemon logged that it runs within SECS
# (10); fails the test if it exits first or takes longer
wait_running() {
	local log=$1 pid=$2
	_tw_running() {
		grep -q "twinsec.main: running" "$log" && return 0
		alive "$pid" || fail "twinsecd exited at start"
		return 1
	}
	wait_until "${3:-10}" _tw_running || fail "twinsecd did not come up in ${3:-10} s"
}

# ---- polling ----

now_ms() { date +%s%3N; }

# wait_until SECS CMD...: CMD every TW_TICK until it succeeds (0); 1 when
# it still fails after SECS seconds of ticks (and once more at the end).
# The time CMD itself takes comes on top: a slow CMD (a telemetry read, a
# ping that waits for its reply) is tried as often as a quick one, as the
# loops this replaced did.
wait_until() {
	local n=$(( $1 * 10 )) i
	shift
	for ((i = 0; i < n; i++)); do
		"$@" && return 0
		sleep "$TW_TICK"
	done
	"$@"
}

# ---- telemetry and console ----

# tel PREFIX ARGS...: tools/tw-telemetry.py -p PREFIX ARGS (one JSON object)
tel() {
	local prefix=$1
	shift
	"$PYTHON" "$TOOLS/tw-telemetry.py" -p "$prefix" "$@" 2>/dev/null
}

# tel_py PREFIX ENDPOINT EXPR [ARGS...]: print(EXPR), evaluated with d the
# ENDPOINT's reply (with --sas: the whole answer) and args = ARGS; a list
# or tuple is printed joined by blanks. Nothing when it cannot be read.
tel_py() {
	local prefix=$1 ep=$2 expr=$3
	shift 3
	tel "$prefix" "$ep" | "$PYTHON" -c 'import json, sys
ep, expr, args = sys.argv[1], sys.argv[2], sys.argv[3:]
d = json.load(sys.stdin)
if not ep.startswith("--"):
    d = d[ep]
r = eval(expr)
print(" ".join(map(str, r)) if isinstance(r, (list, tuple)) else r)' "$ep" "$expr" "$@" 2>/dev/null
}

# console NS CMD...: console commands on the twinsecd of namespace NS
# (tools/twinsec-console to 127.0.0.1:CONSOLE_PORT as CONSOLE_USER with
# CONSOLE_PASS; default 2323, admin / cisco, the tests' published secret)
console() {
	local ns=$1 a args=()
	shift
	for a in "$@"; do args+=(-c "$a"); done
	ip netns exec "$ns" "$PYTHON" "$TOOLS/twinsec-console" "127.0.0.1:${CONSOLE_PORT:-2323}" \
		-u "${CONSOLE_USER:-admin}" -p "${CONSOLE_PASS:-cisco}" "${args[@]}"
}

# ---- traffic ----

# ping_ok NS DST MIN [PING_OPTIONS...]: ping -q DST from namespace NS with
# PING_OPTIONS (default -c 5 -i 0.2 -W 2); true when at least MIN replies
# came back. PING_GOT is how many, PING_SUMMARY ping's closing lines.
ping_ok() {
	local ns=$1 dst=$2 min=$3 out
	shift 3
	[ $# -gt 0 ] || set -- -c 5 -i 0.2 -W 2
	out=$(ip netns exec "$ns" ping -q "$@" "$dst" 2>&1)
	PING_GOT=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$out")
	PING_GOT=${PING_GOT:-0}
	# shellcheck disable=SC2034 # read by the scripts that source this
	PING_SUMMARY=$(grep -E 'packets transmitted|rtt' <<<"$out")
	[ "$PING_GOT" -ge "$min" ]
}

# tcp_xfer FROM_NS TO_NS TO_ADDR BYTES: BYTES random bytes over TCP (nc,
# port 5001) from FROM_NS to TO_ADDR (IPv4 or IPv6) in TO_NS; true when
# the sha256 of what arrived is the sha256 of what was sent. Files in $WORK.
tcp_xfer() {
	local from=$1 to=$2 addr=$3 size=$4 port=5001 spid rc s r fam=()
	head -c "$size" /dev/urandom >"$WORK/send.bin"
	rm -f "$WORK/recv.bin"
	# nc -l alone listens on IPv4 only
	case "$addr" in *:*) fam=(-6) ;; esac
	ip netns exec "$to" timeout 40 nc "${fam[@]}" -l "$port" >"$WORK/recv.bin" 2>"$WORK/nc-server.err" &
	spid=$!
	track "$spid"
	sleep 0.5
	ip netns exec "$from" timeout 35 nc -N -w 10 "$addr" "$port" <"$WORK/send.bin" \
		2>"$WORK/nc-client.err"
	rc=$?
	wait "$spid"
	untrack "$spid"
	s=$(sha256sum <"$WORK/send.bin" | cut -d' ' -f1)
	r=$(sha256sum <"$WORK/recv.bin" | cut -d' ' -f1)
	echo "    sent $size bytes sha256 ${s:0:16}..., received $(stat -c %s "$WORK/recv.bin") bytes sha256 ${r:0:16}... (client rc $rc)"
	[ "$s" = "$r" ]
}
