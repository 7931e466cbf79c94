"""What a site shows of a big graph: past `max_papers` papers, the most linked papers and every
entity they link to, found in one streaming pass (a spilled `StoredGraph` is never loaded whole).
A page per paper costs milliseconds, so a million of them would take hours and fill a disk."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kg.graph import KnowledgeGraph
from kg.schema import PAPER
from kg.views.counts import Counting, LinkCounts, link_counts, papers_per_month

SITE_PAPERS = 10_000
"""Papers a site gives a page at most, unless told otherwise."""


@dataclass
class Shown:
    """The graph a site draws from, what was counted over the whole graph (papers linked to each
    entity, ends of the charted relationship types, papers per month, nodes and relationships), and
    how many papers it shows of how many."""

    graph: KnowledgeGraph
    links: LinkCounts
    months: list[tuple[str, int]]
    counts: dict[str, dict[str, int]]
    shown: int
    total: int

    @property
    def papers(self) -> Counter[str]:
        return self.links.papers

    @property
    def sampled(self) -> bool:
        return self.shown < self.total


def shown(graph: KnowledgeGraph, max_papers: int = SITE_PAPERS, rels: Iterable[str] = (),
          counting: Counting | None = None) -> Shown:
    """All of `graph` when it has at most `max_papers` papers; else the `max_papers` papers with the
    most relationships (ties by id), the entities they link to and the relationships among these.
    The ends of `rels` relationships and the papers per month are counted on the way (through
    `counting`, if given). Only the chosen papers' records are read (once each), and of the rest of
    the graph only the entities drawn."""
    counts = graph.counts()
    total = counts["nodes"].get(PAPER, 0)
    links = link_counts(graph, max_papers if total > max_papers else 0, rels, counting)
    months = papers_per_month(graph, counting)
    if total <= max_papers:
        return Shown(graph, links, months, counts, total, total)
    chosen = list(links.most_linked)
    # papers without any relationship rank last; they fill the quota only when too few have one
    if len(chosen) < max_papers:
        linked = set(chosen)
        chosen += heapq.nsmallest(max_papers - len(chosen), (p for p, _ in graph.nodes(PAPER) if p not in linked))
    subset = KnowledgeGraph()
    for paper in sorted(chosen):
        data, edges = graph.node_edges(paper)
        subset.g.add_node(paper, **data)
        _draw(graph, subset, paper, edges)
    for entity in [node for node, data in subset.nodes() if data["label"] != PAPER]:
        _draw(graph, subset, entity, graph.node_edges(entity)[1], among=True)
    return Shown(subset, links, months, counts, len(chosen), total)


def _draw(graph: KnowledgeGraph, subset: KnowledgeGraph, start: str, edges: list[tuple[str, str, dict[str, Any]]],
          among: bool = False) -> None:
    """Add `start`'s relationships to `subset` with their ends (`among`: only to ends already there)."""
    for end, rel, data in edges:
        if end not in subset.g:
            if among:
                continue
            subset.g.add_node(end, **graph.node(end))
        subset.g.add_edge(start, end, key=rel, **data)
