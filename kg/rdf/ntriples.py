"""Streaming N-Triples: written line by line from the KnowledgeGraph, no rdflib Graph in memory.

Output is canonical N-Triples (RDF 1.2 style): IRIs with forbidden characters percent-encoded,
literals with \\" \\\\ \\n \\r \\t \\b \\f as ECHAR and other control characters as \\uXXXX."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from kg.atomic import atomic_write
from kg.graph import KnowledgeGraph
from kg.rdf.iris import safe_iri, store
from kg.rdf.triples import Lit, Triple, triples
from kg.rdf.vocab import DEFAULT_BASE

_ECHAR = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_ESCAPES = {**{chr(c): f"\\u{c:04X}" for c in [*range(0x20), 0x7F]}, **_ECHAR}
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\\x7f]')
_BATCH = 4096


def iri_term(iri: str) -> str:
    """`<iri>`, any character N-Triples forbids in an IRIREF percent-encoded."""
    return f"<{safe_iri(iri)}>"


def string_term(text: str) -> str:
    """`"text"`, escaped as canonical N-Triples."""
    if text.isprintable() and '"' not in text and "\\" not in text:  # nothing to escape, as C finds quickly
        return f'"{text}"'
    return f'"{_NEEDS_ESCAPE.sub(_escape, text)}"'


def _escape(match: re.Match[str]) -> str:
    return _ESCAPES[match.group()]


def literal_term(lit: Lit) -> str:
    """`"text"` or `"text"^^<datatype>`, escaped as canonical N-Triples."""
    return f"{string_term(lit.text)}^^<{lit.datatype}>" if lit.datatype else string_term(lit.text)


def dump(stream: Iterable[Triple], fh: IO[str]) -> int:
    """Write triples to an open text file; returns how many were written. A subject is rendered
    once for its run of triples; predicate and object IRIs (the vocabulary and the graph's nodes)
    in a bounded cache (`kg.rdf.iris.store`). Statement IRIs, one per relationship, are never kept."""
    iris: dict[str, str] = {}
    count, batch, subject_iri, s = 0, [], None, ""
    for subject, predicate, obj in stream:
        if subject != subject_iri:
            subject_iri, s = subject, iri_term(subject)
        p = iris.get(predicate) or store(iris, predicate, iri_term(predicate))
        if isinstance(obj, Lit):
            o = literal_term(obj)
        else:
            o = iris.get(obj) or store(iris, obj, iri_term(obj))
        batch.append(f"{s} {p} {o} .\n")
        if len(batch) >= _BATCH:
            fh.write("".join(batch))
            count += len(batch)
            batch.clear()
    fh.write("".join(batch))
    return count + len(batch)


def write_ntriples(graph: KnowledgeGraph, path: str | Path, base: str = DEFAULT_BASE) -> int:
    """Stream the graph to `path` as N-Triples (atomically); returns the triple count."""
    with atomic_write(path) as fh:
        return dump(triples(graph, base), fh)
