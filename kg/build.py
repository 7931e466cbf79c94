"""The main job: read listings, de-duplicate papers, extract, assemble the graph, write outputs.

Data flows one way: sources -> papers -> extractors -> resolver -> graph -> writers.

Scale (DESIGN: a million papers on one machine): extraction runs in `jobs` worker processes with
results assembled in input order (the graph is the one-process graph); past `SPILL_AT` papers the
paper index keeps merged papers in a file while reading (`PaperIndex`), the graph keeps papers and
their relationships in one (`StoredGraph`) and each merged paper drops its texts once assembled;
writers stream, and with several jobs run side by side in forked children."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from itertools import count
from pathlib import Path

from kg.assemble import add_paper
from kg.atomic import atomic_write
from kg.export.json_graph import dumps
from kg.extract import Extraction
from kg.extract.links import parse_repo
from kg.extract.repos import repository_mention
from kg.graph import KnowledgeGraph
from kg.model import CodeLink, Mention, Notice, Paper, Reject
from kg.outputs import OUTPUTS, Writer
from kg.parallel import Workers, extract_all, run_forked, trim_heap
from kg.progress import Progress, Silent
from kg.report import Report
from kg.resolve.papers import MergedPaper, PaperIndex
from kg.sources import Reading, read_inputs
from kg.spill import spills
from kg.state import BuildState
from kg.stored_graph import StoredGraph

OnIssue = Callable[[Reject | Notice], None]
Keep = Callable[[MergedPaper, Extraction], None]

TRIM_EVERY = 20_000
"""Papers assembled between two returns of freed memory to the system (a spilled graph sheds texts)."""


@dataclass
class BuildResult:
    graph: KnowledgeGraph
    report: Report
    written: dict[str, Path] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall time of each stage: read, extract (with assembly), link, and each output writer."""
    assembled: int | None = None
    """For an update: the papers assembled into the stored graph (the new and the changed ones, or
    all when the graph had to be assembled again). None for a build, which assembles every paper."""

    @property
    def papers(self) -> int:
        return self.report.counts.get("nodes", {}).get("Paper", 0)


def read_papers(inputs: Iterable[str], report: Report, fmt: str | None = None,
                on_issue: OnIssue | None = None, progress: Progress | None = None,
                papers: PaperIndex | None = None, workers: Workers | None = None) -> tuple[PaperIndex, list[CodeLink]]:
    """Read every input into a de-duplicated paper index (a new one, or `papers` to add to);
    code links are kept for later. `workers` parse the records of bulk formats (arXiv JSON Lines)."""
    papers = papers if papers is not None else PaperIndex()
    mapper = partial(workers.map, chunk=1) if workers is not None else map
    return papers, index_readings(read_inputs(inputs, fmt, mapper), report, papers, on_issue, progress)


def index_readings(readings: Iterable[Reading], report: Report, papers: PaperIndex, on_issue: OnIssue | None = None,
                   progress: Progress | None = None) -> list[CodeLink]:
    """Account for every record of `readings` in the report and add the papers to `papers`;
    returns the code links."""
    progress = progress or Silent()
    links = []
    progress.phase("reading")
    for reading in readings:
        entry = report.file(reading.name)
        entry.format = reading.format
        for record in reading.records:
            if isinstance(record, Notice):
                entry.notices.append({"where": str(record.location), "message": record.message})
                if on_issue:
                    on_issue(record)
                continue
            entry.records_read += 1
            if isinstance(record, Paper):
                if papers.add(record):
                    entry.papers_kept += 1
                else:
                    entry.duplicates_merged += 1
                progress.advance()
            elif isinstance(record, CodeLink):
                links.append(record)
            else:
                _reject(report, record, on_issue)
    return links


def _reject(report: Report, reject: Reject, on_issue: OnIssue | None) -> None:
    entry = report.file(reject.location.file)
    entry.records_rejected += 1
    entry.rejects.append({"where": str(reject.location), "reason": reject.reason})
    if on_issue:
        on_issue(reject)


def new_graph(papers: int, spill: bool | None = None) -> KnowledgeGraph:
    """An empty graph for `papers` papers: in memory, or with papers in a file (`spill`, or by
    default from SPILL_AT papers)."""
    return StoredGraph() if spills(papers, spill) else KnowledgeGraph()


def add_papers(graph: KnowledgeGraph, extracted: Iterable[tuple[MergedPaper, Extraction]], total: int,
               progress: Progress | None = None, keep: Keep | None = None) -> None:
    """Assemble extracted papers in order; `keep` sees each one first. In a StoredGraph a paper
    then drops its texts (the graph holds them), keeping what finds it for code links, and the
    memory they took goes back to the system as assembly proceeds. What is assembled so far is
    frozen out of the garbage collector's way as it goes (it lives as long as the graph), so the
    collector's full passes do not walk a growing graph again and again; all is unfrozen at the end."""
    progress = progress or Silent()
    progress.phase("extracting", total)
    spilled = isinstance(graph, StoredGraph)
    try:
        for done, (paper, extraction) in enumerate(extracted, 1):
            add_paper(graph, paper, extraction)
            if keep:
                keep(paper, extraction)
            if spilled:
                paper.shed()
                if done % TRIM_EVERY == 0:
                    trim_heap()
                    gc.freeze()
            progress.advance()
    finally:
        if spilled:
            trim_heap()
            gc.unfreeze()


def attach_links(graph: KnowledgeGraph, papers: PaperIndex, links: Iterable[CodeLink], report: Report,
                 on_issue: OnIssue | None = None) -> None:
    """Code links attach to papers read elsewhere; then the report gets the graph's counts."""
    for link in links:
        _attach_link(graph, papers, link, report, on_issue)
    report.counts = graph.counts()
    report.problems = graph.problems()


def _attach_link(graph: KnowledgeGraph, papers: PaperIndex, link: CodeLink, report: Report,
                 on_issue: OnIssue | None) -> None:
    linked = link_mention(papers, link, report, on_issue)
    if linked is None:
        return
    paper, mention = linked
    graph.add_node(mention.id, mention.label, mention.name, **mention.node)
    graph.add_edge(paper.id, mention.id, mention.relation, evidence=mention.evidence, confidence=mention.confidence,
                   extractor=mention.extractor, source=str(link.location), text=mention.text)


def link_mention(papers: PaperIndex, link: CodeLink, report: Report,
                 on_issue: OnIssue | None = None) -> tuple[MergedPaper, Mention] | None:
    """The paper a code link belongs to and its HAS_CODE mention, the link then counted as merged
    into that paper; None, with the link rejected, when no paper in `papers` or no repository matches."""
    paper = papers.find_link(link)
    repo = parse_repo(link.repo_url)
    if paper is None or repo is None:
        reason = ("no paper with this arXiv id or title in the input" if paper is None
                  else f"not a repository URL: {link.repo_url}")
        _reject(report, Reject(link.location, reason), on_issue)
        return None
    report.file(link.location.file).duplicates_merged += 1
    return paper, repository_mention(repo, f"code link: {link.repo_url}", 1.0, "pwc-links/1")


def write_outputs(graph: KnowledgeGraph, report: Report, out_dir: Path, skip: Iterable[str] = (),
                  progress: Progress | None = None, jobs: int = 1,
                  seconds: dict[str, float] | None = None) -> dict[str, Path]:
    """Run every output writer not skipped (with several jobs, side by side in forked children),
    then write report.json; each writer's wall time goes into `seconds`."""
    progress = progress or Silent()
    out_dir.mkdir(parents=True, exist_ok=True)
    chosen = [name for name in OUTPUTS if name not in set(skip)]
    progress.phase("writing", len(chosen))
    if isinstance(graph, StoredGraph):
        graph.snapshot()
    tasks = {name: partial(_timed, OUTPUTS[name], graph, out_dir, jobs) for name in chosen}
    done = run_forked(tasks, jobs, lambda name: progress.advance())
    with atomic_write(out_dir / "report.json") as fh:
        fh.write(dumps(report.to_json()))
    if seconds is not None:
        seconds.update({name: spent for name, (_, spent) in done.items()})
    return {**{name: path for name, (path, _) in done.items()}, "report": out_dir / "report.json"}


def _timed(writer: Writer, graph: KnowledgeGraph, out_dir: Path, jobs: int) -> tuple[Path, float]:
    start = time.perf_counter()
    return writer(graph, out_dir, jobs), time.perf_counter() - start


def build(inputs: Iterable[str], out_dir: str | Path | None = None, *, fmt: str | None = None,
          skip: Iterable[str] = (), on_issue: OnIssue | None = None, progress: Progress | None = None,
          jobs: int = 1, spill: bool | None = None, keep_state: bool = False) -> BuildResult:
    """Build the graph from `inputs`; with `out_dir`, write every output there. `jobs` processes
    extract (0: one per core); `spill` keeps papers in files (default: from SPILL_AT papers);
    `keep_state` also keeps what `kg.incremental.update` needs in `out_dir` (the graph's papers then
    go to a file there, whatever `spill` says)."""
    if keep_state and out_dir is None:
        raise ValueError("keep_state needs an output folder")
    report = Report()
    clock = Clock()
    with Workers(jobs) as workers:
        papers, links = read_papers(inputs, report, fmt, on_issue, progress, PaperIndex(spill), workers)
        clock.lap("read")
        state = BuildState.create(Path(out_dir)) if keep_state and out_dir is not None else None
        graph = state.new_graph() if state is not None else new_graph(len(papers), spill)
        ordinals = count()
        keep = (lambda paper, extraction: state.put(next(ordinals), paper, extraction)) if state is not None else None
        add_papers(graph, extract_all(papers, workers), len(papers), progress, keep)
    if state is not None:
        assert isinstance(graph, StoredGraph)
        state.save_graph(graph)
        state.add_links(links)
        state.save_report(report)
        state.commit()
        state.close()
    clock.lap("extract")
    attach_links(graph, papers, links, report, on_issue)
    clock.lap("link")
    result = BuildResult(graph, report, seconds=clock.seconds)
    if out_dir is not None:
        result.written = write_outputs(graph, report, Path(out_dir), skip, progress, workers.jobs, result.seconds)
    return result


class Clock:
    """Wall time per stage, each lap measured from the end of the one before."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = now - self._last
        self._last = now
