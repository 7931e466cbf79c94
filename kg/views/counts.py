"""Counts the site shows: papers per entity, most used targets of a relationship, papers per month."""

from __future__ import annotations

import re
from collections import Counter

from kg.graph import KnowledgeGraph
from kg.schema import PAPER

_MONTH = re.compile(r"^(\d{4})-(\d{2})")


def papers_linked(graph: KnowledgeGraph) -> Counter[str]:
    """For every entity that is not a paper: how many distinct papers it is linked with."""
    counts: Counter[str] = Counter()
    for node_id, data in graph.nodes():
        if data["label"] != PAPER:
            neighbours = set(graph.g.predecessors(node_id)) | set(graph.g.successors(node_id))
            counts[node_id] = sum(1 for n in neighbours if graph.node(n)["label"] == PAPER)
    return counts


def top_targets(graph: KnowledgeGraph, rel: str, limit: int) -> list[tuple[str, int]]:
    """Ends of `rel` edges with the most distinct starts, most first (ties by id)."""
    counts = Counter(end for _, end, _, _ in graph.edges(rel))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


def papers_per_month(graph: KnowledgeGraph) -> list[tuple[str, int]]:
    """("YYYY-MM", papers) for every month from the first dated paper to the last, gaps as 0."""
    months: Counter[tuple[int, int]] = Counter()
    for _, data in graph.nodes(PAPER):
        found = _MONTH.match(str(data.get("published") or ""))
        if found and 1 <= int(found.group(2)) <= 12:
            months[(int(found.group(1)), int(found.group(2)))] += 1
    if not months:
        return []
    (year, month), last = min(months), max(months)
    series = []
    while (year, month) <= last:
        series.append((f"{year:04d}-{month:02d}", months[(year, month)]))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return series
