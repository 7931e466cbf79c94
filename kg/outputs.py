"""What `kg build` writes into its output folder: one named writer per rendering.

Each writer takes the graph and the output folder and returns the path it wrote. They start in
this order, the longest first as measured up to 100,000 papers (at 1,000,000 Turtle is the longest
and the site, whose pages stop at 10,000, the shortest), so that with writers run side by side the
short ones fill in around the long ones."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from kg.graph import KnowledgeGraph

Writer = Callable[[KnowledgeGraph, Path], Path]


def _writer(module: str, function: str, name: str) -> Writer:
    """`module.function(graph, out / name)`, the module imported when the writer first runs: most of
    what imports the build (`kg extract`, the readers) writes nothing, and the writers' libraries
    (pyvis, rdflib's SPARQL) are slow to import."""
    def write(graph: KnowledgeGraph, out: Path) -> Path:
        written: Path = getattr(importlib.import_module(module), function)(graph, out / name)
        return written
    return write


OUTPUTS: dict[str, Writer] = {
    "site": _writer("kg.views.site", "write_site", "site"),
    "rdf": _writer("kg.rdf.export", "write_rdf", "graph.ttl"),
    "neo4j-csv": _writer("kg.export.neo4j_csv", "write_neo4j_csv", "neo4j"),
    "graphml": _writer("kg.export.graphml", "write_graphml", "graph.graphml"),
    "json": _writer("kg.export.json_graph", "write_json", "graph.json"),
}
