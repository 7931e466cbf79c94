"""Clear errors, never the password: an unreachable server and a wrong password (against the real,
password-protected FalkorDB server: it checks Bolt credentials with redis AUTH), a bad URI, and the
unknown-database code Neo4j sends (FalkorDB has no such error, so that one is checked on the driver's
own exception object)."""

from __future__ import annotations

import logging

import pytest
from neo4j.exceptions import Neo4jError

from kg.export.neo4j_connect import Connection, GraphServerError, connect, explain
from tests.bolt_server import PASSWORD, WRONG_PASSWORD, BoltServer, free_port

pytestmark = pytest.mark.server


def test_an_unreachable_server_is_a_clear_error() -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    with pytest.raises(GraphServerError, match=rf"cannot reach a Bolt server at {uri}.*Is the server running"):
        connect(Connection(uri=uri, password=PASSWORD, retry_time=0.5))


def test_a_wrong_password_is_a_clear_error_without_the_password(bolt_server: BoltServer,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="neo4j")
    bolt_server.settle()
    with pytest.raises(GraphServerError, match="authentication failed for user 'falkordb'") as raised:
        connect(bolt_server.connection(password=WRONG_PASSWORD))
    assert WRONG_PASSWORD not in str(raised.value)
    assert WRONG_PASSWORD not in caplog.text and "LOGON" in caplog.text


def test_a_user_the_server_does_not_know_is_an_authentication_error(bolt_server: BoltServer) -> None:
    bolt_server.settle()
    with pytest.raises(GraphServerError, match="authentication failed for user 'neo4j'"):
        connect(bolt_server.connection(user="neo4j"))


def test_the_right_password_connects_and_is_never_logged(bolt_server: BoltServer,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with bolt_server.driver() as driver:
        assert driver.execute_query("RETURN 1 AS one").records[0]["one"] == 1
    assert PASSWORD not in caplog.text and "LOGON" in caplog.text


def test_an_unusable_uri_is_a_clear_error() -> None:
    with pytest.raises(GraphServerError, match="cannot use --uri 'localhost:7687'"):
        connect(Connection(uri="localhost:7687"))


def test_neo4js_unknown_database_code_is_explained() -> None:
    error = Neo4jError._hydrate_neo4j(code="Neo.ClientError.Database.DatabaseNotFound",
                                      message="Graph not found: papers")
    explained = explain(error, Connection(database="papers", password=PASSWORD))
    assert str(explained).startswith("database 'papers' does not exist at bolt://localhost:7687")
    assert PASSWORD not in str(explained)


def test_other_refusals_name_the_server_code(bolt_server: BoltServer) -> None:
    error = Neo4jError._hydrate_neo4j(code="Neo.ClientError.Statement.SyntaxError", message="Invalid input")
    assert "refused a statement: Neo.ClientError.Statement.SyntaxError: Invalid input" in str(
        explain(error, bolt_server.connection()))
