"""Extraction throughput on one core: papers per second over the sample listings' abstracts.

Usage: python scripts/bench_extract.py [--repeat N] [--json]
Reads examples/, de-duplicates, and times `extract_paper` over every paper N times in this process
and reports the median pass (the machine's speed varies from pass to pass)
(after `kg.extract.prepare`, as `kg build` runs it, and one warm-up pass). The rate is per CPU second of this process,
so it holds on a busy machine."""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from kg import build_kind
from kg.build import read_papers
from kg.extract import extract_paper, prepare
from kg.report import Report

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="passes over the sample papers")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()
    index, _ = read_papers([str(ROOT / "examples")], Report())
    papers = list(index)
    prepare()
    for paper in papers:
        extract_paper(paper)
    wall, mentions, rates = time.perf_counter(), 0, []
    for _ in range(args.repeat):
        cpu = time.process_time()
        for paper in papers:
            mentions += len(extract_paper(paper).mentions)
        rates.append(len(papers) / (time.process_time() - cpu))
    wall = time.perf_counter() - wall
    result = {
        "papers": len(papers) * args.repeat,
        "seconds": round(wall, 3),
        "papers_per_second": round(statistics.median(rates), 1),
        "best_pass": round(max(rates), 1),
        "worst_pass": round(min(rates), 1),
        "mentions_per_paper": round(mentions / (len(papers) * args.repeat), 2),
        "build": build_kind(),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{result['papers']} papers in {result['seconds']} s: {result['papers_per_second']} papers per CPU "
              f"second (median of {args.repeat} passes; best {result['best_pass']}, worst {result['worst_pass']}; "
              f"{result['mentions_per_paper']} mentions per paper; {result['build']})")


if __name__ == "__main__":
    main()
