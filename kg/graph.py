"""The in-memory knowledge graph: a networkx MultiDiGraph keyed by relationship type, with the
DESIGN.md invariants (fixed vocabulary, typed endpoints, provenance on every edge)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
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
        if label not in LABELS:
            raise GraphError(f"unknown label {label!r}")
        if not node_id.startswith(ID_PREFIX[label]):
            raise GraphError(f"id {node_id!r} does not fit label {label}")
        if node_id not in self.g:
            self.g.add_node(node_id, label=label, name=name, aliases=[])
        data = self.g.nodes[node_id]
        if data["label"] != label:
            raise GraphError(f"{node_id} is a {data['label']}, not a {label}")
        for key, value in props.items():
            if value is None or value == "" or value == []:
                continue
            if key in LIST_PROPS:
                merged = set(data.get(key, [])) | set(value)
                data[key] = sorted(merged)
            elif key not in data:
                data[key] = value
        if name and name != data["name"] and name not in data["aliases"]:
            data["aliases"] = sorted({*data["aliases"], name})

    def add_edge(self, start: str, end: str, rel: str, *, evidence: str, confidence: float,
                 extractor: str, source: str, **props: Any) -> None:
        """Add a typed edge with provenance; a repeat raises `count` and keeps the most confident evidence."""
        if rel not in RELATIONSHIPS:
            raise GraphError(f"unknown relationship type {rel!r}")
        starts, ends = RELATIONSHIPS[rel]
        for node, allowed in ((start, starts), (end, ends)):
            if node not in self.g:
                raise GraphError(f"{rel} edge refers to missing node {node}")
            if self.g.nodes[node]["label"] not in allowed:
                raise GraphError(f"{rel} cannot connect a {self.g.nodes[node]['label']} ({node})")
        if not (evidence and extractor and source):
            raise GraphError(f"{rel} edge {start} -> {end} lacks provenance")
        confidence = round(confidence, 3)
        if self.g.has_edge(start, end, key=rel):
            data = self.g.edges[start, end, rel]
            data["count"] += 1
            if confidence > data["confidence"]:
                data.update(evidence=evidence, confidence=confidence, extractor=extractor, source=source)
            for key, value in props.items():
                data.setdefault(key, value)
            return
        self.g.add_edge(start, end, key=rel, type=rel, evidence=evidence, confidence=confidence,
                        extractor=extractor, source=source, count=1, **props)

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

    def __contains__(self, node_id: object) -> bool:
        return node_id in self.g

    def counts(self) -> dict[str, dict[str, int]]:
        """Nodes per label and relationships per type, every label and type listed."""
        labels = Counter(data["label"] for _, data in self.g.nodes(data=True))
        rels = Counter(key for _, _, key in self.g.edges(keys=True))
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

    # -- node-link JSON -------------------------------------------------------------------
    def to_json(self, meta: dict[str, Any] | None = None) -> dict[str, Any]:
        """Node-link JSON, sorted so the same graph always serialises to the same bytes. Edge ends
        are `from` and `to` (the relationship property `source` is provenance)."""
        nodes = [{"id": node_id, **_sorted_props(data)} for node_id, data in sorted(self.g.nodes(data=True))]
        edges = [
            {**_sorted_props(data), "from": start, "to": end, "key": key}
            for start, end, key, data in sorted(self.g.edges(keys=True, data=True), key=lambda e: e[:3])
        ]
        graph_meta = {"format": "papers-kg", "version": FORMAT_VERSION, **(meta or {})}
        return {"directed": True, "multigraph": True, "graph": graph_meta, "nodes": nodes, "edges": edges}

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


def _sorted_props(data: dict[str, Any]) -> dict[str, Any]:
    return {key: sorted(value) if key in LIST_PROPS else value for key, value in sorted(data.items())}
