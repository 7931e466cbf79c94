"""What `kg build` writes into its output folder: one named writer per rendering.

Each writer takes the graph, the output folder and the jobs the build was given, and returns the
path it wrote; the site shares its pages among that many processes, the others write in one. They
start in this order, the longest first as measured up to 100,000 papers (at 1,000,000 Turtle is the
longest and the site, whose pages stop at 10,000, the shortest), so that with writers run side by
side the short ones fill in around the long ones."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from kg.graph import KnowledgeGraph

Writer = Callable[[KnowledgeGraph, Path, int], Path]


def _writer(module: str, function: str, name: str, parallel: bool = False) -> Writer:
    """`module.function(graph, out / name)`, and `jobs=jobs` when the writer is `parallel`; the
    module imported when the writer first runs: most of what imports the build (`kg extract`, the
    readers) writes nothing, and the writers' libraries (pyvis, rdflib's SPARQL) are slow to import."""
    def write(graph: KnowledgeGraph, out: Path, jobs: int) -> Path:
        options = {"jobs": jobs} if parallel else {}
        written: Path = getattr(importlib.import_module(module), function)(graph, out / name, **options)
        return written
    return write


OUTPUTS: dict[str, Writer] = {
    "site": _writer("kg.views.site", "write_site", "site", parallel=True),
    "rdf": _writer("kg.rdf.export", "write_rdf", "graph.ttl"),
    "neo4j-csv": _writer("kg.export.neo4j_csv", "write_neo4j_csv", "neo4j"),
    "graphml": _writer("kg.export.graphml", "write_graphml", "graph.graphml"),
    "json": _writer("kg.export.json_graph", "write_json", "graph.json"),
}
