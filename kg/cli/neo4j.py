"""`kg load`, `kg query` and `kg export neo4j-csv`: the graph in Neo4j."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from kg.cli.common import load_graph, progress_for_terminal
from kg.export.cypher_files import QuestionError, question, questions
from kg.export.json_graph import dumps
from kg.export.neo4j_connect import (DEFAULT_RETRY_TIME, DEFAULT_URI, DEFAULT_USER, Connection, GraphServerError,
                                     connect, detect)
from kg.export.neo4j_csv import write_neo4j_csv
from kg.export.neo4j_load import BatchLimitError, BatchLimits, load
from kg.export.neo4j_query import ask
from kg.graph import GraphError


def connection_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--uri, --user, --password, --database (each also read from its NEO4J_* environment variable)
    and --retry-time (KG_RETRY_TIME)."""
    options = [
        click.option("--uri", envvar="NEO4J_URI", default=DEFAULT_URI, show_default=True, show_envvar=True,
                     help="Bolt URI of the server."),
        click.option("--user", envvar="NEO4J_USERNAME", default=DEFAULT_USER, show_default=True, show_envvar=True,
                     help="User name."),
        click.option("--password", envvar="NEO4J_PASSWORD", show_envvar=True,
                     help="Password (prefer the environment variable; without one, no authentication)."),
        click.option("--database", envvar="NEO4J_DATABASE", show_envvar=True,
                     help="Database name (default: the server's default database)."),
        click.option("--retry-time", envvar="KG_RETRY_TIME", default=DEFAULT_RETRY_TIME, show_default=True,
                     show_envvar=True, type=click.FloatRange(0), metavar="SECONDS",
                     help="How long to keep retrying, with growing pauses, while the server is unreachable "
                          "(not started yet, restarting) or busy; wrong credentials are never retried."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _connection(uri: str, user: str, password: str | None, database: str | None, retry_time: float) -> Connection:
    return Connection(uri=uri, user=user, password=password, database=database or None, retry_time=retry_time)


@click.command("load")
@click.argument("graph_file", type=click.Path(dir_okay=False))
@connection_options
@click.option("--batch-rows", default=BatchLimits.rows, show_default=True, type=click.IntRange(1),
              help="At most this many rows per transaction.")
@click.option("--batch-bytes", default=BatchLimits.bytes, show_default=True, type=click.IntRange(512),
              help="At most about this many bytes (statement + JSON of the rows) per transaction.")
@click.option("--wipe", is_flag=True, help="First delete every node with one of this product's labels.")
def load_command(graph_file: str, uri: str, user: str, password: str | None, database: str | None,
                 retry_time: float, batch_rows: int, batch_bytes: int, wipe: bool) -> None:
    """Load GRAPH_FILE (a graph.json) into Neo4j: idempotent, batched UNWIND ... MERGE.

    Loading twice changes nothing; loading a bigger graph adds what is new; a load stopped by a lost
    server completes when run again. On Neo4j, cypher/schema.cypher (constraints and indexes) is
    applied first.
    """
    graph = load_graph(graph_file)
    conn = _connection(uri, user, password, database, retry_time)
    bar = progress_for_terminal()
    try:
        driver = connect(conn)
        with driver, bar or contextlib.nullcontext():
            result = load(graph, driver, conn, limits=BatchLimits(batch_rows, batch_bytes), wipe=wipe, progress=bar)
    except (GraphServerError, BatchLimitError, GraphError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"server: {result.server.description}", err=True)
    click.echo(f"schema: {result.schema}", err=True)
    if wipe:
        click.echo(f"wiped {result.wiped} nodes", err=True)
    click.echo("nodes: " + ", ".join(f"{k} {v}" for k, v in result.nodes.items())
               + "; relationships: " + ", ".join(f"{k} {v}" for k, v in result.relationships.items()), err=True)
    click.echo(f"loaded {result.rows} rows into {conn.where} in {result.batches} batches, "
               f"{result.seconds:.2f} s ({result.rate:.0f} rows/s)", err=True)


def _params(values: tuple[str, ...]) -> dict[str, str]:
    pairs = {}
    for value in values:
        key, sep, text = value.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{value!r} is not key=value", param_hint="--param")
        pairs[key] = text
    return pairs


@click.command("query")
@click.argument("name", required=False)
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="A parameter of the question (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON instead of a table.")
@click.option("--list", "list_all", is_flag=True, help="List the named questions and exit.")
@connection_options
def query_command(name: str | None, params: tuple[str, ...], as_json: bool, list_all: bool, uri: str, user: str,
                  password: str | None, database: str | None, retry_time: float) -> None:
    """Run the named question NAME (cypher/queries/NAME.cypher) and print its rows."""
    if list_all:
        for item in questions().values():
            click.echo(f"{item.name:<40} {item.title}")
            for param in item.params:
                click.echo(f"{'':<42}--param {param.name}={param.example}  ({param.help})")
        return
    if not name:
        raise click.UsageError("give a question NAME, or --list to see them")
    try:
        chosen = question(name)
        given = chosen.parse(_params(params))
        conn = _connection(uri, user, password, database, retry_time)
        with connect(conn) as driver:
            rows = ask(driver, conn, detect(driver, conn), chosen, given)
    except (QuestionError, GraphServerError) as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(dumps(rows), nl=False)
        return
    _print_table(chosen.title, rows)


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_text(item) for item in value)
    return "" if value is None else str(value)


def _print_table(title: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        click.echo(f"{title}: no rows")
        return
    table = Table(title=title)
    for column in rows[0]:
        table.add_column(column)
    for row in rows:
        table.add_row(*(_text(value) for value in row.values()))
    Console().print(table)


@click.command("neo4j-csv")
@click.argument("graph_file", type=click.Path(dir_okay=False))
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder for the CSV files and import.sh.")
def neo4j_csv_command(graph_file: str, out_dir: str) -> None:
    """Write neo4j-admin bulk-import CSV files and import.sh for GRAPH_FILE."""
    try:
        written = write_neo4j_csv(load_graph(graph_file), Path(out_dir))
    except GraphError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"wrote {written}; run `bash {written / 'import.sh'}` from the repository to import", err=True)
