"""Build hook for setuptools (the metadata is in pyproject.toml): with PAPERS_KG_COMPILE=1 in the
environment, the modules listed under [tool.papers-kg] compiled are compiled to C extensions by
mypyc, and kg/extract/_hsmatches.c (Hyperscan scans that return all their matches at once) is built
against the system's libhs; otherwise the package installs as pure Python. Both behave the same (a
test holds them equal); the compiled build is faster. See README, "Large corpora"."""

import ctypes.util
import os
import tomllib
from pathlib import Path

from setuptools import Extension, setup

COMPILE_VARIABLE = "PAPERS_KG_COMPILE"
HYPERSCAN_HEADER = "hs/hs.h"


def ext_modules() -> list:
    """The mypyc extensions and the Hyperscan scanner when compiling was asked for, else none."""
    if os.environ.get(COMPILE_VARIABLE, "").lower() not in ("1", "true", "yes"):
        return []
    from mypyc.build import mypycify

    _require_hyperscan()
    config = tomllib.loads((Path(__file__).parent / "pyproject.toml").read_text(encoding="utf-8"))
    scanner = Extension("kg.extract._hsmatches", ["kg/extract/_hsmatches.c"], libraries=["hs"])
    return [*mypycify(config["tool"]["papers-kg"]["compiled"], opt_level="3"), scanner]


def _require_hyperscan() -> None:
    """Stop with a clear message when Hyperscan's header (where the C compiler looks by default) or
    library is not installed."""
    folders = ["/usr/include", "/usr/local/include"]
    if not any((Path(folder) / HYPERSCAN_HEADER).exists() for folder in folders) or not ctypes.util.find_library("hs"):
        raise SystemExit(f"{COMPILE_VARIABLE}=1 builds a C extension over Hyperscan and needs its header "
                         f"({HYPERSCAN_HEADER}) and library (libhs): on Debian or Ubuntu, "
                         "apt-get install libhyperscan-dev")


setup(ext_modules=ext_modules())
