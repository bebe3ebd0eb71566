"""The offset contract: for a str, findings index the str (code points);
for bytes, the bytes — whatever the text's script or encoding."""
import pytest

DOCS = [
    # full-width TOP SECRET (NFKC makes it ASCII; offsets stay in the original)
    "【ＴＯＰ　ＳＥＣＲＥＴ】\n作戦計画について\n",
    "ＴＯＰ ＳＥＣＲＥＴ//ＮＯＦＯＲＮ\n本文\n",
    # an emoji (4 UTF-8 bytes, 1 code point; 2 UTF-16 units) before the findings
    "😀 お知らせ\n特定秘密\n会議資料 社外秘\n",
    "👩‍💻🎌 memo\n\n極秘\n\nカード番号 4111 1111 1111 1111\n",
    "ﾃｽﾄ 半角カナ\n【取扱注意】\n個人番号 123456789018\n",
]
EXPECTED = [
    ["ＴＯＰ　ＳＥＣＲＥＴ"],
    ["ＴＯＰ ＳＥＣＲＥＴ//ＮＯＦＯＲＮ", "ＴＯＰ ＳＥＣＲＥＴ"],
    ["特定秘密", "社外秘"],
    ["極秘"],
    ["取扱注意"],
]


@pytest.mark.parametrize("text,expected", list(zip(DOCS, EXPECTED)))
def test_str_offsets_index_the_str(policy, text, expected):
    result = policy.scan(text)
    spans = [text[f.start:f.end] for f in result.findings]
    for want in expected:
        assert want in spans, (spans, result.findings)
    for f in result.findings:
        assert 0 <= f.start < f.end <= len(text)


@pytest.mark.parametrize("text", DOCS)
def test_bytes_offsets_index_the_bytes(policy, text):
    from_str = policy.scan(text)
    for codec in ("utf-8", "utf-16-le", "cp932", "euc-jp"):
        try:
            data = text.encode(codec)
        except UnicodeEncodeError:
            continue  # emoji have no Shift_JIS / EUC-JP form
        encoding = {"utf-8": None, "utf-16-le": "UTF-16LE", "cp932": "Shift_JIS", "euc-jp": "EUC-JP"}[codec]
        result = policy.scan(data, encoding=encoding)
        assert result.tier == from_str.tier
        # The same findings: the byte spans decode to the str spans.
        got = [(f.rule, data[f.start:f.end].decode(codec)) for f in result.findings]
        want = [(f.rule, text[f.start:f.end]) for f in from_str.findings]
        assert got == want, codec


def test_str_and_utf8_bytes_agree(policy):
    for text in DOCS:
        raw = text.encode()
        from_bytes = policy.scan(raw)
        from_str = policy.scan(text)
        assert from_str.tier == from_bytes.tier and from_str.score == from_bytes.score
        for fs, fb in zip(from_str.findings, from_bytes.findings):
            assert fs.start == len(raw[:fb.start].decode()) and fs.end == len(raw[:fb.end].decode())
            assert (fs.rule, fs.line, fs.confidence) == (fb.rule, fb.line, fb.confidence)


def test_ascii_str_offsets(policy):
    text = "Subject: weekly\n\nTOP SECRET//NOFORN\n"
    (first, *_) = policy.scan(text).findings
    assert text[first.start:first.end] == "TOP SECRET//NOFORN"
    assert first.line == 3


def test_lone_surrogate_does_not_crash(policy):
    text = "\ud800 TOP SECRET\n極秘\n"
    result = policy.scan(text)  # encoded with surrogatepass: lossy, never an error
    assert "lossy_decode" in result.flags
    assert "極秘" in [text[f.start:f.end] for f in result.findings]


def test_many_non_ascii_findings(policy):
    # Offsets are mapped in one pass: many findings in a long text stay exact.
    block = "🎌 概要\n\n極秘\n\n" + "あいうえお😀かきくけこ\n" * 50
    text = block * 40
    result = policy.scan(text, max_findings=10000)
    spans = {text[f.start:f.end] for f in result.findings if f.rule == "jp_secret_stamp"}
    assert spans == {"極秘"}
    assert sum(f.rule == "jp_secret_stamp" for f in result.findings) == 40


def test_code_point_index():
    from kimitsu._policy import _code_point_index

    text = "a😀b極"  # bytes: a@0, 😀@1-5, b@5, 極@6-9
    raw = text.encode()
    index = _code_point_index(raw, [(0, 1, 5), (0, 6, 9), (0, 0, 9)])
    assert index == {0: 0, 1: 1, 5: 2, 6: 3, 9: 4}
    assert text[index[1]:index[5]] == "😀" and text[index[6]:index[9]] == "極"
