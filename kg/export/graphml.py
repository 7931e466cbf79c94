"""graph.graphml (for Gephi and yEd), streamed: the bytes networkx's GraphML writer gives (pretty
printed, keys numbered by first use), written one element at a time in two passes over the graph
(one to number the keys, which come first in the file, one to write), with no copy of the graph
or XML tree in memory. List properties are JSON strings (GraphML has no list type)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from kg.atomic import atomic_write
from kg.graph import KnowledgeGraph

HEADER = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'
)
TYPES: dict[type, str] = {str: "string", int: "long", float: "double", bool: "boolean"}
_ATTRIBUTE_ESCAPES = {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}
_BATCH = 2048
KeyIds = dict[tuple[str, type], str]
"""(property name, Python type as written) -> key id, for one scope (node or edge)."""


def _value(value: Any) -> Any:
    """What is written for a property: lists and objects as JSON strings, the rest as is."""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _written_type(value: Any) -> type:
    kind = str if isinstance(value, (list, dict)) else type(value)
    if kind not in TYPES:
        raise TypeError(f"GraphML has no type for {kind.__name__} values")
    return kind


def _text(text: str) -> str:
    return escape(text) if "&" in text or "<" in text or ">" in text else text


def _attribute(text: str) -> str:
    return escape(text, _ATTRIBUTE_ESCAPES)


class _Keys:
    """Key ids as networkx numbers them: d0, d1, ... in order of first use over the nodes (in id
    order, properties in name order), then the edges; one key per (name, written type, scope)."""

    def __init__(self, graph: KnowledgeGraph) -> None:
        self.declared: dict[tuple[str, type, str], str] = {}
        self.node: KeyIds = {}
        self.edge: KeyIds = {}
        for scope, ids, items in (("node", self.node, (data for _, data in graph.sorted_nodes())),
                                  ("edge", self.edge, (edge[3] for edge in graph.sorted_edges()))):
            for data in items:
                for name, value in sorted(data.items()):
                    if value is not None and (name, type(value)) not in ids:
                        declared = (name, _written_type(value), scope)
                        ids[name, type(value)] = self.declared.setdefault(declared, f"d{len(self.declared)}")

    def declarations(self) -> str:
        declared = reversed(self.declared.items())  # networkx puts each new key first
        return "".join(f'\n  <key id="{key_id}" for="{scope}" attr.name="{_attribute(name)}" '
                       f'attr.type="{TYPES[kind]}" />' for (name, kind, scope), key_id in declared)


def _data(ids: KeyIds, data: dict[str, Any]) -> str:
    """The <data> elements of one node or edge, in property name order."""
    return "".join(f'\n      <data key="{ids[name, type(value)]}">{_text(str(_value(value)))}</data>'
                   for name, value in sorted(data.items()) if value is not None)


def _element(head: str, body: str, tag: str) -> str:
    return f"\n    <{head}>{body}\n    </{tag}>" if body else f"\n    <{head} />"


def _elements(graph: KnowledgeGraph, keys: _Keys) -> Iterator[str]:
    nodes = (_element(f'node id="{_attribute(node_id)}"', _data(keys.node, data), "node")
             for node_id, data in graph.sorted_nodes())
    edges = (_element(f'edge source="{_attribute(start)}" target="{_attribute(end)}" id="{_attribute(key)}"',
                      _data(keys.edge, data), "edge")
             for start, end, key, data in graph.sorted_edges())
    return chain(nodes, edges)


def write_graphml(graph: KnowledgeGraph, path: Path) -> Path:
    keys = _Keys(graph)
    with atomic_write(path, "wb") as fh:
        def write(text: str) -> None:  # as ElementTree writes: what UTF-8 cannot hold becomes a reference
            fh.write(text.encode("utf-8", "xmlcharrefreplace"))

        write(HEADER + keys.declarations())
        batch: list[str] = []
        empty = True
        for element in _elements(graph, keys):
            if empty:
                write('\n  <graph edgedefault="directed">')
                empty = False
            batch.append(element)
            if len(batch) >= _BATCH:
                write("".join(batch))
                batch.clear()
        write("".join(batch))
        write('\n  <graph edgedefault="directed" />\n</graphml>\n' if empty else "\n  </graph>\n</graphml>\n")
    return path
