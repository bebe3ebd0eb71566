"""Output formats of `kimitsu scan`: jsonl, csv, sarif and summary."""
import csv
import io
import json
import pathlib
import re
import unicodedata

import jsonschema
import pytest

from conftest import CORPUS, LEAK_SAMPLE, kimitsu

HERE = pathlib.Path(__file__).resolve().parent
TIERS = ["designated_secret", "protected", "business_related", "public"]
RECORD_FIELDS = {"path", "tier", "score", "scores", "bytes", "encoding", "findings",
                 "total_findings", "flags", "error"}
FINDING_FIELDS = {"rule", "tier", "entity", "start", "end", "line", "confidence",
                  "placement", "excerpt", "scored"}
# kimitsu's encoding names -> Python codecs. ISO-2022-JP is stateful: a span
# cut out of it cannot be decoded alone, so its offsets are checked elsewhere.
CODECS = {"UTF-8": "utf-8", "Shift_JIS": "cp932", "EUC-JP": "euc_jp",
          "UTF-16LE": "utf-16-le", "UTF-16BE": "utf-16-be", "windows-1252": "cp1252"}


def files_under(root):
    return sorted(p for p in root.rglob("*") if p.is_file())


def expected_tiers():
    """path -> tier from the table in examples/leak-sample.EXPECTED.md."""
    out = {}
    for line in (LEAK_SAMPLE.parent / "leak-sample.EXPECTED.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*\d+\s*\|\s*`([^`]+)`\s*\|[^|]*\|[^|]*\|\s*(\w+)\s*\|", line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def excerpt_of(raw, codec):
    """What the library's unmasked excerpt of `raw` should be."""
    text = unicodedata.normalize("NFKC", raw.decode(codec))
    return re.sub(r"[\n\r\t\f\v]", " ", text)


def check_offsets(records, root):
    """Every finding's [start, end) decodes to its (unmasked) excerpt."""
    checked = 0
    for rec in records:
        codec = CODECS.get(rec["encoding"])
        if codec is None:
            continue
        data = pathlib.Path(rec["path"]).read_bytes()
        for f in rec["findings"]:
            assert 0 <= f["start"] < f["end"] <= len(data), (rec["path"], f)
            want = excerpt_of(data[f["start"]:f["end"]], codec)
            got = f["excerpt"]
            if got.endswith("\u2026"):  # cut by the library: compare the part kept
                got = got[:-1]
                want = want[:len(got)]
            assert got == want, (rec["path"], f)
            checked += 1
    return checked


# ---- jsonl ------------------------------------------------------------------

def test_jsonl_one_object_per_file_sorted(leak_jsonl):
    paths = [r["path"] for r in leak_jsonl]
    assert paths == sorted(paths, key=lambda p: p.encode("utf-8"))
    assert paths == sorted(str(p) for p in files_under(LEAK_SAMPLE))
    for rec in leak_jsonl:
        assert RECORD_FIELDS <= rec.keys(), rec.keys()
        assert rec["error"] is None
        assert rec["tier"] in TIERS
        assert set(rec["scores"]) == set(TIERS)
        assert 0.0 <= rec["score"] <= 1.0
        assert rec["bytes"] == (pathlib.Path(rec["path"])).stat().st_size
        assert rec["total_findings"] >= len(rec["findings"])
        for f in rec["findings"]:
            assert FINDING_FIELDS <= f.keys()
            assert f["tier"] in TIERS
            assert f["line"] >= 1


def test_jsonl_tiers_match_the_leak_sample_answer_key(leak_jsonl):
    expected = expected_tiers()
    assert len(expected) == 34
    got = {str(pathlib.Path(r["path"]).relative_to(LEAK_SAMPLE)): r["tier"] for r in leak_jsonl}
    wrong = {p: (got.get(p), t) for p, t in expected.items() if got.get(p) != t}
    assert not wrong, f"(got, expected) by path: {wrong}"


def test_jsonl_offsets_point_at_the_bytes_of_the_file(leak_jsonl):
    assert check_offsets(leak_jsonl, LEAK_SAMPLE) > 100


def test_jsonl_offsets_in_a_shift_jis_file(leak_jsonl):
    rec = next(r for r in leak_jsonl if r["path"].endswith("特定秘密_指定番号R5-0147_写し3.txt"))
    assert rec["encoding"] == "Shift_JIS"
    assert rec["tier"] == "designated_secret"
    data = pathlib.Path(rec["path"]).read_bytes()
    first = rec["findings"][0]
    assert first["rule"] == "jp_designated_secret_marking"
    assert first["line"] == 1
    assert data[first["start"]:first["end"]].decode("cp932") == "特定秘密"
    last = rec["findings"][-1]
    assert data[last["start"]:last["end"]].decode("cp932") == "特定秘密"
    assert last["line"] == data.count(b"\n") or last["line"] == data.count(b"\n") + 1


def test_jsonl_offsets_across_the_corpus_encodings():
    run = kimitsu("scan", "--format", "jsonl", "--show-matches", str(CORPUS))
    assert run.returncode == 0, run
    records = run.jsonl()
    encodings = {r["encoding"] for r in records}
    assert {"Shift_JIS", "EUC-JP", "UTF-16LE", "windows-1252"} <= encodings
    assert check_offsets(records, CORPUS) > 200


def test_jsonl_offsets_in_iso_2022_jp(leak_jsonl):
    # A span of ISO-2022-JP is decodable once the escape that precedes it is
    # known: decode from the last escape sequence before `start`.
    rec = next(r for r in leak_jsonl if r["encoding"] == "ISO-2022-JP")
    data = pathlib.Path(rec["path"]).read_bytes()
    assert rec["findings"]
    for f in rec["findings"]:
        esc = data.rfind(b"\x1b", 0, f["start"] + 1)
        prefix = b"" if esc < 0 or esc == f["start"] else data[esc:esc + 3]
        text = (prefix + data[f["start"]:f["end"]]).decode("iso2022_jp")
        assert excerpt_of(text.encode("utf-8"), "utf-8") == f["excerpt"], f


def test_masking_by_default_and_show_matches(card_tree):
    masked = kimitsu("scan", "--format", "jsonl", str(card_tree / "sub")).jsonl()
    shown = kimitsu("scan", "--format", "jsonl", "--show-matches", str(card_tree / "sub")).jsonl()
    (m,), (s,) = masked, shown
    assert m["tier"] == s["tier"] == "protected"
    fm = next(f for f in m["findings"] if f["rule"] == "credit_card")
    fs = next(f for f in s["findings"] if f["rule"] == "credit_card")
    assert fs["excerpt"] == "4111 1111 1111 1111"
    assert "*" in fm["excerpt"] and "4111 1111 1111 1111" not in fm["excerpt"]
    assert (fm["start"], fm["end"]) == (fs["start"], fs["end"]) == (6, 25)
    summary = kimitsu("scan", "--format", "summary", str(card_tree)).stdout
    assert "4111 1111 1111 1111" not in summary
    csv_text = kimitsu("scan", "--format", "csv", str(card_tree)).stdout
    assert "4111 1111 1111 1111" not in csv_text


def test_jsonl_invalid_utf8_path_is_still_valid_json(tmp_path):
    name = b"bad\xffname\x1b[31m.txt"
    with open(bytes(tmp_path) + b"/" + name, "wb") as f:
        f.write(b"hello\n")
    run = kimitsu("scan", "--format", "jsonl", str(tmp_path))
    assert run.returncode == 0
    (rec,) = run.jsonl()  # Run decodes stdout as strict UTF-8
    assert "\ufffd" in rec["path"]
    assert bytes.fromhex(rec["path_hex"]) == bytes(tmp_path) + b"/" + name
    assert "\x1b" in rec["path"]  # a control character, escaped in JSON
    assert "\\u001b" in run.stdout


# ---- csv --------------------------------------------------------------------

def test_csv_header_and_rows_agree_with_jsonl(leak_jsonl):
    run = kimitsu("scan", "--format", "csv", "--show-matches", str(LEAK_SAMPLE))
    assert run.returncode == 0
    rows = list(csv.reader(io.StringIO(run.stdout, newline="")))
    header = rows[0]
    assert header == ["path", "tier", "score"] + [f"score_{t}" for t in TIERS] + [
        "bytes", "encoding", "findings", "top_rule", "top_excerpt", "error"]
    body = [dict(zip(header, r)) for r in rows[1:]]
    assert all(len(r) == len(header) for r in rows)
    assert [r["path"] for r in body] == [r["path"] for r in leak_jsonl]
    for row, rec in zip(body, leak_jsonl):
        assert row["tier"] == rec["tier"]
        assert float(row["score"]) == pytest.approx(rec["score"])
        for t in TIERS:
            assert float(row[f"score_{t}"]) == pytest.approx(rec["scores"][t])
        assert int(row["bytes"]) == rec["bytes"]
        assert int(row["findings"]) == rec["total_findings"]
        assert row["error"] == ""
        if rec["findings"]:
            assert row["top_rule"] in {f["rule"] for f in rec["findings"]}


def test_csv_quotes_commas_quotes_and_newlines(tmp_path):
    (tmp_path / 'a,b "c"\nd.txt').write_bytes(b"x\n")
    run = kimitsu("scan", "--format", "csv", str(tmp_path))
    rows = list(csv.reader(io.StringIO(run.stdout, newline="")))
    assert rows[1][0] == str(tmp_path / 'a,b "c"\nd.txt')
    assert run.stdout.endswith("\r\n")


# ---- sarif ------------------------------------------------------------------

def sarif_schema():
    return json.loads((HERE / "sarif-2.1.0-kimitsu.schema.json").read_text())


def test_sarif_validates_and_matches_jsonl(tmp_path):
    (tmp_path / "share").mkdir()
    (tmp_path / "share" / "cards.txt").write_bytes(b"Card: 4111 1111 1111 1111 exp 12/30\n")
    (tmp_path / "share" / "name with space:colon.txt").write_bytes(b"SECRET//NOFORN\nx\nSECRET//NOFORN\n")
    (tmp_path / "share" / "dangling").symlink_to("nowhere")
    run = kimitsu("scan", "--format", "sarif", str(LEAK_SAMPLE), str(tmp_path / "share"))
    assert run.returncode == 0
    log = json.loads(run.stdout)
    jsonschema.validate(log, sarif_schema(), format_checker=jsonschema.FormatChecker())
    assert log["version"] == "2.1.0"
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    (sarif_run,) = log["runs"]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "kimitsu"
    rules = driver["rules"]
    for r in rules:
        assert r["properties"]["tier"] in TIERS
        assert "entity" in r["properties"]
    results = sarif_run["results"]
    records = kimitsu("scan", "--format", "jsonl", str(LEAK_SAMPLE), str(tmp_path / "share")).jsonl()
    assert len(results) == sum(len(r["findings"]) for r in records)
    assert len(sarif_run["artifacts"]) == len([r for r in records if r["error"] is None])
    assert [r["ruleId"] for r in results] == [f["rule"] for r in records for f in r["findings"]]
    levels = {"designated_secret": "error", "protected": "error", "business_related": "warning"}
    for res in results:
        rule = rules[res["ruleIndex"]]
        assert rule["id"] == res["ruleId"]
        assert res["level"] == levels.get(rule["properties"]["tier"], "note")
        loc = res["locations"][0]["physicalLocation"]
        assert loc["region"]["byteLength"] > 0
        art = sarif_run["artifacts"][loc["artifactLocation"]["index"]]
        assert art["location"]["uri"] == loc["artifactLocation"]["uri"]
    uris = [a["location"]["uri"] for a in sarif_run["artifacts"]]
    assert any(u.endswith("/name%20with%20space%3Acolon.txt") for u in uris)
    assert any("%E7%89%B9%E5%AE%9A%E7%A7%98%E5%AF%86" in u for u in uris)  # 特定秘密, percent-encoded
    for a in sarif_run["artifacts"]:
        assert a["properties"]["tier"] in TIERS
        assert "score" in a["properties"] and "encoding" in a["properties"]
    notes = sarif_run["invocations"][0]["toolExecutionNotifications"]
    assert len(notes) == 1 and "dangling symlink" in notes[0]["message"]["text"]


def test_sarif_empty_scan_is_valid(tmp_path):
    run = kimitsu("scan", "--format", "sarif", str(tmp_path))
    log = json.loads(run.stdout)
    jsonschema.validate(log, sarif_schema())
    assert log["runs"][0]["results"] == []


# ---- summary ----------------------------------------------------------------

def test_summary_counts_top_rules_and_files():
    run = kimitsu("scan", "--format", "summary", str(LEAK_SAMPLE))
    assert run.returncode == 0
    out = run.stdout
    assert "\x1b[" not in out  # not a terminal: no colour
    for tier in TIERS + ["errors"]:
        assert re.search(rf"^\s+{tier}\s+\d+", out, re.M), tier
    assert "TOP RULES" in out
    assert "designated_secret — " in out and "protected — " in out
    assert "特定秘密_指定番号R5-0147_写し3.txt" in out
    assert "jp_designated_secret_marking, line 1:" in out
    assert re.search(r"^\d+ files, .* scanned in [\d.]+ s \([\d.]+ MB/s\); 0 errors", out, re.M)


def test_all_matches_lists_entities_that_do_not_count(tmp_path):
    doc = tmp_path / "note.txt"
    doc.write_text("Contact: info@example.com\nCard 4111 1111 1111 1111\n", encoding="utf-8")
    (plain,) = kimitsu("scan", "--format", "jsonl", str(doc)).jsonl()
    (every,) = kimitsu("scan", "--format", "jsonl", "--all-matches", str(doc)).jsonl()
    assert [f["rule"] for f in plain["findings"]] == ["credit_card"]
    assert all(f["scored"] for f in plain["findings"])
    by_rule = {f["rule"]: f for f in every["findings"]}
    assert by_rule["email_addresses"]["scored"] is False
    assert by_rule["credit_card"]["scored"] is True
    assert "@" in by_rule["email_addresses"]["excerpt"] and "info" not in by_rule["email_addresses"]["excerpt"]
    assert (every["tier"], every["scores"]) == (plain["tier"], plain["scores"])
