#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The management console against a running twinsecd on virtual devices:
# scripted telnet sessions (Debian telnet driven by expect) and
# tools/twinsec-console, each transcript compared with its golden file in
# tests/golden/console/ after masking what legitimately changes (MACs,
# times, uptime, paths, counters, client ports).
#   run.sh TWINSECD            UPDATE_GOLDEN=1 run.sh TWINSECD rewrites them
set -u
TWINSECD=$1
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../../lib/common.bash"
here=$ROOT/tests/dpdk/console
golden=$ROOT/tests/golden/console
tool="python3 $TOOLS/twinsec-console"
port=23231
work_dir test-cli
dir=$WORK
pid=
fails=0
on_fail() { sed 's/^/    /' "$dir/log" | tail -30; }
for t in telnet expect; do
	need_cmd $t "$t is not installed"
done

start() { # start CONF PREFIX
	# Empty first: the wait below must not find the previous daemon's
	# "running".
	: >"$dir/log"
	twinsecd_bg "" "$2" "$dir/log" --vdev net_null0,no-rx=1 --vdev net_null1,no-rx=1 \
		--vdev crypto_aesni_mb0 -- -f "$1"
	pid=$TW_PID
	wait_running "$dir/log" "$pid"
}

stop() {
	stop_pid "$pid" TERM 10
	rc=$?
	pid=
	[ "$rc" = 0 ] || fail "exit status $rc"
}

# What changes from run to run, masked; the transcript ends at === END ===.
normalize() {
	tr -d '\r' | sed -E \
		-e '/^=== END ===$/q' \
		-e 's/[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}/xxxx.xxxx.xxxx/g' \
		-e 's/(uptime is ).*/\1<uptime>/' \
		-e 's/(Available system uptime = ).*/\1<uptime>/' \
		-e 's/(System image file is ).*/\1<image>/' \
		-e 's/(Configuration file is ).*/\1<config>/' \
		-e 's/(! Loaded from ).*/\1<config>/' \
		-e 's/(Data plane: DPDK ).*/\1<version>/' \
		-e 's/(Current configuration : )[0-9]+/\1<n>/' \
		-e 's/^[A-Z][a-z]{2} [ 0-9]{2} [0-9:.]{12}: /<time>: /' \
		-e 's/(127\.0\.0\.1:)[0-9]+/\1<port>/g' \
		-e 's/[0-9]+ (packets (input|output)), [0-9]+ bytes/N \1, N bytes/' \
		-e 's/[0-9]+ (input|output) errors/N \1 errors/' \
		-e 's/(counters ).* ago/\1<time> ago/' \
		-e 's/(blocked for )[0-9]+ more/\1N more/' \
		-e 's/^(tw-cli[#>])?[a-z]*(Connection closed by foreign host)/\1<logout>\2/' \
		-e 's/(Local spi: )[0-9A-F]{16}/\1<spi>/' \
		-e 's/^(Uptime: ).*/\1<uptime>/' \
		-e 's/^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} UTC [A-Z][a-z]{2} [A-Z][a-z]{2} [0-9]{1,2} [0-9]{4}$/<clock>/' \
		-e 's/ [0-9]{2}:[0-9]{2}:[0-9]{2} (127\.0\.0\.1)$/ <idle> \1/' \
		-e 's/[0-9]+ (message lines logged|messages logged)/N \1/g' \
		-e 's/(Log Buffer \(512 lines, )[0-9]+ kept/\1N kept/' \
		-e 's/^([0-9.]+ +outside +)[0-9]{2}:[0-9]{2}:[0-9]{2} ([UD])/\1<uptime> \2/'
}

compare() { # compare NAME (transcript in $dir/NAME.raw) with its golden file
	normalize <"$dir/$1.raw" >"$dir/$1.txt"
	if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
		cp "$dir/$1.txt" "$golden/$1.txt"
		echo "updated: $1"
		return
	fi
	if diff -u "$golden/$1.txt" "$dir/$1.txt" >"$dir/$1.diff"; then
		echo "ok: $1"
	else
		echo "FAIL: $1 differs from tests/golden/console/$1.txt:"
		head -60 "$dir/$1.diff"
		fails=$((fails + 1))
	fi
}

session() { # session NAME: run NAME.exp, then compare
	if ! expect "$here/$1.exp" $port >"$dir/$1.raw" 2>&1; then
		echo "FAIL: $1.exp"
		tail -15 "$dir/$1.raw"
		fails=$((fails + 1))
		return
	fi
	grep -q "EXPECT-FAIL" "$dir/$1.raw" && { echo "FAIL: $1"; fails=$((fails + 1)); return; }
	compare "$1"
}

tool() { # tool NAME WANT_RC ARGS...: tools/twinsec-console
	local name=$1 want=$2 rc
	shift 2
	$tool 127.0.0.1:$port "$@" >"$dir/$name.raw" 2>&1
	rc=$?
	echo "exit $rc" >>"$dir/$name.raw"
	[ "$rc" = "$want" ] || { echo "FAIL: $name: exit $rc, want $want"; fails=$((fails + 1)); }
	compare "$name"
}

start "$here/console.conf" tw-test-cli
# First: the lockout counts every failure from 127.0.0.1 in its window
# (wrong enable secrets too): lockout, lockout_held and oper each block
# it once and wait the block out; tool_badpass and escape fail 3 times.
session lockout
session lockout_held
session admin
session oper
tool tool_show 0 -u admin -p cisco -c "show redundancy" \
	-c "show crypto session" -c "show interfaces brief" \
	-c 'show crypto ipsec sa | include "spi|Status"'
tool tool_error 1 -u admin -p cisco -c "show version | include SA" \
	-c "show foo" -c "show crypto"
tool tool_enable 0 -u oper -p oper -e enable -c "show running-config | include ^hostname"
tool tool_badpass 3 -u admin -p wrong -c "show version"
session escape
session timeout
session limit
session login_timeout
grep -q "Login failed \[user: admin\] \[Source: 127.0.0.1\]" "$dir/log" ||
	fail "no failed-login log line"
grep -q "QUIET_MODE_ON: 4 failed logins from 127.0.0.1" "$dir/log" ||
	fail "no lockout log line"
grep -q "session of admin from 127.0.0.1:[0-9]* ended (exec-timeout)" "$dir/log" ||
	fail "no exec-timeout log line"
grep -q "refused: all 2 sessions in use" "$dir/log" ||
	fail "no session-limit log line"
grep -q "Login failed \[user: admin\] \[Source: 127.0.0.1\] \[Reason: Logins blocked for [0-9]* more seconds (quiet mode)\]" \
	"$dir/log" || fail "no log line of the login refused while blocked"
grep -q "enable by oper from 127.0.0.1:[0-9]* refused: logins from 127.0.0.1 blocked for [0-9]* more seconds" \
	"$dir/log" || fail "no log line of the enable refused while blocked"
[ "$(grep -c "QUIET_MODE_ON: 4 failed logins from 127.0.0.1" "$dir/log")" = 3 ] ||
	fail "not 3 blocks (lockout, lockout_held, oper's enable)"
# User input in the log: escaped (control characters, '\', ']'), capped.
grep -qF 'Login failed [user: ev\x07il\x1fme\x5cx\x5dy] [Source: 127.0.0.1]' \
	"$dir/log" || fail "no escaped user name in the log"
grep -qF "Login failed [user: $(printf 'A%.0s' $(seq 64))...] [Source: 127.0.0.1]" \
	"$dir/log" || fail "no capped user name in the log"
if grep "Login failed" "$dir/log" | LC_ALL=C grep -q '[[:cntrl:]]'; then
	fail "a control character in a log line"
fi
[ "$(grep -c "console login from 127.0.0.1:[0-9]* timed out: not logged in within 8 seconds" "$dir/log")" = 2 ] ||
	fail "no 2 login-timeout log lines"
stop
grep -q "twinsec.main: twinsecd stopped" "$dir/log" || fail "no clean stop"

# Stopped while a session sleeps in the failure delay (8 s): the session is
# woken and done before the daemon frees what it reads, and the daemon
# stops at once, exit status 0 (stop).
port=23234
sed -e 's/login_delay_ms = 100;/login_delay_ms = 8000;/' \
	-e "s/127.0.0.1:23231/127.0.0.1:$port/" "$here/console.conf" >"$dir/delay.conf"
start "$dir/delay.conf" tw-test-cli
expect "$here/delay_stop.exp" $port >"$dir/delay_stop.raw" 2>&1 &
exp_pid=$!
track "$exp_pid"
wait_until 5 grep -q "Login failed \[user: admin\]" "$dir/log" ||
	fail "no failed login before the stop"
t0=$(now_ms)
stop
dt=$(($(now_ms) - t0))
[ "$dt" -lt 4000 ] || fail "stop took $dt ms with a session in the failure delay"
wait "$exp_pid" || { tail -5 "$dir/delay_stop.raw"; fail "delay_stop.exp"; }
untrack "$exp_pid"
ended=$(grep -n "session of (not logged in) from 127.0.0.1:[0-9]* ended" "$dir/log" | cut -d: -f1)
stopped=$(grep -n "twinsecd stopped" "$dir/log" | cut -d: -f1)
if [ -z "$ended" ] || [ -z "$stopped" ] || [ "$ended" -gt "$stopped" ]; then
	fail "the session in the delay did not end before the daemon stopped"
fi
if grep -q "QUIET_MODE_ON\|AddressSanitizer\|runtime error" "$dir/log"; then
	fail "the failure was counted after the stop, or a sanitizer report"
fi
echo "ok: stop during the failure delay ($dt ms)"

# IKE: an initiator that never hears back (net_null), a manual peer, and
# clear crypto sa as the log records it.
port=23233
# the syslog collector of ike.conf's logging section
"$PYTHON" -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 23235))
with open(sys.argv[1], "w") as f:
    while True:
        f.write(s.recv(2048).decode(errors="replace") + "\n")
        f.flush()' "$dir/syslog.txt" &
syslog_pid=$!
track "$syslog_pid"
start "$here/ike.conf" tw-test-cli
session ike
session logging
session parity
grep -q "clear crypto sa peer 192.0.2.2 by admin from 127.0.0.1:[0-9]*: DELETE sent for 0 IKE Child SAs; 2 manually keyed SAs kept installed" \
	"$dir/log" || fail "no clear crypto sa peer log line"
grep -q "clear crypto sa map to-site-b by admin from 127.0.0.1:[0-9]*: DELETE sent for 0 IKE Child SAs; 2 manually keyed SAs kept installed" \
	"$dir/log" || fail "no clear crypto sa map log line"
stop
stop_pid "$syslog_pid" TERM
# Syslog: RFC 3164 framing, facility local5 (21), nothing less severe than
# notifications (5): PRI 168..173 only, and the console's lines among them.
grep -q "^<173>[A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]\{8\} tw-cli twinsecd: %TWINSEC-5-CLI: clear crypto sa peer 192.0.2.2 by admin" \
	"$dir/syslog.txt" || fail "no clear crypto sa line in syslog: $(head -3 "$dir/syslog.txt")"
grep -v '^$' "$dir/syslog.txt" | grep -qv '^<1\(6[89]\|7[0-3]\)>' &&
	fail "syslog got lines below notifications or of another facility: $(grep -v '^<1\(6[89]\|7[0-3]\)>' "$dir/syslog.txt" | head -3)"
echo "ok: syslog ($(grep -c . "$dir/syslog.txt") lines, all local5, notifications or more severe)"

# configure terminal (issue 19): changes through the reload path, then
# write memory: the file it writes loads (--check), keeps the previous one
# as .bak, and a restart on it shows the same running configuration.
port=23236
cp "$here/conft.conf" "$dir/conft.conf"
rm -f "$dir/conft.conf.bak"
start "$dir/conft.conf" tw-test-cli
session conft
grep -q "configured from console: .*standby groups reconfigured: 1" "$dir/log" ||
	fail "no log line of the standby change applied by the reload path"
grep -q "configured from console: .*crypto map entries: 1 added, 0 removed" \
	"$dir/log" || fail "no log line of the crypto map entry added"
grep -q "write memory by admin" "$dir/log" || fail "no write memory log line"
if grep -q "s3cret" "$dir/log" "$dir/conft.conf" "$dir/conft.conf.bak"; then
	fail "a clear-text secret in the log or a written file"
fi
$tool 127.0.0.1:$port -u admin -p cisco -c "terminal length 0" \
	-c "show running-config" >"$dir/conft-run1.txt" 2>&1 ||
	fail "show running-config after configure terminal"
stop
# The first write memory had entry 30 and user ops; the second (copy
# running-config startup-config) removed both: .bak holds the first.
grep -q "seq = 30;" "$dir/conft.conf.bak" || fail ".bak lacks the entry 30 written first"
grep -q '"ops"' "$dir/conft.conf.bak" || fail ".bak lacks user ops written first"
grep -q "seq = 30;" "$dir/conft.conf" && fail "the saved file still has entry 30"
grep -q "priority = 150;" "$dir/conft.conf" || fail "the saved file lacks standby priority 150"
for f in conft.conf conft.conf.bak; do
	"$TWINSECD" -- -f "$dir/$f" --check >"$dir/check-$f.log" 2>&1 ||
		{ cat "$dir/check-$f.log"; fail "--check refuses the $f write memory wrote"; }
done
start "$dir/conft.conf" tw-test-cli
$tool 127.0.0.1:$port -u admin -p cisco -c "terminal length 0" \
	-c "show running-config" >"$dir/conft-run2.txt" 2>&1 ||
	fail "show running-config after the restart"
stop
if diff -u <(normalize <"$dir/conft-run1.txt") <(normalize <"$dir/conft-run2.txt") \
	>"$dir/conft-run.diff"; then
	echo "ok: restart on the written file: same running configuration ($(wc -l <"$dir/conft-run2.txt") lines)"
else
	head -30 "$dir/conft-run.diff"
	fail "the restart on the written file runs another configuration"
fi

# Without users every login would fail: the config is refused (issue 19),
# naming the file and line (here --check; tests/lab/lab_bad_config.sh
# starts the daemon on such a config).
out=$("$TWINSECD" -- -f "$here/nousers.conf" --check 2>&1)
rc=$?
[ "$rc" = 1 ] || fail "--check of a console without users: exit $rc, not 1"
grep -q "nousers.conf:[0-9]*: console has no users: every login would be refused" \
	<<<"$out" || fail "--check of a console without users: no file:line reason ($out)"

[ "$fails" = 0 ] || { echo "$fails console check(s) failed"; exit 1; }
echo "console: all checks passed"
