"""Build hook for setuptools (the metadata is in pyproject.toml): with PAPERS_KG_COMPILE=1 in the
environment, the modules listed under [tool.papers-kg] compiled are compiled to C extensions by
mypyc; otherwise the package installs as pure Python. Both behave the same (a test holds them
equal); the compiled build is faster. See README, "Large corpora"."""

import os
import tomllib
from pathlib import Path

from setuptools import setup

COMPILE_VARIABLE = "PAPERS_KG_COMPILE"


def ext_modules() -> list:
    """The mypyc extensions when compiling was asked for, else none."""
    if os.environ.get(COMPILE_VARIABLE, "").lower() not in ("1", "true", "yes"):
        return []
    from mypyc.build import mypycify

    config = tomllib.loads((Path(__file__).parent / "pyproject.toml").read_text(encoding="utf-8"))
    return mypycify(config["tool"]["papers-kg"]["compiled"], opt_level="3")


setup(ext_modules=ext_modules())
