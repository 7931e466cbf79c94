"""graph.graphml (for Gephi and yEd), streamed: the bytes networkx's GraphML writer gives (pretty
printed, keys numbered by first use), written one element at a time in one pass over the graph,
with no copy of the graph or XML tree in memory. The keys, declared first in the file, are numbered
as the elements are written into a temporary file, which then follows the declarations. List
properties are JSON strings (GraphML has no list type)."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
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
_ATTRIBUTE_SPECIAL = re.compile('[&<>"\r\n\t]')
_BATCH = 2048
KeyIds = dict[tuple[str, type], str]
"""(property name, Python type as written) -> key id, for one scope (node or edge)."""


_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)
"""Made once: `json.dumps` with options makes an encoder on every call."""


def _value(value: Any) -> Any:
    """What is written for a property: lists and objects as JSON strings, the rest as is."""
    if isinstance(value, (list, dict)):
        return _JSON.encode(value)
    return value


def _written_type(value: Any) -> type:
    kind = str if isinstance(value, (list, dict)) else type(value)
    if kind not in TYPES:
        raise TypeError(f"GraphML has no type for {kind.__name__} values")
    return kind


def _text(text: str) -> str:
    return escape(text) if "&" in text or "<" in text or ">" in text else text


def _attribute(text: str) -> str:
    return escape(text, _ATTRIBUTE_ESCAPES) if _ATTRIBUTE_SPECIAL.search(text) else text


class _Keys:
    """Key ids as networkx numbers them: d0, d1, ... in order of first use over the nodes (in id
    order, properties in name order), then the edges; one key per (name, written type, scope).
    Numbered as the elements are written, which is that order."""

    def __init__(self) -> None:
        self.declared: dict[tuple[str, type, str], str] = {}
        self.ids: dict[str, KeyIds] = {"node": {}, "edge": {}}

    def _number(self, scope: str, name: str, value: Any) -> str:
        """The key id of a property value first seen now."""
        declared = (name, _written_type(value), scope)
        key_id = self.ids[scope][name, type(value)] = self.declared.setdefault(declared, f"d{len(self.declared)}")
        return key_id

    def data(self, scope: str, data: dict[str, Any]) -> str:
        """The <data> elements of one node or edge, in property name order."""
        ids = self.ids[scope]
        return "".join(f'\n      <data key="{ids.get((name, type(value))) or self._number(scope, name, value)}">'
                       f'{_text(str(_value(value)))}</data>'
                       for name, value in sorted(data.items()) if value is not None)

    def declarations(self) -> str:
        declared = reversed(self.declared.items())  # networkx puts each new key first
        return "".join(f'\n  <key id="{key_id}" for="{scope}" attr.name="{_attribute(name)}" '
                       f'attr.type="{TYPES[kind]}" />' for (name, kind, scope), key_id in declared)


def _element(head: str, body: str, tag: str) -> str:
    return f"\n    <{head}>{body}\n    </{tag}>" if body else f"\n    <{head} />"


def _elements(graph: KnowledgeGraph, keys: _Keys) -> Iterator[str]:
    """Node then edge elements, one at a time (a generator function: the compiled build would make
    a generator expression a list of the whole file)."""
    for node_id, data in graph.sorted_nodes():
        yield _element(f'node id="{_attribute(node_id)}"', keys.data("node", data), "node")
    for start, end, key, data in graph.sorted_edges():
        yield _element(f'edge source="{_attribute(start)}" target="{_attribute(end)}" id="{_attribute(key)}"',
                       keys.data("edge", data), "edge")


def _write_elements(graph: KnowledgeGraph, keys: _Keys, fh: IO[bytes]) -> bool:
    """Every node and edge element, in batches, as ElementTree writes them (what UTF-8 cannot hold
    becomes a character reference); returns whether there was any."""
    batch: list[str] = []
    empty = True
    for element in _elements(graph, keys):
        empty = False
        batch.append(element)
        if len(batch) >= _BATCH:
            fh.write("".join(batch).encode("utf-8", "xmlcharrefreplace"))
            batch.clear()
    fh.write("".join(batch).encode("utf-8", "xmlcharrefreplace"))
    return not empty


def write_graphml(graph: KnowledgeGraph, path: Path) -> Path:
    keys = _Keys()
    with tempfile.TemporaryFile(dir=path.parent) as body:
        any_element = _write_elements(graph, keys, body)
        body.seek(0)
        with atomic_write(path, "wb") as fh:
            fh.write((HEADER + keys.declarations()).encode("utf-8", "xmlcharrefreplace"))
            if any_element:
                fh.write(b'\n  <graph edgedefault="directed">')
                shutil.copyfileobj(body, fh, 1 << 20)
                fh.write(b"\n  </graph>\n</graphml>\n")
            else:
                fh.write(b'\n  <graph edgedefault="directed" />\n</graphml>\n')
    return path
