"""What a site shows of a big graph: past `max_papers` papers, the most linked papers and every
entity they link to, read in two streaming passes (a spilled `StoredGraph` is never loaded whole).
A page per paper costs milliseconds, so a million of them would take hours and fill a disk."""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass
from typing import Any

from kg.graph import KnowledgeGraph
from kg.schema import PAPER
from kg.views.counts import paper_links

SITE_PAPERS = 10_000
"""Papers a site gives a page at most, unless told otherwise."""


@dataclass
class Shown:
    """The graph a site draws from, the distinct papers linked to each entity over the whole graph,
    and how many papers it shows of how many."""

    graph: KnowledgeGraph
    papers: Counter[str]
    shown: int
    total: int

    @property
    def sampled(self) -> bool:
        return self.shown < self.total


def shown(graph: KnowledgeGraph, max_papers: int = SITE_PAPERS) -> Shown:
    """All of `graph` when it has at most `max_papers` papers; else the `max_papers` papers with the
    most relationships (ties by id), the entities they link to and the relationships among these."""
    papers, degree = paper_links(graph)
    total = graph.counts()["nodes"].get(PAPER, 0)
    if total <= max_papers:
        return Shown(graph, papers, total, total)
    chosen = set(heapq.nsmallest(max_papers, degree, key=lambda paper: (-degree[paper], paper)))
    # papers without any relationship rank last; they fill the quota only when too few have one
    if len(chosen) < max_papers:
        chosen |= set(heapq.nsmallest(max_papers - len(chosen), (p for p, _ in graph.nodes(PAPER) if p not in chosen)))
    subset = KnowledgeGraph()
    between: list[tuple[str, str, str, dict[str, Any]]] = []
    for start, end, rel, data in graph.edges():
        if start in chosen:
            for node in (start, end):
                if node not in subset.g:
                    subset.g.add_node(node, **graph.node(node))
            subset.g.add_edge(start, end, key=rel, **data)
        elif graph.label(start) != PAPER:
            between.append((start, end, rel, data))
    for paper in chosen - set(subset.g):
        subset.g.add_node(paper, **graph.node(paper))
    for start, end, rel, data in between:
        if start in subset.g and end in subset.g:
            subset.g.add_edge(start, end, key=rel, **data)
    return Shown(subset, papers, len(chosen), total)
