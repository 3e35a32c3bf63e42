# SPDX-License-Identifier: BSD-3-Clause
"""tools/bench's report: the text table, docs/benchmarks.md, the PNG plot."""

import os
import subprocess

ALGO = {"gcm": "AES-GCM-128", "cbc": "AES-CBC-128/HMAC-SHA256"}
DIRN = {"out": "outbound", "in": "inbound"}


def m(x):
    return "-" if x is None else "%.2f" % (x / 1e6)


def ratio(p):
    if not p.get("pps") or not p.get("combined"):
        return None
    return p["pps"][1] / p["combined"]


def one_sa(points, p):
    for q in points:
        if q["sas"] == 1 and all(q[k] == p[k] for k in
                                 ("dir", "algo", "mode", "size")):
            return q
    return None


def rows(points, target):
    out = []
    for p in points:
        pps = p.get("pps")
        r = ratio(p)
        t = target(p)
        if t and pps:
            tgt = "%.1f / %.0f %%: %s" % (
                t[0], 100 * t[1],
                "met" if pps[1] / 1e6 >= t[0] or r >= t[1] else "NOT met")
        else:
            tgt = ""
        if p["sas"] > 1 and pps:
            q = one_sa(points, p)
            if q and q.get("pps"):
                s = pps[1] / q["pps"][1]
                tgt = (tgt + "; " if tgt else "") + "%.0f %% of 1 SA (>= 85 %%: %s)" % (
                    100 * s, "met" if s >= 0.85 else "NOT met")
        if p["algo"] == "cbc" and p["size"] == 1420 and r is not None and \
                p["sas"] == 1:
            tgt = ">= 80 %%: %s" % ("met" if r >= 0.8 else "NOT met")
        out.append([DIRN[p["dir"]], ALGO[p["algo"]], p["mode"],
                    str(p["sas"]), str(p["size"]),
                    "%s / **%s** / %s" % tuple(m(x) for x in pps) if pps
                    else "failed: %s" % p.get("error"),
                    m(p.get("crypto")), m(p.get("io")), m(p.get("combined")),
                    "%.0f %%" % (100 * r) if r is not None else "-", tgt,
                    ", ".join("%s %d" % kv for kv in sorted(p["drops"].items()))
                    if p.get("drops") else ""])
    return out


HEAD = ["direction", "algorithm", "mode", "SAs", "frame B",
        "Mpps min / **median** / max", "crypto Mops", "I/O Mpps",
        "combined Mpps", "of combined", "target (Mpps / ratio)",
        "drops in windows"]


def table(points, target):
    r = rows(points, target)
    lines = ["| " + " | ".join(HEAD) + " |",
             "|" + "---|" * len(HEAD)]
    lines += ["| " + " | ".join(x) + " |" for x in r]
    return "\n".join(lines)


def sync_table(sync):
    t = ["| SAs | frame B | sync off Mpps min / **median** / max "
         "| sync on Mpps min / **median** / max | counter watch runs/s "
         "(designed: 100) | µs a run | SA counter reads/s "
         "| loss (medians) | target <= 3 % |",
         "|---|---|---|---|---|---|---|---|---|"]
    for r in sync:
        ok = r.get("loss")
        t.append("| %d | %d | %s | %s | %s | %s | %s | %s | %s |" % (
            r["sas"], r["size"], fmt3b(r["off"]), fmt3b(r["on"]),
            "%.0f" % r["watch"] if r.get("watch") is not None else "-",
            "%.0f" % r["busy"] if r.get("busy") is not None else "-",
            "%.0f" % r["reads"] if r.get("reads") is not None else "-",
            "%.1f %%" % (100 * ok) if ok is not None else "-",
            "-" if ok is None else ("met" if ok <= 0.03 else "NOT met")))
    return "\n".join(t)


def fmt3b(s):
    if not s:
        return "-"
    return "%.2f / **%.2f** / %.2f" % tuple(x / 1e6 for x in s)


# What each allocation type of the memory breakdown is (tools/memshim.c
# names a memzone "mz:NAME", folds digits to '#').
MEM_TYPES = {
    "mz:MP_tw_sess_#_#": "crypto PMD sessions (mempool: 64 B object header + "
                         "1152 B element = session header + crypto_aesni_gcm "
                         "private data, one per SA; `--no-huge` 4 KiB pages "
                         "hold 3 objects)",
    "mz:RG_MP_tw_sess_#": "the session mempool's ring",
    "dp_sa": "twinsecd SA: struct dp_sa, selectors, per-worker counters, "
             "replay window, librte_ipsec SA (one block)",
    "dp_sa_ipsec": "librte_ipsec SA",
    "dp_sa_ctr": "per-worker SA counters",
    "dp_sa_replay": "inbound replay window",
    "tw_hmap": "SAD (inbound SPI -> SA) and the staging indexes (SPI -> SA, "
               "SA -> policy references): open addressing, power of two, "
               "at most half full",
    "tw_spd_#": "rte_acl: the built tries",
    "ACL_tw_spd_#": "rte_acl: context with its copy of the rules",
    "tw_spd_pol": "SPD: published policies",
    "tw_pol": "SPD: staged policies",
    "(librte_eal.so.23)": "rte_realloc'd arrays (installed SAs)",
    "0x... (named by address)": "FIB (DIR24_8 tables)",
}


def mem_table(mem):
    t = ["Heap per SA pair by allocation type (`tools/memshim.c`, an "
         "LD_PRELOAD wrapper of `rte_malloc`/`rte_memzone_reserve`; heap = "
         "requested size rounded to a cache line plus the 64-byte element "
         "header; the total above also holds allocator slack):\n",
         "| type | blocks per pair | requested B | heap B | what |",
         "|---|---|---|---|---|"]
    rows = sorted(mem["types"].items(), key=lambda kv: -kv[1][2])
    total = 0
    for k, (n, req, heap) in rows:
        total += heap
        t.append("| `%s` | %.2f | %.0f | %.0f | %s |" % (
            k, n, req, heap, MEM_TYPES.get(k, "")))
    t.append("| all | | | **%.0f** | |" % total)
    return "\n".join(t)


def markdown(points, mem, meta, target, sync=None):
    t = []
    t.append("# Fast-path benchmarks\n")
    t.append("Generated by `tools/bench` (`make bench`); the method is in "
             "its header and in `tools/bench-gen`. Latest run: %s, %.0f min, "
             "%s, build `%s`, load average %.1f at start, %.1f at end.\n" % (
                 meta["start"], meta["minutes"], meta["cpu"], meta["build"],
                 meta["load"][0][0], meta["load"][1][0]))
    t.append("Command:\n\n```sh\n%s\n```\n" % meta["command"])
    t.append(
        "One twinsecd worker lcore (busy poll) on `--no-pci --no-huge` "
        "virtual devices: `net_pcap` with `infinite_rx=1` feeds the clear "
        "side (outbound) or the ESP side (inbound); the other port is a "
        "`net_pcap` whose TX frees packets (like `net_null`) and whose RX "
        "holds one ARP request, so twinsecd resolves its next hop by ARP as "
        "in production. Figures are packets/s out of the sink over %d "
        "windows of %.1f s after %.1f s of warm-up. The crypto ceiling is "
        "`dpdk-test-crypto-perf` (throughput, one lcore, burst 32, same "
        "algorithm and ESP payload length), the I/O ceiling `dpdk-testpmd` "
        "io forwarding on the same vdevs and capture; combined = "
        "1/(1/crypto + 1/io). Frame size is the clear-text Ethernet frame "
        "(no FCS) on the inside. Inbound SAs run with anti-replay off "
        "(`replay_window = 0`): the capture repeats, so with a window every "
        "packet after the first pass would be a replay. 100 000 SAs means "
        "100 000 SA pairs (tunnels) with traffic spread evenly over all of "
        "them in a shuffled order, one policy each.\n" % (
            meta["reps"], meta["window"], meta["warmup"]))
    t.append("Targets (issue 3, AES-GCM-128): 1.2 x ipsec-secgw on this "
             "harness, in Mpps, or the same ratio to the combined ceiling "
             "measured in this run (the ratio is what counts on a machine "
             "that is slower or busier); 100 000 SAs >= 85 % of 1 SA; "
             "CBC+SHA256 >= 80 % of its combined ceiling at 1420 B.\n")
    t.append("## Results\n")
    t.append(table(points, target) + "\n")
    t.append("![Mpps versus frame size](benchmarks.png)\n")
    if sync:
        t.append("## Fast path with stateful switchover on and off\n")
        t.append(
            "Issue 5: the fast path with sync on loses no more than 3 %%. "
            "Outbound AES-GCM-128 cpu-crypto, same harness, the two configs "
            "run in turn (off, on, repeated %d times; %d windows each): "
            "*on* adds an HSRP group on the outside interface (hello 100 ms, "
            "hold 300 ms; nothing else answers, so it goes Active and its "
            "VIP is the tunnel endpoint) and a `redundancy` + `ipc` section "
            "(sctp-udp, AES-256-GCM framing) whose twin at 127.0.0.2 is "
            "absent. The SAs are then installed by the takeover path, and "
            "the control lcore runs the active's counter watch every 10 ms "
            "(it streams the fast path's progress table, 4 bytes per SA, "
            "and reads the counters only of the SAs whose sequence number "
            "crossed a grain, 16384 numbers at replay_interval 100000, "
            "plus every SA once after the takeover; sequence marks "
            "reserved, and saved each second) while the transport keeps "
            "trying to connect; with no twin no COUNTER_UPDATE is sent "
            "(at these rates, and replay_interval 100000 outbound, a live "
            "twin would get one every few seconds per SA at most). "
            "*µs a run* (the control lcore's time in one watch run, "
            "marks file writes included) and *SA counter reads/s*: the "
            "highest over the *on* runs, taken over the measured windows "
            "(after the takeover).\n" % (
                sync[0]["rounds"], meta["reps"]))
        t.append(sync_table(sync) + "\n")
    t.append("## Memory per SA pair\n")
    if mem:
        t.append("Idle twinsecd, AES-GCM-128 cpu-crypto, same mbuf pool, "
                 "1 versus 100 000 SA pairs (`max_sas` = 2 x pairs, so "
                 "pools sized from it are included): data-plane memory (DPDK "
                 "heap, `/eal/heap_info` Alloc_size) **%.0f B per pair** "
                 "(target < 2048 B) on a base of %.1f MiB; process RSS, "
                 "control plane and configuration included, %.0f B per pair "
                 "on a base of %.1f MiB.\n" % (
                     mem["heap"], mem["base_heap"] / 2**20, mem["rss"],
                     mem["base_rss"] / 2**20))
        if mem.get("types"):
            t.append(mem_table(mem) + "\n")
    else:
        t.append("Not measured in this run.\n")
    t.append("Analysis (what bounds each figure, the targets, the "
             "optimisations and their measured gains, scaling problems): "
             "[benchmarks-notes.md](benchmarks-notes.md).\n")
    t.append("The HSRP, stateful switchover and IKE set-up sections below "
             "are written by tools/bench-hsrp, tools/bench-sync and "
             "tools/bench-ike, which tools/bench calls after this part.\n")
    return "\n".join(t)


def plot(points, png, workdir):
    """Mpps (median) versus frame size, one line per mode, per direction."""
    series = {}
    for p in points:
        if not p.get("pps"):
            continue
        k = (p["dir"], p["algo"], p["mode"], p["sas"])
        series.setdefault(k, []).append((p["size"], p["pps"][1] / 1e6))
        c = (p["dir"], p["algo"], "ceiling", 0)
        if p.get("combined") and p["sas"] == 1:
            series.setdefault(c, []).append((p["size"], p["combined"] / 1e6))
    if not series:
        return
    cmds = ["set terminal pngcairo size 1200,500 font ',10'" if has_cairo()
            else "set terminal png size 1200,500",
            "set output '%s'" % png, "set multiplot layout 1,2",
            "set xlabel 'frame size (bytes)'", "set ylabel 'Mpps'",
            "set grid", "set key top right font ',8'", "set yrange [0:*]",
            "set xtics (64, 512, 1420)"]
    for d in ("out", "in"):
        ks = sorted(k for k in series if k[0] == d)
        if not ks:
            continue
        plots = []
        for k in ks:
            f = os.path.join(workdir, "plot-%s-%s-%s-%d.dat" % k)
            with open(f, "w") as fh:
                for x, y in sorted(set(series[k])):
                    fh.write("%d %f\n" % (x, y))
            title = ("%s combined ceiling" % ALGO[k[1]]) if k[2] == "ceiling" \
                else "%s %s %s SA" % (ALGO[k[1]], k[2], k[3])
            style = "lines dt 2 lw 2" if k[2] == "ceiling" else "linespoints lw 2"
            plots.append("'%s' using 1:2 with %s title '%s'" % (f, style, title))
        cmds.append("set title 'twinsecd %s, one worker core'" % DIRN[d])
        cmds.append("plot " + ", ".join(plots))
    cmds.append("unset multiplot")
    subprocess.run(["gnuplot"], input="\n".join(cmds).encode(), check=False)


def has_cairo():
    r = subprocess.run(["gnuplot", "-e", "set terminal"], capture_output=True)
    return b"pngcairo" in r.stdout + r.stderr
