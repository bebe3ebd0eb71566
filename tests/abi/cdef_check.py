"""header_c99's cffi check: the KIMITSU_CDEF_BEGIN..END region of kimitsu.h
must be readable by cffi's cdef() as it stands, once #define lines whose
value is not a plain integer are dropped (cffi accepts only those).

    python3 cdef_check.py include/kimitsu/kimitsu.h [path/libkimitsu.so]

With the library, also opens it through cffi (ABI mode, as the Python
bindings do), resolves every declared function and calls kimitsu_version().
Prints "cffi check skipped" and exits 0 when cffi is not installed (Debian
package python3-cffi; scripts/setup installs it).
"""
import re
import sys

BEGIN = "/* KIMITSU_CDEF_BEGIN */"
END = "/* KIMITSU_CDEF_END */"


def cdef_text(header):
    with open(header, encoding="utf-8") as f:
        text = f.read()
    region = text[text.index(BEGIN) + len(BEGIN):text.index(END)]
    kept = []
    for line in region.splitlines():
        m = re.match(r"\s*#\s*define\s+\w+\s+(.*)$", line)
        if m:
            value = re.sub(r"/\*.*?\*/", "", m.group(1)).strip()
            if not re.fullmatch(r"-?(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*", value):
                continue
        kept.append(line)
    return "\n".join(kept)


def main(argv):
    try:
        import cffi
    except ImportError:
        print("cffi check skipped: /usr/bin/python3 cannot import cffi (install python3-cffi)")
        return 0
    text = cdef_text(argv[1])
    ffi = cffi.FFI()
    ffi.cdef(text)
    for struct in ("kimitsu_scan_options", "kimitsu_finding", "kimitsu_tier_info", "kimitsu_rule_info"):
        fields = [name for name, _ in ffi.typeof(struct).fields]
        assert fields[0] == "struct_size", (struct, fields)
    status = ffi.typeof("kimitsu_status").relements
    assert status["KIMITSU_OK"] == 0 and status["KIMITSU_E_INTERNAL"] == -9, status
    functions = sorted(set(re.findall(r"\b(kimitsu_\w+)\s*\(", text)))
    print("cffi check: cdef() accepted %d function declarations" % len(functions))

    if len(argv) > 2:
        lib = ffi.dlopen(argv[2])
        for fn in functions:
            getattr(lib, fn)  # raises if the library does not export it
        version = ffi.string(lib.kimitsu_version()).decode()
        expected = "%d.%d.%d" % (lib.KIMITSU_VERSION_MAJOR, lib.KIMITSU_VERSION_MINOR, lib.KIMITSU_VERSION_PATCH)
        assert version == expected, (version, expected)
        assert lib.kimitsu_version_number() == lib.KIMITSU_VERSION_NUMBER
        print("cffi check: %s resolves every function; version %s" % (argv[2], version))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
