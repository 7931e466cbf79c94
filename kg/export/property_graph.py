"""The graph as property-graph rows, the one shape both Neo4j renderings (Bolt load, bulk-import CSV)
write, so they store the same properties. Absent values (None, "", empty lists) become no property:
a bulk import cannot tell them from null, and Neo4j stores no null."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kg.graph import GraphError, KnowledgeGraph
from kg.schema import LABELS, RELATIONSHIPS


class NodeRow:
    """A node's id and storable properties. The rows are plain classes with their own `__init__`: a
    writer makes one per node and relationship, and compiled that is a C call (a frozen dataclass
    sets each field through `object.__setattr__`)."""

    def __init__(self, node_id: str, props: dict[str, Any]) -> None:
        self.id = node_id
        self.props = props


class RelationshipRow:
    """A relationship's start and end ids and its storable properties."""

    def __init__(self, start: str, end: str, props: dict[str, Any]) -> None:
        self.start = start
        self.end = end
        self.props = props


RelGroup = tuple[str, str, str]
"""(relationship type, start label, end label)"""

_REL_ORDER = {rel: index for index, rel in enumerate(RELATIONSHIPS)}
_NODE_SKIP = frozenset({"label", "id"})
_REL_SKIP = frozenset({"type"})


def properties(data: dict[str, Any], skip: frozenset[str]) -> dict[str, Any]:
    """The storable properties, sorted by name: no `skip` keys, no None, "" or empty lists."""
    return {key: value for key, value in sorted(data.items()) if key not in skip and _stored(value)}


def _stored(value: Any) -> bool:
    """Whether a value is stored: not None, "" or an empty list."""
    if isinstance(value, (str, list)):
        return len(value) > 0
    return value is not None


def node_row(node_id: str, data: dict[str, Any]) -> tuple[str, NodeRow]:
    """(label, row) of one node; a label outside the vocabulary raises."""
    label = data.get("label")
    if label not in LABELS:
        raise GraphError(f"{node_id}: label {label!r} is not in the vocabulary")
    return label, NodeRow(node_id, properties(data, _NODE_SKIP))


def relationship_row(graph: KnowledgeGraph, start: str, end: str, rel: str,
                     data: dict[str, Any]) -> tuple[RelGroup, RelationshipRow]:
    """(group, row) of one relationship; a type or end labels outside the vocabulary raise."""
    first, last = graph.label(start), graph.label(end)
    if (first is None or last is None or rel not in RELATIONSHIPS or first not in RELATIONSHIPS[rel][0]
            or last not in RELATIONSHIPS[rel][1]):
        raise GraphError(f"{start} -[{rel}]-> {end}: {first} -> {last} is not in the vocabulary")
    return (rel, first, last), RelationshipRow(start, end, properties(data, _REL_SKIP))


def node_rows(graph: KnowledgeGraph) -> Iterator[tuple[str, NodeRow]]:
    """(label, row) of every node in id order, streamed."""
    for node_id, data in graph.sorted_nodes():
        yield node_row(node_id, data)


def relationship_rows(graph: KnowledgeGraph) -> Iterator[tuple[RelGroup, RelationshipRow]]:
    """(group, row) of every relationship in (start, end, type) order, streamed."""
    for start, end, rel, data in graph.sorted_edges():
        yield relationship_row(graph, start, end, rel, data)


def label_order(labels: set[str]) -> list[str]:
    """Node labels in vocabulary order."""
    return [label for label in LABELS if label in labels]


def group_order(groups: set[RelGroup]) -> list[RelGroup]:
    """Relationship groups by type in vocabulary order, then by start and end label."""
    return sorted(groups, key=lambda group: (_REL_ORDER[group[0]], group))


def node_groups(graph: KnowledgeGraph) -> dict[str, list[NodeRow]]:
    """Node rows per label, labels in vocabulary order, rows sorted by id."""
    groups: dict[str, list[NodeRow]] = {}
    for label, row in node_rows(graph):
        groups.setdefault(label, []).append(row)
    return {label: groups[label] for label in label_order(set(groups))}


def relationship_groups(graph: KnowledgeGraph) -> dict[RelGroup, list[RelationshipRow]]:
    """Relationship rows per (type, start label, end label), sorted; only types of the vocabulary."""
    groups: dict[RelGroup, list[RelationshipRow]] = {}
    for key, row in relationship_rows(graph):
        groups.setdefault(key, []).append(row)
    return {key: groups[key] for key in group_order(set(groups))}
