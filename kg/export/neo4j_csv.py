"""Bulk-import files for `neo4j-admin database import full`: one node file per label, one relationship
file per (type, start label, end label), headers on the first line, and import.sh to run the import
in the docker compose setup.

Each label is its own ID space (`id:ID(Paper)`, `:END_ID(Model)`): the importer then refuses a
relationship whose end has another label than the vocabulary allows, instead of linking it. The ids
are globally unique anyway, so nothing else changes. Numbers are typed `long` and `double` (what a
Bolt load stores), lists `string[]` split on U+001F, a character no text here contains.

The graph is read once: rows go to a temporary body per file as they come (pickled in batches), and
each file gets its header (every property column, typed by all its values) when the pass is over,
then its rows, each written as CSV once, with its cells in the header's order. The bodies are
unlinked temporary files beside the output; each is freed once its file is written, so the disk
holds the files' size plus at most the bodies not yet written out.

A paper's rows in a file are consecutive (rows come in id order), so they are one piece of it.
After an update, the pieces of papers that did not change are copied from the earlier files
(`kg.splice`), their property kinds noted with them so the headers come out as a full write's; when
a file's header still changes (a new column), the folder is written whole."""

from __future__ import annotations

import logging
import pickle
import tempfile
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

from kg.atomic import atomic_directory
from kg.export.property_graph import RelGroup, group_order, label_order, node_row, relationship_row
from kg.graph import GraphError, KnowledgeGraph
from kg.schema import ID_PREFIX, PAPER
from kg.splice import Reuse, copy_range, number

ARRAY_DELIMITER = "\x1f"
ARRAY_DELIMITER_OPTION = "U+001F"
IMPORT_SCRIPT = "import.sh"

G = TypeVar("G", bound=Hashable)
Line = tuple[G | None, list[str], dict[str, Any] | None]
"""One row to write: its file's group, its fixed fields and its properties; or (None, [paper id],
None) for a paper whose rows are copied from the earlier files."""
Kinds = frozenset[tuple[str, str]]
"""The (property, kind) pairs of a paper's rows in one file."""
_PAPER = ID_PREFIX[PAPER]
log = logging.getLogger(__name__)


def _type(kinds: set[str], where: str) -> str:
    """The neo4j-admin type of one property column, from the kinds of all its values."""
    if kinds <= {"long"}:
        return "long"
    if kinds <= {"long", "double"}:
        return "double"
    if len(kinds) == 1 and "mixed" not in next(iter(kinds)):
        return next(iter(kinds))
    raise GraphError(f"{where} mixes value types ({', '.join(sorted(kinds))}); neo4j-admin needs one per column")


_SCALAR_KINDS = {str: "string", bool: "boolean", int: "long", float: "double"}


def _kind(value: Any) -> str:
    scalar = _SCALAR_KINDS.get(type(value))
    if scalar is not None:
        return scalar
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, list):
        items = {_kind(item) for item in value}
        return f"{items.pop() if len(items) == 1 else 'mixed'}[]"
    return "string"


def _cell(value: Any, column: str) -> str:
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        items = [_cell(item, column) for item in value]
        if any(ARRAY_DELIMITER in item for item in items):
            raise GraphError(f"a value of {column} contains the array delimiter {ARRAY_DELIMITER_OPTION}")
        return ARRAY_DELIMITER.join(items)
    return str(value)


@dataclass(frozen=True)
class _Files:
    """How the rows of one kind (nodes, relationships) are filed: each group's file name, the fixed
    fields of its header, and how errors name it; a group is a node label or a relationship's
    (type, start label, end label)."""

    kind: str
    name: Callable[[Any], str]
    header: Callable[[Any], list[str]]
    where: Callable[[Any], str]


_NODE_FILES = _Files("nodes", lambda label: f"nodes-{label}.csv", lambda label: [f"id:ID({label})", ":LABEL"],
                     lambda label: f"{label} nodes")
_RELATIONSHIP_FILES = _Files(
    "relationships",
    lambda group: "relationships-{}-{}-{}.csv".format(*group),
    lambda group: [f":START_ID({group[1]})", f":END_ID({group[2]})", ":TYPE"],
    lambda group: f"{group[0]} relationships")


def csv_line(cells: list[str]) -> str:
    """One line of two or more cells as `csv.writer` writes it (excel dialect, line feed line ends): a
    cell holding a comma, a quote or a line feed quoted, its quotes doubled. A test holds it equal to
    the csv module's line; it costs less than half as much (three substring scans per cell instead
    of a check of every character)."""
    return ",".join('"' + c.replace('"', '""') + '"' if "," in c or '"' in c or "\n" in c else c for c in cells) + "\n"


def _spans_lines(text: str, lines: int) -> bool:
    """Whether `lines` CSV lines hold a field that spans lines (neo4j-admin: --multiline-fields)."""
    return text.count("\n") != lines or "\r" in text


BATCH = 1024
"""Rows of a body pickled together."""


class _Reshaped(Exception):
    """A file copies pieces of the earlier one, but its header is another now."""


OldFile = tuple[str, Any, str, str]
"""A file of the folder: its kind (nodes, relationships), group, name and header line."""


class _Folder(Reuse):
    """The pieces of the folder's files: where each paper's rows went (recorded when the graph is
    kept), and those of the earlier files that are copied after an update."""

    def __init__(self, graph: KnowledgeGraph, out: Path, reuse: bool) -> None:
        super().__init__(graph, out, reuse=reuse)
        before = self.previous.extra if self.previous is not None else {"files": [], "kinds": []}
        self.old_files: list[OldFile] = before["files"]
        self.old_kinds: list[Kinds] = before["kinds"]
        self.files: list[OldFile] = []
        self.kinds: dict[Kinds, int] = {}
        self.placed: dict[str, tuple[int, ...]] = {}
        """Paper -> (file number, start, end, note) of each of its pieces in the files written (tuples
        of numbers, which the garbage collector soon stops tracking)."""

    def old_pieces(self, paper: str, kind: str) -> Iterator[tuple[Any, int, int, Kinds, bool]]:
        """(group, start, end, property kinds, spans lines) of the paper's pieces in the earlier
        files of `kind`."""
        assert self.previous is not None
        old = self.previous.papers[paper]
        for at in range(1, len(old), 4):
            file_kind, group, _, _ = self.old_files[old[at]]
            if file_kind == kind:
                note = old[at + 3]
                yield group, old[at + 1], old[at + 2], self.old_kinds[note >> 1], bool(note & 1)

    def old_header(self, name: str) -> str | None:
        return next((header for _, _, old, header in self.old_files if old == name), None)

    def place(self, file: int, paper: str, start: int, end: int, kinds: int, multiline: bool) -> None:
        """Record a paper's piece of the file numbered `file`: its note is its kinds' number and
        whether it spans lines."""
        self.placed[paper] = self.placed.get(paper, ()) + (file, start, end, 2 * kinds + multiline)

    def pieces(self) -> dict[str, tuple[int, ...]]:
        return {paper: (handle, *self.placed.get(paper, ())) for paper, handle in self.handles.items()}

    def save(self, base: int = 0) -> None:
        self.extra = {"files": self.files, "kinds": list(self.kinds)}
        super().save(base)


Copy = tuple[str, int, int, int, bool]
"""A paper's piece of the earlier file: (paper, start, end, number of its property kinds, spans lines)."""


@dataclass
class _Body:
    """The rows of one group's file, kept as they come with their property cells in the order the
    properties were first seen, and the pieces copied from the earlier file between them; the
    header, which needs every column and its type, comes last."""

    fh: IO[bytes]
    numbering: dict[Kinds, int] | None = None
    """The folder's numbers of property kinds, when each paper's rows are tracked as a piece (the
    graph is kept)."""
    index: dict[str, int] = field(default_factory=dict)
    """property -> its position among a row's property cells"""
    kinds: dict[str, set[str]] = field(default_factory=dict)
    rows: int = 0
    widened: bool = False
    """A property was first seen after rows were kept, so those rows lack its cell."""
    pending: list[list[str]] = field(default_factory=list)
    """Rows not yet pickled to the file."""
    copies: list[Copy] = field(default_factory=list)
    """Copied pieces not yet pickled to the file."""
    batches: int = 0
    """Lists of rows, or tuples of copied pieces, pickled to the file so far."""
    copied: bool = False
    owner: str = ""
    """The node or relationship start whose rows are being kept (when recording)."""
    owner_kinds: set[tuple[str, str]] = field(default_factory=set)
    piece_kinds: list[int] = field(default_factory=list)
    """The number of the property kinds of each paper's rows kept, in order (when recording)."""

    def _column(self, name: str) -> None:
        if name not in self.index:
            self.index[name] = len(self.index)
            self.kinds[name] = set()
            self.widened = self.widened or self.rows > 0

    def add(self, fixed: list[str], props: dict[str, Any]) -> None:
        """Keep a row: the fixed fields, then its property cells in body order."""
        if self.copies:
            self._keep_copies()
        recording = self.numbering is not None
        if recording and fixed[0] != self.owner:
            self._close_piece()
            self.owner = fixed[0]
        index, kinds = self.index, self.kinds
        if not index.keys() >= props.keys():
            for name in props:
                self._column(name)
        cells = [""] * len(index)
        for name, value in props.items():
            if type(value) is str:  # most values: their own cell
                cells[index[name]] = value
                kind = "string"
            else:
                cells[index[name]] = _cell(value, name)
                kind = _kind(value)
            kinds[name].add(kind)
            if recording:
                self.owner_kinds.add((name, kind))
        self.pending.append(fixed + cells)
        self.rows += 1
        if len(self.pending) >= BATCH:
            self.flush()

    def _close_piece(self) -> None:
        if self.owner.startswith(_PAPER) and self.numbering is not None:
            self.piece_kinds.append(number(self.numbering, frozenset(self.owner_kinds)))
        self.owner_kinds.clear()
        self.owner = ""

    def copy(self, piece: Copy, kinds: Kinds) -> None:
        """Keep a piece of the earlier file; its properties' columns and kinds count for the header."""
        if self.pending:
            self.flush()
        for name, kind in kinds:
            self._column(name)
            self.kinds[name].add(kind)
        self.copies.append(piece)
        self.copied = True
        if len(self.copies) >= BATCH:
            self._keep_copies()

    def flush(self) -> None:
        pickle.dump(self.pending, self.fh, protocol=pickle.HIGHEST_PROTOCOL)
        self.pending.clear()
        self.batches += 1

    def _keep_copies(self) -> None:
        pickle.dump(tuple(self.copies), self.fh, protocol=pickle.HIGHEST_PROTOCOL)
        self.copies.clear()
        self.batches += 1

    def kept(self) -> Iterator[list[list[str]] | tuple[Copy, ...]]:
        """The rows kept, a list per batch, and the copied pieces, a tuple per batch, in order."""
        if self.pending:
            self.flush()
        if self.copies:
            self._keep_copies()
        self._close_piece()
        self.fh.seek(0)
        for _ in range(self.batches):
            yield pickle.load(self.fh)


class _Placing:
    """Where the pieces of one file go as it is written, recorded in the folder."""

    def __init__(self, folder: _Folder, file: int, body: _Body, fh: IO[bytes]) -> None:
        self.folder, self.file, self.fh = folder, file, fh
        self.kinds = iter(body.piece_kinds)
        self.paper = ""
        self.start = 0
        self.multiline = False

    def rows(self, lines: list[str], keys: list[str], text: str, spans: bool) -> None:
        """Rendered rows written next (`text`, their `lines` joined; `spans`: some field in them spans
        lines), keyed by their first field."""
        position = self.fh.tell()
        ascii_only = text.isascii()
        for line, key in zip(lines, keys, strict=True):
            if key != self.paper:
                self.close(position)
                if key.startswith(_PAPER):
                    self.paper, self.start, self.multiline = key, position, False
            position += len(line) if ascii_only else len(line.encode("utf-8"))
            if spans:
                self.multiline = self.multiline or _spans_lines(line, 1)

    def close(self, position: int) -> None:
        """The rendered rows of the paper being placed end at `position`."""
        if self.paper:
            self.folder.place(self.file, self.paper, self.start, position, next(self.kinds), self.multiline)
            self.paper = ""

    def copies(self, pieces: tuple[Copy, ...], earlier: IO[bytes]) -> None:
        """Copy pieces of the earlier file, consecutive ones at once, placing each."""
        self.close(self.fh.tell())
        run: list[Copy] = []
        for piece in pieces:
            if run and run[-1][2] != piece[1]:
                self._copy_run(run, earlier)
                run = []
            run.append(piece)
        if run:
            self._copy_run(run, earlier)

    def _copy_run(self, run: list[Copy], earlier: IO[bytes]) -> None:
        base = self.fh.tell() - run[0][1]
        for paper, start, end, kinds, multiline in run:
            self.folder.place(self.file, paper, base + start, base + end, kinds, multiline)
        copy_range(earlier, run[0][1], run[-1][2], self.fh)


def _write(folder: _Folder, staging: Path, files: _Files, lines: Iterable[Line[G]]) -> tuple[list[G], bool]:
    """Stream the rows into one CSV file per group, in one pass over them: the fixed header fields,
    then one typed column per property, sorted by name. Returns the groups written and whether any
    field spans lines (neo4j-admin then needs --multiline-fields)."""
    multiline = False
    bodies: dict[G, _Body] = {}
    with ExitStack() as stack:

        def body_of(group: G) -> _Body:
            body = bodies.get(group)
            if body is None:
                fh = stack.enter_context(tempfile.TemporaryFile("w+b", dir=staging))
                body = bodies[group] = _Body(fh, folder.kinds if folder.kept is not None else None)
            return body

        for group, fixed, props in lines:
            if props is None:
                for old_group, start, end, kinds, spans in folder.old_pieces(fixed[0], files.kind):
                    body_of(old_group).copy((fixed[0], start, end, number(folder.kinds, kinds), spans), kinds)
            else:
                assert group is not None
                body_of(group).add(fixed, props)
        for group, body in bodies.items():
            spans = _finish(folder, staging / files.name(group), (files.kind, group), files.header(group), body,
                            f"{files.where(group)} property")
            multiline = multiline or spans
            body.fh.close()  # its disk space back before the next file is written
    return list(bodies), multiline


def _finish(folder: _Folder, path: Path, filed: tuple[str, Any], fixed: list[str], body: _Body, where: str) -> bool:
    """Write the header, then the rows with their cells in sorted column order (a row kept before a
    property was seen padded) and the copied pieces; returns whether a field spans lines."""
    columns = sorted(body.index)
    typed = [(name, _type(body.kinds[name], f"{where} {name!r}")) for name in columns]
    header = csv_line([*fixed, *[name if kind == "string" else f"{name}:{kind}" for name, kind in typed]])
    if body.copied and folder.old_header(path.name) != header:
        raise _Reshaped(f"{path.name}: its columns are not the earlier file's")
    width = len(fixed) + len(columns)
    order = [len(fixed) + body.index[name] for name in columns]
    ordered = not body.widened and order == list(range(len(fixed), width))
    multiline = False
    with ExitStack() as stack:
        fh = stack.enter_context(path.open("wb"))
        earlier = stack.enter_context(open(folder.output / path.name, "rb")) if body.copied else None
        file = len(folder.files)
        folder.files.append((*filed, path.name, header))
        placing = _Placing(folder, file, body, fh) if body.numbering is not None else None
        fh.write(header.encode("utf-8"))
        for batch in body.kept():
            if isinstance(batch, tuple):
                assert placing is not None and earlier is not None
                placing.copies(batch, earlier)
                multiline = multiline or any(piece[4] for piece in batch)
                continue
            if not ordered:
                for row in batch:
                    row += [""] * (width - len(row))
                batch = [row[:len(fixed)] + [row[position] for position in order] for row in batch]
            lines = list(map(csv_line, batch))
            text = "".join(lines)
            spans = _spans_lines(text, len(batch))
            if placing is not None:
                placing.rows(lines, [row[0] for row in batch], text, spans)
            multiline = multiline or spans
            fh.write(text.encode("utf-8"))
        if placing is not None:
            placing.close(fh.tell())
    return multiline


def _node_lines(folder: _Folder) -> Iterator[Line[str]]:
    for node_id, data in folder.nodes():
        if data is None:
            yield None, [node_id], None
        else:
            label, row = node_row(node_id, data)
            yield label, [row.id, label], row.props


def _relationship_lines(folder: _Folder) -> Iterator[Line[RelGroup]]:
    for start, end, rel, data in folder.edges():
        if data is None:
            yield None, [start], None
        else:
            group, row = relationship_row(folder.graph, start, end, rel, data)
            yield group, [row.start, row.end, rel], row.props


def write_neo4j_csv(graph: KnowledgeGraph, out: Path, reuse: bool = True) -> Path:
    """Write the node and relationship files and import.sh into `out`, replacing an earlier set as
    a whole (written in a staging folder first); returns `out`. One streamed pass over the graph;
    after an update, papers that did not change are copied from the earlier files (`kg.splice`)."""
    folder = _Folder(graph, out.resolve(), reuse)
    try:
        with atomic_directory(out) as staging:
            labels, multiline = _write(folder, staging, _NODE_FILES, _node_lines(folder))
            groups, in_relationships = _write(folder, staging, _RELATIONSHIP_FILES, _relationship_lines(folder))
            script = import_script([_NODE_FILES.name(label) for label in label_order(set(labels))],
                                   [_RELATIONSHIP_FILES.name(group) for group in group_order(set(groups))],
                                   multiline or in_relationships)
            (staging / IMPORT_SCRIPT).write_text(script, encoding="utf-8")
            (staging / IMPORT_SCRIPT).chmod(0o755)
    except _Reshaped as reshaped:
        log.info("%s; written whole", reshaped)
        return write_neo4j_csv(graph, out, reuse=False)
    folder.save()
    return out


def import_script(node_files: list[str], rel_files: list[str], multiline: bool) -> str:
    """A bash script that imports the files (mounted at /import) into the compose setup's Neo4j."""
    options = ["--overwrite-destination=true", "--id-type=string", f"--array-delimiter={ARRAY_DELIMITER_OPTION}",
               f"--multiline-fields={'true' if multiline else 'false'}",
               *[f"--nodes=/import/{name}" for name in node_files],
               *[f"--relationships=/import/{name}" for name in rel_files]]
    arguments = "".join(f" \\\n  {option}" for option in options)
    return f"""#!/usr/bin/env bash
# Bulk-import the CSV files beside this script into the Neo4j of docker/docker-compose.yml with
# `neo4j-admin database import full`. Run it from the papers-kg repository (or set KG_COMPOSE_FILE).
# It stops Neo4j, REPLACES the database ${{NEO4J_DATABASE:-neo4j}}, starts Neo4j again and applies
# cypher/schema.cypher (constraints, lookup and full-text indexes).
set -euo pipefail
here="$(cd "$(dirname "${{BASH_SOURCE[0]}}")" && pwd)"
export KG_IMPORT_DIR="$here"
compose=(docker compose -f "${{KG_COMPOSE_FILE:-docker/docker-compose.yml}}")
"${{compose[@]}}" stop neo4j
"${{compose[@]}}" run --rm --no-deps neo4j \\
  neo4j-admin database import full "${{NEO4J_DATABASE:-neo4j}}"{arguments}
"${{compose[@]}}" up -d --wait neo4j
"${{compose[@]}}" exec -T -e KG_DATABASE="${{NEO4J_DATABASE:-neo4j}}" neo4j sh -c \\
  'cypher-shell -u "${{NEO4J_AUTH%%/*}}" -p "${{NEO4J_AUTH#*/}}" -d "$KG_DATABASE" -f /kg-cypher/schema.cypher'
echo "imported {len(node_files)} node files and {len(rel_files)} relationship files from $here"
"""
