"""Bulk-import files for `neo4j-admin database import full`: one node file per label, one relationship
file per (type, start label, end label), headers on the first line, and import.sh to run the import
in the docker compose setup.

Each label is its own ID space (`id:ID(Paper)`, `:END_ID(Model)`): the importer then refuses a
relationship whose end has another label than the vocabulary allows, instead of linking it. The ids
are globally unique anyway, so nothing else changes. Numbers are typed `long` and `double` (what a
Bolt load stores), lists `string[]` split on U+001F, a character no text here contains."""

from __future__ import annotations

import csv
from collections.abc import Callable, Hashable, Iterable
from contextlib import ExitStack
from pathlib import Path
from typing import Any, TypeVar

from kg.atomic import atomic_directory
from kg.export.property_graph import RelGroup, group_order, label_order, node_rows, relationship_rows
from kg.graph import GraphError, KnowledgeGraph

ARRAY_DELIMITER = "\x1f"
ARRAY_DELIMITER_OPTION = "U+001F"
IMPORT_SCRIPT = "import.sh"

G = TypeVar("G", bound=Hashable)
Columns = list[tuple[str, str]]
"""(property, header field) of each property column of one file, sorted by property name."""
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


def _columns(lines: Iterable[Line[G]], where: Callable[[G], str]) -> dict[G, Columns]:
    """The typed property columns of each group's file, from one pass over its rows (only the kinds
    of values are kept)."""
    kinds: dict[G, dict[str, set[str]]] = {}
    for group, _, props in lines:
        seen = kinds.setdefault(group, {})
        for name, value in props.items():
            seen.setdefault(name, set()).add(_kind(value))
    columns: dict[G, Columns] = {}
    for group, seen in kinds.items():
        types = {name: _type(seen[name], f"{where(group)} property {name!r}") for name in sorted(seen)}
        columns[group] = [(name, name if kind == "string" else f"{name}:{kind}") for name, kind in types.items()]
    return columns


def _write(folder: Path, files: dict[G, str], headers: dict[G, list[str]], columns: dict[G, Columns],
           lines: Iterable[Line[G]]) -> bool:
    """Stream the rows into one CSV file per group (all open at once): the fixed header fields,
    then one typed column per property. Returns whether any field spans lines (neo4j-admin then
    needs --multiline-fields)."""
    multiline = False
    with ExitStack() as stack:
        writers = {}
        for group, name in files.items():
            writers[group] = csv.writer(stack.enter_context((folder / name).open("w", encoding="utf-8", newline="")),
                                        lineterminator="\n")
            writers[group].writerow([*headers[group], *(field for _, field in columns[group])])
        names = {group: [name for name, _ in columns[group]] for group in files}
        for group, fixed, props in lines:
            line = fixed + [_cell(props.get(name), name) for name in names[group]]
            if not multiline:
                text = "".join(line)
                multiline = "\n" in text or "\r" in text
            writers[group].writerow(line)
    return multiline


def _node_lines(graph: KnowledgeGraph) -> Iterable[Line[str]]:
    return ((label, [row.id, label], row.props) for label, row in node_rows(graph))


def _relationship_lines(graph: KnowledgeGraph) -> Iterable[Line[RelGroup]]:
    return ((group, [row.start, row.end, group[0]], row.props) for group, row in relationship_rows(graph))


def write_neo4j_csv(graph: KnowledgeGraph, out: Path) -> Path:
    """Write the node and relationship files and import.sh into `out`, replacing an earlier set as
    a whole (written in a staging folder first); returns `out`. Two passes over the graph, both
    streamed: one finds each file's typed columns, the other writes the rows."""
    node_columns = _columns(_node_lines(graph), lambda label: f"{label} nodes")
    rel_columns = _columns(_relationship_lines(graph), lambda group: f"{group[0]} relationships")
    node_files = {label: f"nodes-{label}.csv" for label in label_order(set(node_columns))}
    rel_files = {group: "relationships-{}-{}-{}.csv".format(*group) for group in group_order(set(rel_columns))}
    with atomic_directory(out) as staging:
        multiline = _write(staging, node_files, {label: [f"id:ID({label})", ":LABEL"] for label in node_files},
                           node_columns, _node_lines(graph))
        multiline |= _write(staging, rel_files,
                            {group: [f":START_ID({group[1]})", f":END_ID({group[2]})", ":TYPE"] for group in rel_files},
                            rel_columns, _relationship_lines(graph))
        script = import_script(list(node_files.values()), list(rel_files.values()), multiline)
        (staging / IMPORT_SCRIPT).write_text(script, encoding="utf-8")
        (staging / IMPORT_SCRIPT).chmod(0o755)
    return out


def import_script(node_files: list[str], rel_files: list[str], multiline: bool) -> str:
    """A bash script that imports the files (mounted at /import) into the compose setup's Neo4j."""
    options = ["--overwrite-destination=true", "--id-type=string", f"--array-delimiter={ARRAY_DELIMITER_OPTION}",
               f"--multiline-fields={'true' if multiline else 'false'}",
               *(f"--nodes=/import/{name}" for name in node_files),
               *(f"--relationships=/import/{name}" for name in rel_files)]
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
