"""Bulk-import files for `neo4j-admin database import full`: one node file per label, one relationship
file per (type, start label, end label), headers on the first line, and import.sh to run the import
in the docker compose setup.

Each label is its own ID space (`id:ID(Paper)`, `:END_ID(Model)`): the importer then refuses a
relationship whose end has another label than the vocabulary allows, instead of linking it. The ids
are globally unique anyway, so nothing else changes. Numbers are typed `long` and `double` (what a
Bolt load stores), lists `string[]` split on U+001F, a character no text here contains.

The graph is read once: rows go to a temporary body per file as they come (pickled in batches), and
each file gets its header (every property column, typed by all its values) when the pass is over,
then its rows, each written as CSV once, with its cells in the header's order. The bodies are
unlinked temporary files beside the output; each is freed once its file is written, so the disk
holds the files' size plus at most the bodies not yet written out."""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

from kg.atomic import atomic_directory
from kg.export.property_graph import RelGroup, group_order, label_order, node_rows, relationship_rows
from kg.graph import GraphError, KnowledgeGraph

ARRAY_DELIMITER = "\x1f"
ARRAY_DELIMITER_OPTION = "U+001F"
IMPORT_SCRIPT = "import.sh"

G = TypeVar("G", bound=Hashable)
Line = tuple[G, list[str], dict[str, Any]]
"""One row to write: its file's group, its fixed fields and its properties."""


def _type(kinds: set[str], where: str) -> str:
    """The neo4j-admin type of one property column, from the kinds of all its values."""
    if kinds <= {"long"}:
        return "long"
    if kinds <= {"long", "double"}:
        return "double"
    if len(kinds) == 1 and "mixed" not in next(iter(kinds)):
        return next(iter(kinds))
    raise GraphError(f"{where} mixes value types ({', '.join(sorted(kinds))}); neo4j-admin needs one per column")


_SCALAR_KINDS = {str: "string", bool: "boolean", int: "long", float: "double"}


def _kind(value: Any) -> str:
    scalar = _SCALAR_KINDS.get(type(value))
    if scalar is not None:
        return scalar
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, list):
        items = {_kind(item) for item in value}
        return f"{items.pop() if len(items) == 1 else 'mixed'}[]"
    return "string"


def _cell(value: Any, column: str) -> str:
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        items = [_cell(item, column) for item in value]
        if any(ARRAY_DELIMITER in item for item in items):
            raise GraphError(f"a value of {column} contains the array delimiter {ARRAY_DELIMITER_OPTION}")
        return ARRAY_DELIMITER.join(items)
    return str(value)


@dataclass(frozen=True)
class _Files:
    """How the rows of one kind (nodes, relationships) are filed: each group's file name, the fixed
    fields of its header, and how errors name it; a group is a node label or a relationship's
    (type, start label, end label)."""

    name: Callable[[Any], str]
    header: Callable[[Any], list[str]]
    where: Callable[[Any], str]


_NODE_FILES = _Files(lambda label: f"nodes-{label}.csv", lambda label: [f"id:ID({label})", ":LABEL"],
                     lambda label: f"{label} nodes")
_RELATIONSHIP_FILES = _Files(
    lambda group: "relationships-{}-{}-{}.csv".format(*group),
    lambda group: [f":START_ID({group[1]})", f":END_ID({group[2]})", ":TYPE"],
    lambda group: f"{group[0]} relationships")


def csv_line(cells: list[str]) -> str:
    """One line of two or more cells as `csv.writer` writes it (excel dialect, line feed line ends): a
    cell holding a comma, a quote or a line feed quoted, its quotes doubled. A test holds it equal to
    the csv module's line; it costs less than half as much (three substring scans per cell instead
    of a check of every character)."""
    return ",".join('"' + c.replace('"', '""') + '"' if "," in c or '"' in c or "\n" in c else c for c in cells) + "\n"


BATCH = 1024
"""Rows of a body pickled together."""


@dataclass
class _Body:
    """The rows of one group's file, kept as they come with their property cells in the order the
    properties were first seen; the header, which needs every column and its type, comes last."""

    fh: IO[bytes]
    index: dict[str, int] = field(default_factory=dict)
    """property -> its position among a row's property cells"""
    kinds: dict[str, set[str]] = field(default_factory=dict)
    rows: int = 0
    widened: bool = False
    """A property was first seen after rows were kept, so those rows lack its cell."""
    pending: list[list[str]] = field(default_factory=list)
    """Rows not yet pickled to the file."""
    batches: int = 0
    """Lists of rows pickled to the file so far."""

    def add(self, fixed: list[str], props: dict[str, Any]) -> None:
        """Keep a row: the fixed fields, then its property cells in body order."""
        index, kinds = self.index, self.kinds
        if not index.keys() >= props.keys():
            for name in props:
                if name not in index:
                    index[name] = len(index)
                    kinds[name] = set()
                    self.widened = self.widened or self.rows > 0
        cells = [""] * len(index)
        for name, value in props.items():
            if type(value) is str:  # most values: their own cell
                cells[index[name]] = value
                kinds[name].add("string")
            else:
                cells[index[name]] = _cell(value, name)
                kinds[name].add(_kind(value))
        self.pending.append(fixed + cells)
        self.rows += 1
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        pickle.dump(self.pending, self.fh, protocol=pickle.HIGHEST_PROTOCOL)
        self.pending.clear()
        self.batches += 1

    def kept(self) -> Iterator[list[list[str]]]:
        """The rows kept, batch by batch, in order."""
        if self.pending:
            self.flush()
        self.fh.seek(0)
        for _ in range(self.batches):
            yield pickle.load(self.fh)


def _write(folder: Path, files: _Files, lines: Iterable[Line[G]]) -> tuple[list[G], bool]:
    """Stream the rows into one CSV file per group, in one pass over them: the fixed header fields,
    then one typed column per property, sorted by name. Returns the groups written and whether any
    field spans lines (neo4j-admin then needs --multiline-fields)."""
    multiline = False
    bodies: dict[G, _Body] = {}
    with ExitStack() as stack:
        for group, fixed, props in lines:
            body = bodies.get(group)
            if body is None:
                fh = stack.enter_context(tempfile.TemporaryFile("w+b", dir=folder))
                body = bodies[group] = _Body(fh)
            body.add(fixed, props)
        for group, body in bodies.items():
            spans = _finish(folder / files.name(group), files.header(group), body, f"{files.where(group)} property")
            multiline = multiline or spans
            body.fh.close()  # its disk space back before the next file is written
    return list(bodies), multiline


def _finish(path: Path, fixed: list[str], body: _Body, where: str) -> bool:
    """Write the header, then the rows with their cells in sorted column order (a row kept before a
    property was seen padded); returns whether a field spans lines."""
    columns = sorted(body.index)
    typed = [(name, _type(body.kinds[name], f"{where} {name!r}")) for name in columns]
    header = [*fixed, *[name if kind == "string" else f"{name}:{kind}" for name, kind in typed]]
    order = [len(fixed) + body.index[name] for name in columns]
    ordered = not body.widened and order == list(range(len(fixed), len(header)))
    multiline = False
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(csv_line(header))
        for batch in body.kept():
            if not ordered:
                for row in batch:
                    row += [""] * (len(header) - len(row))
                batch = [row[:len(fixed)] + [row[position] for position in order] for row in batch]
            text = "".join(map(csv_line, batch))
            multiline = multiline or text.count("\n") != len(batch) or "\r" in text
            fh.write(text)
    return multiline


def _node_lines(graph: KnowledgeGraph) -> Iterator[Line[str]]:
    for label, row in node_rows(graph):
        yield label, [row.id, label], row.props


def _relationship_lines(graph: KnowledgeGraph) -> Iterator[Line[RelGroup]]:
    for group, row in relationship_rows(graph):
        yield group, [row.start, row.end, group[0]], row.props


def write_neo4j_csv(graph: KnowledgeGraph, out: Path) -> Path:
    """Write the node and relationship files and import.sh into `out`, replacing an earlier set as
    a whole (written in a staging folder first); returns `out`. One streamed pass over the graph."""
    with atomic_directory(out) as staging:
        labels, multiline = _write(staging, _NODE_FILES, _node_lines(graph))
        groups, in_relationships = _write(staging, _RELATIONSHIP_FILES, _relationship_lines(graph))
        script = import_script([_NODE_FILES.name(label) for label in label_order(set(labels))],
                               [_RELATIONSHIP_FILES.name(group) for group in group_order(set(groups))],
                               multiline or in_relationships)
        (staging / IMPORT_SCRIPT).write_text(script, encoding="utf-8")
        (staging / IMPORT_SCRIPT).chmod(0o755)
    return out


def import_script(node_files: list[str], rel_files: list[str], multiline: bool) -> str:
    """A bash script that imports the files (mounted at /import) into the compose setup's Neo4j."""
    options = ["--overwrite-destination=true", "--id-type=string", f"--array-delimiter={ARRAY_DELIMITER_OPTION}",
               f"--multiline-fields={'true' if multiline else 'false'}",
               *[f"--nodes=/import/{name}" for name in node_files],
               *[f"--relationships=/import/{name}" for name in rel_files]]
    arguments = "".join(f" \\\n  {option}" for option in options)
    return f"""#!/usr/bin/env bash
# Bulk-import the CSV files beside this script into the Neo4j of docker/docker-compose.yml with
# `neo4j-admin database import full`. Run it from the papers-kg repository (or set KG_COMPOSE_FILE).
# It stops Neo4j, REPLACES the database ${{NEO4J_DATABASE:-neo4j}}, starts Neo4j again and applies
# cypher/schema.cypher (constraints, lookup and full-text indexes).
set -euo pipefail
here="$(cd "$(dirname "${{BASH_SOURCE[0]}}")" && pwd)"
export KG_IMPORT_DIR="$here"
compose=(docker compose -f "${{KG_COMPOSE_FILE:-docker/docker-compose.yml}}")
"${{compose[@]}}" stop neo4j
"${{compose[@]}}" run --rm --no-deps neo4j \\
  neo4j-admin database import full "${{NEO4J_DATABASE:-neo4j}}"{arguments}
"${{compose[@]}}" up -d --wait neo4j
"${{compose[@]}}" exec -T -e KG_DATABASE="${{NEO4J_DATABASE:-neo4j}}" neo4j sh -c \\
  'cypher-shell -u "${{NEO4J_AUTH%%/*}}" -p "${{NEO4J_AUTH#*/}}" -d "$KG_DATABASE" -f /kg-cypher/schema.cypher'
echo "imported {len(node_files)} node files and {len(rel_files)} relationship files from $here"
"""
