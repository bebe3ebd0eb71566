"""Shared fixtures. The tests run against the package in this source tree
(bindings/python) and the library that KIMITSU_LIBRARY names, else the
CMake build's build/lib (see kimitsu/_ffi.py)."""
import json
import sys
from pathlib import Path

import pytest

BINDINGS = Path(__file__).resolve().parent.parent
ROOT = BINDINGS.parent.parent
CORPUS = ROOT / "tests" / "corpus"

if str(BINDINGS) not in sys.path:
    sys.path.insert(0, str(BINDINGS))

import kimitsu  # noqa: E402


@pytest.fixture(scope="session")
def policy():
    with kimitsu.Policy.default() as p:
        yield p


@pytest.fixture(scope="session")
def corpus_files():
    """(path, expected tier) of every labelled corpus document."""
    entries = []
    with open(CORPUS / "manifest.jsonl", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                entry = json.loads(line)
                entries.append((CORPUS / entry["path"], entry["tier"]))
    return entries


def as_tuple(result):
    """Everything a Result says, comparable with ==."""
    return (
        result.tier,
        result.score,
        tuple(sorted(result.scores.items())),
        result.encoding,
        result.flags,
        result.total_findings,
        tuple(result.findings),
    )
