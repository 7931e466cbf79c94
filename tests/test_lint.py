"""The code keeps the project's lint rules: ruff, with the settings of pyproject.toml, finds no
unused import or name, no import out of order, no line over 120 characters and none of bugbear's
likely bugs, in the package, the scripts and the tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ("kg", "scripts", "tests", "setup.py")


def test_ruff_finds_nothing() -> None:
    checked = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", *CHECKED],
                             cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0, checked.stdout + checked.stderr
