"""Errors: policy errors with their position, I/O errors, misuse."""
import pytest

import kimitsu

GOOD_HEAD = """\
version: 1
tiers:
  - id: high
    label: High
    threshold: 0.5
  - id: low
    label: Low
default_tier: low
rules:
"""


def test_policy_error_bad_regex(tmp_path):
    text = GOOD_HEAD + "  - id: broken\n    tier: high\n    confidence: 0.9\n    regex: \"(unclosed\"\n"
    with pytest.raises(kimitsu.PolicyError) as info:
        kimitsu.Policy.from_yaml(text)
    e = info.value
    assert (e.line, e.column, e.rule) == (13, 12, "broken")
    assert e.status == -4 and e.status_name == "KIMITSU_E_POLICY"
    assert e.message == str(e) and e.message.startswith("<policy>:13:12: rule 'broken'")
    assert "regex" in e.message
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(kimitsu.PolicyError) as info:
        kimitsu.Policy.from_file(path)
    assert info.value.message.startswith(str(path) + ":13:12:")
    assert (info.value.line, info.value.column) == (13, 12)


def test_policy_error_unknown_key():
    text = GOOD_HEAD + "  - id: typo\n    tier: high\n    confidence: 0.9\n    keywordz: [x]\n"
    with pytest.raises(kimitsu.PolicyError) as info:
        kimitsu.Policy.from_yaml(text)
    assert (info.value.line, info.value.column, info.value.rule) == (13, 5, "typo")
    assert "keywordz" in info.value.message


def test_policy_error_without_a_rule():
    with pytest.raises(kimitsu.PolicyError) as info:
        kimitsu.Policy.from_yaml("version: 1\ntiers: 3\n")
    assert info.value.rule is None
    assert info.value.line == 2
    with pytest.raises(kimitsu.PolicyError):
        kimitsu.Policy.from_yaml("")
    with pytest.raises(kimitsu.PolicyError):
        kimitsu.Policy.from_yaml(b"\xff\xfe not yaml: [")


def test_policy_file_missing(tmp_path):
    missing = tmp_path / "missing.yaml"
    with pytest.raises(kimitsu.KimitsuError) as info:
        kimitsu.Policy.from_file(missing)
    e = info.value
    assert not isinstance(e, kimitsu.PolicyError)
    assert e.status_name == "KIMITSU_E_IO"
    assert str(missing) in e.message and "No such file" in e.message
    with pytest.raises(kimitsu.KimitsuError):
        kimitsu.Policy.from_file(tmp_path)  # a directory
    with pytest.raises(ValueError):
        kimitsu.Policy.from_file("bad\0path")


def test_kimitsu_error_is_an_exception():
    e = kimitsu.KimitsuError("boom", status=-9)
    assert isinstance(e, Exception) and e.status_name == "KIMITSU_E_INTERNAL"
    assert kimitsu.KimitsuError("x").status is None and kimitsu.KimitsuError("x").status_name is None
