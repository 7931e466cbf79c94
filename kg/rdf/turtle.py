"""Streaming Turtle: the graph written node by node and relationship by relationship with the
project's prefixes, no rdflib Graph in memory (rdflib builds the whole graph first, which does not
scale to millions of papers).

Terms are written as N-Triples writes them (valid Turtle), IRIs under a bound namespace as prefixed
names when the local part needs no escaping; `a` stands for rdf:type as a predicate. A node's
triples, and a relationship's direct triple and its statement's, are grouped by subject into the
usual `subject p o ; p o .` blocks."""

from __future__ import annotations

import re
from pathlib import Path

from kg.atomic import atomic_write
from kg.graph import KnowledgeGraph
from kg.rdf.iris import Minter, prefixes, store
from kg.rdf.ntriples import iri_term, string_term
from kg.rdf.triples import Lit, Triple, edge_triples, node_triples
from kg.rdf.vocab import DEFAULT_BASE, RDF_TYPE
from kg.splice import Splicer

_LOCAL = re.compile(r"(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})[A-Za-z0-9_.-]*(?:%[0-9A-Fa-f]{2}[A-Za-z0-9_.-]*)*(?<!\.)")
"""Local names written as prefixed names: a subset of Turtle 1.1's PN_LOCAL (letters, digits, "_",
"-", inner dots, percent escapes), so a minted node IRI (`model:llama-2`, `paper:2401.00001`) has one.
Written as runs of plain characters between escapes, with no final dot, so that sre reads a run
in one tight loop rather than trying two branches per character."""


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


NODES, EDGES = 0, 1
"""The sections of graph.ttl that hold papers' pieces (`kg.splice`)."""
_NEXT = " .\n\n"
"""What ends one subject's block before the next."""


class _Blocks:
    """Triples written as Turtle, a block per subject (`s p o ; p o .`) for each node's or
    relationship's consecutive triples, each node or relationship starting a new block."""

    def __init__(self, out: Splicer, prefixes: dict[str, str]) -> None:
        self.out = out
        self.terms = Terms(prefixes)
        self.started = False
        out.write("".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in prefixes.items()))

    def item(self, key: str, section: int, found: list[Triple]) -> None:
        """The triples of node or relationship `key` (its id, or its start's)."""
        terms = self.terms
        iris, iri, term = terms.iris, terms.iri, terms.term
        pieces: list[str] = []
        subject = None
        for s, p, o in found:
            pair = f"{'a' if p == RDF_TYPE else iris.get(p) or iri(p)} {term(o)}"
            if s == subject:
                pieces.append(" ;\n    " + pair)
            else:
                pieces.append(f"{_NEXT if subject is not None else ''}{terms.render(s)} {pair}")
                subject = s
        if pieces:
            self.out.write(_NEXT if self.started else "\n")
            self.out.item(key, section, "".join(pieces))
            self.started = True

    def copy(self, paper: str, section: int) -> None:
        """A paper's piece of `section`, from the earlier output."""
        if self.out.copy(paper, section, _NEXT if self.started else "\n"):
            self.started = True

    def close(self) -> None:
        if self.started:
            self.out.write(" .\n")


def write_turtle(graph: KnowledgeGraph, path: str | Path, base: str = DEFAULT_BASE) -> Path:
    """Stream the graph to `path` as Turtle (atomically): nodes in id order, then relationships;
    after an update, papers that did not change are copied from the earlier file (`kg.splice`)."""
    path = Path(path)
    mint = Minter(base)
    with atomic_write(path, "wb") as fh:
        out = Splicer(fh, graph, path, sections=2, variant=mint.base)
        blocks = _Blocks(out, prefixes(base))
        for node_id, data in out.nodes():
            if data is None:
                blocks.copy(node_id, NODES)
            else:
                blocks.item(node_id, NODES, node_triples(mint, node_id, data))
        for start, end, rel, data in out.edges():
            if data is None:
                blocks.copy(start, EDGES)
            else:
                blocks.item(start, EDGES, edge_triples(mint, start, end, rel, data))
        blocks.close()
        out.finish()
    out.save()
    return path
