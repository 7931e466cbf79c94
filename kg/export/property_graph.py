"""The graph as property-graph rows, the one shape both Neo4j renderings (Bolt load, bulk-import CSV)
write, so they store the same properties. Absent values (None, "", empty lists) become no property:
a bulk import cannot tell them from null, and Neo4j stores no null."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg.graph import GraphError, KnowledgeGraph
from kg.schema import LABELS, RELATIONSHIPS


@dataclass(frozen=True)
class NodeRow:
    id: str
    props: dict[str, Any]


@dataclass(frozen=True)
class RelationshipRow:
    start: str
    end: str
    props: dict[str, Any]


RelGroup = tuple[str, str, str]
"""(relationship type, start label, end label)"""

_REL_ORDER = {rel: index for index, rel in enumerate(RELATIONSHIPS)}


def properties(data: dict[str, Any], skip: frozenset[str]) -> dict[str, Any]:
    """The storable properties, sorted by name: no `skip` keys, no None, "" or empty lists."""
    return {key: value for key, value in sorted(data.items())
            if key not in skip and value is not None and value != "" and value != []}


def node_groups(graph: KnowledgeGraph) -> dict[str, list[NodeRow]]:
    """Node rows per label, labels in vocabulary order, rows sorted by id."""
    groups: dict[str, list[NodeRow]] = {label: [] for label in LABELS}
    for node_id, data in sorted(graph.nodes()):
        label = data.get("label")
        if label not in groups:
            raise GraphError(f"{node_id}: label {label!r} is not in the vocabulary")
        groups[label].append(NodeRow(node_id, properties(data, frozenset({"label", "id"}))))
    return {label: rows for label, rows in groups.items() if rows}


def relationship_groups(graph: KnowledgeGraph) -> dict[RelGroup, list[RelationshipRow]]:
    """Relationship rows per (type, start label, end label), sorted; only types of the vocabulary."""
    groups: dict[RelGroup, list[RelationshipRow]] = {}
    for start, end, rel, data in sorted(graph.edges(), key=lambda edge: edge[:3]):
        key = (rel, graph.node(start)["label"], graph.node(end)["label"])
        if rel not in RELATIONSHIPS or key[1] not in RELATIONSHIPS[rel][0] or key[2] not in RELATIONSHIPS[rel][1]:
            raise GraphError(f"{start} -[{rel}]-> {end}: {key[1]} -> {key[2]} is not in the vocabulary")
        groups.setdefault(key, []).append(RelationshipRow(start, end, properties(data, frozenset({"type"}))))
    return dict(sorted(groups.items(), key=lambda item: (_REL_ORDER[item[0][0]], item[0])))
