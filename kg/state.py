"""The build state kept in an output folder (`kg build --keep-state`), from which `kg build --update`
adds new listings without reading or extracting the earlier ones again.

One SQLite file, OUT/build-state.sqlite:
- `papers`: every merged paper in creation order (`ordinal`) with its extraction, as an extraction
  record (`kg.records`), indexed by arXiv id and by title key: what de-duplicating a new record
  against the earlier papers needs, and what assembling the graph again needs;
- `links`: the code links read, in reading order (they attach after all papers);
- `graph`: the graph assembled from the papers, before code links attach: its nodes and
  relationships kept in memory and its papers' index (`StoredGraph.saved`), with the name of the
  file beside it, OUT/build-state-graph-*.bin, that holds the papers and their relationships;
- `meta`: the run report before code links were attached, the state format, and a fingerprint of
  the code that reads, de-duplicates, extracts and assembles (an update by other code could not
  give the graph a fresh build gives, so it is refused).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

from kg.extract import Extraction
from kg.model import CodeLink
from kg.records import dumps_record, from_record, link_from_json, link_to_json
from kg.report import Report
from kg.resolve.papers import MergedPaper, title_key
from kg.spill import PaperFile
from kg.stored_graph import StoredGraph

STATE_FILE = "build-state.sqlite"
GRAPH_PREFIX = "build-state-graph-"
FORMAT = "2"
GRAPH_SOURCES = ("__init__.py", "assemble.py", "build.py", "graph.py", "incremental.py", "model.py", "records.py",
                 "schema.py", "spill.py", "stored_graph.py", "text.py", "extract", "resolve", "sources")
"""The parts of kg that decide what the graph holds (readers, de-duplication, extractors and
their data, assembly, the record and graph file formats): the fingerprint covers these."""

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE papers (ordinal INTEGER PRIMARY KEY, arxiv_id TEXT, title_key TEXT NOT NULL, record TEXT NOT NULL);
CREATE INDEX papers_by_arxiv ON papers (arxiv_id);
CREATE INDEX papers_by_title ON papers (title_key, ordinal);
CREATE TABLE links (seq INTEGER PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE graph (id INTEGER PRIMARY KEY CHECK (id = 0), file TEXT NOT NULL, saved BLOB NOT NULL);
"""


class StateError(Exception):
    """No usable build state in an output folder."""


def fingerprint(sources: Iterable[str] = GRAPH_SOURCES) -> str:
    """A hash of the kg sources and data files named (files and folders under kg/): by default
    those that decide what the graph holds."""
    digest = hashlib.sha256()
    root = resources.files("kg")
    pending, files = [root / name for name in sources], []
    while pending:
        item = pending.pop()
        if item.is_dir():
            pending.extend(child for child in item.iterdir() if child.name != "__pycache__")
        elif item.is_file() and not item.name.endswith(".pyc"):
            files.append(item)
    for item in sorted(files, key=str):
        digest.update(str(item).removeprefix(str(root)).encode() + b"\0" + item.read_bytes() + b"\0")
    return digest.hexdigest()


class BuildState:
    """The state file of one output folder; changes become visible together on `commit`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(path, isolation_level="DEFERRED")
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")

    @classmethod
    def create(cls, out_dir: Path) -> BuildState:
        """A new, empty state (replacing any earlier one) for a full build into `out_dir`."""
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / STATE_FILE
        for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"),
                      *out_dir.glob(GRAPH_PREFIX + "*")):
            stale.unlink(missing_ok=True)
        state = cls(path)
        state.db.executescript(_SCHEMA)
        state._set("format", FORMAT)
        state._set("fingerprint", fingerprint())
        return state

    @classmethod
    def open(cls, out_dir: Path) -> BuildState:
        """The state of an earlier `kg build --keep-state` into `out_dir`; StateError if there is
        none, or if it was written by code that builds another graph."""
        path = out_dir / STATE_FILE
        if not path.is_file():
            raise StateError(f"{out_dir} has no {STATE_FILE}: build it with `kg build ... -o {out_dir} --keep-state` "
                             "before updating it")
        state = cls(path)
        try:
            stored_format, stored_print = state._get("format"), state._get("fingerprint")
        except sqlite3.DatabaseError as exc:
            state.close()
            raise StateError(f"{path}: not a build state ({exc})") from exc
        if stored_format != FORMAT or stored_print != fingerprint():
            state.close()
            raise StateError(f"{path} was written by another version of papers-kg (its readers or extractors "
                             "differ): build the output folder again with --keep-state")
        return state

    def _set(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def _get(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    # -- papers ---------------------------------------------------------------------------
    def __len__(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM papers").fetchone()[0]

    def put(self, ordinal: int, paper: MergedPaper, extraction: Extraction) -> None:
        """Store (or replace) the paper created `ordinal`-th, with its extraction."""
        self.db.execute("INSERT OR REPLACE INTO papers (ordinal, arxiv_id, title_key, record) VALUES (?, ?, ?, ?)",
                        (ordinal, paper.arxiv_id, title_key(paper.title), dumps_record(paper, extraction)))

    def ordinal_with_arxiv_id(self, arxiv_id: str) -> int | None:
        row = self.db.execute("SELECT MIN(ordinal) FROM papers WHERE arxiv_id = ?", (arxiv_id,)).fetchone()
        return row[0]

    def ordinal_with_title(self, key: str) -> int | None:
        """The first paper created with a title of this title key."""
        row = self.db.execute("SELECT MIN(ordinal) FROM papers WHERE title_key = ?", (key,)).fetchone()
        return row[0]

    def paper(self, ordinal: int) -> tuple[MergedPaper, Extraction]:
        row = self.db.execute("SELECT record FROM papers WHERE ordinal = ?", (ordinal,)).fetchone()
        return from_record(json.loads(row[0]))

    def papers(self) -> Iterator[tuple[MergedPaper, Extraction]]:
        """Every paper with its extraction, in creation order, streamed."""
        for (record,) in self.db.execute("SELECT record FROM papers ORDER BY ordinal"):
            yield from_record(json.loads(record))

    # -- the assembled graph --------------------------------------------------------------
    def new_graph(self) -> StoredGraph:
        """An empty graph whose papers go to a new file beside the state (the graph the state
        names changes only when `save_graph` is committed)."""
        return StoredGraph(file=PaperFile(path=self.path.parent / f"{GRAPH_PREFIX}{uuid.uuid4().hex}.bin"))

    def save_graph(self, graph: StoredGraph) -> None:
        """Name `graph` (made by `new_graph` or `open_graph`) as the state's graph, as it is now."""
        self.db.execute("INSERT OR REPLACE INTO graph (id, file, saved) VALUES (0, ?, ?)",
                        (graph.path.name, graph.saved()))

    def open_graph(self) -> StoredGraph:
        """The graph last saved, to add papers to; StateError if its file is gone."""
        name, saved = self.db.execute("SELECT file, saved FROM graph").fetchone()
        path = self.path.parent / name
        if not path.is_file():
            raise StateError(f"{path} is missing: build the output folder again with --keep-state")
        return StoredGraph.restore(saved, path)

    # -- links and report -----------------------------------------------------------------
    def add_links(self, links: Iterable[CodeLink]) -> None:
        self.db.executemany("INSERT INTO links (record) VALUES (?)",
                            ((json.dumps(link_to_json(link), ensure_ascii=False),) for link in links))

    def links(self) -> list[CodeLink]:
        rows = self.db.execute("SELECT record FROM links ORDER BY seq")
        return [link_from_json(json.loads(record)) for (record,) in rows]

    def save_report(self, report: Report) -> None:
        """The report as it stands before code links are attached (they attach again on update)."""
        self._set("report", json.dumps(report.to_json(), ensure_ascii=False))

    def report(self) -> Report:
        text = self._get("report")
        return Report.from_json(json.loads(text)) if text else Report()

    def commit(self) -> None:
        """Make the changes visible together, then remove graph files the state no longer names."""
        self.db.commit()
        row = self.db.execute("SELECT file FROM graph").fetchone()
        for path in self.path.parent.glob(GRAPH_PREFIX + "*"):
            if row is None or path.name != row[0]:
                path.unlink(missing_ok=True)

    def close(self) -> None:
        self.db.close()
