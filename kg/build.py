"""The main job: read listings, de-duplicate papers, extract, assemble the graph, write outputs.

Data flows one way: sources -> papers -> extractors -> resolver -> graph -> writers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.assemble import add_paper
from kg.atomic import atomic_write
from kg.export.json_graph import dumps
from kg.extract import extract_paper
from kg.graph import KnowledgeGraph
from kg.model import CodeLink, Notice, Paper, Reject
from kg.outputs import OUTPUTS
from kg.progress import Progress, Silent
from kg.report import Report
from kg.resolve.papers import PaperIndex
from kg.sources import read_inputs
from kg.extract.links import parse_repo
from kg.extract.repos import repository_mention

OnIssue = Callable[[Reject | Notice], None]


@dataclass
class BuildResult:
    graph: KnowledgeGraph
    report: Report
    written: dict[str, Path] = field(default_factory=dict)

    @property
    def papers(self) -> int:
        return self.report.counts.get("nodes", {}).get("Paper", 0)


def read_papers(inputs: Iterable[str], report: Report, fmt: str | None = None,
                on_issue: OnIssue | None = None, progress: Progress | None = None) -> tuple[PaperIndex, list[CodeLink]]:
    """Read every input into a de-duplicated paper index; code links are kept for later."""
    progress = progress or Silent()
    papers, links = PaperIndex(), []
    progress.phase("reading")
    for reading in read_inputs(inputs, fmt):
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
    return papers, links


def _reject(report: Report, reject: Reject, on_issue: OnIssue | None) -> None:
    entry = report.file(reject.location.file)
    entry.records_rejected += 1
    entry.rejects.append({"where": str(reject.location), "reason": reject.reason})
    if on_issue:
        on_issue(reject)


def assemble(papers: PaperIndex, links: list[CodeLink], report: Report,
             on_issue: OnIssue | None = None, progress: Progress | None = None) -> KnowledgeGraph:
    """Extract from every paper and assemble the graph; code links attach to papers read elsewhere."""
    progress = progress or Silent()
    graph = KnowledgeGraph()
    progress.phase("extracting", len(papers))
    for paper in papers:
        add_paper(graph, paper, extract_paper(paper))
        progress.advance()
    for link in links:
        _attach_link(graph, papers, link, report, on_issue)
    report.counts = graph.counts()
    report.problems = graph.problems()
    return graph


def _attach_link(graph: KnowledgeGraph, papers: PaperIndex, link: CodeLink, report: Report,
                 on_issue: OnIssue | None) -> None:
    paper = papers.find_link(link)
    repo = parse_repo(link.repo_url)
    if paper is None or repo is None:
        reason = "no paper with this arXiv id or title in the input" if paper is None else f"not a repository URL: {link.repo_url}"
        _reject(report, Reject(link.location, reason), on_issue)
        return
    mention = repository_mention(repo, f"code link: {link.repo_url}", 1.0, "pwc-links/1")
    graph.add_node(mention.id, mention.label, mention.name, **mention.node)
    graph.add_edge(paper.id, mention.id, mention.relation, evidence=mention.evidence, confidence=mention.confidence,
                   extractor=mention.extractor, source=str(link.location), text=mention.text)
    report.file(link.location.file).duplicates_merged += 1


def write_outputs(graph: KnowledgeGraph, report: Report, out_dir: Path, skip: Iterable[str] = (),
                  progress: Progress | None = None) -> dict[str, Path]:
    """Run every output writer not skipped, then write report.json."""
    progress = progress or Silent()
    out_dir.mkdir(parents=True, exist_ok=True)
    chosen = [name for name in OUTPUTS if name not in set(skip)]
    progress.phase("writing", len(chosen))
    written = {}
    for name in chosen:
        written[name] = OUTPUTS[name](graph, out_dir)
        progress.advance()
    with atomic_write(out_dir / "report.json") as fh:
        fh.write(dumps(report.to_json()))
    written["report"] = out_dir / "report.json"
    return written


def build(inputs: Iterable[str], out_dir: str | Path | None = None, *, fmt: str | None = None,
          skip: Iterable[str] = (), on_issue: OnIssue | None = None,
          progress: Progress | None = None) -> BuildResult:
    """Build the graph from `inputs`; with `out_dir`, write every output there."""
    report = Report()
    papers, links = read_papers(inputs, report, fmt, on_issue, progress)
    graph = assemble(papers, links, report, on_issue, progress)
    result = BuildResult(graph, report)
    if out_dir is not None:
        result.written = write_outputs(graph, report, Path(out_dir), skip, progress)
    return result
