"""Extraction throughput on one core: papers per second over the sample listings' abstracts.

Usage: python scripts/bench_extract.py [--repeat N] [--json]
Reads examples/, de-duplicates, and times `extract_paper` over every paper N times in this process
(after one warm-up pass that builds the automaton). The rate is per CPU second of this process,
so it holds on a busy machine."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from kg.build import read_papers
from kg.extract import extract_paper
from kg.report import Report

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="passes over the sample papers")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()
    papers, _ = read_papers([str(ROOT / "examples")], Report())
    papers = list(papers)
    for paper in papers:
        extract_paper(paper)
    wall, cpu = time.perf_counter(), time.process_time()
    mentions = 0
    for _ in range(args.repeat):
        for paper in papers:
            mentions += len(extract_paper(paper).mentions)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    result = {
        "papers": len(papers) * args.repeat,
        "seconds": round(wall, 3),
        "cpu_seconds": round(cpu, 3),
        "papers_per_second": round(len(papers) * args.repeat / cpu, 1),
        "mentions_per_paper": round(mentions / (len(papers) * args.repeat), 2),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{result['papers']} papers in {result['cpu_seconds']} CPU s ({result['seconds']} s wall): "
              f"{result['papers_per_second']} papers per CPU second ({result['mentions_per_paper']} mentions per paper)")


if __name__ == "__main__":
    main()
