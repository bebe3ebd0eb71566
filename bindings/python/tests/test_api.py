"""Every public API path of the kimitsu package."""
import array
import dataclasses
import gc
import json
import mmap
import os
import pathlib
import subprocess
import sys

import pytest

import kimitsu
from conftest import BINDINGS, CORPUS, as_tuple

BANNER = b"TOP SECRET//NOFORN\n\nOperation plan.\n"
SMALL_POLICY = """\
version: 1
tiers:
  - id: high
    label: High
    threshold: 0.5
  - id: low
    label: Low
default_tier: low
rules:
  - id: codeword
    tier: high
    entity: CODEWORD
    description: the project codeword
    confidence: 0.9
    keywords: [bluebird]
"""


def test_versions():
    assert kimitsu.__version__ == kimitsu.library_version()
    assert kimitsu.__version__.count(".") == 2
    assert os.path.isfile(kimitsu.library_path())


def test_public_names():
    for name in ("Policy", "Result", "Finding", "Tier", "Rule", "KimitsuError", "PolicyError",
                 "library_version", "__version__"):
        assert hasattr(kimitsu, name), name
    assert issubclass(kimitsu.PolicyError, kimitsu.KimitsuError)
    assert (pathlib.Path(kimitsu.__file__).parent / "py.typed").is_file()


def test_default_policy_metadata(policy):
    tiers = policy.tiers
    assert [t.id for t in tiers] == ["designated_secret", "protected", "business_related", "public"]
    assert [t.is_default for t in tiers] == [False, False, False, True]
    assert all(isinstance(t, kimitsu.Tier) and 0 <= t.threshold <= 1 for t in tiers)
    assert tiers[0].label == "Designated secret"
    rules = policy.rules
    assert len(rules) > 20
    assert all(isinstance(r, kimitsu.Rule) and r.tier in {t.id for t in tiers} for r in rules)
    assert all(r.entity is None or r.entity for r in rules)
    assert any(r.entity == "CREDIT_CARD" for r in rules)
    rules.clear()  # a copy: the policy's own list is untouched
    assert policy.rules


def test_policy_constructor_is_private():
    with pytest.raises(TypeError):
        kimitsu.Policy()


def test_from_yaml_and_scan():
    with kimitsu.Policy.from_yaml(SMALL_POLICY) as p:
        assert [(t.id, t.label, t.is_default) for t in p.tiers] == [("high", "High", False), ("low", "Low", True)]
        (rule,) = p.rules
        assert rule == kimitsu.Rule("codeword", "high", "CODEWORD", "the project codeword", 0.9)
        result = p.scan("the bluebird flies")
        assert result.tier == "high"
        assert result.findings[0].rule == "codeword" and result.findings[0].entity == "CODEWORD"
        assert p.scan("nothing here").tier == "low"
    assert kimitsu.Policy.from_yaml(SMALL_POLICY.encode()).scan(b"BLUEBIRD").tier == "high"


def test_from_yaml_accepts_json():
    policy_json = json.dumps({
        "version": 1,
        "tiers": [{"id": "high", "label": "High", "threshold": 0.5}, {"id": "low", "label": "Low"}],
        "default_tier": "low",
        "rules": [{"id": "codeword", "tier": "high", "confidence": 0.9, "keywords": ["bluebird"]}],
    })
    with kimitsu.Policy.from_yaml(policy_json) as p:
        assert p.scan("Bluebird!").tier == "high"


def test_from_file(tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_text(SMALL_POLICY, encoding="utf-8")
    for arg in (path, str(path), os.fsencode(path)):
        with kimitsu.Policy.from_file(arg) as p:
            assert p.scan(b"bluebird").tier == "high"


def test_result_fields(policy):
    result = policy.scan(BANNER)
    assert isinstance(result, kimitsu.Result)
    assert result.tier == "designated_secret"
    assert 0.9 < result.score <= 1.0
    assert list(result.scores) == [t.id for t in policy.tiers]
    assert result.scores["designated_secret"] == result.score
    assert result.encoding == "UTF-8"
    assert result.flags == frozenset()
    assert result.total_findings == len(result.findings) >= 1
    assert result.input_bytes == len(BANNER)
    f = result.findings[0]
    assert isinstance(f, kimitsu.Finding)
    assert (f.start, f.line, f.placement, f.tier) == (0, 1, "line", "designated_secret")
    assert BANNER[f.start:f.end].startswith(b"TOP SECRET")
    assert 0 < f.confidence <= 1
    assert f.excerpt is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.start = 3
    assert f == dataclasses.replace(f) and hash(f) == hash(dataclasses.replace(f))


def test_public_document(policy):
    result = policy.scan("The weather is fine today.\n")
    assert result.tier == "public" and result.findings == [] and result.total_findings == 0
    assert policy.scan(b"").tier == "public"
    assert policy.scan("").tier == "public"


def test_buffers_without_copies(policy, tmp_path):
    expected = as_tuple(policy.scan(BANNER))
    assert as_tuple(policy.scan(bytearray(BANNER))) == expected
    assert as_tuple(policy.scan(memoryview(BANNER))) == expected
    padded = b"\0" * 8 + BANNER  # a slice of a larger buffer: offsets relative to the slice
    assert as_tuple(policy.scan(memoryview(padded)[8:])) == expected
    assert as_tuple(policy.scan(array.array("B", BANNER))) == expected
    path = tmp_path / "doc.txt"
    path.write_bytes(BANNER)
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        assert as_tuple(policy.scan(m)) == expected
    # A non-contiguous buffer is copied, not refused.
    strided = bytes(b for pair in zip(BANNER, b"x" * len(BANNER)) for b in pair)
    assert as_tuple(policy.scan(memoryview(strided)[::2])) == expected


def test_bytearray_usable_after_scan(policy):
    data = bytearray(BANNER)
    policy.scan(data)
    data.extend(b"more")  # the buffer export was released


@pytest.mark.parametrize("bad", [123, None, 1.5, ["TOP SECRET"], object()])
def test_scan_wrong_type(policy, bad):
    with pytest.raises(TypeError):
        policy.scan(bad)


def test_wrong_types_elsewhere(policy):
    with pytest.raises(TypeError):
        kimitsu.Policy.from_yaml(123)
    with pytest.raises(TypeError):
        kimitsu.Policy.from_file(123)
    with pytest.raises(TypeError):
        policy.scan(b"x", max_findings="3")
    with pytest.raises(ValueError):
        policy.scan(b"x", max_findings=0)
    with pytest.raises(TypeError):
        policy.scan(b"x", encoding=5)
    with pytest.raises(ValueError):
        policy.scan("text", encoding="Shift_JIS")
    assert policy.scan("text", encoding="utf-8").encoding == "UTF-8"


def test_max_findings_and_truncation(policy):
    doc = "\n".join(["TOP SECRET"] * 30) + "\n"
    full = policy.scan(doc)
    capped = policy.scan(doc, max_findings=5)
    assert len(capped.findings) == 5 and "findings_truncated" in capped.flags
    assert capped.total_findings == full.total_findings > 5
    assert capped.findings == full.findings[:5]
    assert capped.score == full.score


def test_excerpts(policy):
    masked = policy.scan(BANNER, excerpts=True).findings[0].excerpt
    shown = policy.scan(BANNER, show_matches=True).findings[0].excerpt
    assert shown.startswith("TOP SECRET")
    assert masked != shown and len(masked) == len(shown) and "*" in masked
    assert policy.scan("【ＴＯＰ　ＳＥＣＲＥＴ】\n", show_matches=True).findings[0].excerpt == "TOP SECRET"


def test_forced_and_detected_encoding(policy):
    sjis = "極秘\n防衛計画の概要\n".encode("cp932")
    assert policy.scan(sjis, encoding="Shift_JIS").encoding == "Shift_JIS"
    assert policy.scan(sjis, encoding="Shift_JIS").tier == "designated_secret"
    utf16 = "TOP SECRET\n".encode("utf-16-le")
    assert policy.scan(utf16, encoding="UTF-16LE").tier == "designated_secret"
    with pytest.raises(kimitsu.KimitsuError) as info:
        policy.scan(b"x", encoding="no-such-encoding")
    assert info.value.status_name == "KIMITSU_E_ENCODING"


def test_lossy_flag(policy):
    result = policy.scan(b"TOP SECRET\n\xff\xfe\xfa caf\xc3")
    assert "lossy_decode" in result.flags or result.encoding != "UTF-8"


def test_scan_file_small_and_missing(policy, tmp_path):
    path = tmp_path / "banner.txt"
    path.write_bytes(BANNER)
    assert as_tuple(policy.scan_file(path)) == as_tuple(policy.scan(BANNER))
    assert as_tuple(policy.scan_file(str(path), excerpts=True)) == as_tuple(policy.scan(BANNER, excerpts=True))
    with pytest.raises(FileNotFoundError):
        policy.scan_file(tmp_path / "missing.txt")
    with pytest.raises(IsADirectoryError):
        policy.scan_file(tmp_path)


def test_scan_file_streams_large_files(policy, tmp_path):
    # ~3 MiB: streamed in 1 MiB reads; the same findings as one scan of the bytes.
    line = "この報告は通常の業務連絡です。 Nothing to see here, just filler text.\n"
    body = line * (3 * (1 << 20) // len(line.encode()))
    data = ("【取扱注意】\n" + body + "TOP SECRET//NOFORN\n" + body + "カード番号 4111 1111 1111 1111\n").encode()
    assert len(data) > 2 * kimitsu._policy.READ_SIZE
    path = tmp_path / "large.txt"
    path.write_bytes(data)
    streamed = policy.scan_file(path)
    whole = policy.scan(data)
    assert as_tuple(streamed) == as_tuple(whole)
    assert streamed.tier == "designated_secret" and streamed.input_bytes == len(data)
    for f in streamed.findings:
        assert data[f.start:f.end].decode()  # spans fall on character boundaries


def test_scan_file_small_reads_and_pipes(policy, tmp_path, monkeypatch):
    data = ("【取扱注意】\n" + "本文の行です。 plain line\n" * 400 + "TOP SECRET//NOFORN\n極秘\n").encode()
    whole = as_tuple(policy.scan(data))
    path = tmp_path / "doc.txt"
    path.write_bytes(data)
    monkeypatch.setattr(kimitsu._policy, "READ_SIZE", 64)  # stream in 64-byte pieces
    assert as_tuple(policy.scan_file(path)) == whole
    # What was read before streaming was chosen (a file that grew) goes first.
    with open(path, "rb", buffering=0) as f:
        f.seek(100)
        assert as_tuple(policy._scan_stream(f, data[:100], (None, None, False, False, None, False))) == whole
    monkeypatch.undo()
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)

    def feed():
        with open(fifo, "wb") as w:
            w.write(data)

    import threading
    writer = threading.Thread(target=feed)
    writer.start()
    assert as_tuple(policy.scan_file(fifo)) == whole  # not a regular file: streamed
    writer.join()


def test_scan_many_order_and_equality(policy, corpus_files):
    paths = [p for p, _ in corpus_files]
    datas = [p.read_bytes() for p in paths]
    expected = [as_tuple(policy.scan(d)) for d in datas]
    for jobs in (1, 2, 4):
        assert [as_tuple(r) for r in policy.scan_many(datas, jobs=jobs)] == expected
        assert [as_tuple(r) for r in policy.scan_many(paths, jobs=jobs)] == expected
    texts = ["TOP SECRET\n", b"nothing", "極秘\n", bytearray(b"FOUO\n"), memoryview(b"")]
    assert [as_tuple(r) for r in policy.scan_many(iter(texts), jobs=3)] == [as_tuple(policy.scan(t)) for t in texts]
    assert list(policy.scan_many([])) == []


def test_scan_many_options_and_errors(policy, tmp_path):
    results = list(policy.scan_many(["TOP SECRET\n"] * 3, jobs=2, show_matches=True))
    assert all(r.findings[0].excerpt == "TOP SECRET" for r in results)
    items = [b"TOP SECRET\n", tmp_path / "missing", 42, "極秘\n"]
    for jobs in (1, 2):
        out = list(policy.scan_many(items, jobs=jobs, return_exceptions=True))
        assert out[0].tier == "designated_secret" and out[3].tier == "designated_secret"
        assert isinstance(out[1], FileNotFoundError) and isinstance(out[2], TypeError)
        with pytest.raises(FileNotFoundError):
            list(policy.scan_many(items, jobs=jobs))
    with pytest.raises(ValueError):
        policy.scan_many([b""], jobs=0)


def test_scan_many_is_lazy(policy):
    consumed = []

    def items():
        for i in range(1000):
            consumed.append(i)
            yield b"TOP SECRET\n"

    it = policy.scan_many(items(), jobs=2)
    next(it)
    assert len(consumed) < 100  # reads a few items ahead, not everything
    it.close()


def test_close_and_context_manager():
    p = kimitsu.Policy.default()
    assert not p.closed
    p.close()
    p.close()  # twice: nothing happens
    assert p.closed
    assert "closed" in repr(p)
    for call in (lambda: p.scan(b"x"), lambda: p.scan("x"), lambda: list(p.scan_many([b"x"]))):
        with pytest.raises(ValueError):
            call()
    assert p.tiers and p.rules  # metadata stays readable
    with kimitsu.Policy.default() as q:
        result = q.scan(BANNER)
    assert q.closed
    assert result.tier == "designated_secret"  # results outlive their policy
    q.close()


def test_garbage_collected_policies():
    for _ in range(200):
        kimitsu.Policy.from_yaml(SMALL_POLICY).scan(b"bluebird")
    gc.collect()


def test_module_main(tmp_path):
    (tmp_path / "a.txt").write_bytes(BANNER)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("The weather is fine.\n")
    env = dict(os.environ, PYTHONPATH=str(BINDINGS))
    run = subprocess.run([sys.executable, "-m", "kimitsu", "scan", str(tmp_path), str(tmp_path / "nope")],
                         capture_output=True, text=True, env=env)
    lines = run.stdout.splitlines()
    assert len(lines) == 2, run
    assert lines[0].split()[0] == "designated_secret" and lines[0].endswith("a.txt")
    assert lines[1].split()[0] == "public" and lines[1].endswith("b.txt")
    assert "nope" in run.stderr and run.returncode == 1
    run = subprocess.run([sys.executable, "-m", "kimitsu", "scan", "-"], input="極秘\n", capture_output=True,
                         text=True, env=env)
    assert run.returncode == 0 and run.stdout.split()[0] == "designated_secret"
    run = subprocess.run([sys.executable, "-m", "kimitsu", "--version"], capture_output=True, text=True, env=env)
    assert kimitsu.__version__ in run.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\ntiers: 3\n")
    run = subprocess.run([sys.executable, "-m", "kimitsu", "scan", "--policy", str(bad), str(tmp_path)],
                         capture_output=True, text=True, env=env)
    assert run.returncode == 2 and "bad.yaml" in run.stderr


def test_corpus_labels(policy, corpus_files):
    wrong = [(p.name, expected, policy.scan_file(p).tier) for p, expected in corpus_files
             if policy.scan_file(p).tier != expected]
    assert wrong == []
    assert CORPUS.is_dir()


def test_all_matches_reports_entities_short_of_min_count(policy):
    text = "mail info@example.com or call 03-1234-5678"
    plain = policy.scan(text)
    assert plain.findings == []
    every = policy.scan(text, all_matches=True)
    entities = {f.entity: f for f in every.findings}
    assert text[entities["EMAIL_ADDRESS"].start:entities["EMAIL_ADDRESS"].end] == "info@example.com"
    assert "PHONE_NUMBER" in entities
    assert all(not f.scored for f in every.findings)
    assert (every.tier, every.score, every.scores) == (plain.tier, plain.score, plain.scores)
    # Findings that count are marked scored either way.
    card = policy.scan("card 4111 1111 1111 1111", all_matches=True)
    assert [f.scored for f in card.findings if f.entity == "CREDIT_CARD"] == [True]


def test_max_excerpt_bytes(policy):
    card = "Card: 4111 1111 1111 1111\n"
    full = policy.scan(card, show_matches=True)
    assert full.findings and full.findings[0].excerpt == "4111 1111 1111 1111"
    assert "excerpts_truncated" not in full.flags
    cut = policy.scan(card, show_matches=True, max_excerpt_bytes=6)
    assert cut.findings[0].excerpt == "4111 1\u2026"
    assert "excerpts_truncated" in cut.flags
    assert "incomplete" not in cut.flags
    assert (cut.tier, cut.score) == (full.tier, full.score)
    with pytest.raises(ValueError):
        policy.scan(card, max_excerpt_bytes=0)
    with pytest.raises(TypeError):
        policy.scan(card, max_excerpt_bytes="6")


def test_policy_limits():
    text = (
        "tiers:\n  - {id: high, threshold: 0.5}\n  - {id: low}\ndefault_tier: low\nrules:\n"
        "  - {id: small, tier: high, confidence: 0.9, regex: 'BLUEBIRD'}\n"
        "  - {id: big, tier: high, confidence: 0.9, regex: '[a-z]{1,300}x[0-9]{1,300}'}\n"
    )
    assert [r.id for r in kimitsu.Policy.from_yaml(text).rules] == ["small", "big"]
    with pytest.raises(kimitsu.PolicyError) as e:
        kimitsu.Policy.from_yaml(text, rule_max_mem=64 << 10)
    assert "rule_max_mem" in str(e.value) and e.value.line == 7
    with pytest.raises(kimitsu.PolicyError) as e:
        kimitsu.Policy.from_yaml(text, max_rules=1)
    assert "2 rules exceed the limit of 1" in str(e.value)
    assert kimitsu.Policy.from_yaml(text, rule_max_mem=16 << 20, max_rules=2).rules[1].id == "big"
    with pytest.raises(TypeError):
        kimitsu.Policy.from_yaml(text, max_apples=3)
    with pytest.raises(ValueError):
        kimitsu.Policy.from_yaml(text, max_rules=0)
    with pytest.raises(ValueError):
        kimitsu.Policy.from_yaml(text, rule_max_mem=1 << 64)
