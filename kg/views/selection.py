"""Choosing what a neighbourhood view shows: nodes within some hops of an entity, capped at the
strongest few, and the relationships among them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from kg.graph import KnowledgeGraph

DEFAULT_HOPS = 1
DEFAULT_MAX_NODES = 300

Edge = tuple[str, str, str]
"""(start, end, relationship type): the key of one relationship in the graph."""


@dataclass
class Neighbourhood:
    """The nodes kept (centre first, then nearest and strongest), the edges among them, and how
    many nodes within reach were left out by the cap."""

    center: str
    hops: int
    nodes: list[str]
    distance: dict[str, int]
    edges: list[Edge]
    left_out: int

    @property
    def reachable(self) -> int:
        """Nodes within `hops` of the centre, shown or not (the centre included)."""
        return len(self.nodes) + self.left_out


def _links(graph: KnowledgeGraph, node: str) -> Iterator[tuple[str, float]]:
    """Neighbours in either direction, with the confidence of each connecting edge (read from the
    adjacency: networkx's edge views cost more to make than to walk for a node of few edges)."""
    for adjacency in (graph.g.succ[node], graph.g.pred[node]):
        for other, keyed in adjacency.items():
            for data in keyed.values():
                yield other, float(data.get("confidence", 0.0))


def neighbourhood(graph: KnowledgeGraph, center: str, hops: int = DEFAULT_HOPS,
                  max_nodes: int = DEFAULT_MAX_NODES, degree: Callable[[str], int] | None = None) -> Neighbourhood:
    """Nodes within `hops` of `center` (edges followed both ways); past `max_nodes`, nearer rings
    win, then nodes tied more strongly to the ring inside (summed confidence), then higher degree
    (`degree`, by default the graph's, which counts a node's relationships on every call)."""
    if center not in graph:
        raise KeyError(center)
    if hops < 1 or max_nodes < 1:
        raise ValueError("hops and max_nodes must be at least 1")
    distance = {center: 0}
    strength: defaultdict[str, float] = defaultdict(float)
    frontier = [center]
    for ring in range(1, hops + 1):
        reached = []
        for node in frontier:
            for other, confidence in _links(graph, node):
                if other not in distance:
                    distance[other] = ring
                    reached.append(other)
                if distance[other] == ring:
                    strength[other] += confidence
        frontier = reached
    degree = degree or graph.g.degree
    ranked = sorted(distance, key=lambda n: (distance[n], -round(strength[n], 6), -degree(n), n))
    kept = ranked[:max_nodes]
    kept_set = set(kept)
    succ = graph.g.succ
    edges = sorted((node, end, key) for node in kept for end, keyed in succ[node].items() if end in kept_set
                   for key in keyed)
    return Neighbourhood(center, hops, kept, {n: distance[n] for n in kept}, edges, len(ranked) - len(kept))
