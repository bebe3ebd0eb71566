"""Accuracy of the default policy on our peers' own test cases.

Reads ../shared/peer-cases/ (or $KIMITSU_PEER_CASES): Presidio's recognizer
cases, gitleaks/detect-secrets cases, Japanese ID validators' cases and the
ODNI marking manual with CIA CREST prose. Scans each case with the built-in
default policy through the Python bindings, with ``all_matches`` (every entity
recognized, including those of rules that need several findings before they
count towards a tier), and compares with the peer's expectation.

    /usr/bin/python3 tests/peer/peer_eval.py            # summary on stdout
    /usr/bin/python3 tests/peer/peer_eval.py --report tests/peer/REPORT.md

(with KIMITSU_LIBRARY and PYTHONPATH as for the bindings; scripts/peer-report
sets them). tests/peer/test_peer.py asserts the thresholds.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

import kimitsu

HERE = Path(__file__).resolve().parent
DEFAULT_CASES = HERE.parent.parent.parent / "shared" / "peer-cases"
MISSES_LISTED = 15

# ---- the one mapping table: peer names -> kimitsu entities -----------------

# Presidio entity -> the kimitsu entities that count as finding it.
PRESIDIO_ENTITIES: Dict[str, Set[str]] = {
    "CREDIT_CARD": {"CREDIT_CARD"},
    "EMAIL_ADDRESS": {"EMAIL_ADDRESS"},
    "IP_ADDRESS": {"IP_ADDRESS"},
    "IBAN_CODE": {"IBAN_CODE"},
    "URL": {"URL"},
    "PHONE_NUMBER": {"PHONE_NUMBER"},
    "US_SSN": {"US_SSN"},
    "CRYPTO": {"CRYPTO_WALLET"},
    "MAC_ADDRESS": {"MAC_ADDRESS"},
    "US_PASSPORT": {"PASSPORT"},
    "US_DRIVER_LICENSE": {"DRIVERS_LICENSE"},
    "US_BANK_NUMBER": {"BANK_ACCOUNT"},
}

# Presidio entities the default policy does not cover, and why.
PRESIDIO_NOT_COVERED: Dict[str, str] = {
    "DATE_TIME": "a date is not sensitive by itself; birth dates count as personal attributes next to their label",
    "ABA_ROUTING_NUMBER": "a bank's routing number is published, not secret",
    "US_ITIN": "out of the default policy's scope (Japan, US SSN, payment cards); a policy can add it",
    "US_MBI": "out of scope (US Medicare); a policy can add it",
    "US_NPI": "a provider's NPI is public (NPPES registry)",
    "MEDICAL_LICENSE": "out of scope (US DEA numbers); a policy can add it",
}
NATIONAL_ID_PREFIXES = ("AU_", "CA_", "DE_", "ES_", "FI_", "IN_", "IT_", "KR_", "NG_", "PH_", "PL_", "SE_", "SG_",
                        "TH_", "TR_", "UK_", "ZA_")
NATIONAL_ID_REASON = ("another country's identifiers: out of the default policy's scope (Japan and the US, "
                      "with payment cards and IBANs); a policy can add them with the same rule kinds")
FIN_REASON = "Singapore FIN: another country's identifier (see national IDs)"

# gitleaks / detect-secrets: a case is caught when any finding has one of these entities.
SECRET_ENTITIES = {"AWS_ACCESS_KEY", "AWS_SECRET_KEY", "API_TOKEN", "PRIVATE_KEY", "CREDENTIAL"}

# jp_ids.jsonl kinds -> (entities or "rule:<id>", text around the value). The
# value is put in a line the way it appears in documents: after its label. A
# mobile number is judged by the mobile rule: a landline is a phone number
# (PHONE_NUMBER) but not a mobile one, which is what validator.js tests.
JP_KINDS: Dict[str, Tuple[Set[str], str]] = {
    "jp_my_number": ({"JP_MY_NUMBER"}, "個人番号: {}"),
    "jp_corporate_number": ({"JP_CORPORATE_NUMBER"}, "法人番号: {}"),
    "jp_mobile_phone": ({"rule:mobile_phone_numbers"}, "携帯電話: {}"),
    "jp_phone": ({"PHONE_NUMBER"}, "{}"),
    "jp_postal_code": ({"POSTAL_CODE"}, "〒{}"),
    "jp_passport": ({"PASSPORT"}, "旅券番号: {}"),
}
# Kinds whose agreement is asserted (the "where our rules apply");
# passports are reported only: our passport rule reads every nation's
# formats, validator.js's isPassportNumber('JP') only Japan's.
JP_ASSERTED = ("jp_my_number", "jp_corporate_number", "jp_mobile_phone", "jp_phone", "jp_postal_code")

# Presidio entities whose figures are asserted: the list, all covered.
PRESIDIO_ASSERTED = ("CREDIT_CARD", "EMAIL_ADDRESS", "IP_ADDRESS", "IBAN_CODE", "URL", "PHONE_NUMBER", "US_SSN",
                     "CRYPTO")

# jp_ids.jsonl values whose expectation we do not share (see DISAGREEMENTS.md).
JP_DISAGREE: Dict[Tuple[str, str], str] = {
    ("jp_mobile_phone", "+81 090 1234 5678"): "a mobile number with the trunk 0 kept after +81 is still one",
    ("jp_mobile_phone", "+81-090-1234-5678"): "a mobile number with the trunk 0 kept after +81 is still one",
    ("jp_mobile_phone", "+8109012345678"): "a mobile number with the trunk 0 kept after +81 is still one",
}

# Where a peer's expectation is wrong for a DLP engine, or depends on a
# configuration ours does not share: (file, line, text) -> why. These cases
# are reported apart and left out of the asserted figures. See
# tests/peer/DISAGREEMENTS.md.
PRESIDIO_DISAGREE: Dict[Tuple[str, Optional[int], str], str] = {
    ("test_ip_recognizer.py", 49, "Use local ipv6 ::"): "bare '::'",
    ("test_ip_recognizer.py", 54, "src=:: dst=::1"): "bare '::'",
    ("test_ip_recognizer.py", 371, "Unspecified ::"): "bare '::'",
    ("test_ip_recognizer.py", 410, "::/0"): "bare '::'",
    ("test_ip_recognizer.py", 411, "::/128"): "bare '::'",
    ("test_phone_recognizer.py", 22, "My Israeli number is 09-7625400"): "national form of a region we do not assume",
    ("test_phone_recognizer.py", 30, "My CN number is 13812345678"): "national form of a region we do not assume",
    ("context_sentences_tests.txt", None, "my social security number is 078051120"): "078-05-1120 is void",
}
# Rows whose expectation a checksum cannot decide: structural checks against
# code tables (registry offices, organisation kinds) that change over time.
# A DLP engine must still flag such numbers; reported, not asserted.
def jp_structural(row: dict) -> bool:
    return row["kind"] == "jp_corporate_number" and "structural" in row.get("note", "")


# ---- results ----------------------------------------------------------------


@dataclass
class Tally:
    cases: int = 0
    expected: int = 0  # expected hits (spans, or cases that should match)
    hits: int = 0
    misses: int = 0
    negatives: int = 0  # cases where nothing is expected
    false_alarms: int = 0  # negatives flagged
    findings: int = 0  # findings of the mapped entities
    false_findings: int = 0  # findings on no expected span
    miss_list: List[str] = field(default_factory=list)
    alarm_list: List[str] = field(default_factory=list)

    @property
    def recall(self) -> Optional[float]:
        return self.hits / self.expected if self.expected else None

    @property
    def precision(self) -> Optional[float]:
        return (self.findings - self.false_findings) / self.findings if self.findings else None

    @property
    def false_alarm_rate(self) -> Optional[float]:
        return self.false_alarms / self.negatives if self.negatives else None

    def judge(self, should_find: bool, found: bool, label: str, alarm: Optional[str] = None) -> None:
        """One case that expects one hit (should_find) or nothing."""
        if should_find:
            self.expected += 1
            if found:
                self.hits += 1
            else:
                self.misses += 1
                self.miss_list.append(label)
        else:
            self.negatives += 1
            if found:
                self.false_alarms += 1
                self.alarm_list.append(alarm or label)

    def add(self, other: "Tally") -> None:
        for name in ("cases", "expected", "hits", "misses", "negatives", "false_alarms", "findings",
                     "false_findings"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _short(text: str, limit: int = 90) -> str:
    text = text.replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _jsonl(path: Path) -> List[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


class Evaluator:
    def __init__(self, cases_dir: Path, policy: Optional[kimitsu.Policy] = None):
        self.dir = Path(cases_dir)
        self.policy = policy or kimitsu.Policy.default()

    def _entities(self, text: str, entities: Set[str]) -> List[kimitsu.Finding]:
        """Findings of `entities` (or of rules named "rule:<id>") in `text`."""
        result = self.policy.scan(text, all_matches=True)
        return [f for f in result.findings if f.entity in entities or "rule:" + f.rule in entities]

    # ---- Presidio ------------------------------------------------------------

    def presidio(self, with_disagreements: bool = False) -> Dict[str, Tally]:
        """Per Presidio entity the default policy covers. A span case: each
        expected span is a hit when a finding of the mapped entity overlaps it;
        a finding overlapping no expected span is a false finding; a case
        expecting nothing is a false alarm when anything is found. A context
        case ("my ssn is ...") expects at least one finding."""
        tallies: Dict[str, Tally] = collections.defaultdict(Tally)
        for row in _jsonl(self.dir / "presidio_cases.jsonl"):
            entity = row["entity"]
            wanted = PRESIDIO_ENTITIES.get(entity)
            if wanted is None or row["kind"] == "validate_result":
                continue
            key = (Path(row["source"]).name, row.get("line"), row["text"])
            if (key in PRESIDIO_DISAGREE) != with_disagreements:
                continue
            t = tallies[entity]
            t.cases += 1
            text = row["text"]
            found = self._entities(text, wanted)
            label = "%s:%s %r" % (Path(row["source"]).name, row.get("line"), _short(text))
            if row["kind"] == "context_sentence":
                t.judge(True, bool(found), label)
                t.findings += len(found)
                continue
            spans = [tuple(s) for s in row["spans"]]
            count = row.get("expected_count") or 0
            if not spans and count:  # the test checks only how many ("spans_partial")
                t.expected += count
                t.hits += min(count, len(found))
                t.misses += max(0, count - len(found))
                if len(found) < count:
                    t.miss_list.append("%s (%d of %d found)" % (label, len(found), count))
                t.findings += len(found)
                t.false_findings += max(0, len(found) - count)
                continue
            if not spans:
                t.negatives += 1
                if found:
                    t.false_alarms += 1
                    t.alarm_list.append("%s -> %s" % (label, [text[f.start:f.end] for f in found]))
            for start, end in spans:
                t.expected += 1
                if any(f.start < end and start < f.end for f in found):
                    t.hits += 1
                else:
                    t.misses += 1
                    t.miss_list.append("%s span %r" % (label, text[start:end]))
            t.findings += len(found)
            t.false_findings += sum(1 for f in found if not any(f.start < e and s < f.end for s, e in spans))
        return dict(sorted(tallies.items()))

    def presidio_not_covered(self) -> Dict[str, Tuple[int, str]]:
        counts = collections.Counter(r["entity"] for r in _jsonl(self.dir / "presidio_cases.jsonl")
                                     if r["entity"] not in PRESIDIO_ENTITIES)
        out = {}
        for entity, n in sorted(counts.items()):
            if entity in PRESIDIO_NOT_COVERED:
                out[entity] = (n, PRESIDIO_NOT_COVERED[entity])
            elif entity.startswith(NATIONAL_ID_PREFIXES):
                out[entity] = (n, NATIONAL_ID_REASON)
            elif entity == "FIN":
                out[entity] = (n, FIN_REASON)
            else:
                out[entity] = (n, "not covered")
        return out

    def presidio_validate(self) -> Tuple[int, int]:
        """validate_result cases of entities we cover: (cases, agreements)."""
        cases = agree = 0
        for row in _jsonl(self.dir / "presidio_cases.jsonl"):
            if row["kind"] != "validate_result" or row["entity"] not in PRESIDIO_ENTITIES:
                continue
            cases += 1
            found = bool(self._entities(row["text"], PRESIDIO_ENTITIES[row["entity"]]))
            agree += found == bool(row.get("valid"))
        return cases, agree

    # ---- secrets -------------------------------------------------------------

    def secrets(self, name: str, key: str) -> Dict[str, Tally]:
        """Per family (core file) or gitleaks rule (full file): should_match
        rows are hits when any secret finding is made; should_match false rows
        are false alarms when one is."""
        tallies: Dict[str, Tally] = collections.defaultdict(Tally)
        for row in _jsonl(self.dir / name):
            t = tallies[row.get(key) or row["rule"]]
            t.cases += 1
            found = self._entities(row["text"], SECRET_ENTITIES)
            label = "%s %r" % (row["rule"], _short(row["text"]))
            t.judge(row["should_match"], bool(found), label, "%s -> %s" % (label, sorted({f.rule for f in found})))
            t.findings += len(found)
        return dict(sorted(tallies.items()))

    # ---- Japanese identifiers --------------------------------------------------

    def jp_ids(self) -> Tuple[Dict[str, Tally], List[str]]:
        """Per kind: agreement of "found as that entity" with the source's
        `valid`. Structural corporate-number rows are listed, not counted."""
        tallies: Dict[str, Tally] = collections.defaultdict(Tally)
        structural = []
        for row in _jsonl(self.dir / "jp_ids.jsonl"):
            entities, template = JP_KINDS[row["kind"]]
            value = row["value"]
            text = template.format(value)
            start = text.index(value) if value else len(text)
            found = [f for f in self._entities(text, entities) if f.start < start + len(value) and start < f.end]
            label = "%r (%s) %s" % (value, "valid" if row["valid"] else "invalid", _short(row.get("note", ""), 60))
            if jp_structural(row):
                structural.append("%s: found=%s" % (label, bool(found)))
                continue
            if (row["kind"], value) in JP_DISAGREE:
                structural.append("%s: found=%s — %s" % (label, bool(found), JP_DISAGREE[(row["kind"], value)]))
                continue
            t = tallies[row["kind"]]
            t.cases += 1
            t.findings += len(found)
            t.judge(bool(row["valid"]), bool(found), label)
        return dict(sorted(tallies.items())), structural

    # ---- ODNI manual and CREST prose ------------------------------------------

    def capco(self) -> List[Tuple[str, str, str, float]]:
        """(path, likely_tier, our tier, our score) for every indexed document."""
        out = []
        seen = set()
        for row in _jsonl(self.dir / "capco" / "index.jsonl"):
            if row["path"] in seen:
                continue
            seen.add(row["path"])
            result = self.policy.scan_file(self.dir / "capco" / row["path"])
            out.append((row["path"], row["likely_tier"], result.tier, result.score))
        return out


# ---- the report -------------------------------------------------------------


def _pct(x: Optional[float]) -> str:
    return "–" if x is None else "%.3f" % x


def _table(tallies: Dict[str, Tally], title: str) -> List[str]:
    lines = ["| %s | cases | expected hits | hits | misses | negatives | false alarms | false-alarm rate | recall "
             "| precision |" % title, "|---|---|---|---|---|---|---|---|---|---|"]
    total = Tally()
    for name, t in tallies.items():
        total.add(t)
        lines.append("| %s | %d | %d | %d | %d | %d | %d | %s | %s | %s |" % (
            name, t.cases, t.expected, t.hits, t.misses, t.negatives, t.false_alarms, _pct(t.false_alarm_rate),
            _pct(t.recall), _pct(t.precision)))
    lines.append("| **all** | %d | %d | %d | %d | %d | %d | %s | %s | %s |" % (
        total.cases, total.expected, total.hits, total.misses, total.negatives, total.false_alarms,
        _pct(total.false_alarm_rate), _pct(total.recall), _pct(total.precision)))
    return lines


def _lists(tallies: Dict[str, Tally], limit: int = MISSES_LISTED) -> List[str]:
    lines = []
    for name, t in tallies.items():
        for what, items in (("misses", t.miss_list), ("false alarms", t.alarm_list)):
            if not items:
                continue
            lines.append("- **%s**, %s (%d%s):" % (name, what, len(items),
                                                   ", first %d" % limit if len(items) > limit else ""))
            lines.extend("  - `%s`" % item.replace("`", "'") for item in items[:limit])
    return lines


def total(tallies: Dict[str, Tally]) -> Tally:
    t = Tally()
    for x in tallies.values():
        t.add(x)
    return t


def secrets_report(ev: Evaluator) -> List[str]:
    out: List[str] = []
    w = out.append
    core = ev.secrets("secrets_cases_core.jsonl", "family")
    w("## gitleaks / detect-secrets, core families (`secrets_cases_core.jsonl`)")
    w("")
    w("A `should_match: true` case is a hit when any secret finding (%s) is made; a `should_match: false` case "
      "is a false alarm when one is." % ", ".join(sorted(SECRET_ENTITIES)))
    w("")
    out.extend(_table(core, "family"))
    w("")
    out.extend(_lists(core))
    w("")
    full = ev.secrets("secrets_cases.jsonl", "rule")
    w("## gitleaks / detect-secrets, every rule (`secrets_cases.jsonl`)")
    w("")
    w("Reported, not asserted: most gitleaks rules are one vendor's token format; the default policy "
      "covers the common families and credential assignments generally.")
    w("")
    out.extend(_table(full, "rule"))
    w("")
    return out


def report(ev: Evaluator, only: Optional[str] = None) -> str:
    if only == "secrets":
        return "\n".join(secrets_report(ev))
    out: List[str] = []
    w = out.append
    w("# kimitsu against its peers' test cases")
    w("")
    w("Generated by `scripts/peer-report` (= `tests/peer/peer_eval.py --report tests/peer/REPORT.md` with the "
      "built library) from `../shared/peer-cases/`, with the built-in default policy, "
      "kimitsu %s. Every case is scanned with `all_matches` (every entity recognized, including those "
      "of rules that need several findings before they count towards a tier). Thresholds are asserted "
      "by `tests/peer/test_peer.py` (CTest `peer_accuracy`). Disagreements with a peer's expectation "
      "are discussed in `tests/peer/DISAGREEMENTS.md`." % kimitsu.__version__)
    w("")

    presidio = ev.presidio()
    disagreements = ev.presidio(with_disagreements=True)
    w("## Presidio (span and context cases, entities the default policy covers)")
    w("")
    w("A span is a hit when a finding of the mapped entity overlaps it; a false alarm is a case where "
      "Presidio expects nothing and kimitsu finds the entity; precision counts findings overlapping no "
      "expected span as false.")
    w("")
    out.extend(_table(presidio, "Presidio entity"))
    w("")
    w("Asserted (`test_peer.py`): recall ≥ 0.95 and false-alarm rate ≤ 0.05 for %s. US_BANK_NUMBER, "
      "US_DRIVER_LICENSE and US_PASSPORT are reported only: the default policy finds them next to their "
      "label (a bare 9-digit number is not a passport to a DLP engine)." % ", ".join(PRESIDIO_ASSERTED))
    w("")
    w("Cases left out above because we disagree with the expectation (`PRESIDIO_DISAGREE`, reasons in "
      "`DISAGREEMENTS.md`):")
    w("")
    out.extend(_table(disagreements, "Presidio entity"))
    w("")
    cases, agree = ev.presidio_validate()
    w("`validate_result` cases for the entities covered: %d%s." % (
        cases, "" if not cases else ", agreement %.3f" % (agree / cases)))
    w("")
    w("Entities not covered by the default policy:")
    w("")
    w("| Presidio entity | cases | why |")
    w("|---|---|---|")
    for entity, (n, why) in ev.presidio_not_covered().items():
        w("| %s | %d | %s |" % (entity, n, why))
    w("")
    w("Misses and false alarms:")
    w("")
    out.extend(_lists(presidio))
    w("")
    w("The disagreement cases, as kimitsu treats them:")
    w("")
    out.extend(_lists(disagreements))
    w("")

    out.extend(secrets_report(ev))

    jp, structural = ev.jp_ids()
    w("## Japanese identifiers (`jp_ids.jsonl`)")
    w("")
    w("Each value is scanned after its label (`個人番号: …`, `法人番号: …`, `携帯電話: …`, `〒…`, `旅券番号: …`); "
      "a hit is a finding of the entity on the value, and agreement means found exactly when the source "
      "says valid.")
    w("")
    out.extend(_table(jp, "kind"))
    w("")
    if structural:
        w("Not counted: the structural corporate-number cases (checksum valid, rejected by a code-table check) "
          "and the values in `JP_DISAGREE` (see `DISAGREEMENTS.md`):")
        w("")
        out.extend("- `%s`" % s for s in structural)
        w("")
    out.extend(_lists(jp))
    w("")

    w("## ODNI marking manual and CIA CREST prose (`capco/`)")
    w("")
    rows = ev.capco()
    groups: Dict[Tuple[str, str], List[Tuple[str, str, str, float]]] = collections.defaultdict(list)
    for r in rows:
        groups[(r[0].split("/")[0], r[1])].append(r)
    w("| set | likely tier | documents | classified so | other tiers |")
    w("|---|---|---|---|---|")
    for (group, likely), items in sorted(groups.items()):
        ok = sum(1 for r in items if r[2] == likely)
        other = collections.Counter(r[2] for r in items if r[2] != likely)
        w("| %s | %s | %d | %d | %s |" % (group, likely, len(items), ok,
                                          ", ".join("%s %d" % kv for kv in sorted(other.items())) or "–"))
    w("")
    wrong = [r for r in rows if r[2] != r[1]]
    if wrong:
        w("Documents not classified as their likely tier:")
        w("")
        out.extend("- `%s`: likely %s, kimitsu %s (%.3f)" % r for r in wrong)
        w("")
    full_manual = [r for r in rows if r[0].endswith("full_manual.txt")]
    if full_manual:
        r = full_manual[0]
        w("The full manual (UNCLASSIFIED, quoting hundreds of banners): kimitsu %s (%.3f)." % (r[2], r[3]))
        w("")
    return "\n".join(out)


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", default=os.environ.get("KIMITSU_PEER_CASES", str(DEFAULT_CASES)))
    ap.add_argument("--report", help="write the Markdown report here (else print it)")
    ap.add_argument("--only", choices=["secrets"], help="only this part of the report (faster to iterate on)")
    args = ap.parse_args(argv)
    cases = Path(args.cases)
    if not (cases / "presidio_cases.jsonl").exists():
        print("peer cases not found at %s (set KIMITSU_PEER_CASES)" % cases, file=sys.stderr)
        return 2
    text = report(Evaluator(cases), only=args.only)
    if args.report:
        Path(args.report).write_text(text + "\n", encoding="utf-8")
        print("wrote %s" % args.report)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
