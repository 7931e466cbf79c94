"""The in-memory knowledge graph: a networkx MultiDiGraph keyed by relationship type, with the
DESIGN.md invariants (fixed vocabulary, typed endpoints, provenance on every edge)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from operator import itemgetter
from pathlib import Path
from typing import Any

import networkx as nx

from kg.schema import ID_PREFIX, LABELS, PROVENANCE_KEYS, RELATIONSHIPS

FORMAT_VERSION = 1
LIST_PROPS = frozenset({"aliases", "sources", "authors", "links", "variants"})


class GraphError(ValueError):
    """An operation that would break the graph's invariants."""


class KnowledgeGraph:
    """Nodes carry `label`, `name`, `aliases` and per-label properties; each (start, end, type)
    has at most one edge, whose `count` says how often it was read."""

    def __init__(self, graph: nx.MultiDiGraph | None = None) -> None:
        self.g = graph if graph is not None else nx.MultiDiGraph()

    # -- building -------------------------------------------------------------------------
    def add_node(self, node_id: str, label: str, name: str, **props: Any) -> None:
        """Add a node or merge properties into it: lists are unioned, missing values filled."""
        check_node(node_id, label)
        self.merge_checked_node(node_id, label, name, props)

    def merge_checked_node(self, node_id: str, label: str, name: str, props: dict[str, Any]) -> None:
        """`add_node` for a node whose id was checked against its label."""
        data = self.g._node.get(node_id)  # networkx's own dict, as in `label`
        if data is None:
            self.g.add_node(node_id, **new_node(label, name))
            data = self.g._node[node_id]
        merge_node(node_id, data, label, name, props)

    def add_edge(self, start: str, end: str, rel: str, *, evidence: str, confidence: float,
                 extractor: str, source: str, **props: Any) -> None:
        """Add a typed edge with provenance; a repeat raises `count` and keeps the most confident evidence."""
        check_edge(start, self.label(start), end, self.label(end), rel, evidence, extractor, source)
        keys = self.g._succ[start].get(end)
        if keys is not None and rel in keys:
            merge_edge(keys[rel], evidence, confidence, extractor, source, props)
        else:
            self.g.add_edge(start, end, key=rel, **new_edge(rel, evidence, confidence, extractor, source, props))

    # -- reading --------------------------------------------------------------------------
    def nodes(self, label: str | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
        for node_id, data in self.g.nodes(data=True):
            if label is None or data["label"] == label:
                yield node_id, data

    def edges(self, rel: str | None = None) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        for start, end, key, data in self.g.edges(keys=True, data=True):
            if rel is None or key == rel:
                yield start, end, key, data

    def node(self, node_id: str) -> dict[str, Any]:
        return self.g.nodes[node_id]

    def node_edges(self, node_id: str) -> tuple[dict[str, Any], list[tuple[str, str, dict[str, Any]]]]:
        """A node's data and the relationships that start at it, as (end, type, data) in that order."""
        ends = self.g._succ[node_id]
        return self.g.nodes[node_id], [(end, key, ends[end][key]) for end in sorted(ends) for key in sorted(ends[end])]

    def label(self, node_id: str) -> str | None:
        """The node's label (None for a missing node), without reading the rest of it."""
        data = self.g._node.get(node_id)  # networkx's own dict: its views cost a wrapper per lookup
        return data.get("label") if data is not None else None

    def __contains__(self, node_id: object) -> bool:
        return node_id in self.g

    def counts(self) -> dict[str, dict[str, int]]:
        """Nodes per label and relationships per type, every label and type listed."""
        labels = Counter(map(itemgetter(1), self.g.nodes(data="label")))
        rels = Counter(map(itemgetter(2), self.g.edges(keys=True)))
        return {
            "nodes": {label: labels.get(label, 0) for label in LABELS},
            "relationships": {rel: rels.get(rel, 0) for rel in RELATIONSHIPS},
        }

    def problems(self) -> list[str]:
        """Every broken invariant (empty for a sound graph)."""
        found = []
        for node_id, data in self.g.nodes(data=True):
            label = data.get("label")
            if label not in LABELS:
                found.append(f"{node_id}: unknown label {label!r}")
            elif not node_id.startswith(ID_PREFIX[label]):
                found.append(f"{node_id}: id does not fit label {label}")
            if not data.get("name"):
                found.append(f"{node_id}: no name")
        for start, end, key, data in self.g.edges(keys=True, data=True):
            if key not in RELATIONSHIPS:
                found.append(f"{start} -> {end}: unknown type {key!r}")
                continue
            starts, ends = RELATIONSHIPS[key]
            if self.g.nodes[start].get("label") not in starts or self.g.nodes[end].get("label") not in ends:
                found.append(f"{start} -[{key}]-> {end}: endpoint labels do not fit")
            missing = [k for k in PROVENANCE_KEYS if data.get(k) in (None, "")]
            if missing:
                found.append(f"{start} -[{key}]-> {end}: missing {', '.join(missing)}")
        return found

    def sorted_nodes(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every node in id order."""
        for node_id in sorted(self.g):
            yield node_id, self.g.nodes[node_id]

    def sorted_edges(self) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        """Every edge in (start, end, type) order, one start node at a time (no list of all edges)."""
        succ = self.g._succ  # networkx's own dict of dicts: its views cost a wrapper per lookup
        for start in sorted(succ):
            ends = succ[start]
            for end in sorted(ends) if len(ends) > 1 else ends:
                keys = ends[end]
                for key in sorted(keys) if len(keys) > 1 else keys:
                    yield start, end, key, keys[key]

    # -- node-link JSON -------------------------------------------------------------------
    def json_nodes(self) -> Iterator[dict[str, Any]]:
        """The node objects of node-link JSON, in id order."""
        for node_id, data in self.sorted_nodes():
            yield {"id": node_id, **_sorted_props(data)}

    def json_edges(self) -> Iterator[dict[str, Any]]:
        """The edge objects of node-link JSON, in (from, to, key) order. Edge ends are `from` and
        `to` (the relationship property `source` is provenance)."""
        for start, end, key, data in self.sorted_edges():
            yield {**_sorted_props(data), "from": start, "to": end, "key": key}

    def to_json(self, meta: dict[str, Any] | None = None) -> dict[str, Any]:
        """Node-link JSON, sorted so the same graph always serialises to the same bytes."""
        return {"directed": True, "multigraph": True, "graph": graph_meta(meta), "nodes": list(self.json_nodes()),
                "edges": list(self.json_edges())}

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> KnowledgeGraph:
        graph = nx.node_link_graph(document, directed=True, multigraph=True, source="from", target="to",
                                   edges="edges")
        return cls(graph)

    @classmethod
    def load(cls, path: str | Path) -> KnowledgeGraph:
        """Read a graph.json written by `kg build`; raises GraphError with the path on bad input."""
        try:
            document = json.loads(Path(path).read_text(encoding="utf-8"))
            return cls.from_json(document)
        except FileNotFoundError as exc:
            raise GraphError(f"{path}: no such file") from exc
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise GraphError(f"{path}: not a JSON graph ({exc})") from exc
        except (KeyError, TypeError, nx.NetworkXError) as exc:
            raise GraphError(f"{path}: not a node-link graph ({exc})") from exc


def check_node(node_id: str, label: str) -> None:
    """Raise GraphError unless `label` is in the vocabulary and `node_id` has its prefix."""
    if label not in LABELS:
        raise GraphError(f"unknown label {label!r}")
    if not node_id.startswith(ID_PREFIX[label]):
        raise GraphError(f"id {node_id!r} does not fit label {label}")


def new_node(label: str, name: str) -> dict[str, Any]:
    """The data of a node before any property is merged into it."""
    return {"label": label, "name": name, "aliases": []}


def merge_node(node_id: str, data: dict[str, Any], label: str, name: str, props: dict[str, Any]) -> None:
    """Merge a node read again into its data: lists are unioned, missing values filled, another
    name becomes an alias; the label must be the one the node has."""
    if data["label"] != label:
        raise GraphError(f"{node_id} is a {data['label']}, not a {label}")
    for key, value in props.items():
        if value is None or value == "" or value == []:
            continue
        if key in LIST_PROPS:
            current = data.get(key)
            if current is None or (current != value and not set(value).issubset(current)):  # lists stay sorted
                data[key] = sorted(set(current or ()) | set(value))
        elif key not in data:
            data[key] = value
    if name and name != data["name"] and name not in data["aliases"]:
        data["aliases"] = sorted({*data["aliases"], name})


def check_edge(start: str, start_label: str | None, end: str, end_label: str | None, rel: str,
               evidence: str, extractor: str, source: str) -> None:
    """Raise GraphError unless the edge fits the vocabulary (a None label: the node is missing)
    and carries provenance."""
    if rel not in RELATIONSHIPS:
        raise GraphError(f"unknown relationship type {rel!r}")
    starts, ends = RELATIONSHIPS[rel]
    for node, label, allowed in ((start, start_label, starts), (end, end_label, ends)):
        if label is None:
            raise GraphError(f"{rel} edge refers to missing node {node}")
        if label not in allowed:
            raise GraphError(f"{rel} cannot connect a {label} ({node})")
    if not (evidence and extractor and source):
        raise GraphError(f"{rel} edge {start} -> {end} lacks provenance")


def new_edge(rel: str, evidence: str, confidence: float, extractor: str, source: str,
             props: dict[str, Any]) -> dict[str, Any]:
    """The data of an edge read once."""
    return {"type": rel, "evidence": evidence, "confidence": round(confidence, 3), "extractor": extractor,
            "source": source, "count": 1, **props}


def merge_edge(data: dict[str, Any], evidence: str, confidence: float, extractor: str, source: str,
               props: dict[str, Any]) -> None:
    """An edge read again: `count` rises, the most confident evidence stays (the first on a tie),
    properties it did not have are added."""
    confidence = round(confidence, 3)
    data["count"] += 1
    if confidence > data["confidence"]:
        data.update(evidence=evidence, confidence=confidence, extractor=extractor, source=source)
    for key, value in props.items():
        data.setdefault(key, value)


def graph_meta(meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """The `graph` object of node-link JSON: format name and version, and any extra `meta`."""
    return {"format": "papers-kg", "version": FORMAT_VERSION, **(meta or {})}


def _sorted_props(data: dict[str, Any]) -> dict[str, Any]:
    return {key: sorted(value) if key in LIST_PROPS else value for key, value in sorted(data.items())}
