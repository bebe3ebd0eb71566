"""Builds the `kimitsu` Python package from a kimitsu source tree.

The package is pure Python over the C library (cffi, ABI mode); building it
means copying two files into it from the tree it lives in:

  kimitsu/kimitsu.h        include/kimitsu/kimitsu.h: the declarations cffi reads
  kimitsu/libkimitsu.so.0  the shared library, from, in this order:
                             1. $KIMITSU_LIBRARY (a built libkimitsu.so.0),
                             2. the CMake build dir ../../build/lib,
                             3. a fresh CMake build of the library alone, in
                                build/cmake here (RE2, ICU, abseil and
                                yaml-cpp must be installed: scripts/setup).

Offline install (no PyPI):  python3 -m pip install --no-build-isolation ./bindings/python
$KIMITSU_SOURCE_DIR names the source tree when this directory was copied out of it.
"""
import os
import re
import shutil
import subprocess
from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
# The kimitsu source tree: where this directory sits in it, unless this
# directory was copied elsewhere to be built (tests/install_check.py does).
SOURCE_ROOT = Path(os.environ.get("KIMITSU_SOURCE_DIR") or HERE.parent.parent).resolve()
HEADER = SOURCE_ROOT / "include" / "kimitsu" / "kimitsu.h"


def header_macros():
    if not HEADER.is_file():
        raise SystemExit("kimitsu: %s not found: build the package from a kimitsu source tree" % HEADER)
    text = HEADER.read_text(encoding="utf-8")
    return {k: int(v) for k, v in re.findall(r"^#define (KIMITSU_VERSION_\w+) (\d+)", text, re.M)}


MACROS = header_macros()
VERSION = "%(KIMITSU_VERSION_MAJOR)d.%(KIMITSU_VERSION_MINOR)d.%(KIMITSU_VERSION_PATCH)d" % MACROS
LIBRARY_NAME = "libkimitsu.so.%d" % MACROS["KIMITSU_VERSION_MAJOR"]  # what kimitsu/_ffi.py loads


def check_loadable(library: Path) -> Path:
    """Refuses a sanitizer build: its runtime cannot be loaded into python."""
    data = library.read_bytes()
    for marker in (b"__asan_init", b"__tsan_init", b"__msan_init", b"__ubsan_handle"):
        if marker in data:
            raise SystemExit(
                "kimitsu: %s is a sanitizer build (%s), which python cannot load; point "
                "KIMITSU_LIBRARY at a normal build" % (library, marker.decode())
            )
    return library


def find_or_build_library(build_temp: Path) -> Path:
    override = os.environ.get("KIMITSU_LIBRARY")
    if override:
        path = Path(override)
        if not path.is_file():
            raise SystemExit("kimitsu: KIMITSU_LIBRARY=%s is not a file" % override)
        return check_loadable(path.resolve())
    in_tree = SOURCE_ROOT / "build" / "lib" / LIBRARY_NAME
    if in_tree.is_file():
        print("kimitsu: using the CMake build's %s" % in_tree)
        return check_loadable(in_tree.resolve())
    cmake_dir = build_temp / "cmake"
    print("kimitsu: building %s with CMake in %s" % (LIBRARY_NAME, cmake_dir))
    subprocess.check_call([
        "cmake", "-S", str(SOURCE_ROOT), "-B", str(cmake_dir), "-DCMAKE_BUILD_TYPE=Release",
        "-DKIMITSU_BUILD_TESTS=OFF", "-DKIMITSU_BUILD_EXAMPLES=OFF", "-DKIMITSU_BUILD_BENCHMARKS=OFF",
    ])
    subprocess.check_call([
        "cmake", "--build", str(cmake_dir), "--target", "kimitsu", "-j", str(os.cpu_count() or 1),
    ])
    return check_loadable((cmake_dir / "lib" / LIBRARY_NAME).resolve())


class BuildPyWithLibrary(build_py):
    """build_py, plus kimitsu.h and the shared library copied into the package."""

    def run(self):
        super().run()
        package_dir = Path(self.build_lib) / "kimitsu"
        package_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(HEADER, package_dir / "kimitsu.h")
        build_temp = Path(self.get_finalized_command("build").build_temp).resolve()
        library = find_or_build_library(build_temp)
        target = package_dir / LIBRARY_NAME
        shutil.copyfile(library, target)  # the file itself, not a symlink to it
        os.chmod(target, 0o755)


class BinaryDistribution(Distribution):
    """The wheel holds a native library: tag it for this platform."""

    def has_ext_modules(self):
        return True


cmdclass = {"build_py": BuildPyWithLibrary}
try:
    from wheel.bdist_wheel import bdist_wheel

    class BdistWheelAnyPython(bdist_wheel):
        """No Python extension is compiled (cffi ABI mode): any Python 3 on
        this platform can use the wheel."""

        def get_tag(self):
            _, _, platform = super().get_tag()
            return "py3", "none", platform

    cmdclass["bdist_wheel"] = BdistWheelAnyPython
except ImportError:
    pass

setup(
    name="kimitsu",
    version=VERSION,
    description="Classify documents by sensitivity (Python bindings to the kimitsu C API)",
    long_description=(HERE / "README.md").read_text(encoding="utf-8") if (HERE / "README.md").is_file() else "",
    long_description_content_type="text/markdown",
    packages=["kimitsu"],
    package_data={"kimitsu": ["py.typed"]},
    python_requires=">=3.8",
    install_requires=["cffi>=1.12"],
    distclass=BinaryDistribution,
    cmdclass=cmdclass,
    zip_safe=False,
)
