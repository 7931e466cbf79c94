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
`sorted_edges`, `nodes`, `edges`, `node`, `node_edges`, `label` and `counts` never hold more than
one paper of it.
A build state (`kg build --keep-state`) keeps the file in the output folder, and what is in memory
with the papers' index (`saved`), so that `kg build --update` can `restore` the graph and add papers.
`g` still gives a networkx graph, built on first use: fine for thousands of papers, costly for
millions (the reason this class exists). Before forked writers start, `snapshot` writes the rest
in id order to the file too: a child reading the graph then copies none of the parent's memory.
"""

from __future__ import annotations

import heapq
import pickle
from collections import Counter
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import networkx as nx

from kg.batched import batched
from kg.graph import KnowledgeGraph, check_edge, check_node, merge_edge, merge_node, new_edge, new_node
from kg.schema import ID_PREFIX, PAPER, RELATIONSHIPS
from kg.spill import PaperFile

Edges = dict[tuple[str, str], dict[str, Any]]
"""The relationships of one paper: (end, type) -> edge data."""

_SNAPSHOT_CHUNK = 1024
"""Items per record of a snapshot."""
_LABEL_OF_PREFIX = {prefix: label for label, prefix in ID_PREFIX.items()}


@dataclass(frozen=True)
class Snapshot:
    """Where a snapshot of the graph is in its file: the records (each of up to _SNAPSHOT_CHUNK
    items, in id order) of the nodes kept in memory as (id, data), of their relationships as
    (start, end, type, data), and of the papers as (paper id, handle of its record)."""

    nodes: tuple[int, ...]
    edges: tuple[int, ...]
    papers: tuple[int, ...]


class StoredGraph(KnowledgeGraph):
    """The KnowledgeGraph API over papers kept in a file (see the module docstring)."""

    def __init__(self, directory: str | Path | None = None, file: PaperFile | None = None) -> None:
        self.memory = KnowledgeGraph()
        """Every node but papers, and the relationships that do not start at a paper."""
        self._file = file if file is not None else PaperFile(directory)
        self._papers: dict[str, int] = {}
        """Paper id -> handle of its newest record (in creation order)."""
        self._current: tuple[str, dict[str, Any], Edges] | None = None
        self._rels: Counter[str] = Counter()
        self._unnamed: set[str] = set()
        self._networkx: nx.MultiDiGraph | None = None
        self._snapshot: Snapshot | None = None
        self.committed = 0
        """The file's length when a build state last saved the graph (`saved`, `restore`): records
        before it never change, so an output rendered from one can be reused (`kg.splice`)."""

    # -- building -------------------------------------------------------------------------
    def add_node(self, node_id: str, label: str, name: str, **props: Any) -> None:
        check_node(node_id, label)  # the id prefix says the label, so a paper id is never another node's
        if label != PAPER:
            self.memory.merge_checked_node(node_id, label, name, props)
        else:
            _, data, _ = self._touch(node_id, name)
            merge_node(node_id, data, label, name, props)
        self._changed()

    def add_edge(self, start: str, end: str, rel: str, *, evidence: str, confidence: float,
                 extractor: str, source: str, **props: Any) -> None:
        start_label = self.label(start)
        check_edge(start, start_label, end, self.label(end), rel, evidence, extractor, source)
        self._changed()
        if start_label != PAPER:
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

    def reset_paper(self, paper_id: str, name: str) -> None:
        """Empty a paper's node, named `name` again, and drop its relationships, keeping its place
        among the papers: the paper can then be assembled again from a new extraction."""
        _, _, edges = self._touch(paper_id)
        for _, rel in edges:
            self._rels[rel] -= 1
        self._current = (paper_id, new_node(PAPER, name), {})
        self._changed()

    def _changed(self) -> None:
        """Forget what was derived from the graph: its networkx copy, its snapshot."""
        self._networkx = None
        self._snapshot = None

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
        """The label of a paper or of a node in memory, which its id prefix says (every id was
        checked against its label): found without touching the node's data (see `snapshot`)."""
        if self._is_paper(node_id):
            return PAPER
        return _LABEL_OF_PREFIX.get(node_id.partition(":")[0] + ":") if node_id in self.memory.g._node else None

    def flush(self) -> None:
        """Write the paper in memory and any buffered records, so the file holds every paper."""
        self._store_current()
        self._file.flush()

    def _paper(self, paper_id: str) -> tuple[dict[str, Any], Edges]:
        return self._file.read(self._papers[paper_id])

    def snapshot(self) -> None:
        """Write the nodes and relationships kept in memory, and the papers' id order, to the file
        too: `sorted_nodes` and `sorted_edges` then read the file alone, so a process forked
        afterwards copies none of this one's memory by reading the graph (touching an object
        writes its reference count, which copies the page it is on). A change drops the snapshot."""
        self.flush()
        self._snapshot = Snapshot(self._chunks(self.memory.sorted_nodes()), self._chunks(self.memory.sorted_edges()),
                                  self._chunks(self._papers_by_id()))
        self._file.flush()

    def _chunks(self, items: Iterable[Any]) -> tuple[int, ...]:
        """Store `items` as records of up to _SNAPSHOT_CHUNK items; their handles."""
        return tuple(self._file.append(chunk) for chunk in batched(items, _SNAPSHOT_CHUNK))

    def _unchunk(self, handles: tuple[int, ...]) -> Iterator[Any]:
        for handle in handles:
            yield from self._file.read(handle)

    def _sorted_papers(self) -> Iterator[tuple[str, int]]:
        """(paper id, handle of its record) in id order."""
        if self._snapshot is not None:
            return self._unchunk(self._snapshot.papers)
        return self._papers_by_id()

    def _papers_by_id(self) -> Iterator[tuple[str, int]]:
        """(paper id, handle of its record) in id order, from the index in memory. Generator
        functions, these (the compiled build would make a generator expression a list)."""
        for paper_id in sorted(self._papers):
            yield paper_id, self._papers[paper_id]

    @property
    def path(self) -> Path:
        """The file of a graph kept in a build state (the temporary file of others has none)."""
        if self._file.path is None:
            raise ValueError("this graph's papers are in a temporary file")
        return self._file.path

    def saved(self) -> bytes:
        """What `restore` needs to open this graph again over its file: the nodes and relationships
        kept in memory and the index of the papers (their records are in the file, flushed now)."""
        self.flush()
        self.committed = self._file.length
        return pickle.dumps((self.memory.g, self._papers, self._rels, self._unnamed, self.committed),
                            protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def restore(cls, saved: bytes, path: Path) -> StoredGraph:
        """The graph `saved` described, over its file `path` (anything written to the file after
        `saved` was taken is dropped)."""
        memory, papers, rels, unnamed, length = pickle.loads(saved)
        graph = cls(file=PaperFile(path=path, keep=length))
        graph.memory = KnowledgeGraph(memory)
        graph._papers, graph._rels, graph._unnamed = papers, rels, unnamed
        graph.committed = length
        return graph

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

    def node_edges(self, node_id: str) -> tuple[dict[str, Any], list[tuple[str, str, dict[str, Any]]]]:
        """As KnowledgeGraph.node_edges; a paper's record is read once."""
        if not self._is_paper(node_id):
            return self.memory.node_edges(node_id)
        self.flush()
        data, edges = self._paper(node_id)
        return data, [(end, key, edges[end, key]) for end, key in sorted(edges)]

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
        """Nodes in id order: from the snapshot, when there is one."""
        return cast("Iterator[tuple[str, dict[str, Any]]]", self.sorted_nodes_unread(()))

    def sorted_edges(self) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        """Edges in (start, end, type) order: each start is a paper (its record) or not (memory);
        from the snapshot, when there is one."""
        return cast("Iterator[tuple[str, str, str, dict[str, Any]]]", self.sorted_edges_unread(()))

    def paper_handles(self) -> Iterator[tuple[str, int]]:
        """(paper id, handle of its record) in id order: a handle changes whenever the record does."""
        self.flush()
        return self._sorted_papers()

    def sorted_nodes_unread(self, unread: Container[str]) -> Iterator[tuple[str, dict[str, Any] | None]]:
        """As `sorted_nodes`, but a paper in `unread` is given as (id, None), its record not read."""
        self.flush()
        memory = self._unchunk(self._snapshot.nodes) if self._snapshot is not None else self.memory.sorted_nodes()
        return heapq.merge(memory, self._sorted_paper_nodes(unread), key=lambda item: item[0])

    def sorted_edges_unread(self, unread: Container[str]) -> Iterator[tuple[str, str, str, dict[str, Any] | None]]:
        """As `sorted_edges`, but the relationships of a paper in `unread` are given as one
        (id, "", "", None), its record not read."""
        self.flush()
        memory = self._unchunk(self._snapshot.edges) if self._snapshot is not None else self.memory.sorted_edges()
        return heapq.merge(memory, self._sorted_paper_edges(unread), key=lambda edge: edge[0])

    def _sorted_paper_nodes(self, unread: Container[str]) -> Iterator[tuple[str, dict[str, Any] | None]]:
        for paper_id, handle in self._sorted_papers():
            yield paper_id, None if paper_id in unread else self._file.read(handle)[0]

    def _sorted_paper_edges(self, unread: Container[str]) -> Iterator[tuple[str, str, str, dict[str, Any] | None]]:
        for paper_id, handle in self._sorted_papers():
            if paper_id in unread:
                yield paper_id, "", "", None
                continue
            edges = self._file.read(handle)[1]
            for end, key in sorted(edges):
                yield paper_id, end, key, edges[end, key]

    @property
    def g(self) -> nx.MultiDiGraph:  # type: ignore[override]
        """The whole graph in networkx, built on first use (memory in proportion to the graph)."""
        if self._networkx is None:
            graph = nx.MultiDiGraph()
            graph.add_nodes_from(self.nodes())
            graph.add_edges_from(self.edges())
            self._networkx = graph
        return self._networkx

    def close(self) -> None:
        """Close the file (a temporary one is removed); the graph cannot be read afterwards."""
        self._file.close()
