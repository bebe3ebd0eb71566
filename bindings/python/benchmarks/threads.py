"""Does scanning run in parallel? Times Policy.scan_many on 1 and N threads.

    KIMITSU_LIBRARY=build/lib/libkimitsu.so.0 PYTHONPATH=bindings/python \\
        /usr/bin/python3 bindings/python/benchmarks/threads.py [--jobs 2] [--docs 32] [--mib 1]

The workload is CPU-bound: documents of mixed Japanese and English prose
(~1 MiB each, a marking at the top and a card number at the end, a few
findings each, like most of a file share) scanned from memory.
cffi releases the GIL for each C call, so N threads should take ~1/N of the
time on N free cores; the per-result Python work (building Finding objects,
~2-5 us per finding) is the part that still holds the GIL, so documents
with thousands of findings each scale less well. For reference, the same
threads then hash the same bytes with hashlib.sha256, which also releases
the GIL: the speedup the machine gives at the moment (less when busy).
"""
import argparse
import hashlib
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import kimitsu  # noqa: E402

PARAGRAPH = (
    "本報告書は令和6年度の設備更新計画について、関係部署の意見を取りまとめたものである。"
    "The committee reviewed the maintenance schedule, vendor schedules and staffing.\n"
    "会議では保守計画、業者の比較、人員配置の三点を中心に議論が行われた。\n"
    "Minutes were circulated to all attendees; no objections were raised.\n\n"
)


def make_document(i: int, size: int) -> bytes:
    head = "【取扱注意】\n文書番号 %d\n\n" % i
    body = PARAGRAPH * (size // len(PARAGRAPH.encode()))
    return (head + body + "カード番号 4111 1111 1111 1111\n").encode()


def timed(policy, docs, jobs):
    start, cpu = time.perf_counter(), time.process_time()
    results = list(policy.scan_many(docs, jobs=jobs))
    return time.perf_counter() - start, time.process_time() - cpu, results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--docs", type=int, default=32)
    parser.add_argument("--mib", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    docs = [make_document(i, int(args.mib * (1 << 20))) for i in range(args.docs)]
    total_mb = sum(map(len, docs)) / 1e6
    policy = kimitsu.Policy.default()
    timed(policy, docs[:2], 1)  # warm up
    print("kimitsu %s, %s; %d CPUs available; %d documents, %.1f MB"
          % (kimitsu.__version__, kimitsu.library_path(), len(os.sched_getaffinity(0)), len(docs), total_mb))
    best = {}
    for jobs in (1, args.jobs):
        runs = [timed(policy, docs, jobs) for _ in range(args.repeat)]
        seconds, cpu, results = min(runs, key=lambda run: run[0])
        best[jobs] = seconds
        # CPU seconds per wall second: how many threads really ran at once
        # (low when other processes hold the cores).
        print("jobs=%d: best %.3f s of %d (%.1f MB/s), %.2f CPUs busy; %d findings per document"
              % (jobs, seconds, args.repeat, total_mb / seconds, cpu / seconds, len(results[0].findings)))
    reference = {}
    for jobs in (1, args.jobs):
        runs = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            with ThreadPoolExecutor(jobs) as pool:
                list(pool.map(lambda d: hashlib.sha256(d).digest(), docs))
            runs.append(time.perf_counter() - start)
        reference[jobs] = min(runs)
    print("speedup with %d threads: %.2fx (hashlib.sha256 on the same threads: %.2fx)"
          % (args.jobs, best[1] / best[args.jobs], reference[1] / reference[args.jobs]))


if __name__ == "__main__":
    main()
