"""The graph written as Turtle or N-Triples (streamed) or JSON-LD (through rdflib), and read back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef

from kg.atomic import atomic_write
from kg.graph import KnowledgeGraph
from kg.rdf.iris import prefixes
from kg.rdf.ntriples import write_ntriples
from kg.rdf.triples import Lit, triples
from kg.rdf.turtle import write_turtle
from kg.rdf.vocab import DEFAULT_BASE

# --format name -> (rdflib format, file suffixes it is guessed from)
FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    "turtle": ("turtle", (".ttl", ".turtle")),
    "nt": ("nt", (".nt",)),
    "jsonld": ("json-ld", (".jsonld", ".json-ld")),
}


STREAMED = {"nt": write_ntriples, "turtle": write_turtle}
"""Formats written triple by triple from the graph, without an rdflib Graph in memory."""


class RdfError(ValueError):
    """An RDF file that cannot be read."""


def to_rdflib(graph: KnowledgeGraph, base: str = DEFAULT_BASE) -> Graph:
    """The graph as an rdflib Graph with the project's prefixes bound (`kg.rdf.iris.prefixes`)."""
    out = Graph(bind_namespaces="none")
    for prefix, namespace in prefixes(base).items():
        out.bind(prefix, namespace)
    iris: dict[str, URIRef] = {}

    def iri(text: str) -> URIRef:
        term = iris.get(text)
        if term is None:
            term = iris[text] = URIRef(text)
        return term

    for subject, predicate, obj in triples(graph, base):
        rendered = Literal(obj.text, datatype=obj.datatype and iri(obj.datatype)) if isinstance(obj, Lit) else iri(obj)
        out.add((iri(subject), iri(predicate), rendered))
    return out


def format_for(path: str | Path, default: str = "turtle") -> str:
    """The --format name a file suffix implies."""
    suffix = Path(path).suffix.lower()
    return next((name for name, (_, suffixes) in FORMATS.items() if suffix in suffixes), default)


def write_rdf(graph: KnowledgeGraph, path: str | Path, fmt: str = "turtle", base: str = DEFAULT_BASE) -> Path:
    """Write the graph as `fmt` (turtle, nt, jsonld) to `path`, atomically; Turtle and N-Triples
    are streamed."""
    path = Path(path)
    if fmt in STREAMED:
        STREAMED[fmt](graph, path, base)
        return path
    rdflib_format = FORMATS[fmt][0]
    extra: dict[str, Any] = {"context": prefixes(base), "indent": 1} if fmt == "jsonld" else {}
    text = to_rdflib(graph, base).serialize(format=rdflib_format, **extra)
    with atomic_write(path) as fh:
        fh.write(text)
    return path


def load_rdf(path: str | Path, base: str = DEFAULT_BASE) -> Graph:
    """An rdflib Graph from a .ttl/.nt/.jsonld file, or from a graph.json exported in memory."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        return to_rdflib(KnowledgeGraph.load(path), base)
    out = Graph(bind_namespaces="none")
    try:
        out.parse(path, format=FORMATS[format_for(path)][0])
    except FileNotFoundError as exc:
        raise RdfError(f"{path}: no such file") from exc
    except Exception as exc:  # rdflib parsers raise many unrelated types on bad input
        raise RdfError(f"{path}: not valid {format_for(path)} ({exc})") from exc
    return out
