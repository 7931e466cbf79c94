"""Streaming Turtle: the triple stream written subject by subject with the project's prefixes, no
rdflib Graph in memory (rdflib builds the whole graph first, which does not scale to millions of
papers).

Terms are written as N-Triples writes them (valid Turtle), IRIs under a bound namespace as prefixed
names when the local part needs no escaping; `a` stands for rdf:type as a predicate. The triple stream gives each
subject's triples together (a node, then each relationship and its statement), so grouping
consecutive triples by subject makes the usual `subject p o ; p o .` blocks."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from kg.atomic import atomic_write
from kg.graph import KnowledgeGraph
from kg.rdf.iris import check_base
from kg.rdf.ntriples import iri_term, literal_term
from kg.rdf.triples import Lit, Triple, triples
from kg.rdf.vocab import DEFAULT_BASE, PREFIXES, RDF_TYPE

_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
"""Local names written as prefixed names: a conservative subset of Turtle's PN_LOCAL."""
_BATCH = 4096


class Terms:
    """Turtle spellings of IRIs (prefixed where possible) and literals, each IRI rendered once."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        # longest namespace first, so a namespace inside another (id: under the vocabulary host) wins
        self.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self.iris: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        """The IRI as written, kept for the next time (predicates and objects recur)."""
        term = self.iris.get(iri)
        if term is None:
            term = self.iris[iri] = self.render(iri)
        return term

    def render(self, iri: str) -> str:
        return self._prefixed(iri) or iri_term(iri)

    def _prefixed(self, iri: str) -> str | None:
        for prefix, namespace in self.prefixes:
            if iri.startswith(namespace) and _LOCAL.fullmatch(iri, len(namespace)):
                return f"{prefix}:{iri[len(namespace):]}"
        return None

    def term(self, obj: str | Lit) -> str:
        if isinstance(obj, Lit):
            text = literal_term(Lit(obj.text))
            return f"{text}^^{self.iri(obj.datatype)}" if obj.datatype else text
        return self.iri(obj)


def dump(stream: Iterable[Triple], fh: IO[str], prefixes: dict[str, str]) -> int:
    """Write triples as Turtle to an open text file; returns how many were written."""
    terms = Terms(prefixes)
    fh.write("".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in prefixes.items()))
    count, subject, batch = 0, None, []
    for s, p, o in stream:
        if s != subject:
            rendered = terms.render(s)  # a subject's triples come together: it is not kept
            batch.append(f" .\n\n{rendered} " if subject is not None else f"\n{rendered} ")
            subject = s
        else:
            batch.append(" ;\n    ")
        batch.append(f"{'a' if p == RDF_TYPE else terms.iri(p)} {terms.term(o)}")
        count += 1
        if len(batch) >= _BATCH:
            fh.write("".join(batch))
            batch.clear()
    if subject is not None:
        batch.append(" .\n")
    fh.write("".join(batch))
    return count


def write_turtle(graph: KnowledgeGraph, path: str | Path, base: str = DEFAULT_BASE) -> int:
    """Stream the graph to `path` as Turtle (atomically); returns the triple count."""
    prefixes = {**PREFIXES, "id": check_base(base)}
    with atomic_write(path) as fh:
        return dump(triples(graph, base), fh, prefixes)
