"""The `kg` commands are imported when they run: each one resolves, and a command that needs no
graph server, SHACL or HTML views does not pay for importing their libraries."""

from __future__ import annotations

import json
import subprocess
import sys

import click

from kg.cli import cli
from kg.cli.main import COMMANDS

from .conftest import FIXTURES

SLOW = ("neo4j", "pyshacl", "pyvis")


def test_every_command_resolves_to_its_click_command() -> None:
    context = click.Context(cli)
    assert cli.list_commands(context) == sorted(COMMANDS)
    for name in COMMANDS:
        command = cli.get_command(context, name)
        assert isinstance(command, click.Command) and command.name == name
    export = cli.get_command(context, "export")
    assert isinstance(export, click.Group)
    assert sorted(export.list_commands(context)) == ["neo4j-csv", "rdf"]
    assert all(isinstance(export.get_command(context, n), click.Command) for n in ("neo4j-csv", "rdf"))


def test_extract_imports_no_server_shacl_or_view_library() -> None:
    script = ("import json, sys\nfrom kg.cli import cli\n"
              f"cli(['extract', {str(FIXTURES / 'hf_paper.json')!r}], standalone_mode=False)\n"
              f"print(json.dumps([m for m in {SLOW!r} if m in sys.modules]))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert '"paper"' in done.stdout.splitlines()[0]
    assert json.loads(done.stdout.splitlines()[-1]) == []
