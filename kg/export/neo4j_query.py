"""Ask a named question (cypher/queries/NAME.cypher) over Bolt; rows come back as plain values, with
nodes given by id and relationships as `[start id, type, end id]`, like kg.questions gives them."""

from __future__ import annotations

from typing import Any

import neo4j
from neo4j.graph import Node, Path, Relationship

from kg.export.cypher_files import Question
from kg.export.neo4j_connect import Connection, Server, explained


def plain(value: Any) -> Any:
    """A result value without driver types: nodes by id, relationships by ends and type, paths as node ids."""
    if isinstance(value, Node):
        return value.get("id", value.element_id)
    if isinstance(value, Relationship):
        return [plain(value.start_node), value.type, plain(value.end_node)]
    if isinstance(value, Path):
        return [plain(node) for node in value.nodes]
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


def _rows(tx: neo4j.ManagedTransaction, cypher: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return [{key: plain(value) for key, value in record.items()} for record in tx.run(cypher, params)]


def ask(driver: neo4j.Driver, conn: Connection, server: Server, question: Question,
        params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The question's rows, in its ORDER BY order; missing parameters take their example values."""
    arguments = server.parameters(question.arguments(params))
    with explained(conn), driver.session(database=conn.database) as session:
        return session.execute_read(_rows, question.cypher, arguments)
