"""graph.json (node-link, byte-stable) and graph.graphml (for Gephi and yEd)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from kg.atomic import atomic_write
from kg.graph import KnowledgeGraph


def dumps(document: Any) -> str:
    """The one JSON style of the project's outputs: sorted keys, UTF-8, one indent, final newline."""
    return json.dumps(document, sort_keys=True, ensure_ascii=False, indent=1) + "\n"


def write_json(graph: KnowledgeGraph, path: Path, meta: dict[str, Any] | None = None) -> Path:
    with atomic_write(path) as fh:
        fh.write(dumps(graph.to_json(meta)))
    return path


def _graphml_value(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def write_graphml(graph: KnowledgeGraph, path: Path) -> Path:
    """GraphML with list properties as JSON strings (GraphML has no list type)."""
    flat = nx.MultiDiGraph()
    for node_id, data in sorted(graph.g.nodes(data=True)):
        flat.add_node(node_id, **{k: _graphml_value(v) for k, v in sorted(data.items()) if v is not None})
    for start, end, key, data in sorted(graph.g.edges(keys=True, data=True), key=lambda e: e[:3]):
        flat.add_edge(start, end, key=key, **{k: _graphml_value(v) for k, v in sorted(data.items()) if v is not None})
    with atomic_write(path, "wb") as fh:
        nx.write_graphml(flat, fh, encoding="utf-8", prettyprint=True)
    return path
