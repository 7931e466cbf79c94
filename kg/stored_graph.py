"""A knowledge graph for millions of papers: Paper nodes and the relationships that start at them
live in an append-only file, everything else (models, methods, datasets, repositories, lineage)
in memory.

Why: a paper's node holds its abstract, and its five to ten relationships hold their evidence
sentences; in networkx that is about 10 KB a paper, so 10 GB for a million. Here a paper costs one
index entry in memory (its id and where its record is), and the rest is read back when asked for.

A paper and its relationships form one record (node data and {(end, type): edge data}), pickled.
The paper being assembled stays in memory until another paper is touched; a record changed later
(a code link attached at the end of a build) is appended again and the index points at the new
copy. Every change goes through the merge rules of `kg.graph`, so the graph equals the
`KnowledgeGraph` built by the same calls, and writers that read it through `sorted_nodes`,
`sorted_edges`, `nodes`, `edges`, `node`, `label` and `counts` never hold more than one paper of it.
`g` still gives a networkx graph, built on first use: fine for thousands of papers, costly for
millions (the reason this class exists).
"""

from __future__ import annotations

import heapq
import os
import pickle
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx

from kg.graph import KnowledgeGraph, check_edge, check_node, merge_edge, merge_node, new_edge, new_node
from kg.schema import PAPER, RELATIONSHIPS

Edges = dict[tuple[str, str], dict[str, Any]]
"""The relationships of one paper: (end, type) -> edge data."""

_FLUSH_BYTES = 1 << 20
_LENGTH_BITS = 32


class PaperFile:
    """Append-only records (pickled) in an unlinked temporary file; read back by offset."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self._file = tempfile.TemporaryFile(dir=directory)
        self._fd = self._file.fileno()
        self._written = 0
        self._buffer = bytearray()

    def append(self, record: Any) -> int:
        """Store a record; returns its handle (offset and length in one int)."""
        data = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
        handle = (self._written + len(self._buffer)) << _LENGTH_BITS | len(data)
        self._buffer += data
        if len(self._buffer) >= _FLUSH_BYTES:
            self.flush()
        return handle

    def read(self, handle: int) -> Any:
        offset, length = handle >> _LENGTH_BITS, handle & ((1 << _LENGTH_BITS) - 1)
        if offset >= self._written:
            start = offset - self._written
            return pickle.loads(self._buffer[start:start + length])
        return pickle.loads(os.pread(self._fd, length, offset))

    def flush(self) -> None:
        with memoryview(self._buffer) as view:
            done = 0
            while done < len(view):
                done += os.write(self._fd, view[done:])
        self._written += len(self._buffer)
        self._buffer.clear()

    def close(self) -> None:
        self._file.close()


class StoredGraph(KnowledgeGraph):
    """The KnowledgeGraph API over papers kept in a file (see the module docstring)."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self.memory = KnowledgeGraph()
        """Every node but papers, and the relationships that do not start at a paper."""
        self._file = PaperFile(directory)
        self._papers: dict[str, int] = {}
        """Paper id -> handle of its newest record (in creation order)."""
        self._current: tuple[str, dict[str, Any], Edges] | None = None
        self._rels: Counter[str] = Counter()
        self._unnamed: set[str] = set()
        self._networkx: nx.MultiDiGraph | None = None

    # -- building -------------------------------------------------------------------------
    def add_node(self, node_id: str, label: str, name: str, **props: Any) -> None:
        check_node(node_id, label)  # the id prefix says the label, so a paper id is never another node's
        if label != PAPER:
            self.memory.add_node(node_id, label, name, **props)
        else:
            _, data, _ = self._touch(node_id, name)
            merge_node(node_id, data, label, name, props)
        self._networkx = None

    def add_edge(self, start: str, end: str, rel: str, *, evidence: str, confidence: float,
                 extractor: str, source: str, **props: Any) -> None:
        check_edge(start, self.label(start), end, self.label(end), rel, evidence, extractor, source)
        self._networkx = None
        if not self._is_paper(start):
            self.memory.add_edge(start, end, rel, evidence=evidence, confidence=confidence, extractor=extractor,
                                 source=source, **props)
            return
        _, _, edges = self._touch(start)
        data = edges.get((end, rel))
        if data is None:
            edges[end, rel] = new_edge(rel, evidence, confidence, extractor, source, props)
            self._rels[rel] += 1
        else:
            merge_edge(data, evidence, confidence, extractor, source, props)

    def _touch(self, paper_id: str, name: str = "") -> tuple[str, dict[str, Any], Edges]:
        """Make `paper_id` the paper in memory (loading it, or creating it with `name`)."""
        if self._current is not None and self._current[0] == paper_id:
            return self._current
        self._store_current()
        if paper_id in self._papers:
            data, edges = self._file.read(self._papers[paper_id])
        else:
            data, edges = new_node(PAPER, name), {}
        self._current = (paper_id, data, edges)
        return self._current

    def _store_current(self) -> None:
        if self._current is None:
            return
        paper_id, data, edges = self._current
        self._papers[paper_id] = self._file.append((data, edges))
        if not data.get("name"):
            self._unnamed.add(paper_id)
        else:
            self._unnamed.discard(paper_id)
        self._current = None

    def _is_current(self, node_id: str) -> bool:
        return self._current is not None and self._current[0] == node_id

    def _is_paper(self, node_id: str) -> bool:
        return self._is_current(node_id) or node_id in self._papers

    def label(self, node_id: str) -> str | None:
        return PAPER if self._is_paper(node_id) else self.memory.label(node_id)

    def flush(self) -> None:
        """Write the paper in memory and any buffered records, so the file holds everything (before
        forking processes that read the graph)."""
        self._store_current()
        self._file.flush()

    def _paper(self, paper_id: str) -> tuple[dict[str, Any], Edges]:
        return self._file.read(self._papers[paper_id])

    # -- reading --------------------------------------------------------------------------
    def nodes(self, label: str | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
        """Nodes in memory, then papers in the order they were added."""
        self.flush()
        if label != PAPER:
            yield from self.memory.nodes(label)
        if label in (None, PAPER):
            for paper_id in list(self._papers):
                yield paper_id, self._paper(paper_id)[0]

    def edges(self, rel: str | None = None) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        """Relationships in memory, then those of each paper in the order the papers were added."""
        self.flush()
        yield from self.memory.edges(rel)
        for paper_id in list(self._papers):
            for (end, key), data in self._paper(paper_id)[1].items():
                if rel is None or key == rel:
                    yield paper_id, end, key, data

    def node(self, node_id: str) -> dict[str, Any]:
        if self._is_paper(node_id):
            self.flush()
            return self._paper(node_id)[0]
        return self.memory.node(node_id)

    def __contains__(self, node_id: object) -> bool:
        return node_id in self.memory or (isinstance(node_id, str) and self._is_paper(node_id))

    def counts(self) -> dict[str, dict[str, int]]:
        self._store_current()
        counts = self.memory.counts()
        counts["nodes"][PAPER] = len(self._papers)
        for rel in RELATIONSHIPS:
            counts["relationships"][rel] += self._rels[rel]
        return counts

    def problems(self) -> list[str]:
        """As KnowledgeGraph.problems; paper records were checked as they were added, so only a
        missing paper name can be found there."""
        self._store_current()
        return self.memory.problems() + [f"{paper_id}: no name" for paper_id in sorted(self._unnamed)]

    def sorted_nodes(self) -> Iterator[tuple[str, dict[str, Any]]]:
        self.flush()
        papers = ((paper_id, self._paper(paper_id)[0]) for paper_id in sorted(self._papers))
        return heapq.merge(self.memory.sorted_nodes(), papers, key=lambda item: item[0])

    def sorted_edges(self) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        """Edges in (start, end, type) order: each start is a paper (its record) or not (memory)."""
        self.flush()
        return heapq.merge(self.memory.sorted_edges(), self._sorted_paper_edges(), key=lambda edge: edge[0])

    def _sorted_paper_edges(self) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        for paper_id in sorted(self._papers):
            edges = self._paper(paper_id)[1]
            for end, key in sorted(edges):
                yield paper_id, end, key, edges[end, key]

    @property
    def g(self) -> nx.MultiDiGraph:  # type: ignore[override]
        """The whole graph in networkx, built on first use (memory in proportion to the graph)."""
        if self._networkx is None:
            graph = nx.MultiDiGraph()
            graph.add_nodes_from(self.nodes())
            graph.add_edges_from((start, end, key, data) for start, end, key, data in self.edges())
            self._networkx = graph
        return self._networkx

    def close(self) -> None:
        """Remove the file; the graph cannot be read afterwards."""
        self._file.close()
