"""python -m kimitsu scan [--policy FILE] [--jobs N] PATH...

A thin front end for quick looks: one line per file, "tier score path".
Directories are walked recursively; "-" reads standard input. The C++ CLI
(`kimitsu scan`) is the batch tool: JSONL, CSV, SARIF, --fail-on.
Exit status: 0 done, 1 some file could not be read, 2 usage or policy error.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Iterator, List, Optional, Sequence

from . import KimitsuError, Policy, __version__, library_path, library_version


def _files(paths: Sequence[str]) -> Iterator[str]:
    for path in paths:
        if path != "-" and os.path.isdir(path):
            for root, dirs, names in os.walk(path):
                dirs.sort()
                for name in sorted(names):
                    yield os.path.join(root, name)
        else:
            yield path


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kimitsu", description="Classify documents by sensitivity.")
    parser.add_argument("--version", action="version",
                        version="kimitsu %s (library %s at %s)" % (__version__, library_version(), library_path()))
    commands = parser.add_subparsers(dest="command", required=True)
    scan = commands.add_parser("scan", help="print 'tier score path' for each file")
    scan.add_argument("--policy", metavar="FILE", help="policy file (default: the built-in policy)")
    scan.add_argument("--jobs", type=int, default=None, metavar="N", help="threads (default: one per CPU)")
    scan.add_argument("paths", nargs="+", metavar="PATH", help="files or directories; '-' for stdin")
    args = parser.parse_args(argv)
    if args.jobs is not None and args.jobs < 1:
        parser.error("--jobs must be at least 1")

    try:
        policy = Policy.from_file(args.policy) if args.policy else Policy.default()
    except KimitsuError as e:
        print("kimitsu: %s" % e, file=sys.stderr)
        return 2
    width = max(len(t.id) for t in policy.tiers)
    files = list(_files(args.paths))

    failed = False
    try:
        failed = _report(policy, files, args.jobs, width)
    except BrokenPipeError:  # e.g. piped into head: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 1 if failed else 0


def _report(policy: Policy, files: List[str], jobs: Optional[int], width: int) -> bool:
    def item(path: str):
        return sys.stdin.buffer.read() if path == "-" else Path(path)

    failed = False
    with policy:
        results = policy.scan_many((item(p) for p in files), jobs=jobs, return_exceptions=True)
        for path, result in zip(files, results):
            if isinstance(result, Exception):
                reason = result.strerror if isinstance(result, OSError) and result.strerror else result
                print("kimitsu: %s: %s" % (path, reason), file=sys.stderr)
                failed = True
            else:
                print("%-*s %.3f  %s" % (width, result.tier, result.score, path))
    return failed


if __name__ == "__main__":
    sys.exit(main())
