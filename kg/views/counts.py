"""Counts the site shows: papers per entity, most used targets of a relationship, papers per month."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from kg.graph import KnowledgeGraph
from kg.schema import PAPER

_MONTH = re.compile(r"^(\d{4})-(\d{2})")


def _by_paper(graph: KnowledgeGraph) -> Iterator[tuple[str, list[str]]]:
    """(paper id, the ends of its relationships) for every paper with any, streamed: both graph
    kinds list a node's relationships together, and only papers start relationships to entities."""
    current, ends = "", []
    for start, end, _, _ in graph.edges():
        if start != current:
            if ends:
                yield current, ends
            current, ends = start, []
        if graph.label(start) == PAPER:
            ends.append(end)
    if ends:
        yield current, ends


def paper_links(graph: KnowledgeGraph) -> tuple[Counter[str], Counter[str]]:
    """How many distinct papers each entity is linked with, and how many relationships each paper
    has, in one pass that never loads a spilled graph whole."""
    papers: Counter[str] = Counter()
    relationships: Counter[str] = Counter()
    for paper_id, ends in _by_paper(graph):
        relationships[paper_id] = len(ends)
        papers.update(set(ends))
    return papers, relationships


def papers_linked(graph: KnowledgeGraph) -> Counter[str]:
    """For every entity that is not a paper: how many distinct papers it is linked with."""
    return paper_links(graph)[0]


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
