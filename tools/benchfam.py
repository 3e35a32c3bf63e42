# SPDX-License-Identifier: BSD-3-Clause
"""tools/bench's IPv6 rows (issue 18): twinsecd with IPv6 clear text in
IPv6 ESP beside the same twinsecd with IPv4 in IPv4, run in turn.

Per row (direction, IPv4 frame size): rounds of an IPv4 run then an IPv6
run, the order alternating per round, so both see the same machine; each
run is a tools/bench point (AES-GCM-128 cpu-crypto, 1 SA, one busy worker)
with its windows, the worker's on-CPU ns a packet, and the mean frame the
sink sent, checked against the frame expected (ESP outbound, clear
inbound). The IPv6 frame for IPv4 size F is max(F, 78): the issue's 78 B
stands for IPv4's 64 B (14 + 40 + 8 + 16 B of UDP payload), 512 and
1420 B are the same frame in both families (same ESP payload for the
cipher; IPv6's UDP payload 20 B shorter, its ESP frame 20 B longer on the
outside). No FCS, as every row of tools/bench. BENCH_FAMILY_SIZES=78
compares the two families at 78 B.
"""

import statistics
import time

import benchlib as bl

GOAL = 0.90     # issue 18: IPv6 within 10 % of IPv4 at the same size
DIR_NAME = {"out": "outbound", "in": "inbound"}


def v6_size(size):
    """The IPv6 row's frame size for the IPv4 row's size."""
    return max(size, 78)


def esp_frame_len(size, family, payload):
    """Outer ESP frame (GCM: 8 B IV, 16 B ICV) for a clear frame of size
    whose ESP payload is payload bytes."""
    return 14 + (40 if family == 6 else 20) + 8 + 8 + payload + 16


def run(b, dirs, sizes, rounds, esp_payload, log):
    rows = []
    for d in dirs:
        for size in sizes:
            s6 = v6_size(size)
            row = dict(dir=d, size4=size, size6=s6, errors=[], when=[],
                       r4=[], r6=[], ns4=[], ns6=[])
            want = {4: esp_frame_len(size, 4, esp_payload("gcm", size))
                    if d == "out" else size,
                    6: esp_frame_len(s6, 6, esp_payload("gcm", s6))
                    if d == "out" else s6}
            for r in range(rounds):
                for fam in ((4, 6) if r % 2 == 0 else (6, 4)):
                    row["when"].append(("IPv%d" % fam, time.strftime(
                        "%H:%M:%S", time.gmtime())))
                    p = b.point(d, "gcm", "cpu-crypto", 1,
                                s6 if fam == 6 else size, record=False,
                                cpu=True, family=fam, ceilings=False)
                    rates = p["rates"]
                    if p["error"]:
                        row["errors"].append("IPv%d: %s" % (fam, p["error"]))
                    elif p.get("flen") is not None and \
                            abs(p["flen"] - want[fam]) > 0.5:
                        row["errors"].append(
                            "IPv%d: the sink sent %.1f B frames, expected "
                            "%d" % (fam, p["flen"], want[fam]))
                        rates = []
                    row["r%d" % fam].append(rates)
                    if rates and p.get("cpu_ns"):
                        row["ns%d" % fam].append(p["cpu_ns"])
            for fam in (4, 6):
                row["all%d" % fam] = bl.stats(
                    [x for v in row["r%d" % fam] for x in v])
            if row["all4"] and row["all6"]:
                row["ratio"] = row["all6"][1] / row["all4"][1]
            if row["ns4"] and row["ns6"]:
                row["ns_ratio"] = statistics.median(row["ns4"]) / \
                    statistics.median(row["ns6"])
            log("%-3s IPv4 %4d B %s, IPv6 %4d B %s Mpps, IPv6 / IPv4 %s, "
                "by CPU time %s" % (
                    d, size, fmt3(row["all4"]), s6, fmt3(row["all6"]),
                    "%.2f" % row["ratio"] if "ratio" in row else "-",
                    "%.2f" % row["ns_ratio"] if "ns_ratio" in row else "-"))
            rows.append(row)
    return dict(rows=rows, rounds=rounds)


def fmt3(s, bold=False):
    if not s:
        return "-"
    return ("%.2f / **%.2f** / %.2f" if bold else "%.2f / %.2f / %.2f") % \
        tuple(x / 1e6 for x in s)


def markdown(fam, meta):
    def med(v):
        s = bl.stats(v)
        return "%.2f" % (s[1] / 1e6) if s else "-"

    def ns(v):
        return "%.0f" % statistics.median(v) if v else "-"
    t = ["## IPv6 beside IPv4 (issue 18)\n"]
    t.append(
        "IPv6 clear text in IPv6 ESP (`tools/bench-gen --family 6`: "
        "2001:db8:1::/64 inside, tunnel 2001:db8:2::1 to 2001:db8:f::1 "
        "through the router 2001:db8:2::fe, route ::/0) beside the IPv4 "
        "configuration of the rows above, AES-GCM-128 cpu-crypto, 1 SA, "
        "same harness; the IPv6 sink's RX holds one Neighbour Solicitation "
        "from the next hop for the gateway's address, from which twinsecd "
        "learns it (RFC 4861 7.2.3) as it learns the IPv4 one from the ARP "
        "request. Frame sizes: IPv4's 64 B is IPv6's 78 B (14 + 40 + 8 + 16 "
        "B of UDP payload, the size the issue names), 512 and 1420 B (and "
        "78 B in a 78 / 78 row) are the same frame in both families (no "
        "FCS). Per row, %d rounds of "
        "IPv4 then IPv6, the order alternating per round, each run %d "
        "windows of %.1f s after %.1f s of warm-up; min / median / max over "
        "all windows of a family, each run's median in run order (the "
        "run-to-run spread), and the worker's on-CPU ns a packet (median "
        "of the runs; time spent waiting for the CPU is not in it, the "
        "steadier comparison on a shared machine). The frames the sink "
        "sent are checked to be of the expected length. Goal: IPv6 within "
        "10 %% of IPv4 (ratio >= 0.90). The machine is shared: load "
        "average %.1f at start, %.1f at end.\n" % (
            fam["rounds"], meta["reps"], meta["window"], meta["warmup"],
            meta["load"][0][0], meta["load"][1][0]))
    t.append("| direction | frame B IPv4 / IPv6 | IPv4 Mpps min / **median** "
             "/ max | IPv6 Mpps min / **median** / max | IPv6 / IPv4 "
             "| IPv4 run medians | IPv6 run medians | IPv4 ns a packet "
             "| IPv6 ns a packet | IPv6 / IPv4 by CPU time "
             "| goal >= 0.90 (Mpps; CPU time) |")
    t.append("|" + "---|" * 11)
    for r in fam["rows"]:
        ratio, nsr = r.get("ratio"), r.get("ns_ratio")
        t.append("| %s | %d / %d | %s | %s | %s | %s | %s | %s | %s | %s "
                 "| %s |" % (
                     DIR_NAME[r["dir"]], r["size4"], r["size6"],
                     fmt3(r["all4"], True), fmt3(r["all6"], True),
                     "**%.2f**" % ratio if ratio else "-",
                     ", ".join(med(v) for v in r["r4"]),
                     ", ".join(med(v) for v in r["r6"]),
                     ns(r["ns4"]), ns(r["ns6"]),
                     "**%.2f**" % nsr if nsr else "-",
                     "%s; %s" % (
                         ("met" if ratio >= GOAL else "NOT met") if ratio
                         else "-",
                         ("met" if nsr >= GOAL else "NOT met") if nsr
                         else "-")))
    errs = [e for r in fam["rows"] for e in r["errors"]]
    if errs:
        t.append("\nErrors: " + "; ".join(sorted(set(errs))))
    t.append("\nRun order and start times (UTC): " + "; ".join(
        "%s %d B: %s" % (r["dir"], r["size4"], ", ".join(
            "%s %s" % w for w in r["when"])) for r in fam["rows"]) + ".\n")
    return "\n".join(t) + "\n"
