"""The C library as cffi sees it: declarations, the loaded library, status checks.

ABI mode: the declarations are the KIMITSU_CDEF_BEGIN..END region of
kimitsu.h, read at import time from the copy of the header that ships inside
the package (or, in a source checkout, from include/kimitsu/kimitsu.h), so
the C header stays the one source of truth. Nothing is compiled.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import cffi

from ._errors import KimitsuError

_HERE = Path(__file__).resolve().parent
# bindings/python/kimitsu -> the repository root, when running from a checkout.
_SOURCE_ROOT = _HERE.parent.parent.parent

_BEGIN = "/* KIMITSU_CDEF_BEGIN */"
_END = "/* KIMITSU_CDEF_END */"
_PLAIN_INTEGER = re.compile(r"-?(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*")
_DEFINE = re.compile(r"\s*#\s*define\s+(\w+)\s+(.*)$")


def cdef_region(header_text: str) -> str:
    """The header's cdef region, without the #defines cffi cannot read.

    cffi's cdef() accepts ``#define NAME <integer>`` only; any other macro
    in the region is dropped (the same rule as tests/abi/cdef_check.py).
    """
    region = header_text[header_text.index(_BEGIN) + len(_BEGIN) : header_text.index(_END)]
    kept = []
    for line in region.splitlines():
        m = _DEFINE.match(line)
        if m:
            value = re.sub(r"/\*.*?\*/", "", m.group(2)).strip()
            if not _PLAIN_INTEGER.fullmatch(value):
                continue
        kept.append(line)
    return "\n".join(kept)


def _find_header() -> Path:
    for candidate in (_HERE / "kimitsu.h", _SOURCE_ROOT / "include" / "kimitsu" / "kimitsu.h"):
        if candidate.is_file():
            return candidate
    raise ImportError(
        "kimitsu: cannot find kimitsu.h: neither the copy in the package (%s) nor a source "
        "checkout's include/kimitsu/kimitsu.h; reinstall the package" % _HERE
    )


HEADER_PATH = _find_header()
_CDEF = cdef_region(HEADER_PATH.read_text(encoding="utf-8"))

ffi = cffi.FFI()
ffi.cdef(_CDEF)

_MACROS = {
    name: int(re.sub(r"/\*.*?\*/", "", value).strip().rstrip("uUlL"), 0)
    for name, value in re.findall(r"^\s*#\s*define\s+(\w+)\s+(.*)$", _CDEF, re.M)
}
HEADER_VERSION = "%d.%d.%d" % (
    _MACROS["KIMITSU_VERSION_MAJOR"],
    _MACROS["KIMITSU_VERSION_MINOR"],
    _MACROS["KIMITSU_VERSION_PATCH"],
)
LIBRARY_NAME = "libkimitsu.so.%d" % _MACROS["KIMITSU_VERSION_MAJOR"]

# Result flags by bit, named after their macros: KIMITSU_RESULT_LOSSY_DECODE
# -> "lossy_decode". A flag added to the header is named here with no change.
RESULT_FLAGS = tuple(
    (value, name[len("KIMITSU_RESULT_") :].lower())
    for name, value in _MACROS.items()
    if name.startswith("KIMITSU_RESULT_")
)
SCAN_EXCERPTS = _MACROS["KIMITSU_SCAN_EXCERPTS"]
SCAN_UNMASKED = _MACROS["KIMITSU_SCAN_UNMASKED"]
SCAN_ALL_MATCHES = _MACROS["KIMITSU_SCAN_ALL_MATCHES"]


def _find_library() -> Path:
    """KIMITSU_LIBRARY if set; else the copy installed next to this file;
    else, in a source checkout, the CMake build's build/lib."""
    override = os.environ.get("KIMITSU_LIBRARY")
    if override:
        path = Path(override)
        if not path.is_file():
            raise ImportError("kimitsu: KIMITSU_LIBRARY=%s is not a file" % override)
        return path.resolve()
    for candidate in (_HERE / LIBRARY_NAME, _SOURCE_ROOT / "build" / "lib" / LIBRARY_NAME):
        if candidate.is_file():
            return candidate.resolve()
    raise ImportError(
        "kimitsu: cannot find %s next to %s; reinstall the package, or set "
        "KIMITSU_LIBRARY=/path/to/%s (e.g. a CMake build's build/lib)" % (LIBRARY_NAME, _HERE, LIBRARY_NAME)
    )


LIBRARY_PATH = _find_library()
try:
    # A path with a '/' is loaded as is: no LD_LIBRARY_PATH needed. Its own
    # dependencies (RE2, ICU, abseil, yaml-cpp) are system libraries.
    lib = ffi.dlopen(str(LIBRARY_PATH))
except OSError as e:
    raise ImportError("kimitsu: cannot load %s: %s" % (LIBRARY_PATH, e)) from e

LIBRARY_VERSION = ffi.string(lib.kimitsu_version()).decode("ascii")

# The library must be the header's ABI (same major) and at least as new as
# the header (which may declare functions an older library lacks).
if (
    lib.kimitsu_version_number() // 10000 != _MACROS["KIMITSU_VERSION_NUMBER"] // 10000
    or lib.kimitsu_version_number() < _MACROS["KIMITSU_VERSION_NUMBER"]
):
    raise ImportError(
        "kimitsu: %s is version %s, but these bindings were made for %s (%s)"
        % (LIBRARY_PATH, LIBRARY_VERSION, HEADER_VERSION, HEADER_PATH)
    )

STATUS_NAMES = dict(ffi.typeof("kimitsu_status").elements)  # value -> "KIMITSU_E_IO"


def status_message(status: int) -> str:
    return ffi.string(lib.kimitsu_status_string(status)).decode("utf-8", "replace")


def check(status: int, what: str) -> None:
    """Raises KimitsuError for any status but KIMITSU_OK (pygit2's check_error)."""
    if status != 0:
        raise KimitsuError("%s: %s" % (what, status_message(status)), status=status)


def text(ptr) -> str:
    """A NUL-terminated UTF-8 string owned by a kimitsu handle, as str."""
    return ffi.string(ptr).decode("utf-8", "replace") if ptr != ffi.NULL else ""
