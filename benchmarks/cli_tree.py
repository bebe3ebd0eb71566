#!/usr/bin/env python3
"""Throughput and memory of the `kimitsu` CLI on a generated file share.

    benchmarks/cli_tree.py [--kimitsu build/bin/kimitsu] [--dir DIR] [--keep]
                           [--files 10000] [--big-mib 1024] [--repeat 1]

Generates, deterministically (seed 1), a tree of --files files of 1-64 KB —
English and Japanese prose, with occasional classification markings, payment
card numbers and My Numbers — and one file of --big-mib MiB, then runs

    kimitsu scan --format jsonl --output /dev/null --jobs J TARGET

for J = 1 and 2 on the tree and on the big file under /usr/bin/time -v, and
prints wall time, files/s, MB/s (10^6 bytes), peak RSS and CPU time (CPU %
above 100 means the jobs ran in parallel). With --repeat N
each run is repeated and the fastest kept. The data is written to a fresh
temporary directory (removed at the end unless --keep) or to --dir, where
it is reused when it was generated with the same parameters. The files are
in the page cache when scanned: this measures the CLI, not the disk.
"""
import argparse
import os
import pathlib
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]

EN = [
    "The quarterly review covered staffing, the move to the new office and the training budget.",
    "Please submit expense reports by the fifth business day of the following month.",
    "The maintenance window for the mail servers is Saturday from 22:00 to 02:00.",
    "Attendees agreed to revisit the supplier shortlist after the site visits.",
    "Our customer satisfaction survey closes at the end of the week.",
    "The cafeteria will be closed on Friday for the annual deep cleaning.",
    "Remember to lock your screen when you step away from your desk.",
    "The team shipped the new reporting dashboard two days ahead of schedule.",
    "Travel to the regional office should be booked through the usual portal.",
    "The library has added new titles on project management and design.",
    "A fire drill is planned for Tuesday morning; follow the marshals' instructions.",
    "The draft schedule for the spring conference is attached for comments.",
]
JA = [
    "本日の定例会議では、来期の人員計画と新事務所への移転について確認した。",
    "経費精算は翌月の第五営業日までに提出してください。",
    "メールサーバの保守作業は土曜日の二十二時から翌二時まで実施します。",
    "出席者は現地視察の後に取引先候補を再検討することで合意した。",
    "顧客満足度調査の回答期限は今週末です。",
    "金曜日は年に一度の清掃のため社員食堂を休業します。",
    "離席する際は必ず画面をロックしてください。",
    "新しい集計画面は予定より二日早く公開された。",
    "地方事務所への出張は通常の手続きで手配してください。",
    "防災訓練は火曜日の午前に予定しています。誘導員の指示に従ってください。",
    "春の展示会の日程案を添付しますので、ご意見をお寄せください。",
    "図書室にプロジェクト管理とデザインに関する新しい書籍が入りました。",
]
BANNERS = ["TOP SECRET//SI//NOFORN", "SECRET//REL TO USA, JPN", "【特定秘密】", "【極秘】",
           "CUI", "取扱注意", "社外秘", "INTERNAL USE ONLY"]
CARDS = ["4111 1111 1111 1111", "5555 5555 5555 4444", "3782 822463 10005", "3530 1113 3330 0000"]


def my_number(rng):
    """A 12-digit My Number with a valid check digit."""
    digits = [rng.randrange(10) for _ in range(11)]
    total = 0
    for n in range(1, 12):  # p_n: the n-th digit from the right, before the check digit
        p = digits[11 - n]
        q = n + 1 if n <= 6 else n - 5
        total += p * q
    r = total % 11
    check = 0 if r <= 1 else 11 - r
    return "".join(map(str, digits)) + str(check)


def document(rng, size):
    """About `size` bytes of UTF-8 text (cut at a line end). One file in 16
    has a marking at its top and bottom, one in 32 a card number, one in 32
    a My Number."""
    ja = rng.random() < 0.4
    sentences = JA if ja else EN
    paras = []
    n = 0
    while n < size:
        para = ("" if ja else " ").join(rng.choice(sentences) for _ in range(rng.randint(2, 6)))
        paras.append(para)
        n += len(para.encode("utf-8")) + 1
    if rng.random() < 1 / 32:
        card = rng.choice(CARDS)
        paras.insert(rng.randrange(len(paras) + 1), ("カード番号: " if ja else "Card number: ") + card)
    if rng.random() < 1 / 32:
        paras.insert(rng.randrange(len(paras) + 1), "個人番号: " + my_number(rng))
    data = ("\n".join(paras) + "\n").encode("utf-8")
    if len(data) > size:
        cut = data.rfind(b"\n", 0, size)
        data = data[:cut + 1] if cut > 0 else data[:size]
    if rng.random() < 1 / 16:
        banner = rng.choice(BANNERS).encode("utf-8") + b"\n"
        data = banner + data + banner
    return data


def generate(root, files, big_mib):
    rng = random.Random(1)
    tree = root / "tree"
    tree.mkdir(parents=True)
    total = 0
    for i in range(files):
        d = tree / f"dept{i // 100:03d}"
        if i % 100 == 0:
            d.mkdir()
        name = f"doc_{i:05d}.txt" if i % 3 else f"資料_{i:05d}.txt"
        data = document(rng, rng.randint(1024, 64 * 1024))
        (d / name).write_bytes(data)
        total += len(data)
    # The big file: 1 MiB blocks of prose, a few of them with a card number or
    # a marking, written block by block.
    blocks = []
    for b in range(16):
        block = document(random.Random(100 + b), 1 << 20)
        block += b"\n" * ((1 << 20) - len(block))
        blocks.append(block)
    big = root / "big.txt"
    with open(big, "wb") as f:
        for i in range(big_mib):
            f.write(blocks[(i * 7) % len(blocks)])
    return tree, big, total


def cores_available(seconds=1.0):
    """How many cores two busy processes actually get right now: --jobs 2
    cannot be faster than this many times one job on a shared machine."""
    t0, start = os.times(), time.monotonic()
    burn = f"import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end: pass"
    procs = [subprocess.Popen([sys.executable, "-c", burn]) for _ in range(2)]
    for p in procs:
        p.wait()
    t1, wall = os.times(), time.monotonic() - start
    cpu = (t1.children_user - t0.children_user) + (t1.children_system - t0.children_system)
    return cpu / wall


def timed(cmd):
    """Runs cmd under /usr/bin/time -v; returns (wall seconds, peak RSS KiB,
    CPU seconds)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        proc = subprocess.run(["/usr/bin/time", "-v", "-o", t.name, *cmd],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        report = t.read()
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.decode()}")
    m = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", report)
    wall = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", report).group(1))
    cpu = sum(float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", report).group(1))
              for kind in ("User", "System"))
    return wall, rss, cpu


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kimitsu", default=str(ROOT / "build" / "bin" / "kimitsu"))
    ap.add_argument("--dir", help="generate into (or reuse) this directory")
    ap.add_argument("--keep", action="store_true", help="keep the generated temporary directory")
    ap.add_argument("--files", type=int, default=10000)
    ap.add_argument("--big-mib", type=int, default=1024)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()

    root = pathlib.Path(args.dir) if args.dir else pathlib.Path(tempfile.mkdtemp(prefix="kimitsu-cli-bench-"))
    stamp = root / "PARAMS"
    params = f"files={args.files} big_mib={args.big_mib} v2\n"
    try:
        if stamp.exists() and stamp.read_text() == params:
            tree, big = root / "tree", root / "big.txt"
            tree_bytes = sum(p.stat().st_size for p in tree.rglob("*") if p.is_file())
        else:
            if root.exists():
                shutil.rmtree(root / "tree", ignore_errors=True)
            root.mkdir(parents=True, exist_ok=True)
            print(f"generating {args.files} files and a {args.big_mib} MiB file in {root} ...", flush=True)
            tree, big, tree_bytes = generate(root, args.files, args.big_mib)
            stamp.write_text(params)
        big_bytes = big.stat().st_size
        version = subprocess.run([args.kimitsu, "--version"], capture_output=True, text=True).stdout.strip()
        print(f"{version}; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}; "
              f"two busy processes get {cores_available():.2f} cores")
        print(f"tree: {args.files} files, {tree_bytes / 1e6:.1f} MB; big file: {big_bytes / 1e6:.1f} MB")
        print(f"{'target':<6} {'jobs':>4} {'wall s':>8} {'files/s':>9} {'MB/s':>8} {'peak RSS MB':>12} "
              f"{'CPU s':>7} {'CPU %':>6}")
        results = {}
        for name, target, files, size in (("tree", tree, args.files, tree_bytes), ("big", big, 1, big_bytes)):
            for jobs in (1, 2):
                cmd = [args.kimitsu, "scan", "--format", "jsonl", "--output", "/dev/null",
                       "--jobs", str(jobs), str(target)]
                wall, rss, cpu = min(timed(cmd) for _ in range(max(1, args.repeat)))
                results[(name, jobs)] = wall
                print(f"{name:<6} {jobs:>4} {wall:>8.2f} {files / wall:>9.1f} {size / wall / 1e6:>8.1f} "
                      f"{rss / 1024:>12.1f} {cpu:>7.2f} {100 * cpu / wall:>6.0f}", flush=True)
        print(f"tree: 2 jobs are {results[('tree', 1)] / results[('tree', 2)]:.2f}x one job "
              f"(two busy processes now get {cores_available():.2f} cores)")
        print("command: " + " ".join([args.kimitsu, "scan", "--format", "jsonl", "--output", "/dev/null",
                                      "--jobs", "J", "TARGET"]))
    finally:
        if not args.dir and not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
