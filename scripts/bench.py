"""Scale benchmark: for each corpus size, extraction papers/s per core (and the spaCy PhraseMatcher
baseline over the same name lists beside it, as a speed ratio), end-to-end `kg build` wall time
and peak memory, and the rate of each writer; printed as a table and as JSON.

Usage: python scripts/bench.py [--sizes 10k,100k,1m] [--jobs 2] [--work DIR] [--json FILE]
                               [--sample 2000] [--repeat 5] [--skip OUTPUT ...] [--format F] [--no-ntriples]

Corpora come from scripts/gen_corpus.py (seed 0), made once in the work folder. Extraction speed is
measured on one core in this process over the first `--sample` papers of the corpus (after a
warm-up; `--repeat` runs, alternating with spaCy's, and the median of each is reported), spaCy
(`spacy.blank("en")`, `PhraseMatcher(attr="LOWER")` over every spelling of
`kg.extract.gazetteer.curated_entries()`) over the same texts. The build runs in a child process
(`kg.build.build` with `--jobs`), watched every half second: peak RSS is the largest resident set of
its biggest process (what `getrusage` reports), peak PSS the largest sum over the process tree of
proportional set sizes (shared pages counted once). Writer rates come from the build's own timing of
each writer; N-Triples, which `kg build` does not write, is timed after the build in the same child
over the built graph: the build's wall time ("build s", `build_wall_s`) is that of `kg.build.build`
alone, the child's whole run (`process_wall_s`) includes N-Triples. Each writer's process is named
after it (`kg-site`, ...), so the peak RSS and PSS of every process are reported too (`build` the
build's own, pool workers by their program name). Needs the `bench` extra (spacy) and psutil.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import gen_corpus  # noqa: E402  (a sibling script)

from kg import build_kind  # noqa: E402
from kg.outputs import Writer  # noqa: E402

DEFAULT_SIZES = "10k,100k,1m"
PR_SET_NAME = 15
WRITER_FILES = {"json": "graph.json", "graphml": "graph.graphml", "neo4j-csv": "neo4j", "rdf": "graph.ttl",
                "site": "site", "ntriples": "graph.nt"}


@dataclass
class Result:
    papers: int
    jobs: int
    extraction_papers_per_s_per_core: float = 0.0
    spacy_papers_per_s: float = 0.0
    speed_ratio_vs_spacy: float = 0.0
    build_wall_s: float = 0.0
    """`kg build` itself, from reading to the last output written."""
    process_wall_s: float = 0.0
    """The benchmark's child process: start-up, the build, then N-Triples when timed."""
    stages_s: dict[str, float] = field(default_factory=dict)
    peak_rss_mb: float = 0.0
    peak_pss_mb: float = 0.0
    processes: dict[str, dict[str, float]] = field(default_factory=dict)
    """process name -> peak RSS and PSS in MB"""
    writers: dict[str, dict[str, float]] = field(default_factory=dict)
    """writer -> papers/s, MB/s, seconds, MB"""
    skipped: list[str] = field(default_factory=list)


def parse_size(text: str) -> int:
    text = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


def corpus(size: int, work: Path, fmt: str, first: int = 0) -> Path:
    """The generated corpus of `size` papers from paper `first` on (made once)."""
    folder = work / (f"corpus-{fmt}-{size}" + (f"-from-{first}" if first else ""))
    done = folder / ".complete"
    if not done.exists():
        print(f"generating {size:,} papers in {folder} ...", file=sys.stderr)
        for _ in gen_corpus.generate(size, folder, fmt, seed=0, first=first):
            pass
        done.write_text("ok\n")
    return folder


def sample_texts(folder: Path, count: int) -> list[Any]:
    from kg.build import read_papers
    from kg.report import Report

    papers, _ = read_papers([str(path) for path in sorted(folder.iterdir()) if not path.name.startswith(".")][:1],
                            Report())
    return list(papers)[:count]


def extraction_rate(papers: list[Any]) -> float:
    from kg.extract import extract_paper, prepare

    prepare()
    for paper in papers[:50]:
        extract_paper(paper)
    start = time.process_time()
    for paper in papers:
        extract_paper(paper)
    return len(papers) / (time.process_time() - start)


def spacy_rate(papers: list[Any]) -> float:
    """The baseline a user would write: spaCy's PhraseMatcher over the same name lists."""
    import spacy
    from spacy.matcher import PhraseMatcher

    from kg.extract import document_for
    from kg.extract.gazetteer import curated_entries

    nlp = spacy.blank("en")
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for entry in curated_entries():
        matcher.add(entry.id, [nlp.make_doc(spelling) for spelling in entry.spellings])
    texts = [document_for(paper).text for paper in papers]
    for text in texts[:50]:
        matcher(nlp.make_doc(text))
    start = time.process_time()
    for text in texts:
        matcher(nlp.make_doc(text))
    return len(texts) / (time.process_time() - start)


def rates(papers: list[Any], repeat: int) -> tuple[float, float]:
    """Median extraction and spaCy rates over `repeat` alternating runs: the first run in a fresh
    process is the slowest, and one run of 2,000 papers moves a few percent from run to run."""
    runs = [(extraction_rate(papers), spacy_rate(papers)) for _ in range(repeat)]
    return statistics.median(ours for ours, _ in runs), statistics.median(theirs for _, theirs in runs)


class Watch:
    """Peak RSS (largest process) and peak PSS (sum over the tree) of a running process tree, and
    the peaks of each process name."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.root = psutil.Process(process.pid)
        self.rss = self.pss = 0
        self.by_name: dict[str, tuple[int, int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            try:
                tree = [self.root, *self.root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            rss = pss = 0
            for proc in tree:
                try:
                    info = proc.memory_full_info()
                    name = "build" if proc.pid == self.root.pid else proc.name()
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                rss = max(rss, info.rss)
                pss += getattr(info, "pss", info.rss)
                known = self.by_name.get(name, (0, 0))
                self.by_name[name] = (max(known[0], info.rss), max(known[1], getattr(info, "pss", info.rss)))
            self.rss, self.pss = max(self.rss, rss), max(self.pss, pss)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run_build(folder: Path, out: Path, jobs: int, skip: list[str],
              ntriples: bool) -> tuple[dict[str, Any], float, Watch]:
    command = [sys.executable, __file__, "--child", str(folder), str(out), "--jobs", str(jobs),
               *(arg for name in skip for arg in ("--skip", name)), *([] if ntriples else ["--no-ntriples"])]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    watch = Watch(process)
    stdout, _ = process.communicate()
    wall = time.perf_counter() - start
    watch.stop()
    if process.returncode:
        raise SystemExit(f"the build failed (exit {process.returncode})")
    return json.loads(stdout), wall, watch


def child(folder: str, out: str, jobs: int, skip: list[str], ntriples: bool) -> None:
    """In the child: build, then (unless told not to) time the N-Triples writer over the graph;
    print the timings."""
    from kg.build import build
    from kg.outputs import OUTPUTS
    from kg.rdf.ntriples import dump
    from kg.rdf.triples import triples

    for name, writer in OUTPUTS.items():
        OUTPUTS[name] = named(f"kg-{name}", writer)
    start = time.perf_counter()
    result = build([folder], out, jobs=jobs, skip=skip)
    seconds = {**result.seconds, "build": time.perf_counter() - start}
    if ntriples:
        start = time.perf_counter()
        with open(Path(out) / WRITER_FILES["ntriples"], "w", encoding="utf-8") as fh:
            dump(triples(result.graph), fh)
        seconds["ntriples"] = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "counts": result.report.counts, "papers": result.papers}))


def named(name: str, writer: Writer) -> Writer:
    """`writer`, first naming the process it runs in (Linux; as `ps` and psutil show it, and the
    processes it forks inherit the name)."""
    def run(graph: Any, out: Path, jobs: int) -> Path:
        if sys.platform == "linux":
            ctypes.CDLL(None).prctl(PR_SET_NAME, name.encode()[:15], 0, 0, 0)
        return writer(graph, out, jobs)
    return run


def size_mb(path: Path) -> float:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6
    return path.stat().st_size / 1e6 if path.exists() else 0.0


def bench(size: int, work: Path, jobs: int, sample: int, repeat: int, skip: list[str] | None, fmt: str,
          ntriples: bool) -> Result:
    folder = corpus(size, work, fmt)
    skip = skip or []
    result = Result(papers=size, jobs=jobs, skipped=skip)
    papers = sample_texts(folder, min(sample, size))
    result.extraction_papers_per_s_per_core, result.spacy_papers_per_s = rates(papers, repeat)
    result.speed_ratio_vs_spacy = result.extraction_papers_per_s_per_core / result.spacy_papers_per_s
    out = work / f"out-{fmt}-{size}"
    print(f"building {size:,} papers into {out} with {jobs} jobs ...", file=sys.stderr)
    timings, result.process_wall_s, watch = run_build(folder, out, jobs, skip, ntriples)
    result.peak_rss_mb, result.peak_pss_mb = watch.rss / 1e6, watch.pss / 1e6
    result.processes = {name: {"rss_mb": rss / 1e6, "pss_mb": pss / 1e6} for name, (rss, pss) in watch.by_name.items()}
    seconds = timings["seconds"]
    result.build_wall_s = seconds["build"]
    result.stages_s = {stage: seconds[stage] for stage in ("read", "extract", "link") if stage in seconds}
    for name, spent in seconds.items():
        if name in WRITER_FILES:
            megabytes = size_mb(out / WRITER_FILES[name])
            result.writers[name] = {"papers_per_s": timings["papers"] / spent, "mb_per_s": megabytes / spent,
                                    "seconds": spent, "mb": megabytes}
    return result


def table(results: list[Result]) -> str:
    writers = sorted({name for r in results for name in r.writers})
    head = ["papers", "extract p/s/core", "spaCy p/s", "ratio", "build s", "peak RSS MB", "peak PSS MB",
            *(f"{w} p/s (MB/s)" for w in writers)]
    rows = [[f"{r.papers:,}", f"{r.extraction_papers_per_s_per_core:,.0f}", f"{r.spacy_papers_per_s:,.0f}",
             f"{r.speed_ratio_vs_spacy:.2f}x", f"{r.build_wall_s:,.0f}", f"{r.peak_rss_mb:,.0f}",
             f"{r.peak_pss_mb:,.0f}",
             *(f"{r.writers[w]['papers_per_s']:,.0f} ({r.writers[w]['mb_per_s']:.1f})" if w in r.writers else "-"
               for w in writers)] for r in results]
    return grid(head, rows)


def grid(head: list[str], rows: list[list[str]], align: Callable[[str, int], str] = str.rjust) -> str:
    """A plain-text table: `head`, a rule, then `rows`, columns as wide as their widest cell."""
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]
    lines = [" | ".join(align(cell, width) for cell, width in zip(row, widths, strict=True)) for row in [head, *rows]]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="comma-separated corpus sizes (k, m suffixes)")
    parser.add_argument("--jobs", type=int, default=2, help="kg build --jobs")
    parser.add_argument("--work", type=Path, default=ROOT / ".cache" / "bench", help="corpora and outputs")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--sample", type=int, default=2000, help="papers for the one-core extraction rates")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each one-core rate (the median is reported)")
    parser.add_argument("--skip", action="append", help="outputs kg build skips (default: none)")
    parser.add_argument("--format", dest="fmt", default="arxiv-jsonl", choices=sorted(gen_corpus.WRITERS))
    parser.add_argument("--no-ntriples", dest="ntriples", action="store_false",
                        help="do not time N-Triples after the build (kg build does not write them)")
    parser.add_argument("--child", nargs=2, metavar=("CORPUS", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.jobs, args.skip or [], args.ntriples)
        return
    print(f"kg: {build_kind()}", file=sys.stderr)
    results = []
    for size in map(parse_size, args.sizes.split(",")):
        results.append(bench(size, args.work, args.jobs, args.sample, args.repeat, args.skip, args.fmt,
                             args.ntriples))
        print(table(results), file=sys.stderr)
        print(json.dumps(results[-1].processes), file=sys.stderr)
    document = {"build": build_kind(), "results": [asdict(r) for r in results]}
    print(table(results))
    print(json.dumps(document, indent=1))
    if args.json:
        args.json.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
