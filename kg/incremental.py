"""`kg build --update OUT NEW_INPUT...`: add listings to an output folder built with --keep-state.

Only the new input is read, de-duplicated and extracted: a new record is looked up among the
earlier papers in the state (by arXiv id and title key, as `PaperIndex` does in memory); a record
of a paper seen before merges into it and that paper alone is extracted again. The new papers are
then assembled into the graph the state keeps, and an earlier paper a record merged into is
assembled again in its place, when what is extracted from it is the same as before (its sources
change, not what it says). When an earlier paper's extraction or id changes, its old mentions
cannot be taken out of the nodes they merged into, so the whole graph is assembled again from the
stored extractions. Code links attach again, all of them, and the outputs are written again by the
streaming writers, graph.json, graph.ttl, graph.graphml and the Neo4j CSV files copying the papers
that did not change from the files they replace (`kg.splice`): the same graph, report and files as
a fresh build of the earlier inputs followed by the new ones. Reading, extraction, assembly and
rendering those files grow with the new input, and the site counts the papers that did not change
from what it kept; attaching code links grows with the links read so far, copying with the graph.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from kg.assemble import is_lineage
from kg.build import BuildResult, Clock, OnIssue, add_papers, attach_links, read_papers, write_outputs
from kg.extract import Extraction
from kg.parallel import Workers, extract_all
from kg.progress import Progress
from kg.resolve.papers import MergedPaper, PaperIndex
from kg.state import BuildState
from kg.stored_graph import StoredGraph

log = logging.getLogger(__name__)


class StoredPaperIndex(PaperIndex):
    """A PaperIndex that also knows the papers of a build state. In memory are only the papers
    created now and those of the state a new record merged into (loaded on first lookup, so
    before any new paper could take their title key); iterating gives those."""

    def __init__(self, state: BuildState) -> None:
        super().__init__()
        self.state = state
        self.ordinals: list[int] = []
        """Creation ordinal of each paper in memory, in step with iteration."""
        self._loaded: dict[int, int] = {}
        """State ordinal -> position in this index."""
        self._next = len(state)

    def _with_arxiv_id(self, arxiv_id: str) -> int | None:
        found = super()._with_arxiv_id(arxiv_id)
        return found if found is not None else self._load(self.state.ordinal_with_arxiv_id(arxiv_id))

    def _first_with_title(self, key: str) -> int | None:
        found = super()._first_with_title(key)
        return found if found is not None else self._load(self.state.ordinal_with_title(key))

    def _load(self, ordinal: int | None) -> int | None:
        """The position of the state's paper `ordinal`, inserted on first use."""
        if ordinal is None:
            return None
        if ordinal not in self._loaded:
            paper, _ = self.state.paper(ordinal)
            self._loaded[ordinal] = len(self)
            self.ordinals.append(ordinal)
            self.insert(paper)
        return self._loaded[ordinal]

    def _create(self, paper: MergedPaper, key: str) -> None:
        self.ordinals.append(self._next)
        self._next += 1
        super()._create(paper, key)


class Changed(Exception):
    """An earlier paper whose extraction or id changed: the graph must be assembled again."""


def update(out_dir: str | Path, inputs: Iterable[str], *, fmt: str | None = None, skip: Iterable[str] = (),
           on_issue: OnIssue | None = None, progress: Progress | None = None, jobs: int = 1) -> BuildResult:
    """Add `inputs` to the output folder `out_dir` (see the module docstring); StateError when
    it has no usable state. The graph's papers are in the state's file, whatever their number."""
    out_dir = Path(out_dir)
    state = BuildState.open(out_dir)
    clock = Clock()
    try:
        report = state.report()
        earlier = len(state)
        graph = state.open_graph()
        with Workers(jobs) as workers:
            index = StoredPaperIndex(state)
            papers, links = read_papers(inputs, report, fmt, on_issue, progress, index, workers)
            clock.lap("read")
            extracted = zip(index.ordinals, extract_all(papers, workers), strict=True)
            try:
                add_papers(graph, _stored(state, graph, earlier, extracted), len(index), progress)
                assembled = len(index)
            except Changed as changed:
                log.info("assembling the whole graph again: %s", changed)
                graph.close()
                for ordinal, (paper, extraction) in extracted:
                    state.put(ordinal, paper, extraction)
                graph = state.new_graph()
                add_papers(graph, state.papers(), len(state), progress)
                assembled = len(state)
        state.save_graph(graph)
        state.add_links(links)
        state.save_report(report)
        state.commit()
        clock.lap("extract")
        attach_links(graph, papers, state.links(), report, on_issue)
        clock.lap("link")
    finally:
        state.close()
    result = BuildResult(graph, report, seconds=clock.seconds, assembled=assembled)
    result.written = write_outputs(graph, report, out_dir, skip, progress, workers.jobs, result.seconds)
    return result


Extracted = tuple[MergedPaper, Extraction]


def _stored(state: BuildState, graph: StoredGraph, earlier: int,
            extracted: Iterable[tuple[int, Extracted]]) -> Iterator[Extracted]:
    """Store each extracted paper in the state and give what to assemble: a new paper as it is; an
    earlier paper emptied in the graph, to be assembled again without its lineage (the models'
    DERIVED_FROM relationships counted it once already). Changed when an earlier paper's id or
    extraction differs from the stored one (stored all the same)."""
    for ordinal, (paper, extraction) in extracted:
        before = state.paper(ordinal) if ordinal < earlier else None
        state.put(ordinal, paper, extraction)
        if before is None:
            yield paper, extraction
            continue
        if before[0].id != paper.id:
            raise Changed(f"{before[0].id} is now {paper.id}")
        if before[1] != extraction:
            raise Changed(f"what is extracted from {paper.id} changed")
        graph.reset_paper(paper.id, paper.title)
        yield paper, replace(extraction, mentions=[m for m in extraction.mentions if not is_lineage(m)])
