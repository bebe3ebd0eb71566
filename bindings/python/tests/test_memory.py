"""No leak: the same small document scanned 200,000 times keeps RSS flat
(fewer, down to 20,000, if the machine is too busy to do them in 12 s)."""
import gc
import sys
import time

import pytest

import kimitsu

SCANS = 200_000
TIME_BUDGET = 12.0  # seconds: on a busy machine, fewer scans (at least MIN_SCANS)
MIN_SCANS = 20_000
WARM_UP = 5_000
MAX_GROWTH_KB = 4096  # 200,000 scans leaking 20 bytes each would show


def rss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    pytest.skip("no VmRSS in /proc/self/status")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_rss_stays_flat_over_many_scans():
    doc = "【取扱注意】\n担当 山田 03-1234-5678\nTOP SECRET//NOFORN\n本文です。\n"
    with kimitsu.Policy.default() as policy:
        for _ in range(WARM_UP):
            policy.scan(doc, excerpts=True)
        gc.collect()
        before = rss_kb()
        start = time.perf_counter()
        scans = 0
        while scans < SCANS:
            for _ in range(1000):
                result = policy.scan(doc, excerpts=True)
            scans += 1000
            if time.perf_counter() - start > TIME_BUDGET:
                break
        elapsed = time.perf_counter() - start
        gc.collect()
        after = rss_kb()
    assert result.tier == "designated_secret" and len(result.findings) >= 2
    print("\n%d scans in %.1f s (%.1f us each); VmRSS %d kB -> %d kB (%+d kB)"
          % (scans, elapsed, elapsed / scans * 1e6, before, after, after - before))
    assert scans >= MIN_SCANS, "too slow to tell: %d scans in %.1f s" % (scans, elapsed)
    assert after - before < MAX_GROWTH_KB


def test_policies_and_streams_are_freed(tmp_path):
    policy_text = ("version: 1\ntiers:\n  - {id: high, label: High, threshold: 0.5}\n"
                   "  - {id: low, label: Low}\ndefault_tier: low\n"
                   "rules:\n  - {id: w, tier: high, confidence: 0.9, keywords: [bluebird]}\n")
    big = tmp_path / "big.txt"
    big.write_bytes(b"bluebird\n" + b"filler text line\n" * 80_000)  # > 1 MiB: streamed

    def churn(n):
        for i in range(n):
            p = kimitsu.Policy.from_yaml(policy_text)
            assert p.scan("a bluebird").tier == "high"
            if i % 100 == 0:
                assert p.scan_file(big).tier == "high"
            if i % 2:
                p.close()  # the others are left to the garbage collector
        gc.collect()

    churn(300)
    before = rss_kb()
    churn(3000)
    after = rss_kb()
    print("\n3000 policies compiled and freed; VmRSS %d kB -> %d kB (%+d kB)" % (before, after, after - before))
    assert after - before < MAX_GROWTH_KB
