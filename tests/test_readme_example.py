"""The README's Python example runs as written and prints exactly the output the README shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import EXAMPLES

README = Path(__file__).resolve().parent.parent / "README.md"
SECTION = "## Python library"


def example() -> tuple[str, list[str]]:
    """The section's Python block and the lines of the text block that shows its output."""
    text = README.read_text("utf-8")
    section = text[text.index(SECTION):]
    section = section[:section.index("\n## ", len(SECTION))]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    shown = re.search(r"```text\n(.*?)```", section, re.S)
    assert code is not None and shown is not None, f"{SECTION} needs a python block and a text block"
    return code.group(1), shown.group(1).splitlines()


def test_the_python_example_prints_what_the_readme_shows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, shown = example()
    (tmp_path / "examples").symlink_to(EXAMPLES, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    exec(compile(code, f"{README}: {SECTION}", "exec"), {"__name__": "readme_example"})
    assert capsys.readouterr().out.splitlines() == shown
    assert (tmp_path / "out" / "graph.json").is_file()
    assert "LLaMA" in (tmp_path / "llama.html").read_text("utf-8")
