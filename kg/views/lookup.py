"""Finding the entity a user means: by id, by name or alias, else "did you mean ..." suggestions."""

from __future__ import annotations

import difflib
from collections import defaultdict

from kg.graph import KnowledgeGraph
from kg.text import match_key

MAX_SUGGESTIONS = 5


class EntityLookupError(LookupError):
    """The query names no single node; `candidates` are (id, name) pairs to offer instead."""

    def __init__(self, query: str, candidates: list[tuple[str, str]], ambiguous: bool = False) -> None:
        self.query, self.candidates, self.ambiguous = query, candidates, ambiguous
        super().__init__(str(self))

    def __str__(self) -> str:
        listed = ", ".join(f"{name} ({node_id})" for node_id, name in self.candidates)
        if self.ambiguous:
            return f"{self.query!r} names several entities; pass one id: {listed}"
        hint = f"; did you mean {listed}?" if listed else ""
        return f"no entity {self.query!r} in the graph{hint}"


def _names(graph: KnowledgeGraph) -> dict[str, list[str]]:
    """Match key of every name and alias -> ids of the nodes that carry it."""
    index: defaultdict[str, list[str]] = defaultdict(list)
    for node_id, data in graph.nodes():
        for name in {data.get("name") or "", *data.get("aliases", [])}:
            key = match_key(name)
            if key and node_id not in index[key]:
                index[key].append(node_id)
    return index


def suggestions(graph: KnowledgeGraph, query: str, limit: int = MAX_SUGGESTIONS) -> list[tuple[str, str]]:
    """Close names (difflib), then names containing the query, shortest first: (id, name) pairs."""
    key = match_key(query)
    if not key:
        return []
    index = _names(graph)
    close = difflib.get_close_matches(key, list(index), n=limit, cutoff=0.6)
    containing = sorted((k for k in index if key in k and k not in close), key=lambda k: (len(k), k))
    found: list[str] = []
    for name_key in [*close, *containing]:
        for node_id in index[name_key]:
            if node_id not in found:
                found.append(node_id)
    return [(node_id, graph.node(node_id)["name"]) for node_id in found[:limit]]


def find_entity(graph: KnowledgeGraph, query: str) -> str:
    """The id of the node `query` names: an id, an arXiv id, or a name or alias in any spelling."""
    query = query.strip()
    for node_id in (query, query.lower(), f"paper:arxiv:{query.lower()}"):
        if node_id in graph:
            return node_id
    matches = _names(graph).get(match_key(query), [])
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise EntityLookupError(query, [(m, graph.node(m)["name"]) for m in sorted(matches)], ambiguous=True)
    raise EntityLookupError(query, suggestions(graph, query))
