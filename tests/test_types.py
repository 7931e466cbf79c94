"""The package, the benchmark scripts and the tests type-check: mypy, with the settings of pyproject.toml
(`files`, the untyped libraries it may skip), reports nothing. The compiled build needs this of the
modules it compiles; here it holds for all of them, and for the tests that exercise them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_finds_no_errors(tmp_path: Path) -> None:
    checked = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path), "--no-error-summary"],
                             cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert checked.returncode == 0, checked.stdout + checked.stderr
