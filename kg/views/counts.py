"""Counts the site shows: papers per entity, most used targets of a relationship, papers per month.

They are read in streaming passes in id order (`sorted_edges`, `sorted_nodes`): a spilled graph
reads them from its file, so a writer forked from the build copies none of its memory. After an
update, the papers that did not change are counted from what the site kept (`Counting`)."""

from __future__ import annotations

import heapq
import re
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.graph import KnowledgeGraph
from kg.schema import PAPER
from kg.splice import Reuse, number
from kg.state import fingerprint

_MONTH = re.compile(r"^(\d{4})-(\d{2})")
COUNTING_SOURCES = ("views/counts.py",)
"""What decides what `Counting` keeps, besides the writers' code."""


Link = tuple[str, str]
"""A relationship's end and type."""


class Counting(Reuse):
    """The passes the site's counts take over a graph. When a build state keeps the graph, what each
    paper adds to the counts (its month, its relationships' ends and types) is kept beside the site
    (`kg.splice`), and the next update counts the papers that did not change from that instead of
    reading them."""

    reused = "counted from what the earlier site kept"

    def __init__(self, graph: KnowledgeGraph, out: Path, reuse: bool = True) -> None:
        super().__init__(graph, out, variant=fingerprint(COUNTING_SOURCES), reuse=reuse)
        before = self.previous.extra if self.previous is not None else {"ends": [], "rels": []}
        self.old_ends: list[str] = before["ends"]
        self.old_rels: list[str] = before["rels"]
        self.ends: dict[str, int] = {}
        self.rels: dict[str, int] = {}
        self.months: dict[str, int] = {}
        """Paper -> its month (`_month`), when the graph is kept."""
        self.links: dict[str, tuple[int, ...]] = {}
        """Paper -> the numbers of its relationships' end and type, in pairs, when the graph is kept."""

    def old_links(self, paper: str) -> list[Link]:
        assert self.previous is not None
        numbers = self.previous.papers[paper]
        return [(self.old_ends[numbers[at]], self.old_rels[numbers[at + 1]]) for at in range(2, len(numbers), 2)]

    def old_month(self, paper: str) -> int:
        assert self.previous is not None
        return self.previous.papers[paper][1]

    def note_links(self, paper: str, links: list[Link]) -> None:
        if self.kept is not None:
            ends, rels = self.ends, self.rels
            self.links[paper] = tuple([numbered for end, rel in links
                                       for numbered in (number(ends, end), number(rels, rel))])

    def note_month(self, paper: str, month: int) -> None:
        if self.kept is not None:
            self.months[paper] = month

    def pieces(self) -> dict[str, tuple[int, ...]]:
        return {paper: (handle, self.months.get(paper, -1), *self.links.get(paper, ()))
                for paper, handle in self.handles.items()}

    def save(self, base: int = 0) -> None:
        """Once the site is in place (after both passes)."""
        self.extra = {"ends": list(self.ends), "rels": list(self.rels)}
        super().save(base)


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


def link_counts(graph: KnowledgeGraph, top: int, rels: Iterable[str] = (),
                counting: Counting | None = None) -> LinkCounts:
    """The LinkCounts of `graph` with its `top` most linked papers and the ends of `rels`, in one
    pass over its relationships (through `counting`, if given) that holds only the counts and the
    `top` papers."""
    papers: Counter[str] = Counter()
    targets: dict[str, Counter[str]] = {rel: Counter() for rel in rels}
    ranking = _ranked(graph, papers, targets, counting)
    most_linked = [paper_id for _, paper_id in heapq.nsmallest(top, ranking)]
    deque(ranking, maxlen=0)  # with `top` 0 nsmallest takes nothing: count every paper still
    return LinkCounts(papers, most_linked, targets)


def _ranked(graph: KnowledgeGraph, papers: Counter[str], targets: dict[str, Counter[str]],
            counting: Counting | None) -> Iterator[tuple[int, str]]:
    """(minus its number of relationships, id) of every paper with any, counting the entities each
    is linked to into `papers` on the way. A generator of its own: mypyc loses a nested one's
    closure when it is resumed after `heapq.nsmallest` stops."""
    for paper_id, ends in _by_paper(graph, targets, counting):
        papers.update(set(ends))
        yield -len(ends), paper_id


def _grouped(graph: KnowledgeGraph, counting: Counting | None) -> Iterator[tuple[str, list[Link]]]:
    """(start, the (end, type) of its relationships) for every node that starts any, in id order; a
    paper that did not change as `counting` kept it."""
    current = ""
    links: list[Link] = []
    for start, end, rel, data in counting.edges() if counting is not None else graph.sorted_edges():
        if start != current:
            if links:
                yield current, links
            current, links = start, []
        if data is None:
            assert counting is not None
            yield start, counting.old_links(start)
        else:
            links.append((end, rel))
    if links:
        yield current, links


def _by_paper(graph: KnowledgeGraph, targets: dict[str, Counter[str]] | None = None,
              counting: Counting | None = None) -> Iterator[tuple[str, list[str]]]:
    """(paper id, the ends of its relationships) for every paper with any, streamed in id order
    (only papers start relationships to entities); the end of each relationship of a type in
    `targets` is counted there."""
    targets = targets or {}
    for start, links in _grouped(graph, counting):
        for end, rel in links:
            if rel in targets:
                targets[rel][end] += 1
        if graph.label(start) == PAPER:
            if counting is not None:
                counting.note_links(start, links)
            if links:
                yield start, [end for end, _ in links]


def papers_linked(graph: KnowledgeGraph) -> Counter[str]:
    """For every entity that is not a paper: how many distinct papers it is linked with."""
    return link_counts(graph, 0).papers


def _month(data: dict[str, Any]) -> int:
    """A paper's month of publication as 12 * year + month - 1; -1 when it has none."""
    found = _MONTH.match(str(data.get("published") or ""))
    if found and 1 <= int(found.group(2)) <= 12:
        return 12 * int(found.group(1)) + int(found.group(2)) - 1
    return -1


def papers_per_month(graph: KnowledgeGraph, counting: Counting | None = None) -> list[tuple[str, int]]:
    """("YYYY-MM", papers) for every month from the first dated paper to the last, gaps as 0; one
    pass over the nodes (through `counting`, if given)."""
    months: Counter[int] = Counter()
    for node_id, data in counting.nodes() if counting is not None else graph.sorted_nodes():
        if data is None:
            assert counting is not None
            month = counting.old_month(node_id)
        elif data["label"] == PAPER:
            month = _month(data)
        else:
            continue
        if counting is not None:
            counting.note_month(node_id, month)
        if month >= 0:
            months[month] += 1
    if not months:
        return []
    return [(f"{month // 12:04d}-{month % 12 + 1:02d}", months[month]) for month in range(min(months), max(months) + 1)]
