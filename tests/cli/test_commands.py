"""Commands, help, exit statuses and messages of the `kimitsu` CLI."""
import re

import pytest

from conftest import LEAK_SAMPLE, SOURCE_DIR, kimitsu

BAD_POLICY = """version: 1
tiers:
  - id: secret
    threshold: 0.5
  - id: public
default_tier: public
rules:
  - id: broken
    tier: secret
    confidence: 0.9
    regex: 'abc('
"""

SMALL_POLICY = """version: 1
tiers:
  - id: restricted
    threshold: 0.5
  - id: open
default_tier: open
rules:
  - id: codename
    tier: restricted
    confidence: 0.9
    keywords: [BLUEHERON]
    description: the project codename
"""


def test_version():
    run = kimitsu("--version")
    assert run.returncode == 0
    assert re.fullmatch(r"kimitsu \d+\.\d+\.\d+ \(library \d+\.\d+\.\d+\)\n", run.stdout)


@pytest.mark.parametrize("args", [["--help"], ["scan", "--help"], ["explain", "--help"],
                                  ["policy", "--help"], ["policy", "check", "--help"],
                                  ["policy", "dump", "--help"], ["scan", "-h"]])
def test_help_on_every_command(args):
    run = kimitsu(*args)
    assert run.returncode == 0
    assert run.stdout.startswith("usage: kimitsu")
    assert run.stderr == ""


@pytest.mark.parametrize("args", [[], ["frobnicate"], ["scan"], ["scan", "--bogus", "x"],
                                  ["scan", "--format", "xml", "x"], ["scan", "--jobs", "0", "x"],
                                  ["scan", "--jobs"], ["explain"], ["explain", "a", "b"],
                                  ["policy"], ["policy", "check"], ["policy", "dump", "x"],
                                  ["policy", "frob"]])
def test_usage_errors_exit_2_on_stderr(args):
    run = kimitsu(*args)
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr


@pytest.mark.parametrize("option", ["--min-tier", "--fail-on"])
def test_unknown_tier_lists_the_policy_tiers(option):
    run = kimitsu("scan", option, "secret", str(LEAK_SAMPLE))
    assert run.returncode == 2
    assert "unknown tier 'secret'" in run.stderr
    assert "designated_secret, protected, business_related, public" in run.stderr


def test_fail_on():
    run = kimitsu("scan", "--format", "jsonl", "--fail-on", "protected", str(LEAK_SAMPLE))
    assert run.returncode == 3
    files = [p for p in LEAK_SAMPLE.rglob("*") if p.is_file()]
    assert len(run.jsonl()) == len(files)  # the report is complete all the same
    assert kimitsu("scan", "--fail-on", "designated_secret", str(LEAK_SAMPLE / "public")).returncode == 0
    assert kimitsu("scan", "--fail-on", "public", str(LEAK_SAMPLE / "public")).returncode == 3


def test_bad_policy_exits_2_with_file_line_column(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_POLICY)
    run = kimitsu("policy", "check", str(bad))
    assert run.returncode == 2
    assert re.search(re.escape(str(bad)) + r":11:\d+: rule 'broken'", run.stderr), run.stderr
    run = kimitsu("scan", "--policy", str(bad), str(LEAK_SAMPLE))
    assert run.returncode == 2 and run.stdout == ""
    assert re.search(re.escape(str(bad)) + r":11:\d+:", run.stderr)
    run = kimitsu("policy", "check", str(tmp_path / "missing.yaml"))
    assert run.returncode == 2 and "missing.yaml" in run.stderr


def test_policy_check_ok():
    path = SOURCE_DIR / "policies" / "default.yaml"
    run = kimitsu("policy", "check", str(path))
    assert run.returncode == 0
    assert re.fullmatch(re.escape(str(path)) + r": ok \(4 tiers, \d+ rules\)\n", run.stdout)


def test_policy_dump_is_the_default_policy(tmp_path):
    run = kimitsu("policy", "dump")
    assert run.returncode == 0
    assert run.stdout_bytes == (SOURCE_DIR / "policies" / "default.yaml").read_bytes()
    try:
        import yaml
    except ImportError:
        assert re.search(r"^version: 1$", run.stdout, re.M)
    else:
        doc = yaml.safe_load(run.stdout)
        assert doc["version"] == 1
        assert [t["id"] for t in doc["tiers"]] == ["designated_secret", "protected",
                                                   "business_related", "public"]
    dumped = tmp_path / "dumped.yaml"
    dumped.write_bytes(run.stdout_bytes)
    assert kimitsu("policy", "check", str(dumped)).returncode == 0


def test_custom_policy_tiers(tmp_path):
    policy = tmp_path / "p.yaml"
    policy.write_text(SMALL_POLICY)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("Status of BLUEHERON: on track.\n")
    (tmp_path / "docs" / "b.txt").write_text("Nothing here.\n")
    run = kimitsu("scan", "--format", "jsonl", "--policy", str(policy), "--fail-on", "restricted",
                  str(tmp_path / "docs"))
    assert run.returncode == 3
    a, b = run.jsonl()
    assert (a["tier"], b["tier"]) == ("restricted", "open")
    assert set(a["scores"]) == {"restricted", "open"}
    csv_header = kimitsu("scan", "--format", "csv", "--policy", str(policy),
                         str(tmp_path / "docs")).stdout.splitlines()[0]
    assert "score_restricted,score_open" in csv_header


def test_explain_shows_findings_scores_and_decision():
    path = LEAK_SAMPLE / "共有/防衛事業部/受領文書/特定秘密_指定番号R5-0147_写し3.txt"
    run = kimitsu("explain", str(path))
    assert run.returncode == 0, run
    out = run.stdout
    assert "encoding  Shift_JIS" in out
    assert "jp_designated_secret_marking" in out
    assert "line 1, bytes 2-10: 特定**" in out  # masked
    assert "base_confidence" in out and "context_delta" in out and "placement line" in out
    assert re.search(r"jp_designated_secret_marking: \d+ findings, rule score 0\.\d\d", out)
    assert re.search(r"designated_secret: score 0\.\d+ ≥ threshold 0\.60 → designated_secret", out)
    assert "Decision: designated_secret" in out
    shown = kimitsu("explain", "--show-matches", str(path)).stdout
    assert "line 1, bytes 2-10: 特定秘密" in shown


def test_explain_public_file_names_the_default_tier():
    run = kimitsu("explain", str(LEAK_SAMPLE / "public" / "README.txt"))
    assert run.returncode == 0
    assert "no tier above reached its threshold → public" in run.stdout
    assert "Decision: public" in run.stdout


def test_explain_errors(tmp_path):
    assert kimitsu("explain", str(tmp_path)).returncode == 2  # a directory
    (tmp_path / "dangling").symlink_to("nowhere")
    run = kimitsu("explain", str(tmp_path / "dangling"))
    assert run.returncode == 1 and "dangling symlink" in run.stderr


def test_explain_stdin():
    run = kimitsu("explain", "-", stdin=b"TOP SECRET//SI//NOFORN\nbody\nTOP SECRET//SI//NOFORN\n")
    assert run.returncode == 0
    assert "Decision: designated_secret" in run.stdout


def test_write_failure_is_reported(tmp_path):
    import os
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    run = kimitsu("scan", "--format", "jsonl", "-o", "/dev/full", str(LEAK_SAMPLE))
    assert run.returncode == 1
    assert "cannot write" in run.stderr
