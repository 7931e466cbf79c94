"""Benchmark the Neo4j renderings on the seed graph scaled up (copies with id suffixes):
load throughput over Bolt into a FalkorDB server this script starts (the test server; its ~4 KB
message limit caps batches), and the bulk-import CSV export rate.

Usage: .venv/bin/python scripts/bench_neo4j.py [--load-copies 4] [--csv-copies 50]"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.build import build  # noqa: E402
from kg.export.neo4j_csv import write_neo4j_csv  # noqa: E402
from kg.export.neo4j_load import BatchLimits, load  # noqa: E402
from kg.graph import KnowledgeGraph  # noqa: E402
from kg.schema import LABELS  # noqa: E402
from tests.bolt_server import BoltServer  # noqa: E402
from tests.neo4j_support import clear  # noqa: E402


def scaled(graph: KnowledgeGraph, copies: int) -> KnowledgeGraph:
    """`copies` disjoint copies of the graph; copy i has ids suffixed with `-i` (prefixes stay valid)."""
    big = KnowledgeGraph()
    for copy in range(copies):
        big.g.add_nodes_from((f"{node}-{copy}", dict(data)) for node, data in graph.g.nodes(data=True))
        big.g.add_edges_from((f"{start}-{copy}", f"{end}-{copy}", key, dict(data))
                             for start, end, key, data in graph.g.edges(keys=True, data=True))
    return big


def size(graph: KnowledgeGraph) -> str:
    return f"{graph.g.number_of_nodes()} nodes + {graph.g.number_of_edges()} relationships"


def bench_load(graph: KnowledgeGraph, copies: int, workdir: Path) -> None:
    server = BoltServer(workdir / "falkordb")
    server.start()
    try:
        with server.driver() as driver:
            big = scaled(graph, copies)
            conn = server.connection()
            limits = BatchLimits(rows=1000, bytes=3500)
            for indexed in (False, True):
                clear(driver)
                if indexed:
                    for label in LABELS:
                        driver.execute_query(f"CREATE INDEX FOR (n:{label}) ON (n.id)")
                result = load(big, driver, conn, limits=limits)
                again = load(big, driver, conn, limits=limits)
                print(f"load x{copies} ({size(big)}), {'with' if indexed else 'without'} an index on id: "
                      f"{result.rows} rows in {result.batches} batches, "
                      f"{result.seconds:.2f} s = {result.rate:,.0f} rows/s; "
                      f"reload (no change) {again.rate:,.0f} rows/s")
    finally:
        server.stop()


def bench_csv(graph: KnowledgeGraph, copies: int, workdir: Path) -> None:
    big = scaled(graph, copies)
    rows = big.g.number_of_nodes() + big.g.number_of_edges()
    started = time.perf_counter()
    out = write_neo4j_csv(big, workdir / "csv")
    seconds = time.perf_counter() - started
    megabytes = sum(path.stat().st_size for path in out.glob("*.csv")) / 1e6
    print(f"csv x{copies} ({size(big)}): {seconds:.2f} s = {rows / seconds:,.0f} rows/s, "
          f"{megabytes / seconds:.1f} MB/s ({megabytes:.1f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--load-copies", type=int, default=4)
    parser.add_argument("--csv-copies", type=int, default=50)
    args = parser.parse_args()
    seed = build([str(ROOT / "examples")]).graph
    print(f"seed graph: {size(seed)}")
    with tempfile.TemporaryDirectory() as tmp:
        bench_load(seed, args.load_copies, Path(tmp))
        bench_csv(seed, args.csv_copies, Path(tmp))


if __name__ == "__main__":
    main()
