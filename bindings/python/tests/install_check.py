"""The python_install test: `pip install` the bindings offline into a fresh
venv, then import the installed package from elsewhere, without
KIMITSU_LIBRARY, and scan a string.

    python3 install_check.py WORK_DIR        (KIMITSU_LIBRARY: the library to bundle)

The package directory is copied to WORK_DIR first, so that the build leaves
nothing in the source tree. Exits 77 (CTest: skipped) when venv or pip is
unavailable.
"""
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

SKIP = 77
BINDINGS = Path(__file__).resolve().parent.parent
SOURCE_ROOT = BINDINGS.parent.parent

CHECK = r"""
import os, sys
import kimitsu
here = os.path.dirname(kimitsu.__file__)
assert here.startswith(sys.prefix), (here, sys.prefix)          # the installed copy
assert os.path.dirname(kimitsu.library_path()) == here, kimitsu.library_path()
assert os.path.isfile(os.path.join(here, "kimitsu.h")) and os.path.isfile(os.path.join(here, "py.typed"))
assert kimitsu.__version__ == kimitsu.library_version()
text = "😀 会議資料\n【ＴＯＰ　ＳＥＣＲＥＴ】\n"
result = kimitsu.Policy.default().scan(text)
assert result.tier == "designated_secret", result
assert text[result.findings[0].start:result.findings[0].end] == "ＴＯＰ　ＳＥＣＲＥＴ", result
print("installed kimitsu %s at %s: %s %.3f" % (kimitsu.__version__, here, result.tier, result.score))
"""


def run(cmd, **kwargs):
    print("+ " + " ".join(map(str, cmd)), flush=True)
    return subprocess.run(cmd, **kwargs)


def main(work: Path) -> int:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    if importlib.util.find_spec("venv") is None:
        print("SKIP: python3 has no venv module (Debian package python3-venv)")
        return SKIP
    if run([sys.executable, "-m", "pip", "--version"]).returncode != 0:
        print("SKIP: python3 has no pip (Debian package python3-pip)")
        return SKIP
    # --without-pip: the system's pip (visible through --system-site-packages)
    # installs into the venv, as do cffi and setuptools come from the system.
    venv_dir = work / "venv"
    if run([sys.executable, "-m", "venv", "--without-pip", "--system-site-packages", str(venv_dir)]).returncode:
        print("SKIP: cannot create a venv (Debian package python3-venv)")
        return SKIP
    python = venv_dir / "bin" / "python"

    package = work / "src"
    shutil.copytree(BINDINGS, package, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__", "tests"))
    env = dict(os.environ, KIMITSU_SOURCE_DIR=str(SOURCE_ROOT))
    env.pop("PYTHONPATH", None)
    install = [str(python), "-m", "pip", "install", "--no-build-isolation", "--no-index", "--no-cache-dir",
               "--disable-pip-version-check", str(package)]
    if run(install, env=env, cwd=work).returncode:
        print("FAIL: pip install --no-build-isolation failed")
        return 1

    env = {k: v for k, v in os.environ.items() if k not in ("KIMITSU_LIBRARY", "PYTHONPATH", "LD_LIBRARY_PATH")}
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    if run([str(python), "-c", CHECK], env=env, cwd=elsewhere).returncode:
        print("FAIL: the installed package does not work")
        return 1
    if run([str(python), "-m", "kimitsu", "scan", str(SOURCE_ROOT / "tests" / "corpus" / "ja")], env=env,
           cwd=elsewhere, stdout=subprocess.DEVNULL).returncode:
        print("FAIL: python -m kimitsu scan failed")
        return 1
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1]).resolve()))
