"""Load a KnowledgeGraph into Neo4j over Bolt: `UNWIND $rows ... MERGE` per label and relationship
type, values as parameters only, labels and types only from kg.schema, one managed transaction (with
the driver's retries) per batch. Loading twice changes nothing; a bigger graph adds what is new."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import neo4j

from kg.export.cypher_files import SCHEMA_FILE, schema_statements
from kg.export.neo4j_connect import Connection, Server, detect, explained
from kg.export.property_graph import node_groups, relationship_groups
from kg.graph import KnowledgeGraph
from kg.progress import Progress, Silent
from kg.schema import LABELS, RELATIONSHIPS

NODE_STATEMENT = "UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n += row.props"
RELATIONSHIP_STATEMENT = ("UNWIND $rows AS row MATCH (a:{start} {{id: row.start}}) MATCH (b:{end} {{id: row.end}}) "
                          "MERGE (a)-[r:{rel}]->(b) SET r += row.props")
WIPE_STATEMENT = "MATCH (n:{label}) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted"
_FRAMING = 64
"""Bytes reserved per message for the parameter name and Bolt framing."""

Step = tuple[str, list[list[dict[str, Any]]]]
"""A statement and the batches of rows to send with it."""


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


def fit(row: dict[str, Any], budget: int) -> Iterator[dict[str, Any]]:
    """The row, or when it is over `budget` bytes, rows with the same ends and a share of its
    properties each (`SET += props` merges them on the server)."""
    if size(row) + 1 <= budget:
        yield row
        return
    ends = {key: value for key, value in row.items() if key != "props"}
    part: dict[str, Any] = {}
    for key, value in row["props"].items():
        if size({**ends, "props": {key: value}}) + 1 > budget:
            raise BatchLimitError(f"property {key!r} of {ends} needs more than the batch byte cap allows "
                                  f"({budget} bytes after the statement); raise --batch-bytes")
        if part and size({**ends, "props": {**part, key: value}}) + 1 > budget:
            yield {**ends, "props": part}
            part = {}
        part[key] = value
    yield {**ends, "props": part}


def batches(rows: Iterable[dict[str, Any]], statement: str, limits: BatchLimits) -> Iterator[list[dict[str, Any]]]:
    """Consecutive batches of at most `limits.rows` rows whose statement and rows fit `limits.bytes`."""
    budget = limits.bytes - size(statement) - _FRAMING
    batch: list[dict[str, Any]] = []
    used = 2
    for row in rows:
        for part in fit(row, budget):
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
        rows = (server.encode({"id": row.id, "props": row.props}) for row in node_rows)
        nodes.append((statement, list(batches(rows, statement, limits))))
        result.nodes[label] += len(node_rows)
    for (rel, start, end), rel_rows in relationship_groups(graph).items():
        statement = RELATIONSHIP_STATEMENT.format(rel=_known(rel, RELATIONSHIPS), start=_known(start, LABELS),
                                                  end=_known(end, LABELS))
        rows = (server.encode({"start": row.start, "end": row.end, "props": row.props}) for row in rel_rows)
        relationships.append((statement, list(batches(rows, statement, limits))))
        result.relationships[rel] += len(rel_rows)
    return nodes, relationships, result


def _known(name: str, vocabulary: Iterable[str]) -> str:
    if name not in vocabulary:
        raise ValueError(f"{name!r} is not in the graph vocabulary")
    return name


def load(graph: KnowledgeGraph, driver: neo4j.Driver, conn: Connection, *, limits: BatchLimits = BatchLimits(),
         wipe: bool = False, progress: Progress | None = None, schema: Path = SCHEMA_FILE) -> LoadResult:
    """Load `graph` through `driver` into `conn.database`; with `wipe`, first delete every node with
    one of the graph's labels (and its relationships), nothing else."""
    progress = progress or Silent()
    started = time.perf_counter()
    server = detect(driver, conn)
    nodes, relationships, result = plan(graph, server, limits)
    with explained(conn), driver.session(database=conn.database) as session:
        result.schema = _apply_schema(session, server, schema)
        if wipe:
            progress.phase("wiping")
            result.wiped = _wipe(session, limits.rows)
        for description, groups in (("nodes", nodes), ("relationships", relationships)):
            progress.phase(description, sum(len(batch) for _, group in groups for batch in group))
            for statement, group in groups:
                for batch in group:
                    session.execute_write(_write, statement, batch)
                    result.batches += 1
                    progress.advance(len(batch))
    result.seconds = time.perf_counter() - started
    return result


def _write(tx: neo4j.ManagedTransaction, statement: str, rows: list[dict[str, Any]]) -> None:
    tx.run(statement, rows=rows).consume()


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
