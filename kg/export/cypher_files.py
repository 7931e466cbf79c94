"""The Cypher files of the repository: cypher/schema.cypher and the named questions in cypher/queries/.

A question file starts with a header of `//` comment lines:
    // title: Base models most built upon
    // answers: Which pre-trained models do most papers build on?
    // param: limit = 10 -- how many models to list
Each `param` gives the name, a JSON example value (also the default) and a description."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CYPHER_DIR = Path(__file__).resolve().parents[1] / "cypher"
"""The repository's cypher/ folder, shipped inside the package through the kg/cypher link."""
QUERIES_DIR = CYPHER_DIR / "queries"
SCHEMA_FILE = CYPHER_DIR / "schema.cypher"

_PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?P<example>.+?)\s+--\s+(?P<help>.+)$")


_KINDS = {int: "an integer", float: "a number", bool: "true or false"}


class QuestionError(ValueError):
    """A named question that does not exist, a malformed header, or a bad parameter value."""


@dataclass(frozen=True)
class Param:
    name: str
    example: Any
    help: str

    def coerce(self, text: str) -> Any:
        """Read a command-line value as the example's type (int, float, bool or string)."""
        if isinstance(self.example, str):
            return text
        kind = _KINDS.get(type(self.example), type(self.example).__name__)
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            value = None
        if type(value) is not type(self.example) and not (isinstance(self.example, float) and type(value) is int):
            raise QuestionError(f"parameter {self.name}: {text!r} is not {kind}")
        return value


@dataclass(frozen=True)
class Question:
    """One named question: its file, header and Cypher text."""

    name: str
    title: str
    answers: str
    params: tuple[Param, ...]
    cypher: str
    path: Path = field(compare=False)

    def _known(self, names: Iterable[str]) -> dict[str, Param]:
        by_name = {p.name: p for p in self.params}
        unknown = sorted(set(names) - set(by_name))
        if unknown:
            raise QuestionError(f"{self.name} has no parameter {', '.join(unknown)} "
                                f"(it takes: {', '.join(by_name) or 'none'})")
        return by_name

    def parse(self, texts: dict[str, str]) -> dict[str, Any]:
        """Command-line values as typed parameters (the type of each example)."""
        by_name = self._known(texts)
        return {name: by_name[name].coerce(text) for name, text in texts.items()}

    def arguments(self, given: dict[str, Any] | None = None) -> dict[str, Any]:
        """Every parameter: the given value, else the example."""
        given = dict(given or {})
        return {name: given.get(name, param.example) for name, param in self._known(given).items()}


def read_question(path: Path) -> Question:
    """Parse one question file; raises QuestionError naming the file when its header is incomplete."""
    header: dict[str, str] = {}
    params: list[Param] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("//"):
            break
        key, _, value = line[2:].strip().partition(":")
        if key == "param":
            match = _PARAM.match(value.strip())
            if not match:
                raise QuestionError(f"{path}: bad param line {line!r} (want `name = JSON example -- help`)")
            params.append(Param(match["name"], json.loads(match["example"]), match["help"]))
        elif key in ("title", "answers"):
            header[key] = value.strip()
    if set(header) != {"title", "answers"}:
        raise QuestionError(f"{path}: header needs `// title:` and `// answers:` lines")
    return Question(path.stem, header["title"], header["answers"], tuple(params),
                    path.read_text(encoding="utf-8"), path)


def questions(directory: Path = QUERIES_DIR) -> dict[str, Question]:
    """Every named question, by name (the file name without .cypher), sorted."""
    return {q.name: q for q in map(read_question, sorted(directory.glob("*.cypher")))}


def question(name: str, directory: Path = QUERIES_DIR) -> Question:
    path = directory / f"{name}.cypher"
    if not re.fullmatch(r"[a-z0-9-]+", name) or not path.is_file():
        raise QuestionError(f"no question named {name!r}; `kg query --list` shows them")
    return read_question(path)


def schema_statements(path: Path = SCHEMA_FILE) -> list[str]:
    """The statements of schema.cypher: `;`-terminated, `//` comment lines dropped."""
    text = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                     if not line.lstrip().startswith("//"))
    return [statement.strip() for statement in text.split(";") if statement.strip()]
