"""Connecting to a Bolt server with the official neo4j driver: settings, clear errors, and what the
server really is (FalkorDB's Bolt listener announces itself as `Neo4j/5.13.0`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import neo4j
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable

DEFAULT_URI = "bolt://localhost:7687"
DEFAULT_USER = "neo4j"
_STRING_PROBE = "a\\nb"
"""A backslash then `n`: a server that pastes parameters into the query text turns it into a newline."""
_TRICKY = "it's a \\ and a \\n"


class GraphServerError(RuntimeError):
    """The graph server cannot be used: unreachable, wrong credentials, unknown database, or a failed
    statement. The message says what to check; it never contains the password."""


@dataclass(frozen=True)
class Connection:
    """Where and as whom to connect; `password=None` connects without authentication."""

    uri: str = DEFAULT_URI
    user: str = DEFAULT_USER
    password: str | None = field(default=None, repr=False)
    database: str | None = None

    @property
    def where(self) -> str:
        return f"{self.uri} (database {self.database or 'default'})"


def escape_string(text: str) -> str:
    """Escape a string for a server that pastes it between single quotes into the query text."""
    return text.replace("\\", "\\\\").replace("'", "\\'")


@dataclass(frozen=True)
class Server:
    """What answered: its agent string, whether it is Neo4j, and whether string parameters must be
    escaped because the server pastes them into the query text (FalkorDB does)."""

    agent: str
    is_neo4j: bool
    description: str
    escape_strings: bool = False

    def encode(self, value: Any) -> Any:
        """A parameter value as this server needs it: strings (also inside lists and maps) escaped
        when the server pastes parameters into the query text, otherwise unchanged."""
        if not self.escape_strings:
            return value
        if isinstance(value, str):
            return escape_string(value)
        if isinstance(value, list):
            return [self.encode(item) for item in value]
        if isinstance(value, dict):
            return {key: self.encode(item) for key, item in value.items()}
        return value


def _code(exc: Neo4jError) -> str:
    """The server's own error code, also when the driver did not recognise it (FalkorDB's codes)."""
    metadata = getattr(exc, "metadata", None)
    raw = metadata.get("code") if isinstance(metadata, dict) else None
    return raw or exc.code or ""


def explain(exc: Exception, conn: Connection) -> GraphServerError:
    """A GraphServerError that says what went wrong with `conn` and what to check."""
    if isinstance(exc, ServiceUnavailable):
        return GraphServerError(f"cannot reach a Bolt server at {conn.uri}: {_one_line(exc)}. Is the server running "
                                "(docker compose -f docker/docker-compose.yml up -d) and is --uri right?")
    if isinstance(exc, AuthError) or (isinstance(exc, Neo4jError) and _code(exc).endswith("Security.Unauthorized")):
        return GraphServerError(f"authentication failed for user {conn.user!r} at {conn.uri}: "
                                "check --user/--password (or NEO4J_USERNAME/NEO4J_PASSWORD)")
    if isinstance(exc, Neo4jError) and _code(exc) == "Neo.ClientError.Database.DatabaseNotFound":
        return GraphServerError(f"database {conn.database!r} does not exist at {conn.uri}: "
                                "check --database (or NEO4J_DATABASE); `SHOW DATABASES` lists them")
    if isinstance(exc, Neo4jError):
        return GraphServerError(f"the server at {conn.where} refused a statement: {_code(exc)}: {exc.message}")
    return GraphServerError(f"Bolt connection to {conn.uri} failed: {_one_line(exc)}")


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


@contextmanager
def explained(conn: Connection) -> Iterator[None]:
    """Turn driver errors raised inside the block into GraphServerError."""
    try:
        yield
    except (DriverError, Neo4jError) as exc:
        raise explain(exc, conn) from exc


def connect(conn: Connection) -> neo4j.Driver:
    """An open driver whose server and database answered, or GraphServerError."""
    auth = None if conn.password is None else neo4j.basic_auth(conn.user, conn.password)
    try:
        driver = neo4j.GraphDatabase.driver(conn.uri, auth=auth)
    except (DriverError, ImportError, ValueError) as exc:
        raise GraphServerError(f"cannot use --uri {conn.uri!r}: {exc}") from exc
    try:
        with explained(conn):
            driver.verify_connectivity()
            driver.execute_query("RETURN 1 AS ok", database_=conn.database)
    except GraphServerError:
        driver.close()
        raise
    return driver


def detect(driver: neo4j.Driver, conn: Connection) -> Server:
    """Neo4j when the agent says so and `dbms.components()` answers as the Neo4j kernel; otherwise the
    server is described by its agent and probed for how it passes string parameters."""
    with explained(conn):
        agent = driver.get_server_info().agent
        with driver.session(database=conn.database) as session:
            if agent.startswith("Neo4j/"):
                try:
                    rows = session.run("CALL dbms.components() YIELD name, versions, edition "
                                       "RETURN name, versions, edition").data()
                except Neo4jError:
                    rows = []
                kernel = [row for row in rows if row["name"] == "Neo4j Kernel"]
                if kernel:
                    version = ", ".join(kernel[0]["versions"])
                    return Server(agent, True, f"Neo4j {version} {kernel[0]['edition']}")
            escape = _echo(session, _STRING_PROBE) != _STRING_PROBE
            if escape and _echo(session, escape_string(_TRICKY)) != _TRICKY:
                raise GraphServerError(f"the server at {conn.where} alters string parameters in a way kg cannot undo")
    how = "; it pastes parameters into the query text, so strings are escaped" if escape else ""
    return Server(agent, False, f"{agent} agent without Neo4j's dbms.components() (not Neo4j{how})", escape)


def _echo(session: neo4j.Session, text: str) -> str:
    return session.run("RETURN $probe AS probe", probe=text).single(strict=True)["probe"]
