"""Bulk-import files for `neo4j-admin database import full`: one node file per label, one relationship
file per (type, start label, end label), headers on the first line, and import.sh to run the import
in the docker compose setup.

Each label is its own ID space (`id:ID(Paper)`, `:END_ID(Model)`): the importer then refuses a
relationship whose end has another label than the vocabulary allows, instead of linking it. The ids
are globally unique anyway, so nothing else changes. Numbers are typed `long` and `double` (what a
Bolt load stores), lists `string[]` split on U+001F, a character no text here contains."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from kg.atomic import atomic_directory
from kg.export.property_graph import node_groups, relationship_groups
from kg.graph import GraphError, KnowledgeGraph

ARRAY_DELIMITER = "\x1f"
ARRAY_DELIMITER_OPTION = "U+001F"
IMPORT_SCRIPT = "import.sh"


def _type(values: list[Any], where: str) -> str:
    """The neo4j-admin type of one property column, from all its values."""
    kinds = {_kind(value) for value in values}
    if kinds <= {"long"}:
        return "long"
    if kinds <= {"long", "double"}:
        return "double"
    if len(kinds) == 1 and "mixed" not in next(iter(kinds)):
        return kinds.pop()
    raise GraphError(f"{where} mixes value types ({', '.join(sorted(kinds))}); neo4j-admin needs one per column")


def _kind(value: Any) -> str:
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


def _columns(rows: list[dict[str, Any]], where: str) -> list[tuple[str, str]]:
    """(property, header field) for every property of the rows, sorted by name."""
    names = sorted({name for row in rows for name in row})
    fields = []
    for name in names:
        kind = _type([row[name] for row in rows if name in row], f"{where} property {name!r}")
        fields.append((name, name if kind == "string" else f"{name}:{kind}"))
    return fields


def _write(path: Path, fixed: list[str], rows: list[tuple[list[str], dict[str, Any]]], where: str) -> bool:
    """One CSV file: the fixed header fields and their values, then one typed column per property.
    Returns whether any field spans lines (neo4j-admin then needs --multiline-fields)."""
    columns = _columns([props for _, props in rows], where)
    multiline = False
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([*fixed, *(field for _, field in columns)])
        for values, props in rows:
            line = [*values, *(_cell(props.get(name), name) for name, _ in columns)]
            multiline = multiline or any("\n" in cell or "\r" in cell for cell in line)
            writer.writerow(line)
    return multiline


def write_neo4j_csv(graph: KnowledgeGraph, out: Path) -> Path:
    """Write the node and relationship files and import.sh into `out`, replacing an earlier set as
    a whole (written in a staging folder first); returns `out`."""
    with atomic_directory(out) as staging:
        node_files, rel_files, multiline = [], [], False
        for label, nodes in node_groups(graph).items():
            node_files.append(f"nodes-{label}.csv")
            multiline |= _write(staging / node_files[-1], [f"id:ID({label})", ":LABEL"],
                                [([row.id, label], row.props) for row in nodes], f"{label} nodes")
        for (rel, start, end), rels in relationship_groups(graph).items():
            rel_files.append(f"relationships-{rel}-{start}-{end}.csv")
            multiline |= _write(staging / rel_files[-1], [f":START_ID({start})", f":END_ID({end})", ":TYPE"],
                                [([row.start, row.end, rel], row.props) for row in rels], f"{rel} relationships")
        (staging / IMPORT_SCRIPT).write_text(import_script(node_files, rel_files, multiline), encoding="utf-8")
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
