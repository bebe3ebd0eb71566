#!/usr/bin/env python3
"""Triage a file share with kimitsu: classify every file under a directory
on all CPUs and print one row per tier — how many files, how many bytes, the
rules that fired most, and the highest-scoring file.

    PYTHONPATH=bindings/python python3 examples/python/triage.py examples/leak-sample
    (or, with the package installed: python3 examples/python/triage.py DIR)
"""
import collections
import sys
from pathlib import Path

import kimitsu


def main(root: Path) -> int:
    paths = sorted(p for p in root.rglob("*") if p.is_file())
    files = collections.defaultdict(list)  # tier id -> [(score, path)]
    size = collections.Counter()  # tier id -> bytes
    rules = collections.defaultdict(collections.Counter)  # tier id -> rule -> files
    failed = 0
    with kimitsu.Policy.default() as policy:
        # Paths (not str!) are read as files; results come back in input order.
        for path, result in zip(paths, policy.scan_many(paths, return_exceptions=True)):
            if isinstance(result, Exception):
                print("cannot scan %s: %s" % (path, result), file=sys.stderr)
                failed += 1
                continue
            files[result.tier].append((result.score, path))
            size[result.tier] += result.input_bytes
            rules[result.tier].update({f.rule for f in result.findings if f.tier == result.tier})

        print("%-18s %5s %9s  %-50s %s" % ("tier", "files", "bytes", "most frequent rules", "top file"))
        for tier in policy.tiers:  # highest first
            ranked = sorted(files[tier.id], reverse=True)
            top = "%.2f %s" % (ranked[0][0], ranked[0][1].relative_to(root)) if ranked else "-"
            common = ", ".join(rule for rule, _ in rules[tier.id].most_common(2)) or "-"
            print("%-18s %5d %9d  %-50s %s" % (tier.id, len(ranked), size[tier.id], common, top))
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1])))
