"""Counts the site shows: papers per entity, most used targets of a relationship, papers per month.

They are read in streaming passes in id order (`sorted_edges`, `sorted_nodes`): a spilled graph
reads them from its file, so a writer forked from the build copies none of its memory."""

from __future__ import annotations

import heapq
import re
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kg.graph import KnowledgeGraph
from kg.schema import PAPER

_MONTH = re.compile(r"^(\d{4})-(\d{2})")


@dataclass
class LinkCounts:
    """Counts over every relationship of a graph: distinct papers linked to each entity, the papers
    with the most relationships (most first, ties by id), and the ends of some relationship types
    with how many relationships of that type reach each."""

    papers: Counter[str]
    most_linked: list[str]
    targets: dict[str, Counter[str]]

    def top_targets(self, rel: str, limit: int) -> list[tuple[str, int]]:
        """Ends of `rel` relationships (a type counted) reached most often, most first (ties by id)."""
        return sorted(self.targets[rel].items(), key=lambda item: (-item[1], item[0]))[:limit]


def link_counts(graph: KnowledgeGraph, top: int, rels: Iterable[str] = ()) -> LinkCounts:
    """The LinkCounts of `graph` with its `top` most linked papers and the ends of `rels`, in one
    pass over its relationships that holds only the counts and the `top` papers."""
    papers: Counter[str] = Counter()
    targets: dict[str, Counter[str]] = {rel: Counter() for rel in rels}

    def ranked() -> Iterator[tuple[int, str]]:
        for paper_id, ends in _by_paper(graph, targets):
            papers.update(set(ends))
            yield -len(ends), paper_id

    ranking = ranked()
    most_linked = [paper_id for _, paper_id in heapq.nsmallest(top, ranking)]
    deque(ranking, maxlen=0)  # with `top` 0 nsmallest takes nothing: count every paper still
    return LinkCounts(papers, most_linked, targets)


def _by_paper(graph: KnowledgeGraph,
              targets: dict[str, Counter[str]] | None = None) -> Iterator[tuple[str, list[str]]]:
    """(paper id, the ends of its relationships) for every paper with any, streamed in id order
    (only papers start relationships to entities); the end of each relationship of a type in
    `targets` is counted there."""
    targets = targets or {}
    current = ""
    ends: list[str] = []
    for start, end, rel, _ in graph.sorted_edges():
        if rel in targets:
            targets[rel][end] += 1
        if start != current:
            if ends:
                yield current, ends
            current, ends = start, []
        if graph.label(start) == PAPER:
            ends.append(end)
    if ends:
        yield current, ends


def papers_linked(graph: KnowledgeGraph) -> Counter[str]:
    """For every entity that is not a paper: how many distinct papers it is linked with."""
    return link_counts(graph, 0).papers


def papers_per_month(graph: KnowledgeGraph) -> list[tuple[str, int]]:
    """("YYYY-MM", papers) for every month from the first dated paper to the last, gaps as 0."""
    months: Counter[tuple[int, int]] = Counter()
    for _, data in graph.sorted_nodes():
        if data["label"] != PAPER:
            continue
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
