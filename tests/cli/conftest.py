"""Fixtures for the end-to-end tests of the `kimitsu` CLI.

KIMITSU_BIN names the executable (CTest sets it to the built target);
KIMITSU_SOURCE_DIR the source tree (for examples/leak-sample and the
corpus). Both default to the usual places relative to this file.
"""
import json
import os
import pathlib
import subprocess

import pytest

SOURCE_DIR = pathlib.Path(
    os.environ.get("KIMITSU_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
KIMITSU_BIN = os.environ.get("KIMITSU_BIN", str(SOURCE_DIR / "build" / "bin" / "kimitsu"))
LEAK_SAMPLE = SOURCE_DIR / "examples" / "leak-sample"
CORPUS = SOURCE_DIR / "tests" / "corpus"


class Run:
    """The outcome of one kimitsu invocation."""

    def __init__(self, proc):
        self.returncode = proc.returncode
        self.stdout_bytes = proc.stdout
        self.stdout = proc.stdout.decode("utf-8")  # every output must be UTF-8
        self.stderr = proc.stderr.decode("utf-8", "replace")

    def jsonl(self):
        return [json.loads(line) for line in self.stdout.splitlines()]

    def __repr__(self):
        return f"Run(rc={self.returncode}, stderr={self.stderr!r})"


def kimitsu(*args, stdin=None, cwd=None, env=None, timeout=60):
    """Runs the CLI with `args` (str or bytes) and returns a Run."""
    full_env = dict(os.environ)
    full_env.pop("NO_COLOR", None)
    if env:
        full_env.update(env)
    proc = subprocess.run([KIMITSU_BIN, *args], input=stdin, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, cwd=cwd, env=full_env, timeout=timeout)
    return Run(proc)


@pytest.fixture(scope="session")
def leak_jsonl():
    """The leak sample scanned once, with matches shown (for offset checks)."""
    run = kimitsu("scan", "--format", "jsonl", "--show-matches", str(LEAK_SAMPLE))
    assert run.returncode == 0, run
    return run.jsonl()


@pytest.fixture()
def card_tree(tmp_path):
    """A small tree: a card number, an empty file, a subdirectory."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "cards.txt").write_bytes(b"Card: 4111 1111 1111 1111 exp 12/30\n")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "note.txt").write_bytes(b"Lunch is at noon on Friday.\n")
    return tmp_path
