"""Incremental build benchmark: `kg build --keep-state` of a base corpus, then `kg build --update`
with a disjoint corpus of new papers, and beside them a full build of both, each timed by stage.

Usage: python scripts/bench_update.py [--base 100k] [--new 1k] [--jobs 2] [--work DIR] [--json FILE] [--no-full]

An update reads, extracts and assembles only the new papers (into the graph the state keeps), then
attaches code links and writes every output again: graph.json, graph.ttl, graph.graphml and the Neo4j
CSV files copy the papers that did not change from the earlier files, and the site counts them from
what it kept and renders its pages again. The table shows each stage's seconds so both parts can be
read. Corpora come from scripts/gen_corpus.py (seed 0), made
once in the work folder; the base is the one scripts/bench.py uses for the same size.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import bench  # noqa: E402  (a sibling script)

from kg import build_kind  # noqa: E402
from kg.build import BuildResult, build  # noqa: E402
from kg.incremental import update  # noqa: E402

FORMAT = "arxiv-jsonl"


def timed(run: Callable[[], BuildResult]) -> dict[str, float]:
    """Wall seconds of `run` and of each stage it reports."""
    start = time.perf_counter()
    result = run()
    return {"wall": time.perf_counter() - start, **result.seconds}


def table(runs: dict[str, dict[str, float]]) -> str:
    stages = list(dict.fromkeys(stage for seconds in runs.values() for stage in seconds))
    head = ["run", *stages]
    rows = [[name, *(f"{seconds[s]:.1f}" if s in seconds else "-" for s in stages)] for name, seconds in runs.items()]
    return bench.grid(head, rows, str.ljust)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="100k", help="papers built first, with --keep-state")
    parser.add_argument("--new", default="1k", help="new papers added with --update")
    parser.add_argument("--jobs", type=int, default=2, help="kg build --jobs")
    parser.add_argument("--work", type=Path, default=ROOT / ".cache" / "bench", help="corpora and outputs")
    parser.add_argument("--json", type=Path, help="also write the seconds here")
    parser.add_argument("--no-full", dest="full", action="store_false",
                        help="leave out the full build of both corpora (at 1m it takes as long as the build kept)")
    args = parser.parse_args(argv)
    size, added = bench.parse_size(args.base), bench.parse_size(args.new)
    base = str(bench.corpus(size, args.work, FORMAT))
    new = str(bench.corpus(added, args.work, FORMAT, first=size))
    kept, full = args.work / "out-update", args.work / "out-update-full"
    print(f"kg: {build_kind()}; {size:,} papers, then {added:,} new, {args.jobs} jobs", file=sys.stderr)
    runs = {
        f"build --keep-state ({size:,})": lambda: build([base], kept, keep_state=True, jobs=args.jobs),
        f"build --update (+{added:,})": lambda: update(kept, [new], jobs=args.jobs),
    }
    if args.full:
        runs[f"build ({size + added:,})"] = lambda: build([base, new], full, jobs=args.jobs)
    seconds = {}
    for name, run in runs.items():
        print(f"{name} ...", file=sys.stderr)
        seconds[name] = timed(run)
    for out in (kept, full):
        shutil.rmtree(out, ignore_errors=True)
    print(table(seconds))
    if args.json:
        args.json.write_text(json.dumps(seconds, indent=1) + "\n")


if __name__ == "__main__":
    main()
