"""Load a KnowledgeGraph into Neo4j over Bolt: `UNWIND $rows ... MERGE` per label and relationship
type, values as parameters only, labels and types only from kg.schema, one managed transaction (with
the driver's retries) per batch. Loading twice changes nothing; a bigger graph adds what is new; a
load that stopped half-way (server gone) completes when run again."""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import neo4j
from neo4j.exceptions import DriverError, IncompleteCommit, Neo4jError, ServiceUnavailable

from kg.export.cypher_files import SCHEMA_FILE, schema_statements
from kg.export.neo4j_connect import Connection, GraphServerError, Server, detect, explain, explained, reason
from kg.export.property_graph import node_groups, relationship_groups
from kg.graph import GraphError, KnowledgeGraph
from kg.progress import Progress, Silent
from kg.schema import LABELS, RELATIONSHIPS

log = logging.getLogger(__name__)

NODE_STATEMENT = "UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n += row.props RETURN count(*) AS written"
RELATIONSHIP_STATEMENT = ("UNWIND $rows AS row MATCH (a:{start} {{id: row.start}}) MATCH (b:{end} {{id: row.end}}) "
                          "MERGE (a)-[r:{rel}]->(b) SET r += row.props RETURN count(*) AS written")
WIPE_STATEMENT = "MATCH (n:{label}) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted"
_FRAMING = 64
"""Bytes reserved per message for the parameter name and Bolt framing."""


@dataclass(frozen=True)
class Step:
    """One statement, what it writes (for messages), and the batches of rows to send with it."""

    what: str
    statement: str
    batches: list[list[dict[str, Any]]]


class BatchLimitError(ValueError):
    """A single property value does not fit the byte cap of a batch."""


@dataclass(frozen=True)
class BatchLimits:
    """At most `rows` rows and about `bytes` bytes (statement + UTF-8 JSON of the rows) per message."""

    rows: int = 1000
    bytes: int = 1_000_000


@dataclass
class LoadResult:
    server: Server
    nodes: Counter[str] = field(default_factory=Counter)
    relationships: Counter[str] = field(default_factory=Counter)
    batches: int = 0
    wiped: int = 0
    schema: str = ""
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(self.nodes.values()) + sum(self.relationships.values())

    @property
    def rate(self) -> float:
        """Graph rows (nodes + relationships) loaded per second."""
        return self.rows / self.seconds if self.seconds else 0.0


def size(value: Any) -> int:
    """Bytes of `value` as compact UTF-8 JSON: the measure of the byte cap."""
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


Encode = Callable[[dict[str, Any]], dict[str, Any]]
"""A row as the server needs it (see Server.parameters)."""


def _as_is(row: dict[str, Any]) -> dict[str, Any]:
    return row


def fit(row: dict[str, Any], budget: int, encode: Encode = _as_is) -> Iterator[dict[str, Any]]:
    """The row encoded, or when that is over `budget` bytes, encoded rows with the same ends and a
    share of its properties each (`SET += props` merges them on the server)."""
    encoded = encode(row)
    ends = {key: value for key, value in row.items() if key != "props"}
    try:
        whole = size(encoded)
    except UnicodeEncodeError as exc:
        raise GraphError(f"{ends} holds text that is not valid Unicode ({exc.object[exc.start:exc.end]!r}, a lone "
                         "surrogate): Bolt carries only UTF-8, so fix that value in the graph") from exc
    if whole + 1 <= budget:
        yield encoded
        return
    part: dict[str, Any] = {}
    for key, value in row["props"].items():
        if size(encode({**ends, "props": {key: value}})) + 1 > budget:
            raise BatchLimitError(f"property {key!r} of {ends} needs more than the batch byte cap allows "
                                  f"({budget} bytes after the statement); raise --batch-bytes")
        if part and size(encode({**ends, "props": {**part, key: value}})) + 1 > budget:
            yield encode({**ends, "props": part})
            part = {}
        part[key] = value
    yield encode({**ends, "props": part})


def batches(rows: Iterable[dict[str, Any]], statement: str, limits: BatchLimits,
            encode: Encode = _as_is) -> Iterator[list[dict[str, Any]]]:
    """Consecutive batches of at most `limits.rows` encoded rows whose statement and rows fit
    `limits.bytes`."""
    budget = limits.bytes - size(statement) - _FRAMING
    batch: list[dict[str, Any]] = []
    used = 2
    for row in rows:
        for part in fit(row, budget, encode):
            cost = size(part) + 1
            if batch and (len(batch) >= limits.rows or used + cost > budget):
                yield batch
                batch, used = [], 2
            batch.append(part)
            used += cost
    if batch:
        yield batch


def plan(graph: KnowledgeGraph, server: Server, limits: BatchLimits) -> tuple[list[Step], list[Step], LoadResult]:
    """The steps for nodes, then for relationships, and the result holding the row counts."""
    result = LoadResult(server)
    nodes: list[Step] = []
    relationships: list[Step] = []
    for label, node_rows in node_groups(graph).items():
        statement = NODE_STATEMENT.format(label=_known(label, LABELS))
        rows = ({"id": row.id, "props": row.props} for row in node_rows)
        nodes.append(Step(f"{label} nodes", statement, list(batches(rows, statement, limits, server.parameters))))
        result.nodes[label] += len(node_rows)
    for (rel, start, end), rel_rows in relationship_groups(graph).items():
        statement = RELATIONSHIP_STATEMENT.format(rel=_known(rel, RELATIONSHIPS), start=_known(start, LABELS),
                                                  end=_known(end, LABELS))
        rows = ({"start": row.start, "end": row.end, "props": row.props} for row in rel_rows)
        relationships.append(Step(f"{rel} relationships ({start} -> {end})", statement,
                                  list(batches(rows, statement, limits, server.parameters))))
        result.relationships[rel] += len(rel_rows)
    return nodes, relationships, result


def _known(name: str, vocabulary: Iterable[str]) -> str:
    if name not in vocabulary:
        raise ValueError(f"{name!r} is not in the graph vocabulary")
    return name


def load(graph: KnowledgeGraph, driver: neo4j.Driver, conn: Connection, *, limits: BatchLimits = BatchLimits(),
         wipe: bool = False, progress: Progress | None = None, schema: Path = SCHEMA_FILE) -> LoadResult:
    """Load `graph` through `driver` into `conn.database`; with `wipe`, first delete every node with
    one of the graph's labels (and its relationships), nothing else. A server lost for longer than
    `conn.retry_time` stops the load with a GraphServerError saying how far it got."""
    progress = progress or Silent()
    started = time.perf_counter()
    server = detect(driver, conn)
    nodes, relationships, result = plan(graph, server, limits)
    total = sum(len(step.batches) for step in (*nodes, *relationships))
    with explained(conn), driver.session(database=conn.database) as session:
        result.schema = _apply_schema(session, server, schema)
        if wipe:
            progress.phase("wiping")
            result.wiped = _wipe(session, limits.rows)
        try:
            for description, steps in (("nodes", nodes), ("relationships", relationships)):
                progress.phase(description, sum(len(batch) for step in steps for batch in step.batches))
                for step in steps:
                    for batch in step.batches:
                        _check_written(step, len(batch), _send(session, step.statement, batch), conn)
                        result.batches += 1
                        progress.advance(len(batch))
        except (DriverError, Neo4jError) as exc:
            raise interrupted(exc, conn, result.batches, total) from exc
    result.seconds = time.perf_counter() - started
    return result


def _send(session: neo4j.Session, statement: str, rows: list[dict[str, Any]]) -> int:
    """Write one batch; returns how many rows the server wrote. The driver retries the batch while
    the server is unreachable, but not a commit whose outcome a lost connection left unknown
    (IncompleteCommit): it cannot know the work is idempotent. Ours is (MERGE, SET +=), so such a
    batch is sent once more, again under the driver's retries."""
    try:
        return session.execute_write(_write, statement, rows)
    except IncompleteCommit as exc:
        log.warning("the connection was lost while a batch was committing (%s); sending it again", reason(exc))
        return session.execute_write(_write, statement, rows)


def _write(tx: neo4j.ManagedTransaction, statement: str, rows: list[dict[str, Any]]) -> int:
    return tx.run(statement, rows=rows).single(strict=True)["written"]


def _check_written(step: Step, sent: int, written: int, conn: Connection) -> None:
    """A relationship whose end nodes are gone is not written (MATCH finds nothing): say so rather
    than report a complete load."""
    if written < sent:
        raise GraphServerError(f"{sent - written} of {sent} {step.what} in a batch were not written: their start or "
                               f"end node is missing at {conn.where}. The server lost nodes during the load (a "
                               "restart without its data, or another client deleting them); run kg load again")


def interrupted(exc: DriverError | Neo4jError, conn: Connection, done: int, total: int) -> GraphServerError:
    """What to tell when the server failed after `done` of `total` batches."""
    if isinstance(exc, ServiceUnavailable):
        what = (f"lost the Bolt server at {conn.uri} after {done} of {total} batches, and it did not come back "
                f"within --retry-time ({conn.retry_time:g} s): {reason(exc)}")
    else:
        what = f"{explain(exc, conn)} (after {done} of {total} batches)"
    return GraphServerError(f"{what}. The batches written stay; loading is idempotent, so run kg load again "
                            "to complete the graph")


def _delete_some(tx: neo4j.ManagedTransaction, statement: str, limit: int) -> int:
    return tx.run(statement, limit=limit).single(strict=True)["deleted"]


def _wipe(session: neo4j.Session, limit: int) -> int:
    deleted = 0
    for label in LABELS:
        statement = WIPE_STATEMENT.format(label=label)
        while count := session.execute_write(_delete_some, statement, limit):
            deleted += count
    return deleted


def _apply_schema(session: neo4j.Session, server: Server, path: Path) -> str:
    if not server.is_neo4j:
        return f"skipped {path.name}: the server is not Neo4j ({server.description})"
    statements = schema_statements(path)
    for statement in statements:
        session.run(statement).consume()
    return f"applied {len(statements)} statements of {path.name} ({server.description})"
