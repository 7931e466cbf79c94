"""Faults while `kg load` talks to the real Bolt test server (FalkorDB, see tests/bolt_server.py), each
run as the `kg` command a user runs: the server stopped or killed in the middle of a load, a server
that is not up yet, a wrong password, a wrong port. Each ends with a one-line reason and exit status 1
(no traceback), or with the load complete; a load run again after a failure leaves exactly what
graph.json holds."""

from __future__ import annotations

import json
import re
import socketserver
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.graph import KnowledgeGraph
from tests.bolt_server import WRONG_PASSWORD, BoltServer, free_port
from tests.neo4j_support import (expected_state, graph_counts, kg_env, rich_graph, run_kg, server_counts, server_state,
                                 start_kg, user_message, write_graph)

pytestmark = pytest.mark.server

MANY_SMALL = ("--batch-rows", "2", "--batch-bytes", "3500")
"""Many small transactions: the seed graph's load lasts seconds, long enough to stop the server in the
middle (and every Bolt message stays under the 4 KB the test server survives)."""
FEWER = ("--batch-rows", "50", "--batch-bytes", "3500")
STARTED = 200
"""Nodes the server holds when a test decides the load is well under way."""


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[Callable[..., BoltServer]]:
    """Make servers of the test's own (to stop and kill); all are stopped at the end."""
    made: list[BoltServer] = []

    def make(**settings: Any) -> BoltServer:
        made.append(BoltServer(tmp_path / f"falkordb-{len(made)}", **settings))
        return made[-1]

    yield make
    for server in made:
        server.stop()


@pytest.fixture
def rich_graph_file(tmp_path: Path) -> Path:
    return write_graph(rich_graph(), tmp_path / "graph.json")


def wait_for_nodes(server: BoltServer, at_least: int, load: subprocess.Popen[str]) -> None:
    """Return once the server holds `at_least` nodes, while the `load` process loads them."""
    with server.driver() as driver:
        while driver.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"] < at_least:
            assert load.poll() is None, "kg load ended before the server was stopped"
            time.sleep(0.02)


def stderr_until(process: subprocess.Popen[str], text: str) -> str:
    """The process's stderr up to and including the first line that holds `text` (all of it at EOF)."""
    assert process.stderr is not None
    seen = []
    for line in process.stderr:
        seen.append(line)
        if text in line:
            break
    return "".join(seen)


def assert_holds_exactly(server: BoltServer, graph_file: Path) -> None:
    """Counts per label and type as the server counts them (duplicates would show) equal graph.json,
    and so does every node and relationship with its properties."""
    with server.driver() as driver:
        assert server_counts(driver) == graph_counts(KnowledgeGraph.load(graph_file))
        assert server_state(driver) == expected_state(json.loads(graph_file.read_text(encoding="utf-8")))


def test_server_stopped_mid_load_then_a_rerun_completes_without_duplicates(servers: Callable[..., BoltServer],
                                                                           seed_graph_file: Path) -> None:
    server = servers(persistent=True)
    server.start()
    env = kg_env(server.uri, KG_RETRY_TIME="1")
    load = start_kg("load", str(seed_graph_file), *MANY_SMALL, env=env)
    wait_for_nodes(server, STARTED, load)
    server.stop()  # SIGTERM: like a database, the server keeps what was committed
    _, stderr = load.communicate(timeout=60)
    assert load.returncode == 1
    assert re.fullmatch(rf"Error: lost the Bolt server at {server.uri} after \d+ of \d+ batches, and it did not come "
                        r"back within --retry-time \(1 s\): .*Connection refused\. The batches written stay; loading "
                        r"is idempotent, so run kg load again to complete the graph", user_message(stderr))
    server.start()
    with server.driver() as driver:
        kept = sum(server_counts(driver)[0].values())
    assert STARTED <= kept < len(KnowledgeGraph.load(seed_graph_file).g), "the restarted server keeps part of the load"
    server.settle()
    again = run_kg("load", str(seed_graph_file), *FEWER, env=env)
    assert again.returncode == 0, again.stderr
    assert_holds_exactly(server, seed_graph_file)


def test_server_killed_and_back_empty_mid_load_is_reported_not_hidden(servers: Callable[..., BoltServer],
                                                                      seed_graph_file: Path) -> None:
    server = servers()  # not persistent: killed and started again, it has lost every node
    server.start()
    env = kg_env(server.uri, KG_RETRY_TIME="30")
    load = start_kg("load", str(seed_graph_file), *MANY_SMALL, env=env)
    wait_for_nodes(server, STARTED, load)
    server.kill()
    server.start()
    _, stderr = load.communicate(timeout=90)
    assert load.returncode == 1, "the driver carried on after the restart, but relationships lost their nodes"
    assert re.fullmatch(r"Error: \d+ of \d+ \w+ relationships \(\w+ -> \w+\) in a batch were not written: their start "
                        rf"or end node is missing at {server.uri} \(database default\)\. The server lost nodes during "
                        r"the load \(a restart without its data, or another client deleting them\); run kg load again",
                        user_message(stderr))
    server.settle()
    again = run_kg("load", str(seed_graph_file), *FEWER, env=env)
    assert again.returncode == 0, again.stderr
    assert_holds_exactly(server, seed_graph_file)


def test_load_waits_for_a_server_that_is_not_up_yet(servers: Callable[..., BoltServer], rich_graph_file: Path) -> None:
    server = servers(bolt_port=free_port(), redis_port=free_port())
    load = start_kg("load", str(rich_graph_file), *FEWER, env=kg_env(server.uri, KG_RETRY_TIME="30"))
    waiting = stderr_until(load, "Connection refused")
    assert "will be retried" in waiting and load.poll() is None, waiting
    server.start()
    _, stderr = load.communicate(timeout=60)
    assert load.returncode == 0, waiting + stderr
    assert re.search(rf"loaded \d+ rows into {server.uri}", stderr)
    assert_holds_exactly(server, rich_graph_file)


def test_a_wrong_password_is_never_retried(bolt_server: BoltServer, rich_graph_file: Path) -> None:
    bolt_server.settle()
    started = time.monotonic()
    result = run_kg("load", str(rich_graph_file), env=kg_env(bolt_server.uri, NEO4J_PASSWORD=WRONG_PASSWORD,
                                                             KG_RETRY_TIME="60"))
    assert result.returncode == 1 and time.monotonic() - started < 15
    assert "will be retried" not in result.stderr
    assert user_message(result.stderr) == (f"Error: authentication failed for user 'falkordb' at {bolt_server.uri}: "
                                           "check --user/--password (or NEO4J_USERNAME/NEO4J_PASSWORD)")


class _HttpAnswer(socketserver.BaseRequestHandler):
    """What an HTTP port (Neo4j Browser's 7474) answers to bytes that are not HTTP."""

    def handle(self) -> None:
        self.request.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")


@pytest.fixture
def http_port() -> Iterator[int]:
    with socketserver.TCPServer(("127.0.0.1", 0), _HttpAnswer) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield server.server_address[1]
        server.shutdown()


def test_a_port_where_nothing_listens_is_retried_for_the_retry_time_then_explained(rich_graph_file: Path) -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    started = time.monotonic()
    result = run_kg("load", str(rich_graph_file), "--retry-time", "1", env=kg_env(uri))
    assert result.returncode == 1 and time.monotonic() - started < 15
    assert "will be retried" in result.stderr
    assert user_message(result.stderr) == (f"Error: cannot reach a Bolt server at {uri} (retried for --retry-time "
                                           "1 s): [Errno 111] Connection refused. Is the server running (docker "
                                           "compose -f docker/docker-compose.yml up -d) and is --uri right?")


def test_the_http_port_instead_of_the_bolt_port_is_named(rich_graph_file: Path, http_port: int) -> None:
    uri = f"bolt://127.0.0.1:{http_port}"
    result = run_kg("load", str(rich_graph_file), "--retry-time", "0", env=kg_env(uri))
    assert result.returncode == 1
    assert user_message(result.stderr) == (f"Error: {uri} answers in HTTP, not Bolt: give the Bolt port (7687 by "
                                           "default), not the HTTP port of Neo4j Browser (7474)")
