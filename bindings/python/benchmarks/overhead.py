"""What the Python layer costs per scan of a small document.

    KIMITSU_LIBRARY=build/lib/libkimitsu.so.0 PYTHONPATH=bindings/python \\
        /usr/bin/python3 bindings/python/benchmarks/overhead.py

Compares kimitsu_scan + kimitsu_result_free called directly through cffi
with Policy.scan on bytes and on str (which adds the UTF-8 encoding and the
byte-to-code-point offset mapping), with and without excerpts.
"""
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import kimitsu  # noqa: E402
from kimitsu._ffi import ffi, lib  # noqa: E402

DOC = "【取扱注意】\n担当 山田 03-1234-5678\nTOP SECRET//NOFORN\n本文です。\n"


def per_call_us(fn, number=20000):
    return min(timeit.repeat(fn, number=number, repeat=5)) / number * 1e6


def main():
    policy = kimitsu.Policy.default()
    raw = DOC.encode()
    out = ffi.new("kimitsu_result **")

    def c_only():
        lib.kimitsu_scan(policy._handle, raw, len(raw), ffi.NULL, out)
        lib.kimitsu_result_free(out[0])

    print("document: %d bytes, %d findings" % (len(raw), len(policy.scan(raw).findings)))
    print("kimitsu_scan + free through cffi: %6.1f us" % per_call_us(c_only))
    print("Policy.scan(bytes):               %6.1f us" % per_call_us(lambda: policy.scan(raw)))
    print("Policy.scan(str):                 %6.1f us" % per_call_us(lambda: policy.scan(DOC)))
    print("Policy.scan(str, excerpts=True):  %6.1f us" % per_call_us(lambda: policy.scan(DOC, excerpts=True)))
    print("Policy.scan(b'hello')  (clean):   %6.1f us" % per_call_us(lambda: policy.scan(b"hello")))


if __name__ == "__main__":
    main()
