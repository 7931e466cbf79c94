"""RDF rendering: the papers-kg vocabulary and SHACL shapes (data files beside this module),
Turtle/JSON-LD via rdflib, streamed N-Triples, SHACL validation and SPARQL named questions."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

VOCABULARY_FILE: Traversable = files(__name__) / "papers-kg.ttl"
SHAPES_FILE: Traversable = files(__name__) / "shapes.ttl"
QUERIES_DIR: Traversable = files(__name__) / "queries"
