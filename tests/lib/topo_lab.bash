# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# tests/lib/topo_lab.bash: the two-site lab, gateway to gateway, after
# tests/lib/common.bash. Sourced by the tests/lab/lab_*.sh scripts.
# The topology itself is tools/lab's (the one place it is built, for the
# demo as for the tests), the gateways tools/lab-gw's:
#
#   tw-hosta 10.1.0.10 -- tw-gwa [twinsecd A] -- tw-wan (br0) -- tw-gwb [twinsecd B] -- tw-hostb 10.2.0.10
#                         10.1.0.1 | 192.0.2.1                     192.0.2.2 | 10.2.0.1
#
# lab_up builds it (after taking down a lab left over by an interrupted
# run) and registers, with at_exit, the gateways' stop and the lab's
# removal. CONF_A / CONF_B (exported) choose the gateways' configs.

export BUILD
export LAB_DIR=${LAB_DIR:-/tmp/tw-lab}

lab_down() {
	"$TOOLS/lab-gw" stop all >/dev/null 2>&1
	"$TOOLS/lab" down >/dev/null 2>&1
}

# lab_up: tools/lab up, checked ("lab topology up")
lab_up() {
	at_exit lab_down
	"$TOOLS/lab" down >/dev/null 2>&1
	check "lab topology up (tools/lab up)" "$TOOLS/lab" up
}

# lab_fail_logs WHAT N [REGEX]: after a failed check (TW_FAIL), each
# gateway's log: its last N lines (matching REGEX, case-insensitive, when
# given) under "--- WHAT of LOG"
lab_fail_logs() {
	local g log
	[ "$TW_FAIL" != 0 ] || return 0
	for g in a b; do
		log=$LAB_DIR/tw-gw$g.log
		[ -f "$log" ] || continue
		echo "--- $1 of $log"
		if [ -n "${3:-}" ]; then
			grep -iE "$3" "$log" | tail -n "$2"
		else
			tail -n "$2" "$log"
		fi
	done
}

# lab_reload FILE PATTERN: FILE becomes gateway A's config ($WORK/a.conf;
# $PID_A, $LOG_A set by the script), SIGHUP, then the log line after this
# reload matching PATTERN, within 10 s (printed)
lab_reload() {
	local file=$1 pat=$2
	# (global: wait_until has a local n of its own)
	RELOAD_FROM=$(($(wc -l <"$LOG_A") + 1))
	cp "$file" "$WORK/a.conf"
	kill -HUP "$PID_A"
	_reloaded() { tail -n +"$RELOAD_FROM" "$LOG_A" | grep -q "twinsec.reload"; }
	wait_until 10 _reloaded || { echo "    no reload line in the log"; return 1; }
	tail -n +"$RELOAD_FROM" "$LOG_A" | grep "twinsec.reload" | sed 's/^/    log: /'
	tail -n +"$RELOAD_FROM" "$LOG_A" | grep "twinsec.reload" | grep -qE "$pat"
}

# lab_ping NS DST: one warm-up ping, then 5 (one must be answered); prints
# ping's summary
lab_ping() {
	ip netns exec "$1" ping -c 1 -W 3 -q "$2" >/dev/null 2>&1
	ping_ok "$1" "$2" 1 -c 5 -i 0.2 -W 2
	local rc=$?
	sed 's/^/    /' <<<"$PING_SUMMARY"
	return $rc
}

# wan_capture_start FILE [TCPDUMP_OPTIONS...]: everything on the WAN bridge
# (a large buffer: the checks want every frame) until wan_capture_stop
tcpdump_pid=
wan_capture_start() {
	local file=$1
	shift
	ip netns exec tw-wan tcpdump -i br0 -n -U --immediate-mode -B 32768 "$@" -w "$file" \
		>"$WORK/tcpdump.log" 2>&1 &
	tcpdump_pid=$!
	track "$tcpdump_pid"
	sleep 1
}
wan_capture_stop() {
	stop_pid "$tcpdump_pid" TERM
	tcpdump_pid=
}

# _lab_gw_procs: "PID ARGS" of the lab's gateways in our PID namespace
# (a concurrent run in a namespace of its own is not ours to count)
_lab_gw_procs() {
	local me pid args

	me=$(readlink /proc/self/ns/pid)
	ps -eo pid=,args= | grep '[t]winsecd.*--file-prefix tw-gw[ab]' |
		while read -r pid args; do
			[ "$(readlink "/proc/$pid/ns/pid" 2>/dev/null)" = "$me" ] &&
				echo "$pid $args"
		done
}

# lab_gone: tools/lab down leaves none of the lab's namespaces, gateways
# or DPDK runtime directories (other tests use other tw- names)
lab_gone() {
	"$TOOLS/lab" down >/dev/null 2>&1
	! ip netns list | grep -qE '^tw-(hosta|gwa|wan|gwb|hostb)( |$)' &&
		[ ! -e /var/run/dpdk/tw-gwa ] && [ ! -e /var/run/dpdk/tw-gwb ] &&
		[ -z "$(_lab_gw_procs)" ] && return 0
	# what is left, for the log
	ip netns list | grep -E '^tw-(hosta|gwa|wan|gwb|hostb)( |$)' | sed 's/^/    namespace: /'
	ls -d /var/run/dpdk/tw-gw[ab] 2>/dev/null | sed 's/^/    runtime dir: /'
	_lab_gw_procs | sed 's/^/    process: /'
	return 1
}
