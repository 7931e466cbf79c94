"""`kg build --update OUT NEW_INPUT...`: add listings to an output folder built with --keep-state.

Only the new input is read, de-duplicated and extracted: a new record is looked up among the
earlier papers in the state (by arXiv id and title key, as `PaperIndex` does in memory); a record
of a paper seen before merges into it and that paper alone is extracted again. The graph is then
assembled from the stored extractions in creation order, every code link attached again, and the
outputs rewritten by the streaming writers: the same graph, report and files as a fresh build of
the earlier inputs followed by the new ones. Reading and extraction, the bulk of a build, grow with
the new input; assembling and writing grow with the graph (no extraction, a few microseconds a
relationship).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kg.build import BuildResult, Clock, OnIssue, add_papers, attach_links, new_graph, read_papers, write_outputs
from kg.parallel import Workers, extract_all
from kg.progress import Progress
from kg.resolve.papers import MergedPaper, PaperIndex
from kg.state import BuildState


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


def update(out_dir: str | Path, inputs: Iterable[str], *, fmt: str | None = None, skip: Iterable[str] = (),
           on_issue: OnIssue | None = None, progress: Progress | None = None, jobs: int = 1,
           spill: bool | None = None) -> BuildResult:
    """Add `inputs` to the output folder `out_dir` (see the module docstring); StateError when
    it has no usable state."""
    out_dir = Path(out_dir)
    state = BuildState.open(out_dir)
    clock = Clock()
    try:
        report = state.report()
        with Workers(jobs) as workers:
            index = StoredPaperIndex(state)
            papers, links = read_papers(inputs, report, fmt, on_issue, progress, index, workers)
            clock.lap("read")
            for ordinal, (paper, extraction) in zip(index.ordinals, extract_all(papers, workers), strict=True):
                state.put(ordinal, paper, extraction)
        state.add_links(links)
        state.save_report(report)
        state.commit()
        clock.lap("extract")
        graph = new_graph(len(state), spill)
        add_papers(graph, state.papers(), len(state), progress)
        clock.lap("assemble")
        attach_links(graph, papers, state.links(), report, on_issue)
        clock.lap("link")
    finally:
        state.close()
    result = BuildResult(graph, report, seconds=clock.seconds)
    result.written = write_outputs(graph, report, out_dir, skip, progress, workers.jobs, result.seconds)
    return result
