"""graph.graphml (for Gephi and yEd), streamed: the bytes networkx's GraphML writer gives (pretty
printed, keys numbered by first use), written one element at a time in one pass over the graph,
with no copy of the graph or XML tree in memory. The keys, declared first in the file, are numbered
as the elements are written into a temporary file, which then follows the declarations. List
properties are JSON strings (GraphML has no list type). After an update, the elements of papers
that did not change are copied from the earlier file (`kg.splice`)."""

from __future__ import annotations

import json
import logging
import re
import tempfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from kg.atomic import atomic_write
from kg.graph import KnowledgeGraph
from kg.schema import ID_PREFIX, PAPER
from kg.splice import Splicer, copy_range, number

HEADER = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'
)
TYPES: dict[type, str] = {str: "string", int: "long", float: "double", bool: "boolean"}
_ATTRIBUTE_ESCAPES = {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}
_ATTRIBUTE_SPECIAL = re.compile('[&<>"\r\n\t]')
KeyIds = dict[tuple[str, type], str]
"""(property name, Python type as written) -> key id, for one scope (node or edge)."""


log = logging.getLogger(__name__)
_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)
"""Made once: `json.dumps` with options makes an encoder on every call."""


def _value(value: Any) -> Any:
    """What is written for a property: lists and objects as JSON strings, the rest as is."""
    if isinstance(value, (list, dict)):
        return _JSON.encode(value)
    return value


def _text(text: str) -> str:
    return escape(text) if "&" in text or "<" in text or ">" in text else text


def _attribute(text: str) -> str:
    return escape(text, _ATTRIBUTE_ESCAPES) if _ATTRIBUTE_SPECIAL.search(text) else text


Shape = tuple[str, tuple[str, ...], tuple[type, ...]]
"""What one element's <data> elements use: its scope, its property names and their value types."""
_NONE = type(None)


class _Keys:
    """Key ids as networkx numbers them: d0, d1, ... in order of first use over the nodes (in id
    order, properties in name order), then the edges; one key per (name, written type, scope).
    Numbered as the elements are written, which is that order. A paper's elements copied from the
    earlier file (`kg.splice`) number their keys by `replay`ing their shapes."""

    def __init__(self) -> None:
        self.declared: dict[tuple[str, type, str], str] = {}
        self.ids: dict[str, KeyIds] = {"node": {}, "edge": {}}

    def _number(self, scope: str, name: str, kind: type) -> str:
        """The key id of a property (of Python type `kind`) first seen now."""
        written = str if kind in (list, dict) else kind
        if written not in TYPES:
            raise TypeError(f"GraphML has no type for {kind.__name__} values")
        key_id = self.declared.setdefault((name, written, scope), f"d{len(self.declared)}")
        self.ids[scope][name, kind] = key_id
        return key_id

    def data(self, scope: str, data: dict[str, Any]) -> str:
        """The <data> elements of one node or edge, in property name order."""
        ids = self.ids[scope]
        return "".join(f'\n      <data key="{ids.get((name, type(value))) or self._number(scope, name, type(value))}">'
                       f'{_text(str(_value(value)))}</data>'
                       for name, value in sorted(data.items()) if value is not None)

    def replay(self, shapes: tuple[Shape, ...]) -> None:
        """Number the keys that elements of these shapes use, as writing them would."""
        for scope, names, kinds in shapes:
            ids = self.ids[scope]
            for name, kind in sorted(zip(names, kinds, strict=True)):
                if kind is not _NONE and (name, kind) not in ids:
                    self._number(scope, name, kind)

    def declarations(self) -> str:
        declared = reversed(self.declared.items())  # networkx puts each new key first
        return "".join(f'\n  <key id="{key_id}" for="{scope}" attr.name="{_attribute(name)}" '
                       f'attr.type="{TYPES[kind]}" />' for (name, kind, scope), key_id in declared)


def _element(head: str, body: str, tag: str) -> str:
    return f"\n    <{head}>{body}\n    </{tag}>" if body else f"\n    <{head} />"


NODES, EDGES = 0, 1
"""The sections of graph.graphml that hold papers' pieces (`kg.splice`)."""
_PAPER = ID_PREFIX[PAPER]


class _Elements:
    """Node and edge elements written through a splicer; when it records, each paper piece's note
    is the shapes of its elements (in order of first use), numbered."""

    def __init__(self, out: Splicer, keys: _Keys) -> None:
        self.out, self.keys = out, keys
        self.recording = out.kept is not None
        self.old: list[tuple[Shape, ...]] = out.previous.extra["shapes"] if out.previous is not None else []
        self.interned: dict[tuple[Shape, ...], int] = {}
        self.shapes: dict[Shape, None] = {}
        """The shapes of the piece being written."""
        self.owner = ""
        """The paper whose piece is being written, if any."""
        self.section = NODES

    def node(self, node_id: str, data: dict[str, Any]) -> None:
        self._start(node_id, NODES, "node", data)
        body = self.keys.data("node", data)
        self.out.item(node_id, NODES, _element(f'node id="{_attribute(node_id)}"', body, "node"))

    def edge(self, start: str, end: str, key: str, data: dict[str, Any]) -> None:
        self._start(start, EDGES, "edge", data)
        self.out.item(start, EDGES, _element(
            f'edge source="{_attribute(start)}" target="{_attribute(end)}" id="{_attribute(key)}"',
            self.keys.data("edge", data), "edge"))

    def _start(self, key: str, section: int, scope: str, data: dict[str, Any]) -> None:
        """Before an element of node or relationship `key`: a paper's piece starts or goes on."""
        if not self.recording:
            return
        if key != self.owner or section != self.section:
            self._close()
            if key.startswith(_PAPER):
                self.owner, self.section = key, section
        if self.owner:
            self.shapes[scope, tuple(data), tuple(map(type, data.values()))] = None

    def copy(self, paper: str, section: int) -> None:
        self._close()
        if self.out.copy(paper, section, ""):
            shapes = self.old[self.out.old_note(paper, section)]
            self.keys.replay(shapes)
            self._note(paper, section, shapes)

    def _close(self) -> None:
        """Note the shapes of the piece of the paper just written."""
        if self.owner:
            self._note(self.owner, self.section, tuple(self.shapes))
            self.shapes.clear()
            self.owner = ""

    def _note(self, paper: str, section: int, shapes: tuple[Shape, ...]) -> None:
        """Keep with the paper's piece the number of its shapes (the same for the same shapes)."""
        self.out.note(paper, section, number(self.interned, shapes))

    def finish(self) -> None:
        self._close()
        self.out.extra = {"shapes": list(self.interned), "declared": dict(self.keys.declared)}


def _write_elements(out: Splicer, keys: _Keys) -> bool:
    """Every node and edge element, as ElementTree writes them (what UTF-8 cannot hold becomes a
    character reference); returns whether there was any."""
    elements = _Elements(out, keys)
    for node_id, data in out.nodes():
        if data is None:
            elements.copy(node_id, NODES)
        else:
            elements.node(node_id, data)
    for start, end, key, data in out.edges():
        if data is None:
            elements.copy(start, EDGES)
        else:
            elements.edge(start, end, key, data)
    elements.finish()
    return out.position > 0  # every element, written or copied, is some bytes of the body


def _same_keys(out: Splicer, keys: _Keys) -> bool:
    """Copied elements name keys by the earlier file's ids: those must be the ids now."""
    if out.previous is None or not out.unread:
        return True
    earlier: dict[tuple[str, type, str], str] = out.previous.extra["declared"]
    return all(keys.declared.get(key) == key_id for key, key_id in earlier.items())


def write_graphml(graph: KnowledgeGraph, path: Path, reuse: bool = True) -> Path:
    """graph.graphml; after an update, papers that did not change are copied from the earlier file
    (`kg.splice`), unless the keys they name were numbered otherwise (then it is written whole)."""
    keys = _Keys()
    with tempfile.TemporaryFile(dir=path.parent) as body:
        out = Splicer(body, graph, path, sections=2, errors="xmlcharrefreplace", reuse=reuse)
        any_element = _write_elements(out, keys)
        out.finish()
        if _same_keys(out, keys):
            size = body.tell()
            with atomic_write(path, "wb") as fh:
                fh.write((HEADER + keys.declarations()).encode("utf-8", "xmlcharrefreplace"))
                if any_element:
                    fh.write(b'\n  <graph edgedefault="directed">')
                    base = fh.tell()
                    copy_range(body, 0, size, fh)
                    fh.write(b"\n  </graph>\n</graphml>\n")
                else:
                    base = 0
                    fh.write(b'\n  <graph edgedefault="directed" />\n</graphml>\n')
            out.save(base)
            return path
    log.info("%s: the keys are numbered otherwise now; written whole", path.name)
    return write_graphml(graph, path, reuse=False)
