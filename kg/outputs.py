"""What `kg build` writes into its output folder: one named writer per rendering.

Each writer takes the graph and the output folder and returns the path it wrote. They start in
this order, the longest first as measured up to 100,000 papers (at 1,000,000 Turtle is the longest
and the site, whose pages stop at 10,000, the shortest), so that with writers run side by side the
short ones fill in around the long ones."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kg.export import graphml, json_graph
from kg.export.neo4j_csv import write_neo4j_csv
from kg.graph import KnowledgeGraph
from kg.rdf.export import write_rdf
from kg.views.site import write_site

Writer = Callable[[KnowledgeGraph, Path], Path]

OUTPUTS: dict[str, Writer] = {
    "site": lambda graph, out: write_site(graph, out / "site"),
    "rdf": lambda graph, out: write_rdf(graph, out / "graph.ttl"),
    "neo4j-csv": lambda graph, out: write_neo4j_csv(graph, out / "neo4j"),
    "graphml": lambda graph, out: graphml.write_graphml(graph, out / "graph.graphml"),
    "json": lambda graph, out: json_graph.write_json(graph, out / "graph.json"),
}
