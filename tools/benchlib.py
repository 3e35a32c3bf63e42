# SPDX-License-Identifier: BSD-3-Clause
"""Runners for tools/bench: twinsecd, dpdk-testpmd, dpdk-test-crypto-perf.

Every DPDK process gets --no-pci --no-huge (or, when HUGE_DIR is set, as
tools/bench-mem does, 2 MiB hugepages from that hugetlbfs mount), its own
--file-prefix and
lcores 0,1 (1 does the work: twinsecd's worker, testpmd's forwarding core,
crypto-perf's worker; 0 is the control/main lcore). A process we start is
stopped by its PID (SIGINT, then SIGKILL after a grace period) and never
outlives the benchmark, even when the benchmark itself fails.
"""

import json
import os
import re
import signal
import socket
import statistics
import subprocess
import time

LCORES = "0,1"
# A hugetlbfs mount to take the memory from instead of --no-huge
# (tools/bench-mem: memory per SA as a deployment would have it).
HUGE_DIR = None
_children = set()


def kill_children():
    """Stop every process this module started and that still runs."""
    for p in list(_children):
        stop(p, grace=5)


def stop(p, grace=20.0):
    if p.poll() is None:
        try:
            p.send_signal(signal.SIGINT)
            p.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    _children.discard(p)
    return p.returncode


def start(argv, log, env=None):
    f = open(log, "w")
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=f,
                         stderr=subprocess.STDOUT, env=env)
    f.close()
    _children.add(p)
    return p


def runtime_dir(prefix):
    base = "/var/run/dpdk" if os.getuid() == 0 else \
        os.path.join(os.environ.get("XDG_RUNTIME_DIR", "/tmp"), "dpdk")
    return os.path.join(base, prefix)


class Telemetry:
    """One connection to a DPDK process's telemetry socket (v2)."""

    def __init__(self, prefix, timeout=5.0):
        path = os.path.join(runtime_dir(prefix), "dpdk_telemetry.v2")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        hello = json.loads(self.sock.recv(16384).decode())
        self.buflen = int(hello.get("max_output_len", 16384)) + 1024

    def query(self, cmd):
        self.sock.send(cmd.encode())
        reply = json.loads(self.sock.recv(self.buflen).decode())
        return reply.get(cmd.split(",")[0])

    def close(self):
        self.sock.close()


def ask(t, cmd, tries=30):
    """t.query(cmd), asked again while it is null: the control lcore
    answers null when busy past telemetry's 1 s (a takeover of 200 000
    SAs takes about 2 s)."""
    for _ in range(tries):
        r = t.query(cmd)
        if r:
            return r
    raise RuntimeError("telemetry: no answer to %s" % cmd)


def telemetry_wait(p, prefix, ready_cmd, timeout):
    """Connect once ready_cmd answers with data; None if p died or timed out."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if p.poll() is not None:
            return None
        try:
            t = Telemetry(prefix)
            if t.query(ready_cmd):
                return t
            t.close()
        except (OSError, ValueError):
            pass
        time.sleep(0.5)
    return None


def measure_rate(read_count, warmup, window, reps, p, start_min=1000,
                 probe=None):
    """Packets/s of a growing counter: wait for traffic (start_min packets:
    an HSRP group's hellos move the sink's counter before the SAs are
    installed), warm up, reps windows. probe() is called right before the
    first window and right after the last; with it the result is (rates,
    (before, after, seconds between))."""
    c0 = read_count()
    end = time.monotonic() + 30
    while read_count() < c0 + start_min:
        if time.monotonic() > end or p.poll() is not None:
            return ([], None) if probe else []
        time.sleep(0.1)
    time.sleep(warmup)
    rates = []
    pr0, tp = (probe(), time.monotonic()) if probe else (None, None)
    for _ in range(reps):
        t0, n0 = time.monotonic(), read_count()
        time.sleep(window)
        t1, n1 = time.monotonic(), read_count()
        rates.append((n1 - n0) / (t1 - t0))
    if probe:
        return rates, (pr0, probe(), time.monotonic() - tp)
    return rates


def eal(prefix, mem, vdevs):
    huge = ["--huge-dir", HUGE_DIR, "--huge-unlink"] if HUGE_DIR else \
        ["--no-huge"]
    a = ["--no-pci"] + huge + ["-m", str(mem), "--file-prefix", prefix,
         "-l", LCORES, "--log-level", "lib.eal:warning"]
    for v in vdevs:
        a += ["--vdev", v]
    return a


def twinsecd(binary, conf, feed_port, feed, arps, extra_vdevs, crypto_vdev,
             mem):
    """argv of twinsecd fed on feed_port (0 inside, 1 outside); arps[port]
    is a capture of one ARP request it learns its next hop from. No feed:
    idle (memory measurement)."""
    pcap = ["net_pcap%d,rx_pcap=%s" % (i, arps[i]) for i in (0, 1)]
    if feed is not None:
        pcap[feed_port] = "net_pcap%d,rx_pcap=%s,infinite_rx=1" % (feed_port, feed)
    return [binary] + eal("tw-bench", mem, pcap + extra_vdevs + [crypto_vdev]) + \
        ["--", "-f", conf]


def thread_cpu_ns(pid, comm=None):
    """On-CPU time in ns (/proc schedstat) of pid's thread named comm, the
    main thread when comm is None; None when there is no such thread.
    Time the thread waited for the CPU (other processes on a shared
    machine) is not in it."""
    tid = pid
    try:
        if comm is not None:
            tid = None
            for x in os.listdir("/proc/%d/task" % pid):
                with open("/proc/%d/task/%s/comm" % (pid, x)) as f:
                    if f.read().strip() == comm:
                        tid = int(x)
                        break
            if tid is None:
                return None
        with open("/proc/%d/task/%d/schedstat" % (pid, tid)) as f:
            return int(f.read().split()[0])
    except OSError:
        return None


def cpu_per_packet(before, after):
    """ns of on-CPU time per packet from two (cpu ns, packets) readings."""
    if before is None or after is None or None in before + after or \
            after[1] <= before[1]:
        return None
    return (after[0] - before[0]) / (after[1] - before[1])


def run_twinsecd(argv, log, sink, warmup, window, reps, start_timeout=900,
                 probe=None, cpu_thread=None):
    """Rates (pps) at which interface sink sends, and the drops seen
    meanwhile. probe: a function of the telemetry connection called right
    before the first window and right after the last (after the warm-up:
    a takeover at start is not in it); drops then gets "probe" = (before,
    after, seconds between). cpu_thread (instead of probe, which is then
    not called): drops gets "cpu_ns" = that thread's on-CPU ns per packet
    sent over the windows, and "flen" = the mean frame length the sink
    sent since the start."""
    p = start(argv, log)
    try:
        t = telemetry_wait(p, "tw-bench", "/twinsec/interfaces", start_timeout)
        if t is None:
            return None, "twinsecd did not start (see %s)" % log
        d0 = ask(t, "/twinsec/drops")

        def tx():
            return ask(t, "/twinsec/interfaces")[sink]["tx_packets"]
        if cpu_thread:
            rates, pr = measure_rate(
                tx, warmup, window, reps, p,
                probe=lambda: (thread_cpu_ns(p.pid, cpu_thread), tx()))
            if rates:
                cpu = cpu_per_packet(pr[0], pr[1])
        elif probe:
            rates, pr = measure_rate(tx, warmup, window, reps, p,
                                     probe=lambda: probe(t))
        else:
            rates = measure_rate(tx, warmup, window, reps, p)
        d1 = ask(t, "/twinsec/drops")
        st = ask(t, "/twinsec/interfaces")[sink]
        t.close()
        drops = {k: d1[k] - d0.get(k, 0) for k in d1 if d1[k] != d0.get(k, 0)}
        if cpu_thread:
            drops["cpu_ns"] = cpu if rates else None
            # mean frame the sink sent (checks what was measured)
            drops["flen"] = st.get("tx_bytes", 0) / max(
                st.get("tx_packets", 0), 1)
        elif probe:
            drops["probe"] = pr
        if not rates:
            return None, "no traffic out of %s (see %s)" % (sink, log)
        return rates, drops
    finally:
        stop(p)


def memory(argv, log, start_timeout=900, shim=None, prefix="tw-bench"):
    """(rte heap bytes allocated, process RSS bytes, heap by type) of an
    idle twinsecd. shim: tools/memshim.c built as a shared object; with it
    the third item maps each allocation type to (blocks, requested bytes,
    heap bytes), else it is None."""
    env = None
    if shim:
        dump = log + ".types"
        env = dict(os.environ, LD_PRELOAD=shim, MEMSHIM_OUT=dump,
                   MEMSHIM_TRIGGER=dump + ".trigger")
        for f in (dump, dump + ".trigger"):
            if os.path.exists(f):
                os.unlink(f)
    p = start(argv, log, env)
    try:
        t = telemetry_wait(p, prefix, "/twinsec/interfaces", start_timeout)
        if t is None:
            return None
        time.sleep(0.5)
        heap = t.query("/eal/heap_info,0")
        t.close()
        with open("/proc/%d/status" % p.pid) as f:
            rss = int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) * 1024
        types = None
        if shim:
            open(env["MEMSHIM_TRIGGER"], "w").close()
            end = time.monotonic() + 30
            while os.path.exists(env["MEMSHIM_TRIGGER"]) and \
                    time.monotonic() < end:
                time.sleep(0.1)
            time.sleep(0.5)
            types = {}
            with open(dump) as f:
                for line in f:
                    v = line.rstrip("\n").split("\t")
                    if len(v) == 4:
                        types[v[0]] = tuple(int(x) for x in v[1:])
        return int(heap["Alloc_size"]), rss, types
    finally:
        stop(p)


def run_testpmd(feed, sink_arp, mbufs, mem, log, warmup, window, reps):
    """I/O ceiling: testpmd io forwarding, same vdevs as twinsecd's."""
    argv = ["dpdk-testpmd"] + eal("tw-bench-io", mem, [
        "net_pcap0,rx_pcap=%s,infinite_rx=1" % feed,
        "net_pcap1,rx_pcap=%s" % sink_arp]) + [
        "--", "--forward-mode=io", "--nb-cores=1",
        "--total-num-mbufs=%d" % mbufs]
    p = start(argv, log)
    try:
        t = telemetry_wait(p, "tw-bench-io", "/ethdev/stats,1", 60)
        if t is None:
            return None
        rates = measure_rate(lambda: t.query("/ethdev/stats,1")["opackets"],
                             warmup, window, reps, p)
        t.close()
        return rates or None
    finally:
        try:
            p.stdin.write(b"\n")    # "Press enter to exit"
            p.stdin.flush()
        except OSError:
            pass
        stop(p)


def secgw(binary, cfg, feed_port, feed, arps, mem):
    """argv of ipsec-secgw on the vdevs twinsecd gets (tools/bench): one
    lcore (1) polls both ports; -l: librte_ipsec, which cpu-crypto SAs
    need; -P promiscuous, port 1 unprotected; replay window off (its
    default), as twinsecd's bench SAs. Its only lcore is the main one:
    net_pcap without tx_pcap has one TX queue, and ipsec-secgw wants one
    per lcore."""
    pcap = ["net_pcap%d,rx_pcap=%s" % (i, arps[i]) for i in (0, 1)]
    pcap[feed_port] = "net_pcap%d,rx_pcap=%s,infinite_rx=1" % (feed_port,
                                                              feed)
    a = eal("tw-bench-sg", mem, pcap + ["crypto_aesni_gcm0"])
    a[a.index("-l") + 1] = "1"
    return [binary] + a + ["--", "-p", "0x3", "-P", "-u", "0x2", "-l",
                           "--config", "(0,0,1),(1,0,1)", "-f", cfg]


def run_secgw(argv, log, sink_port, warmup, window, reps):
    """(rates (pps) out of ethdev port sink_port of ipsec-secgw, read over
    EAL telemetry, None, mean frame length sent, on-CPU ns per packet of
    its lcore) or (None, why, None, None)."""
    p = start(argv, log)
    try:
        t = telemetry_wait(p, "tw-bench-sg", "/ethdev/list", 120)
        if t is None:
            return None, "ipsec-secgw did not start (see %s)" % log, None, \
                None

        def tx():
            return ask(t, "/ethdev/stats,%d" % sink_port)["opackets"]
        rates, pr = measure_rate(tx, warmup, window, reps, p,
                                 probe=lambda: (thread_cpu_ns(p.pid), tx()))
        st = ask(t, "/ethdev/stats,%d" % sink_port)
        t.close()
        if not rates:
            return None, "no traffic out of port %d (see %s)" % (
                sink_port, log), None, None
        return rates, None, st["obytes"] / max(st["opackets"], 1), \
            cpu_per_packet(pr[0], pr[1])
    finally:
        stop(p)


def crypto_perf_args(algo, decrypt, buf):
    if algo == "gcm":
        return ["--devtype", "crypto_aesni_gcm", "--optype", "aead",
                "--aead-algo", "aes-gcm", "--aead-op",
                "decrypt" if decrypt else "encrypt",
                "--aead-key-sz", "16", "--aead-iv-sz", "12",
                "--aead-aad-sz", "8", "--digest-sz", "16",
                "--buffer-sz", str(buf)], "crypto_aesni_gcm0"
    return ["--devtype", "crypto_aesni_mb", "--optype",
            "auth-then-cipher" if decrypt else "cipher-then-auth",
            "--cipher-algo", "aes-cbc", "--cipher-op",
            "decrypt" if decrypt else "encrypt",
            "--cipher-key-sz", "16", "--cipher-iv-sz", "16",
            # (Decrypt is measured in two runs: see run_crypto_perf.)
            "--auth-algo", "sha2-256-hmac", "--auth-op", "generate",
            "--auth-key-sz", "32", "--digest-sz", "16",
            "--buffer-sz", str(buf)], "crypto_aesni_mb0"


def run_crypto_perf(algo, decrypt, buf, ops, log):
    """Crypto ceiling: ops/s of one lcore, throughput test, burst 32.
    CBC+HMAC inbound: crypto-perf (22.11) takes a chained decrypt only
    with verify, and verify only with a test-vector file; the ceiling is
    then one core doing both halves in turn, 1 / (1/decrypt + 1/hmac),
    from a cipher-only decrypt run and an auth-only generate run over the
    same length."""
    if algo == "cbc" and decrypt:
        c = _crypto_perf(CBC_DECRYPT + ["--buffer-sz", str(buf)],
                         "crypto_aesni_mb0", buf, ops, log)
        a = _crypto_perf(HMAC_GENERATE + ["--buffer-sz", str(buf)],
                         "crypto_aesni_mb0", buf, ops, log)
        return 1 / (1 / c + 1 / a) if c and a else None
    args, vdev = crypto_perf_args(algo, decrypt, buf)
    return _crypto_perf(args, vdev, buf, ops, log)


CBC_DECRYPT = ["--devtype", "crypto_aesni_mb", "--optype", "cipher-only",
               "--cipher-algo", "aes-cbc", "--cipher-op", "decrypt",
               "--cipher-key-sz", "16", "--cipher-iv-sz", "16"]
HMAC_GENERATE = ["--devtype", "crypto_aesni_mb", "--optype", "auth-only",
                 "--auth-algo", "sha2-256-hmac", "--auth-op", "generate",
                 "--auth-key-sz", "32", "--digest-sz", "16"]


def _crypto_perf(args, vdev, buf, ops, log):
    argv = ["dpdk-test-crypto-perf"] + eal("tw-bench-cp", 512, [vdev]) + \
        ["--", "--ptest", "throughput", "--burst-sz", "32",
         "--total-ops", str(ops), "--silent"] + args
    p = start(argv, log)
    try:
        p.stdin.close()
        p.wait(timeout=300)
    finally:
        stop(p)
    with open(log) as f:
        for line in f:
            v = line.split()
            # lcore  buf  burst  enq  deq  fenq  fdeq  MOps  Gbps  cycles
            if len(v) == 10 and v[0].isdigit() and v[1] == str(buf):
                return float(v[7]) * 1e6
    return None


def stats(v):
    if not v:
        return None
    return min(v), statistics.median(v), max(v)
