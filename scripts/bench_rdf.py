"""Benchmark the RDF export: triple counts of the seed graph by kind, then the streamed N-Triples
write rate on the seed graph replicated until it reaches about --triples triples.

    .venv/bin/python scripts/bench_rdf.py [--graph OUT/graph.json] [--triples 1000000]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from kg.build import build
from kg.graph import KnowledgeGraph
from kg.rdf.export import to_rdflib
from kg.rdf.ntriples import write_ntriples
from kg.rdf.triples import triples
from kg.rdf.vocab import DEFAULT_BASE, RDF_TYPE, relation_iri
from kg.schema import REL_TYPES

ROOT = Path(__file__).resolve().parent.parent
RELATION_IRIS = {relation_iri(rel) for rel in REL_TYPES}
STATEMENT_STRUCTURE = {RDF_TYPE,
                       *(f"http://www.w3.org/1999/02/22-rdf-syntax-ns#{p}" for p in ("subject", "predicate", "object"))}


def kinds(graph: KnowledgeGraph) -> Counter[str]:
    """Triples by kind: node types and properties, direct edges, reification, edge provenance."""
    counts: Counter[str] = Counter()
    statements = DEFAULT_BASE + "statement/"
    for subject, predicate, _ in triples(graph):
        if subject.startswith(statements):
            counts["reification (rdf:Statement, subject, predicate, object)" if predicate in STATEMENT_STRUCTURE
                   else "edge provenance (on statements)"] += 1
        elif predicate in RELATION_IRIS:
            counts["direct edges"] += 1
        else:
            counts["node types" if predicate == RDF_TYPE else "node properties"] += 1
    return counts


def replicate(graph: KnowledgeGraph, copies: int) -> KnowledgeGraph:
    """`copies` disjoint copies of the graph, ids suffixed `~k` (same labels, same properties)."""
    big = KnowledgeGraph()
    for k in range(copies):
        for node_id, data in graph.g.nodes(data=True):
            big.g.add_node(f"{node_id}~{k}", **data)
        for start, end, key, data in graph.g.edges(keys=True, data=True):
            big.g.add_edge(f"{start}~{k}", f"{end}~{k}", key=key, **data)
    return big


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, help="graph.json to start from (default: build examples/)")
    parser.add_argument("--triples", type=int, default=1_000_000, help="size to scale up to (default 1M)")
    args = parser.parse_args()
    seed = KnowledgeGraph.load(args.graph) if args.graph else build([str(ROOT / "examples")]).graph

    counts = kinds(seed)
    total = sum(counts.values())
    print(f"seed graph: {seed.g.number_of_nodes()} nodes, {seed.g.number_of_edges()} edges, {total} triples")
    for kind, n in counts.most_common():
        print(f"  {kind:<58} {n:>9}")
    started = time.perf_counter()
    in_memory = len(to_rdflib(seed))
    print(f"  rdflib Graph of the seed: {in_memory} triples in {time.perf_counter() - started:.2f}s")

    copies = max(1, round(args.triples / total))
    big = replicate(seed, copies)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.nt"
        started, cpu = time.perf_counter(), time.process_time()
        written = write_ntriples(big, path)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        size = path.stat().st_size
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"scaled graph: {copies} copies, {big.g.number_of_nodes()} nodes, {big.g.number_of_edges()} edges")
    print(f"N-Triples (streamed): {written} triples, {size / 1e6:.0f} MB in {seconds:.1f}s wall "
          f"({cpu:.1f}s CPU) = {written / seconds:,.0f} triples/s; peak RSS of the process {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
