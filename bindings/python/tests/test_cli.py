"""The bindings and the C++ CLI agree on every corpus document:
`kimitsu scan --format jsonl tests/corpus` against Policy.scan_file."""
import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT


def cli_path():
    if os.environ.get("KIMITSU_CLI"):
        return Path(os.environ["KIMITSU_CLI"])
    if os.environ.get("KIMITSU_LIBRARY"):  # build/lib/libkimitsu.so.0 -> build/bin/kimitsu
        return Path(os.environ["KIMITSU_LIBRARY"]).resolve().parent.parent / "bin" / "kimitsu"
    return ROOT / "build" / "bin" / "kimitsu"


def close_enough(printed, value):
    """``printed`` (as the CLI wrote it: the shortest round-trip form) equals ``value`` to 1e-9."""
    return abs(float(printed) - value) <= 1e-9


def test_bindings_match_cli_jsonl(policy, corpus_files):
    cli = cli_path()
    if not (cli.is_file() and os.access(cli, os.X_OK)):
        pytest.skip("the CLI is not built (%s is missing): nothing to compare with" % cli)
    run = subprocess.run([str(cli), "scan", "--format", "jsonl", str(CORPUS)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    records = {}
    for line in run.stdout.splitlines():
        if line.strip():
            record = json.loads(line)
            path = Path(record["path"])
            if not path.is_absolute():
                path = Path.cwd() / path
            records[path.resolve().relative_to(CORPUS.resolve()).as_posix()] = record
    for path, _ in corpus_files:
        key = path.relative_to(CORPUS).as_posix()
        assert key in records, "the CLI gave no record for %s" % key
        record, result = records[key], policy.scan_file(path)
        assert not record.get("error"), (key, record["error"])
        assert record["tier"] == result.tier, key
        assert close_enough(record["score"], result.score), (key, record["score"], result.score)
        assert set(record["scores"]) == set(result.scores), key
        for tier, score in record["scores"].items():
            assert close_enough(score, result.scores[tier]), (key, tier, score, result.scores[tier])
        assert [(f["rule"], f["start"], f["end"]) for f in record["findings"]] == \
               [(f.rule, f.start, f.end) for f in result.findings], key

