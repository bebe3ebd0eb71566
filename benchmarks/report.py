#!/usr/bin/env python3
"""Summarises a kimitsu_bench JSON run: Markdown tables and the targets on
stdout, and a PNG of throughput against rule count.

    report.py RESULTS.json [--plot OUT.png]

MB means 2**20 bytes throughout. Throughputs are Google Benchmark's
bytes_per_second: per CPU second for the single-threaded rows, per wall-clock
second for the thread rows (UseRealTime). Where a row ran repeatedly, the
median is used.
"""
import argparse
import json
import math
import re
import sys

MB = 1024.0 * 1024.0


def load(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    rows = {}
    cvs = {}
    for b in data["benchmarks"]:
        name = b.get("run_name", b["name"])
        name = re.sub(r"/(iterations|repeats):\d+", "", name)
        name = name.replace("/real_time", "")
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "cv" and "bytes_per_second" in b:
                cvs[name] = b["bytes_per_second"]
            if b.get("aggregate_name") != "median":
                continue
        elif name in rows:
            continue  # keep the first iteration row (aggregates replace it below)
        if b.get("error_occurred"):
            rows[name] = {"error": b.get("error_message", "error")}
            continue
        rows[name] = b
    for name, cv in cvs.items():
        if name in rows and "error" not in rows[name]:
            rows[name] = dict(rows[name], cv=cv)
    return data.get("context", {}), rows


def mbps(rows, name):
    b = rows.get(name)
    if not b or "bytes_per_second" not in b:
        return None
    return b["bytes_per_second"] / MB


def counter(rows, name, key):
    b = rows.get(name)
    return None if not b or key not in b else b[key]


def thr(rows, name):
    """MB/s, with the spread of repeated rows (coefficient of variation)."""
    v = mbps(rows, name)
    cv = (rows.get(name) or {}).get("cv")
    if v is None:
        return "—"
    return fmt(v) + (f" (±{cv * 100:.0f}%)" if cv is not None else "")


def fmt(v, digits=1):
    if v is None:
        return "—"
    if isinstance(v, str):
        return v
    if v >= 100:
        return f"{v:,.0f}"
    if 0 < abs(v) < 1:
        return f"{v:.{max(digits, 2)}g}" if abs(v) < 0.1 else f"{v:.2f}"
    return f"{v:,.{digits}f}"


def time_ms(b):
    unit = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b.get("time_unit", "ns")]
    return b["cpu_time"] * unit


def table(header, body):
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in body]
    return "\n".join(out)


def summarize(ctx, rows):
    out = []
    sizes = ["1KB", "64KB", "1MB", "64MB"]

    out.append("### End to end (C API, kimitsu_scanner, default policy)\n")
    body = []
    for mix in ["mixed", "clean", "dense"]:
        for size in sizes:
            n = f"e2e/kimitsu/{mix}/{size}"
            b = rows.get(n)
            if not b or "error" in b:
                continue
            body.append([mix, size, thr(rows, n), fmt(b.get("items_per_second")),
                         fmt(b.get("findings"), 0)])
    for n, label in [("e2e/kimitsu/japanese_sjis/1MB", "Japanese, Shift_JIS"),
                     ("e2e/kimitsu/japanese_prose/1MB", "Japanese prose only, UTF-8"),
                     ("e2e/kimitsu/english_prose/1MB", "English prose only"),
                     ("e2e/kimitsu_oneshot/mixed/64KB", "mixed, kimitsu_scan (no scanner)"),
                     ("e2e/kimitsu_first_scan/mixed/64KB", "mixed, first scan (fresh policy)"),
                     ("e2e/kimitsu_first_scan/mixed/1MB", "mixed, first scan (fresh policy)")]:
        b = rows.get(n)
        if b and "error" not in b:
            body.append([label, n.rsplit("/", 1)[1], fmt(mbps(rows, n)), fmt(b.get("items_per_second")),
                         fmt(b.get("findings"), 0)])
    out.append(table(["mix", "size", "MB/s", "docs/s", "findings"], body))

    out.append("\n### Per stage (1 MB documents)\n")
    body = []
    for name, b in rows.items():
        if not name.startswith("stage/") or "error" in b:
            continue
        ms = time_ms(b)
        extra = []
        for key in ["fired_per_chunk", "rescanned_MB", "candidates", "passed", "findings", "changed", "copied"]:
            if key in b:
                extra.append(f"{key}={fmt(b[key], 2)}")
        if name.startswith("stage/check/") or name.startswith("stage/score/"):
            thr_s = "—"
        else:
            thr_s = fmt(mbps(rows, name))
        body.append([name[len("stage/"):], thr_s, f"{ms:.3f}", " ".join(extra)])
    out.append(table(["stage", "MB/s", "ms per document", "notes"], body))

    out.append("\n### Reference engines (default policy's patterns)\n")
    body = []
    for mix, size in [("mixed", "1MB"), ("mixed", "64MB"), ("clean", "1MB"), ("dense", "1MB")]:
        row = [mix, size, thr(rows, f"e2e/kimitsu/{mix}/{size}")]
        for eng in ["re2_set", "hyperscan", "naive_re2", "memchr"]:
            row.append(thr(rows, f"ref/{eng}/{mix}/{size}"))
        body.append(row)
    out.append(table(["mix", "size", "kimitsu", "RE2::Set (which rules)", "Hyperscan (all matches)",
                      "one RE2 per rule", "memchr"], body))
    out.append(f"\nHyperscan rejected: {ctx.get('hyperscan_rejected_default', '?')}")

    out.append("\n### Scaling (generated policies, 1 MB mixed document)\n")
    body = []
    for n in [10, 100, 1000, 10000]:
        k = f"scale/kimitsu/rules:{n}"
        c = f"compile/generated/rules:{n}"
        hs = f"scale/hyperscan/rules:{n}"
        kb = rows.get(k) or {}
        cb = rows.get(c) or {}
        body.append([
            n, thr(rows, k), fmt(kb.get("first_scan_ms")), fmt(mbps(rows, f"scale/re2_set/rules:{n}")),
            fmt(mbps(rows, hs)), fmt(mbps(rows, f"scale/naive_re2/rules:{n}")),
            fmt(time_ms(cb)) if "cpu_time" in cb else "—", fmt(cb.get("program_size_MB"), 2),
            fmt(cb.get("heap_MB"), 1), fmt(cb.get("set_max_mem_MB"), 0),
            fmt(counter(rows, hs, "hs_compile_ms")),
        ])
    out.append(table(["rules", "kimitsu MB/s", "kimitsu first scan ms", "RE2::Set MB/s", "Hyperscan MB/s",
                      "one RE2 per rule MB/s", "compile ms", "ProgramSize MB", "heap MB", "set_max_mem MiB",
                      "Hyperscan compile ms"], body))

    out.append("\n### Threads, allocations, memory\n")
    body = []
    for t in [1, 2]:
        n = f"threads/kimitsu/mixed/1MB/threads:{t}"
        share = counter(rows, n, "cpu_share")
        body.append([f"{t} thread(s), mixed 1 MB, wall clock",
                     thr(rows, n) + f" MB/s in all; each thread got {fmt(share, 2)} of a core"])
    for name, b in rows.items():
        if name.startswith("allocs/") and "error" not in b:
            body.append([name, f"{fmt(b.get('allocs_per_scan'), 1)} operator new + "
                               f"{fmt(b.get('icu_allocs_per_scan'), 1)} ICU allocations per scan, "
                               f"{fmt(b.get('alloc_bytes_per_scan', 0) / 1024.0, 0)} KB; findings {fmt(b.get('findings'), 0)}"])
    for name, b in rows.items():
        if name.startswith("rss/") and "error" not in b:
            body.append([name, f"peak RSS +{fmt(b.get('rss_delta_MB'), 1)} MB above the process "
                               f"(process peak {fmt(b.get('rss_peak_MB'), 1)} MB, input {fmt(b.get('input_MB'), 0)} MB)"])
    b = rows.get("compile/default")
    if b and "error" not in b:
        body.append(["compile/default (kimitsu_policy_compile of the default policy)",
                     f"{time_ms(b):.1f} ms; ProgramSize {fmt(b.get('program_size_MB'), 2)} MB; "
                     f"heap held {fmt(b.get('heap_MB'), 2)} MB"])
    out.append(table(["row", "figure"], body))

    out.append("\n### Targets\n")
    out.append(table(["target", "measured", "met?"], targets(rows)))
    return "\n".join(out) + "\n"


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def targets(rows):
    t = []

    def row(label, value, goal, ok, unit="×"):
        if value is None:
            t.append([label, "not measured", "—"])
        else:
            t.append([label, f"{value:.2f}{unit}", "yes" if ok(value) else f"no (goal {goal})"])

    for size in ["1MB", "64MB"]:
        k = mbps(rows, f"e2e/kimitsu/mixed/{size}")
        row(f"kimitsu ÷ Hyperscan, mixed {size}", ratio(k, mbps(rows, f"ref/hyperscan/mixed/{size}")), "≥ 1.0×",
            lambda v: v >= 1.0)
        row(f"kimitsu ÷ one RE2 per rule, mixed {size}", ratio(k, mbps(rows, f"ref/naive_re2/mixed/{size}")),
            "≥ 30×", lambda v: v >= 30)
    row("10,000 rules ÷ 100 rules (kimitsu)",
        ratio(mbps(rows, "scale/kimitsu/rules:10000"), mbps(rows, "scale/kimitsu/rules:100")), "≥ 0.5×",
        lambda v: v >= 0.5)
    t1, t2 = "threads/kimitsu/mixed/1MB/threads:1", "threads/kimitsu/mixed/1MB/threads:2"
    row("2 threads ÷ 1 thread (wall clock)", ratio(mbps(rows, t2), mbps(rows, t1)), "≥ 1.8×", lambda v: v >= 1.8)
    s1, s2 = counter(rows, t1, "cpu_share"), counter(rows, t2, "cpu_share")
    if s1 and s2 and mbps(rows, t1) and mbps(rows, t2):
        row("2 threads ÷ 1 thread, per core actually received (cpu_share)",
            (mbps(rows, t2) / s2) / (mbps(rows, t1) / s1), "≥ 1.8×", lambda v: v >= 1.8)
    for size in ["64KB", "1MB"]:
        b = rows.get(f"allocs/kimitsu/clean/{size}") or {}
        v = None if "allocs_per_scan" not in b else b["allocs_per_scan"] + b.get("icu_allocs_per_scan", 0)
        row(f"heap allocations per scan, no findings, {size}", v, "0", lambda v: v == 0, unit="")
    b = rows.get("compile/default") or {}
    row("compile of the default policy", time_ms(b) if "cpu_time" in b else None, "< 50 ms", lambda v: v < 50,
        unit=" ms")
    v = None
    if "program_size_MB" in b:
        v = max(b["program_size_MB"], b.get("heap_MB", 0))
    row("compiled default policy (max of ProgramSize and heap held)", v, "< 32 MB", lambda v: v < 32, unit=" MB")
    return t


def plot(ctx, rows, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("report.py: matplotlib not available (apt-get install python3-matplotlib); no plot", file=sys.stderr)
        return
    counts = [10, 100, 1000, 10000]
    fig, ax = plt.subplots(figsize=(8, 5.5), dpi=110)
    series = [("kimitsu (end to end)", "scale/kimitsu", "o-", "tab:red"),
              ("RE2::Set, which rules fire", "scale/re2_set", "s--", "tab:blue"),
              ("Hyperscan, all matches", "scale/hyperscan", "^--", "tab:green"),
              ("one RE2 per rule", "scale/naive_re2", "v--", "tab:gray")]
    for label, prefix, style, color in series:
        xs, ys = [], []
        for n in counts:
            v = mbps(rows, f"{prefix}/rules:{n}")
            if v:
                xs.append(n)
                ys.append(v)
        if xs:
            ax.plot(xs, ys, style, label=label, color=color)
    m = mbps(rows, "ref/memchr/mixed/64MB")
    if m:
        ax.axhline(m, color="black", linestyle=":", label="memchr, 64 MB (memory speed)")
    kb = rows.get("scale/kimitsu/rules:10000") or {}
    if kb.get("capi") == 0 and mbps(rows, "scale/kimitsu/rules:10000"):
        ax.annotate(f"10,000 rules: C API cannot compile (prefilter budget);\n"
                    f"engine with set_max_mem {kb.get('set_max_mem_MB', 0):.0f} MiB",
                    (10000, mbps(rows, "scale/kimitsu/rules:10000")), textcoords="offset points", xytext=(-250, -40),
                    fontsize=7, arrowprops={"arrowstyle": "->", "color": "tab:red"})
    k = mbps(rows, "e2e/kimitsu/mixed/1MB")
    if k:
        n = int(ctx.get("default_policy_rules", "46"))
        ax.plot([n], [k], "*", color="tab:red", markersize=12, label=f"kimitsu, default policy ({n} rules)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("rules in the policy")
    ax.set_ylabel("throughput, MB/s (log)")
    ax.set_title("Throughput vs. rule count, 1 MB mixed document, one thread")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    fig.savefig(path)
    print(f"report.py: wrote {path}", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("json")
    ap.add_argument("--plot")
    args = ap.parse_args()
    ctx, rows = load(args.json)
    sys.stdout.write(summarize(ctx, rows))
    if args.plot:
        plot(ctx, rows, args.plot)


if __name__ == "__main__":
    main()
