"""`kg build --from-mentions DIR`: the graph and its outputs from the extraction records the Spark
job wrote (`kg.spark_job`), without reading listings or extracting.

DIR holds `papers/part-*` (one record per merged paper, `kg.records`, in paper creation order
across the part files in name order), `links/part-*` (code links, attached after all papers as a
build attaches them) and `report/part-*` (what was read, kept, merged and rejected per input file,
before code links)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from kg.build import BuildResult, Clock, OnIssue, add_papers, attach_links, new_graph, write_outputs
from kg.extract import Extraction
from kg.progress import Progress
from kg.records import RecordError, link_from_json, part_files, read_records
from kg.report import Report
from kg.resolve.papers import MergedPaper, PaperIndex

PAPERS, LINKS, REPORT = "papers", "links", "report"


def _lines(files: list[Path]) -> Iterator[str]:
    for path in files:
        with path.open(encoding="utf-8") as fh:
            yield from (line for line in fh if line.strip())


def build_from_mentions(source: str | Path, out_dir: str | Path | None = None, *, skip: tuple[str, ...] = (),
                        on_issue: OnIssue | None = None, progress: Progress | None = None, jobs: int = 1,
                        spill: bool | None = None) -> BuildResult:
    """Assemble the graph from the Spark job's folder `source` and write the outputs to `out_dir`;
    RecordError when it is not such a folder or a line is not a full record."""
    source = Path(source)
    if not all((source / part).is_dir() for part in (PAPERS, LINKS, REPORT)):
        raise RecordError(f"{source} is not the output of the Spark job (papers/, links/ and report/ folders)")
    files = part_files(source / PAPERS)
    saved = next(_lines(part_files(source / REPORT)), None)
    if saved is None:
        raise RecordError(f"{source / REPORT} holds no report")
    report = Report.from_json(json.loads(saved))
    index = PaperIndex()

    def records() -> Iterator[tuple[MergedPaper, Extraction]]:
        for path in files:
            for paper, extraction in read_records(path):
                index.insert(paper)
                yield paper, extraction

    clock = Clock()
    total = sum(1 for _ in _lines(files))
    graph = new_graph(total, spill)
    add_papers(graph, records(), total, progress)
    clock.lap("assemble")
    attach_links(graph, index, (link_from_json(json.loads(line)) for line in _lines(part_files(source / LINKS))),
                 report, on_issue)
    clock.lap("link")
    result = BuildResult(graph, report, seconds=clock.seconds)
    if out_dir is not None:
        result.written = write_outputs(graph, report, Path(out_dir), skip, progress, jobs, result.seconds)
    return result
