"""SPARQL over an RDF export with rdflib: the named questions of kg/rdf/queries/*.rq (the same
questions, file names and columns as cypher/queries/*.cypher) and ad-hoc queries.

A .rq file starts with a header of `#` comment lines, as the Cypher files do:
    # title: Base models most built upon
    # answers: Which pre-trained models do most papers build on?
    # param: limit = 10 -- how many models to list
    # list: repositories
`param` is bound to `$name` (or, for `limit`, replaces the number of the final LIMIT, which SPARQL
cannot take as a variable); `list` columns are GROUP_CONCATs separated by newlines, returned as
sorted lists, `tuple` columns likewise but in their order."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from rdflib import XSD, Graph, Literal, Variable
from rdflib.query import ResultRow

from kg.export.cypher_files import Param, QuestionError
from kg.rdf import QUERIES_DIR

_FINAL_LIMIT = re.compile(r"\bLIMIT\s+\d+\s*$", re.IGNORECASE)
_VARIABLE = re.compile(r"\$(\w+)")
_NUMERIC = {XSD.integer, XSD.int, XSD.long, XSD.decimal, XSD.double, XSD.float, XSD.boolean}
SEPARATOR = "\n"


@dataclass(frozen=True)
class Question:
    """A SPARQL query with its header: title, what it answers, parameters, list and tuple columns."""

    name: str
    text: str
    title: str = ""
    answers: str = ""
    params: tuple[Param, ...] = ()
    lists: frozenset[str] = frozenset()
    tuples: frozenset[str] = frozenset()

    def arguments(self, given: dict[str, Any] | None = None) -> dict[str, Any]:
        """Every declared parameter (given value, else its example) plus any undeclared `$name` given."""
        given = dict(given or {})
        return {**{param.name: param.example for param in self.params}, **given}

    def parse(self, texts: dict[str, str]) -> dict[str, Any]:
        """Command-line values typed like each parameter's example; undeclared ones stay strings."""
        by_name = {param.name: param for param in self.params}
        return {name: by_name[name].coerce(text) if name in by_name else text for name, text in texts.items()}

    def variables(self) -> list[str]:
        """The `$name` variables of the query body, in order of first use."""
        body = "\n".join(line for line in self.text.splitlines() if not line.lstrip().startswith("#"))
        return list(dict.fromkeys(_VARIABLE.findall(body)))


@dataclass
class Answer:
    """A query's result: SELECT rows (column -> Python value), an ASK boolean, or a CONSTRUCT graph."""

    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None


def parse_question(name: str, text: str) -> Question:
    """Read the `# key: value` header lines at the top of a query."""
    header: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line[1:].strip().partition(":")
        if key == "param":
            param_name, _, rest = value.partition("=")
            example, _, help_text = rest.partition(" -- ")
            try:
                params.append(Param(param_name.strip(), json.loads(example), help_text.strip()))
            except json.JSONDecodeError as exc:
                raise QuestionError(f"{name}: bad param line {line!r} (want `name = JSON example -- help`)") from exc
        else:
            header[key] = value.strip()
    return Question(name, text, header.get("title", ""), header.get("answers", ""), tuple(params),
                    frozenset(header.get("list", "").split()), frozenset(header.get("tuple", "").split()))


def questions() -> dict[str, Question]:
    """Every named question shipped in kg/rdf/queries, by file name without .rq."""
    entries = sorted((e for e in QUERIES_DIR.iterdir() if e.name.endswith(".rq")), key=lambda e: e.name)
    return {e.name[:-3]: parse_question(e.name[:-3], e.read_text(encoding="utf-8")) for e in entries}


def load_question(query_or_file: str) -> Question:
    """A named question, a .rq file, or the argument itself as SPARQL text."""
    named = questions()
    if query_or_file in named:
        return named[query_or_file]
    if "\n" not in query_or_file and len(query_or_file) < 1024 and Path(query_or_file).is_file():
        path = Path(query_or_file)
        return parse_question(path.stem, path.read_text(encoding="utf-8"))
    return parse_question("query", query_or_file)


def run(data: Graph, question: Question, params: dict[str, Any] | None = None) -> Answer:
    """Run the question over `data`: `$name` bound to literal values (graph ids or names), `limit`
    replacing the final LIMIT; values come back as Python values (IRIs and dates as text)."""
    values = question.arguments(params)
    text = question.text
    if "limit" in values and "limit" not in question.variables():
        text = _FINAL_LIMIT.sub(f"LIMIT {int(values.pop('limit'))}", text)
    result = data.query(text, initBindings={Variable(k): Literal(v) for k, v in values.items()})
    if result.type == "ASK":
        return Answer(boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return Answer(graph=result.graph)
    columns = [str(var) for var in result.vars or []]
    rows = [{column: _cell(question, column, row[index]) for index, column in enumerate(columns)}
            for row in cast(Iterable[ResultRow], result)]
    return Answer(columns=columns, rows=rows)


def _cell(question: Question, column: str, term: Any) -> Any:
    value = python_value(term)
    if column in question.lists:
        return sorted(item for item in value.split(SEPARATOR) if item) if value else []
    if column in question.tuples:
        return value.split(SEPARATOR) if value else []
    return value


def python_value(term: Any) -> Any:
    """A result term as a Python value: numbers and booleans typed, everything else its text."""
    if term is None:
        return None
    if isinstance(term, Literal) and term.datatype in _NUMERIC:
        value = term.toPython()
        return value if isinstance(value, (int, bool)) else float(value)
    return str(term)
