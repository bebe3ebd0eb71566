"""Threads: one policy shared by many threads; the GIL released while scanning."""
import threading
import time

import kimitsu
from conftest import as_tuple


def test_eight_threads_share_one_policy(policy, corpus_files):
    inputs = []
    for path, _ in corpus_files:
        data = path.read_bytes()
        inputs.append(data)
        try:
            inputs.append(data.decode("utf-8"))  # str offsets too
        except UnicodeDecodeError:
            pass
    expected = [as_tuple(policy.scan(x, excerpts=True)) for x in inputs]
    got = {}
    errors = []
    start = threading.Barrier(8)

    def worker(k):
        try:
            start.wait()
            order = inputs[k::2] + inputs  # different orders, overlapping inputs
            got[k] = [(inputs.index(x) if isinstance(x, bytes) else None, as_tuple(policy.scan(x, excerpts=True)))
                      for x in order]
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for k in range(8):
        order = inputs[k::2] + inputs
        assert [r for _, r in got[k]] == [expected[inputs.index(x)] for x in order]


def test_gil_released_during_scan(policy):
    # While one thread scans a large document, another keeps running Python:
    # with the GIL held it would stall for the whole scan.
    line = "本報告書は設備更新計画について関係部署の意見を取りまとめたものである。 Routine text.\n"
    # Large enough that one scan takes a while, however fast the engine:
    # doubled until it takes over 0.1 s.
    big = (line * (12 * (1 << 20) // len(line.encode()))).encode()
    while True:
        t0 = time.perf_counter()
        policy.scan(big)
        one_scan = time.perf_counter() - t0
        if one_scan > 0.1 or len(big) >= (1 << 28):
            break
        big += big
    done = threading.Event()

    def scan():
        policy.scan(big)
        done.set()

    worker = threading.Thread(target=scan)
    last = time.perf_counter()
    worker.start()
    longest_stall = 0.0
    while not done.is_set():
        now = time.perf_counter()
        longest_stall = max(longest_stall, now - last)
        last = now
    worker.join()
    assert one_scan > 0.05, "document too small to tell"
    assert longest_stall < one_scan / 2, (longest_stall, one_scan)


def test_close_while_other_threads_scan():
    p = kimitsu.Policy.default()
    stop = threading.Event()
    outcomes = []

    def worker():
        n = 0
        try:
            while not stop.is_set():
                assert p.scan(b"TOP SECRET\n" * 50).tier == "designated_secret"
                n += 1
        except ValueError:
            outcomes.append(("closed", n))
        except BaseException as e:  # pragma: no cover
            outcomes.append(("error", e))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    p.close()  # scans in flight finish; later ones see a closed policy
    stop.set()
    for t in threads:
        t.join()
    assert all(kind == "closed" for kind, _ in outcomes), outcomes
    assert p.closed and p._handle is None


def test_scan_many_on_threads_matches_scan(policy):
    docs = [("極秘\n" if i % 3 == 0 else "TOP SECRET\n" if i % 3 == 1 else "plain\n") * (i % 7 + 1)
            for i in range(300)]
    expected = [as_tuple(policy.scan(d)) for d in docs]
    assert [as_tuple(r) for r in policy.scan_many(docs, jobs=8)] == expected
