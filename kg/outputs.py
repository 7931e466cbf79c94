"""What `kg build` writes into its output folder: one named writer per rendering.

Each writer takes the graph and the output folder and returns the path it wrote. Later stages
add their renderings here (Turtle, Neo4j CSV, HTML site)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kg.export import json_graph
from kg.graph import KnowledgeGraph

Writer = Callable[[KnowledgeGraph, Path], Path]

OUTPUTS: dict[str, Writer] = {
    "json": lambda graph, out: json_graph.write_json(graph, out / "graph.json"),
    "graphml": lambda graph, out: json_graph.write_graphml(graph, out / "graph.graphml"),
}
