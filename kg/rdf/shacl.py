"""SHACL validation of an RDF export against the shipped shapes (pyshacl)."""

from __future__ import annotations

from dataclasses import dataclass

from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from kg.rdf import SHAPES_FILE


@dataclass(frozen=True)
class Violation:
    """One SHACL result: the failing node (full IRI), the property path, the message, the severity."""

    focus: str
    path: str
    message: str
    severity: str


def shapes_graph() -> Graph:
    """The shapes shipped in kg/rdf/shapes.ttl."""
    return Graph().parse(data=SHAPES_FILE.read_text(encoding="utf-8"), format="turtle")


def validate(data: Graph, shapes: Graph | None = None) -> list[Violation]:
    """Every SHACL result for `data`, sorted; empty when it conforms. SPARQL-based targets need
    pyshacl's advanced mode."""
    _, results, text = shacl_validate(data, shacl_graph=shapes or shapes_graph(), inference="none",
                                      advanced=True, allow_warnings=False)
    if not isinstance(results, Graph):
        raise ValueError(f"the shapes could not be applied: {text}")
    found = [
        Violation(
            focus=str(results.value(result, SH.focusNode)),
            path=_short(results, results.value(result, SH.resultPath)),
            message=str(results.value(result, SH.resultMessage) or ""),
            severity=_short(results, results.value(result, SH.resultSeverity)).removeprefix("sh:"),
        )
        for result in results.subjects(SH.resultSeverity, None)
    ]
    return sorted(found, key=lambda v: (v.focus, v.path, v.message))


def _short(graph: Graph, term: Node | None) -> str:
    """A prefixed name for an IRI (dcterms:title), the plain text otherwise (complex paths)."""
    if term is None:
        return ""
    return graph.namespace_manager.normalizeUri(term) if isinstance(term, URIRef) else str(term)
