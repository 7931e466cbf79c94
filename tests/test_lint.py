"""The code keeps the project's lint rules, with the settings of pyproject.toml: ruff finds no
unused import or name, no line over 120 characters and none of bugbear's likely bugs, and isort
finds every import block in order, in the package, the scripts and the tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ("kg", "scripts", "tests", "setup.py")


@pytest.mark.parametrize("command", [["ruff", "check", "--no-cache"], ["isort", "--check-only", "--diff"]],
                         ids=["ruff", "isort"])
def test_linter_finds_nothing(command: list[str]) -> None:
    checked = subprocess.run([sys.executable, "-m", *command, *CHECKED], cwd=ROOT, capture_output=True, text=True,
                             timeout=300)
    assert checked.returncode == 0, checked.stdout + checked.stderr
