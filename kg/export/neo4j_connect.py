"""Connecting to a Bolt server with the official neo4j driver: settings, clear errors, and what the
server really is (FalkorDB's Bolt listener announces itself as `Neo4j/5.13.0`).

Retrying is the driver's: every managed transaction (the first query of `connect`, each batch of a
load) is retried with exponential backoff while the server refuses connections or reports a
transient error, for up to `Connection.retry_time` seconds. Authentication failures and refused
statements are never retried."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import neo4j
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable

DEFAULT_URI = "bolt://localhost:7687"
DEFAULT_USER = "neo4j"
DEFAULT_RETRY_TIME = 30.0
"""Seconds the driver keeps retrying a transaction that failed for a reason retrying can help with
(its own default)."""
CONNECT_TIMEOUT = 10.0
"""Seconds one connection attempt (TCP and Bolt handshake) may take. The driver's defaults (30 s,
and 60 s to acquire a connection) let a port where something else listens hang a minute per attempt."""
_STRING_PROBE = "a\\nb"
"""A backslash then `n`: a server that pastes parameters into the query text turns it into a newline."""
_TRICKY = "it's a \\ and a \\n"
_KEY_PROBE = "a b: c"
"""A map key that is no Cypher identifier: it comes back unchanged only if quoting keys works."""
_REASON = re.compile(r"\(reason (?P<reason>[^()]+)\)\)?$")


class GraphServerError(RuntimeError):
    """The graph server cannot be used: unreachable, wrong credentials, unknown database, or a failed
    statement. The message says what to check; it never contains the password."""


@dataclass(frozen=True)
class Connection:
    """Where and as whom to connect; `password=None` connects without authentication; `retry_time`
    bounds the driver's retries of each transaction (connecting included)."""

    uri: str = DEFAULT_URI
    user: str = DEFAULT_USER
    password: str | None = field(default=None, repr=False)
    database: str | None = None
    retry_time: float = DEFAULT_RETRY_TIME

    @property
    def where(self) -> str:
        return f"{self.uri} (database {self.database or 'default'})"


def escape_string(text: str) -> str:
    """Escape a string for a server that pastes it between single quotes into the query text."""
    return text.replace("\\", "\\\\").replace("'", "\\'")


def quote_key(key: str) -> str:
    """A map key for a server that pastes it into the query text: between backticks, so it stays a
    key whatever it holds. Such servers cannot take a backtick inside a key."""
    if "`" in key:
        raise GraphServerError(f"property name {key!r} contains a backtick: this server pastes parameters into "
                               "the query text and cannot take it; rename the property in the graph")
    return f"`{key}`"


@dataclass(frozen=True)
class Server:
    """What answered: its agent string, whether it is Neo4j, and whether parameters must be escaped
    because the server pastes them into the query text (FalkorDB does): then strings are escaped and
    map keys quoted."""

    agent: str
    is_neo4j: bool
    description: str
    escape_strings: bool = False

    def encode(self, value: Any) -> Any:
        """A parameter value as this server needs it: unchanged, or for a server that pastes
        parameters into the query text, strings escaped and map keys quoted (also nested)."""
        if not self.escape_strings:
            return value
        if isinstance(value, str):
            return escape_string(value)
        if isinstance(value, list):
            return [self.encode(item) for item in value]
        if isinstance(value, dict):
            return {quote_key(key): self.encode(item) for key, item in value.items()}
        return value

    def parameters(self, values: dict[str, Any]) -> dict[str, Any]:
        """Names that the query text refers to (query parameters, the fields of a loader row) as they
        are, their values encoded."""
        return {name: self.encode(value) for name, value in values.items()}


def redacted(uri: str) -> str:
    """`uri` with any password in it replaced by `***`."""
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=f"{parts.username or ''}:***@{host}").geturl()


def _code(exc: Neo4jError) -> str:
    """The server's own error code, also when the driver did not recognise it (FalkorDB's codes)."""
    metadata = getattr(exc, "metadata", None)
    raw = metadata.get("code") if isinstance(metadata, dict) else None
    return raw or exc.code or ""


def explain(exc: Exception, conn: Connection) -> GraphServerError:
    """A GraphServerError that says what went wrong with `conn` and what to check."""
    if isinstance(exc, ServiceUnavailable):
        if "looks like HTTP" in str(exc):
            return GraphServerError(f"{conn.uri} answers in HTTP, not Bolt: give the Bolt port (7687 by default), "
                                    "not the HTTP port of Neo4j Browser (7474)")
        return GraphServerError(f"cannot reach a Bolt server at {conn.uri} (retried for --retry-time "
                                f"{conn.retry_time:g} s): {reason(exc)}. Is the server running "
                                "(docker compose -f docker/docker-compose.yml up -d) and is --uri right?")
    if isinstance(exc, AuthError) or (isinstance(exc, Neo4jError) and _code(exc).endswith("Security.Unauthorized")):
        return GraphServerError(f"authentication failed for user {conn.user!r} at {conn.uri}: "
                                "check --user/--password (or NEO4J_USERNAME/NEO4J_PASSWORD)")
    if isinstance(exc, Neo4jError) and _code(exc) == "Neo.ClientError.Database.DatabaseNotFound":
        return GraphServerError(f"database {conn.database!r} does not exist at {conn.uri}: "
                                "check --database (or NEO4J_DATABASE); `SHOW DATABASES` lists them")
    if isinstance(exc, Neo4jError):
        return GraphServerError(f"the server at {conn.where} refused a statement: {_code(exc)}: {exc.message}")
    return GraphServerError(f"Bolt connection to {conn.uri} failed: {reason(exc)}")


def reason(exc: Exception) -> str:
    """The driver's message on one line, cut to the operating system's reason when it gives one."""
    text = " ".join(str(exc).split())
    found = _REASON.search(text)
    return found["reason"] if found else text


@contextmanager
def explained(conn: Connection) -> Iterator[None]:
    """Turn driver errors raised inside the block into GraphServerError."""
    try:
        yield
    except (DriverError, Neo4jError) as exc:
        raise explain(exc, conn) from exc


def connect(conn: Connection) -> neo4j.Driver:
    """An open driver whose server and database answered, or GraphServerError. The first query is a
    managed transaction, so a server that is not up yet is waited for (see the module docstring)."""
    if urlsplit(conn.uri).password is not None:
        raise GraphServerError(f"--uri {redacted(conn.uri)!r} holds a password: give it with NEO4J_PASSWORD "
                               "(or --password) instead")
    auth = None if conn.password is None else neo4j.basic_auth(conn.user, conn.password)
    try:
        driver = neo4j.GraphDatabase.driver(conn.uri, auth=auth, max_transaction_retry_time=conn.retry_time,
                                            connection_timeout=CONNECT_TIMEOUT,
                                            connection_acquisition_timeout=CONNECT_TIMEOUT)
    except (DriverError, ImportError, ValueError) as exc:
        raise GraphServerError(f"cannot use --uri {conn.uri!r}: {exc}") from exc
    try:
        with explained(conn):
            driver.execute_query("RETURN 1 AS ok", database_=conn.database)
    except GraphServerError:
        driver.close()
        raise
    return driver


def detect(driver: neo4j.Driver, conn: Connection) -> Server:
    """Neo4j when the agent says so and `dbms.components()` answers as the Neo4j kernel; otherwise the
    server is described by its agent and probed for how it passes parameters."""
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
            if escape and (_echo(session, escape_string(_TRICKY)) != _TRICKY
                           or _keys(session, {quote_key(_KEY_PROBE): 1}) != [_KEY_PROBE]):
                raise GraphServerError(f"the server at {conn.where} alters parameters in a way kg cannot undo")
    how = "; it pastes parameters into the query text, so strings are escaped and keys quoted" if escape else ""
    return Server(agent, False, f"{agent} agent without Neo4j's dbms.components() (not Neo4j{how})", escape)


def _echo(session: neo4j.Session, text: str) -> str:
    return session.run("RETURN $probe AS probe", probe=text).single(strict=True)["probe"]


def _keys(session: neo4j.Session, probe: dict[str, Any]) -> list[str]:
    return session.run("RETURN keys($probe) AS probe", probe=probe).single(strict=True)["probe"]
