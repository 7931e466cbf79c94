"""`kg build` and `kg stats`."""

from __future__ import annotations

import contextlib
from collections import Counter

import click
from rich.console import Console
from rich.table import Table

from kg.build import build
from kg.cli.common import load_graph, print_issue, progress_for_terminal
from kg.cli.main import cli
from kg.outputs import OUTPUTS
from kg.schema import LABELS, PAPER
from kg.sources import FORMATS


@cli.command("build")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Force the input format instead of detecting it.")
@click.option("--skip", multiple=True, type=click.Choice(sorted(OUTPUTS)), help="Do not write this output (repeatable).")
@click.option("--strict", is_flag=True, help="Exit non-zero when any record was rejected.")
def build_command(inputs: tuple[str, ...], out_dir: str, fmt: str | None, skip: tuple[str, ...], strict: bool) -> None:
    """Read listings (files, folders, `-` for stdin; .gz too) and write the graph and its renderings.

    Writes OUT/graph.json, OUT/graph.graphml, OUT/report.json and the other renderings.
    """
    bar = progress_for_terminal()
    with bar or contextlib.nullcontext():
        result = build(inputs, out_dir, fmt=fmt, skip=skip, on_issue=print_issue, progress=bar)
    totals = result.report.totals
    counts = result.report.counts
    click.echo(
        f"{totals['records_read']} records read: {totals['papers_kept']} papers, "
        f"{totals['duplicates_merged']} merged duplicates, {totals['records_rejected']} rejected",
        err=True,
    )
    click.echo(
        "nodes: " + ", ".join(f"{k} {v}" for k, v in counts["nodes"].items())
        + "; relationships: " + ", ".join(f"{k} {v}" for k, v in counts["relationships"].items() if v),
        err=True,
    )
    for name, path in result.written.items():
        click.echo(f"wrote {path}", err=True)
    if result.papers == 0:
        raise click.ClickException("no paper could be read from the input")
    if strict and totals["records_rejected"]:
        raise click.ClickException(f"{totals['records_rejected']} records rejected (--strict)")


@cli.command("stats")
@click.argument("graph_file", type=click.Path(dir_okay=False))
@click.option("--top", default=10, show_default=True, help="How many top entities to list per label.")
def stats_command(graph_file: str, top: int) -> None:
    """Counts per label and relationship type, and the most connected entities."""
    graph = load_graph(graph_file)
    console = Console()
    counts = graph.counts()
    table = Table(title="Nodes and relationships")
    table.add_column("kind")
    table.add_column("name")
    table.add_column("count", justify="right")
    for label, n in counts["nodes"].items():
        table.add_row("node", label, str(n))
    for rel, n in counts["relationships"].items():
        table.add_row("relationship", rel, str(n))
    console.print(table)
    papers_per_entity: Counter[str] = Counter()
    for start, end, _key, _data in graph.edges():
        if graph.node(start)["label"] == PAPER:
            papers_per_entity[end] += 1
    for label in LABELS:
        if label == PAPER:
            continue
        ranked = [(n, node_id) for node_id, n in papers_per_entity.most_common() if graph.node(node_id)["label"] == label]
        if not ranked:
            continue
        top_table = Table(title=f"Top {label} by papers")
        top_table.add_column("name")
        top_table.add_column("id")
        top_table.add_column("papers", justify="right")
        for n, node_id in ranked[:top]:
            top_table.add_row(graph.node(node_id)["name"], node_id, str(n))
        console.print(top_table)
