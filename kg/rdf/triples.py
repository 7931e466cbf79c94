"""The graph as a stream of RDF triples, the one mapping every RDF rendering shares.

Every edge becomes a direct triple plus an rdf:Statement (standard RDF reification) that carries its
provenance. Reification rather than a qualified-relation pattern because it is one generic shape
for all seven relationship types, needs no extra class per type, works in any SPARQL 1.1 store
(no RDF-star), and the direct triple stays for simple queries."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from kg.graph import KnowledgeGraph
from kg.rdf.iris import Minter, arxiv_iri, is_absolute, safe_iri
from kg.rdf.vocab import (DEFAULT_BASE, EDGE_SKIP, EXTRA_TYPES, IDENTIFIER, NODE_SKIP, RDF_OBJECT, RDF_PREDICATE,
                          RDF_STATEMENT, RDF_SUBJECT, RDF_TYPE, SAME_AS, XSD_BOOLEAN, XSD_DATE, XSD_DECIMAL, XSD_DOUBLE,
                          XSD_GYEAR, XSD_GYEARMONTH, XSD_INTEGER, Field, class_iri, edge_field, node_field,
                          relation_iri)


class Lit:
    """An RDF literal: lexical form and datatype IRI (None: a plain xsd:string). A plain class with
    its own `__init__`: the stream makes one for most triples, and compiled, that is a C call."""

    __slots__ = ("text", "datatype")

    def __init__(self, text: str, datatype: str | None = None) -> None:
        self.text = text
        self.datatype = datatype


Term = str | Lit
"""An object: a str is an IRI, a Lit a literal (subjects and predicates are always IRIs)."""
Triple = tuple[str, str, Term]

_SURROGATE = re.compile(r"[\ud800-\udfff]")
_DATES = ((re.compile(r"\d{4}-\d{2}-\d{2}"), XSD_DATE), (re.compile(r"\d{4}-(0[1-9]|1[0-2])"), XSD_GYEARMONTH),
          (re.compile(r"\d{4}"), XSD_GYEAR))


def triples(graph: KnowledgeGraph, base: str = DEFAULT_BASE) -> Iterator[Triple]:
    """Every triple of the graph: nodes in id order, then edges with their reified statements,
    read one at a time (a graph kept in a file is never loaded whole)."""
    mint = Minter(base)
    for node_id, data in graph.sorted_nodes():
        yield from node_triples(mint, node_id, data)
    for start, end, rel, data in graph.sorted_edges():
        yield from edge_triples(mint, start, end, rel, data)


def node_triples(mint: Minter, node_id: str, data: dict[str, Any]) -> list[Triple]:
    """A node's types, its graph id (dcterms:identifier), its properties and its arXiv page."""
    subject = mint.node(node_id)
    label = data.get("label") or ""
    found: list[Triple] = [(subject, RDF_TYPE, class_iri(label))] if label else []
    if label in EXTRA_TYPES:
        found.append((subject, RDF_TYPE, EXTRA_TYPES[label]))
    found.append((subject, IDENTIFIER, Lit(clean(node_id))))
    for key, value in sorted(data.items()):
        if key not in NODE_SKIP:
            _add_field(found, subject, node_field(label, key), value)
    if data.get("arxiv_id"):
        found.append((subject, SAME_AS, arxiv_iri(str(data["arxiv_id"]))))
    return found


def edge_triples(mint: Minter, start: str, end: str, rel: str, data: dict[str, Any]) -> list[Triple]:
    """The direct triple, then its rdf:Statement with subject, predicate, object and provenance."""
    subject, predicate, obj = mint.node(start), relation_iri(rel), mint.node(end)
    statement = mint.statement(start, rel, end)
    found: list[Triple] = [(subject, predicate, obj), (statement, RDF_TYPE, RDF_STATEMENT),
                           (statement, RDF_SUBJECT, subject), (statement, RDF_PREDICATE, predicate),
                           (statement, RDF_OBJECT, obj)]
    for key, value in sorted(data.items()):
        if key not in EDGE_SKIP:
            _add_field(found, statement, edge_field(key), value)
    return found


def _add_field(found: list[Triple], subject: str, field: Field, value: Any) -> None:
    """Add the triples of one property value to `found`: a value of one of the common kinds under
    one predicate directly."""
    simple = _simple(field.kind, value)
    if simple is not None and len(field.predicates) == 1:
        found.append((subject, field.predicates[0], simple))
    else:
        objs = [simple] if simple is not None else _other_objects(field.kind, value)
        found += [(subject, predicate, obj) for obj in objs for predicate in field.predicates]


def objects(kind: str, value: Any) -> list[Term]:
    """The RDF objects for one property value (several for a list, none for an empty value)."""
    simple = _simple(kind, value)
    return [simple] if simple is not None else _other_objects(kind, value)


def _other_objects(kind: str, value: Any) -> list[Term]:
    """The objects of a value `_simple` makes none for."""
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return [obj for item in items for obj in objects(kind, item)]
    if kind == "iri" and isinstance(value, str) and is_absolute(value):
        return [safe_iri(clean(value))]
    if kind == "date" and isinstance(value, str):
        return [date_literal(value)]
    if kind == "decimal" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return [decimal_literal(float(value))]
    return [literal(value)]


def literal(value: Any) -> Lit:
    """A literal typed from the Python value: bool, int, float (xsd:decimal), str; others as JSON."""
    if isinstance(value, str):
        return Lit(clean(value))
    if isinstance(value, bool):
        return Lit("true" if value else "false", XSD_BOOLEAN)
    if isinstance(value, int):
        return Lit(str(value), XSD_INTEGER)
    if isinstance(value, float):
        return decimal_literal(value)
    return Lit(clean(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)))


def decimal_literal(value: float) -> Lit:
    """xsd:decimal in canonical-ish form (0.95, 1.0, 0.00001); NaN and infinities as xsd:double."""
    if not math.isfinite(value):
        return Lit("NaN" if math.isnan(value) else ("INF" if value > 0 else "-INF"), XSD_DOUBLE)
    if value == 0:  # 0.0 and -0.0, one key to a cache, written apart
        return Lit("-0.0" if math.copysign(1.0, value) < 0 else "0.0", XSD_DECIMAL)
    return _decimal(value)


@lru_cache(maxsize=4096)
def _decimal(value: float) -> Lit:
    """xsd:decimal of a finite float other than zero (kept: confidences take few values)."""
    text = format(Decimal(repr(value)), "f")
    return Lit(text if "." in text else text + ".0", XSD_DECIMAL)


def _simple(kind: str, value: Any) -> Lit | None:
    """The object of the most common pairs of kind and value type (a string, an integer, a
    confidence); None for any other pair and for "", which has no object."""
    cls = type(value)
    if cls is str:
        return Lit(clean(value)) if kind == "literal" and value else None
    if cls is int:
        return Lit(str(value), XSD_INTEGER) if kind == "literal" else None
    if cls is float:
        return decimal_literal(value) if kind == "decimal" else None
    return None


def date_literal(value: str) -> Lit:
    """xsd:date, xsd:gYearMonth or xsd:gYear by shape; anything else a plain string (SHACL flags it)."""
    text = value.strip()
    for pattern, datatype in _DATES:
        if pattern.fullmatch(text):
            if datatype != XSD_DATE or _valid_date(text):
                return Lit(text, datatype)
    return Lit(clean(value))


def _valid_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def clean(text: str) -> str:
    """Text safe to encode as UTF-8: lone surrogates (possible in JSON input) become U+FFFD."""
    if text.isascii() or not _SURROGATE.search(text):
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
