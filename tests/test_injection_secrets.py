"""No secret in code, compose files or logs: no file of the repository holds a password (only the
example env file holds its documented placeholder), Docker Compose takes the password from the
ignored docker/.env, and `kg -vv load` never prints or logs a password, neither on a failed login
nor on a load, nor when one is written into --uri."""

from __future__ import annotations

import logging
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kg.cli import cli
from tests.bolt_server import PASSWORD, USER, WRONG_PASSWORD, BoltServer
from tests.neo4j_support import kg_env, rich_graph, run_kg, user_message, write_graph

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_ENV = "docker/neo4j.env.example"
_LITERAL = r"""(?P<q>["'])(?P<value>[^"'\n]+)(?P=q)"""
_NAME = r"(?:password|passwd|passphrase|api_?key|access_?key|secret_?key|client_?secret|auth_?token|private_?key)"
PATTERNS = {
    "quoted value of a password-like name": re.compile(rf"(?i){_NAME}\w*[\"']?\s*[:=]\s*[rbuf]?{_LITERAL}"),
    "env assignment": re.compile(rf"(?im)^\s*(?:export\s+)?\w*{_NAME}\w*=(?P<value>[^\s\"'$#][^\s#]*)"),
    "NEO4J_AUTH": re.compile(r"(?m)^\s*(?:-\s*)?[\"']?NEO4J_AUTH[\"']?\s*[:=]\s*[\"']?[^/\s\"'$]+/"
                             r"(?P<value>[^\s\"']+)"),
    "command-line option": re.compile(r"--(?:password|requirepass)[ =][\"']?(?P<value>[^\s\"'()\[\]]+)"),
    "password in a URI": re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s/:@\"'<>]+:(?P<value>[^\s/@\"'<>]+)@"),
    "driver credentials": re.compile(rf"(?:basic_auth\([^,()]+,|auth=\(\s*[\"'][^\"']*[\"']\s*,)\s*{_LITERAL}"),
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
}
"""Ways a password gets written down: assigned to a password-like name, in an env file, in Neo4j's
NEO4J_AUTH (user, slash, password), a command-line option, a URI, the driver's auth, a key file."""
PLACEHOLDER = re.compile(r"^(?:\$.*|%\(.*|\{.*\}|<.*>|.*\s.*|[A-Z][A-Z_]*|\*+)$")
"""Not a secret: a reference ($VAR, %(name)s, {field}), a <placeholder>, words, a METAVAR, a mask."""


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    kind: str
    value: str


def repository_files() -> list[str]:
    """Tracked files and new ones not ignored (what the next commit can hold)."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                                capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"not a git work tree: {exc}")
    return sorted({name for name in listed.decode("utf-8").split("\0") if name and (ROOT / name).is_file()})


def findings(path: str, text: str) -> Iterator[Finding]:
    """Every password-like literal in `text` that is not a placeholder."""
    for kind, pattern in PATTERNS.items():
        for match in pattern.finditer(text):
            value = match.groupdict().get("value") or match.group()
            if not PLACEHOLDER.match(value):
                yield Finding(path, text.count("\n", 0, match.start()) + 1, kind, value)


def scan(names: list[str]) -> list[Finding]:
    found: list[Finding] = []
    for name in names:
        data = (ROOT / name).read_bytes()
        if b"\0" not in data[:8192]:
            found += findings(name, data.decode("utf-8", "replace"))
    return found


def test_no_file_holds_a_password_but_the_example_env_files_placeholder() -> None:
    names = repository_files()
    assert EXAMPLE_ENV in names and "docker/docker-compose.yml" in names
    found = scan(names)
    allowed = [f for f in found if f.path == EXAMPLE_ENV and f.kind == "NEO4J_AUTH" and f.value.startswith("change-me")]
    assert len(allowed) == 1, "the example env file shows the placeholder to replace"
    assert [f for f in found if f not in allowed] == []


@pytest.mark.parametrize("planted", [
    "=".join(("NEO4J_PASSWORD", "hunter2hunter2")),
    "=".join(("conn = Connection(password", repr("hunter2hunter2") + ")")),
    ": ".join(('"apiKey"', '"hunter2hunter2"')),
    "=".join(("NEO4J_AUTH", "neo4j/hunter2hunter2")),
    " ".join(("redis-server --requirepass", "hunter2hunter2")),
    "@".join(("bolt://neo4j:hunter2hunter2", "localhost:7687")),
    ", ".join(("neo4j.basic_auth(user", repr("hunter2hunter2") + ")")),
])
def test_the_scan_finds_planted_passwords(planted: str) -> None:
    assert [f.value for f in findings("planted", planted + "\n")] in (["hunter2hunter2"], ["neo4j/hunter2hunter2"])


def test_compose_takes_the_password_from_the_ignored_env_file() -> None:
    compose = yaml.safe_load((ROOT / "docker" / "docker-compose.yml").read_text(encoding="utf-8"))
    neo4j = compose["services"]["neo4j"]
    env_files = neo4j["env_file"] if isinstance(neo4j["env_file"], list) else [neo4j["env_file"]]
    assert env_files == [".env"]
    environment = neo4j.get("environment") or {}
    names = environment if isinstance(environment, dict) else [item.partition("=")[0] for item in environment]
    assert "NEO4J_AUTH" not in names
    assert "$${NEO4J_AUTH" in " ".join(neo4j["healthcheck"]["test"]), "the health check reads the env file's value"
    ignored = subprocess.run(["git", "check-ignore", "-q", "docker/.env"], cwd=ROOT, check=False)
    assert ignored.returncode == 0 and "docker/.env" not in repository_files()


@pytest.fixture
def graph_file(tmp_path: Path) -> Path:
    return write_graph(rich_graph(), tmp_path / "graph.json")


def _printed(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout + result.stderr


def test_a_failed_login_with_debug_logging_prints_no_password(bolt_server: BoltServer, graph_file: Path) -> None:
    bolt_server.settle()
    result = run_kg("-vv", "load", str(graph_file), env=kg_env(bolt_server.uri, NEO4J_PASSWORD=WRONG_PASSWORD))
    assert result.returncode == 1 and "authentication failed for user 'falkordb'" in result.stderr
    assert "'credentials': '*******'" in result.stderr, "the driver's debug log shows the login, masked"
    assert WRONG_PASSWORD not in _printed(result) and PASSWORD not in _printed(result)


def test_a_load_with_debug_logging_prints_no_password(bolt_server: BoltServer, graph_file: Path) -> None:
    bolt_server.settle()
    result = run_kg("-vv", "load", str(graph_file), "--batch-bytes", "3500", env=kg_env(bolt_server.uri))
    assert result.returncode == 0, result.stderr
    assert "C: LOGON" in result.stderr and "C: RUN" in result.stderr
    assert PASSWORD not in _printed(result)


def test_log_records_of_a_failed_login_hold_no_password(bolt_server: BoltServer, graph_file: Path,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    bolt_server.settle()
    result = CliRunner().invoke(cli, ["-vv", "load", str(graph_file)],
                                env=kg_env(bolt_server.uri, NEO4J_PASSWORD=WRONG_PASSWORD))
    assert result.exit_code == 1
    records = [record.getMessage() for record in caplog.records]
    assert any("LOGON" in message for message in records)
    assert not [message for message in records if WRONG_PASSWORD in message or PASSWORD in message]
    assert WRONG_PASSWORD not in result.output


def test_a_password_written_into_the_uri_is_refused_and_not_printed(bolt_server: BoltServer, graph_file: Path) -> None:
    host = bolt_server.uri.removeprefix("bolt://")
    result = run_kg("-vv", "load", str(graph_file), "--uri", f"bolt://{USER}:{PASSWORD}@{host}",
                    env=kg_env(bolt_server.uri))
    assert result.returncode == 1
    assert user_message(result.stderr) == (f"Error: --uri 'bolt://{USER}:***@{host}' holds a password: "
                                           "give it with NEO4J_PASSWORD (or --password) instead")
    assert PASSWORD not in _printed(result)
