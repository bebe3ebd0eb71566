"""kimitsu (機密): classify documents by sensitivity.

Python bindings over kimitsu's C API (cffi, ABI mode)::

    import kimitsu

    policy = kimitsu.Policy.default()
    result = policy.scan("【極秘】 作戦計画")
    print(result.tier, result.score)
    for f in result.findings:
        print(f.rule, f.start, f.end)

Offsets index what was scanned: code points of a ``str``, bytes of bytes
or files. ``Policy`` objects are immutable and may be shared by threads;
``scan_many`` runs scans on several threads (the GIL is released while the
library works).
"""
from ._errors import KimitsuError, PolicyError
from ._ffi import HEADER_VERSION as _HEADER_VERSION
from ._ffi import LIBRARY_PATH as _LIBRARY_PATH
from ._ffi import LIBRARY_VERSION as _LIBRARY_VERSION
from ._policy import Finding, Policy, Result, Rule, Tier

#: The package's version: the version of the kimitsu.h it was built from,
#: which the loaded library must match (checked at import).
__version__ = _HEADER_VERSION


def library_version() -> str:
    """The version of the kimitsu library actually loaded (kimitsu_version())."""
    return _LIBRARY_VERSION


def library_path() -> str:
    """The path of the kimitsu shared library actually loaded."""
    return str(_LIBRARY_PATH)


__all__ = [
    "Finding",
    "KimitsuError",
    "Policy",
    "PolicyError",
    "Result",
    "Rule",
    "Tier",
    "__version__",
    "library_path",
    "library_version",
]
