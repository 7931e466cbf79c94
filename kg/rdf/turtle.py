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
from kg.rdf.iris import prefixes, store
from kg.rdf.ntriples import iri_term, string_term
from kg.rdf.triples import Lit, Triple, triples
from kg.rdf.vocab import DEFAULT_BASE, RDF_TYPE

_LOCAL = re.compile(r"(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})[A-Za-z0-9_.-]*(?:%[0-9A-Fa-f]{2}[A-Za-z0-9_.-]*)*(?<!\.)")
"""Local names written as prefixed names: a subset of Turtle 1.1's PN_LOCAL (letters, digits, "_",
"-", inner dots, percent escapes), so a minted node IRI (`model:llama-2`, `paper:2401.00001`) has one.
Written as runs of plain characters between escapes, with no final dot, so that sre reads a run
in one tight loop rather than trying two branches per character."""
_BATCH = 4096


class Terms:
    """Turtle spellings of IRIs (prefixed where possible) and literals, IRIs that recur (predicates,
    datatypes, nodes many edges point at) kept rendered in a bounded cache."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        if not all(namespace.endswith(("/", "#")) for namespace in prefixes.values()):
            raise ValueError("every namespace must end in '/' or '#'")
        self.namespaces: dict[str, str] = {}
        """namespace -> prefix (the first bound, when two prefixes share a namespace)"""
        for prefix, namespace in prefixes.items():
            self.namespaces.setdefault(namespace, prefix)
        self.iris: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        """The IRI as written, kept for the next time (predicates and objects recur)."""
        return self.iris.get(iri) or store(self.iris, iri, self.render(iri))

    def render(self, iri: str) -> str:
        return self._prefixed(iri) or iri_term(iri)

    def _prefixed(self, iri: str) -> str | None:
        """`prefix:local` when the IRI is a bound namespace followed by a plain local name: a local
        name holds no '/' or '#', so the namespace can only be what ends at the last of them."""
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        prefix = self.namespaces.get(iri[:cut])
        if prefix is not None and _LOCAL.fullmatch(iri, cut):
            return f"{prefix}:{iri[cut:]}"
        return None

    def term(self, obj: str | Lit) -> str:
        if isinstance(obj, Lit):
            text = string_term(obj.text)
            return f"{text}^^{self.iri(obj.datatype)}" if obj.datatype else text
        return self.iri(obj)


def dump(stream: Iterable[Triple], fh: IO[str], prefixes: dict[str, str]) -> int:
    """Write triples as Turtle to an open text file; returns how many were written."""
    terms = Terms(prefixes)
    fh.write("".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in prefixes.items()))
    count, subject, batch = 0, None, []
    iris, iri, term = terms.iris, terms.iri, terms.term
    for s, p, o in stream:
        pair = f"{'a' if p == RDF_TYPE else iris.get(p) or iri(p)} {term(o)}"
        if s == subject:
            batch.append(f" ;\n    {pair}")
        else:  # a subject's triples come together: it is not kept
            head = "\n" if subject is None else " .\n\n"
            batch.append(f"{head}{terms.render(s)} {pair}")
            subject = s
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
    with atomic_write(path) as fh:
        return dump(triples(graph, base), fh, prefixes(base))
