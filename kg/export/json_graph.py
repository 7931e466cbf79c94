"""graph.json: node-link JSON, byte-stable, streamed one node or edge at a time from the graph to
the file (no second copy of the graph in memory). The bytes are those of
`dumps(graph.to_json(meta))`; an edge, whose values are all scalars, is rendered by json's C
encoder with the indentation as item separator. After an update, the items of papers that did not
change are copied from the earlier file (`kg.splice`)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

from kg.atomic import atomic_write
from kg.graph import LIST_PROPS, KnowledgeGraph, graph_meta
from kg.splice import Splicer

ITEM_LEVEL = 2
"""Nodes and edges sit two levels deep: in the "nodes" or "edges" list of the document."""


def dumps(document: Any) -> str:
    """The one JSON style of the project's outputs: sorted keys, UTF-8, one indent, final newline."""
    return json.dumps(document, sort_keys=True, ensure_ascii=False, indent=1) + "\n"


def _float(value: float) -> str:
    return float.__repr__(value) if value == value and abs(value) != float("inf") else json.dumps(value)


_SCALARS: dict[type, Callable[[Any], str]] = {
    str: encode_basestring,
    int: int.__repr__,
    float: _float,
    bool: lambda value: "true" if value else "false",
    type(None): lambda value: "null",
}
_CONTAINERS = frozenset({list, tuple, dict})
_FLAT = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",\n" + " " * (ITEM_LEVEL + 1), ": "))
# json's C encoder itself (where the interpreter has it), without JSONEncoder's set-up on every call
_C_FLAT = c_make_encoder and c_make_encoder(None, _FLAT.default, encode_basestring, None, _FLAT.key_separator,
                                            _FLAT.item_separator, True, False, True)


def _flat(item: dict[str, Any]) -> str:
    """An object of scalars with sorted keys, one per line as in an item: '{"a": 1,\n   "b": 2}'."""
    return "".join(_C_FLAT(item, 0)) if _C_FLAT else _FLAT.encode(item)


def encode(value: Any, level: int = 0) -> str:
    """`value` as `dumps` renders it when nested `level` deep (no final newline). Object keys must
    be strings."""
    scalar = _SCALARS.get(type(value))
    if scalar is not None:
        return scalar(value)
    if isinstance(value, dict):
        items = [f"{encode_basestring(key)}: {encode(item, level + 1)}" for key, item in sorted(value.items())]
        brackets = "{}"
    elif isinstance(value, (list, tuple)):
        if all(type(item) is str for item in value):
            items = list(map(encode_basestring, value))
        else:
            items = [encode(item, level + 1) for item in value]
        brackets = "[]"
    else:
        raise TypeError(f"{type(value).__name__} is not JSON serialisable")
    if not items:
        return brackets
    inner = "\n" + " " * (level + 1)
    return brackets[0] + inner + ("," + inner).join(items) + "\n" + " " * level + brackets[1]


def _edge(start: str, end: str, key: str, data: dict[str, Any]) -> str:
    item = {**data, "from": start, "to": end, "key": key}
    if not _CONTAINERS.isdisjoint(map(type, data.values())):
        return encode({k: sorted(v) if k in LIST_PROPS else v for k, v in item.items()}, ITEM_LEVEL)
    flat = _flat(item)  # only the braces still need their own lines
    return "{\n" + " " * (ITEM_LEVEL + 1) + flat[1:-1] + "\n" + " " * ITEM_LEVEL + "}"


def _node(node_id: str, data: dict[str, Any]) -> str:
    return encode({"id": node_id, **{k: sorted(v) if k in LIST_PROPS else v for k, v in data.items()}}, ITEM_LEVEL)


EDGES, NODES = 0, 1
"""The sections of graph.json that hold papers' pieces (`kg.splice`)."""


def _write_list(out: Splicer, section: int, items: Iterable[tuple[str, str | None]]) -> None:
    """A JSON list, one level deep in the document, of items given as (id, rendered item), or
    (paper id, None) for a paper whose items are copied from the earlier output."""
    inner = "\n" + " " * ITEM_LEVEL
    before = "[" + inner
    for key, text in items:
        if text is None:
            if out.copy(key, section, before):
                before = "," + inner
            continue
        out.write(before)
        out.item(key, section, text)
        before = "," + inner
    out.write("[]" if before[0] == "[" else "\n ]")


def _edges(out: Splicer) -> Iterator[tuple[str, str | None]]:
    for start, end, key, data in out.edges():
        yield start, None if data is None else _edge(start, end, key, data)


def _nodes(out: Splicer) -> Iterator[tuple[str, str | None]]:
    for node_id, data in out.nodes():
        yield node_id, None if data is None else _node(node_id, data)


def write_json(graph: KnowledgeGraph, path: Path, meta: dict[str, Any] | None = None) -> Path:
    """graph.json (keys in sorted order: directed, edges, graph, multigraph, nodes)."""
    with atomic_write(path, "wb") as fh:
        out = Splicer(fh, graph, path, sections=2)
        out.write('{\n "directed": true,\n "edges": ')
        _write_list(out, EDGES, _edges(out))
        out.write(f',\n "graph": {encode(graph_meta(meta), 1)},\n "multigraph": true,\n "nodes": ')
        _write_list(out, NODES, _nodes(out))
        out.write("\n}\n")
        out.finish()
    out.save()
    return path
