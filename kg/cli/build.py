"""`kg build` and `kg stats`."""

from __future__ import annotations

import contextlib
import logging
from collections import Counter
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from kg.build import build
from kg.cli.common import check_totals, load_graph, print_issue, print_totals, progress_for_terminal
from kg.from_mentions import build_from_mentions
from kg.incremental import update
from kg.outputs import OUTPUTS
from kg.records import RecordError
from kg.schema import LABELS, PAPER
from kg.sources import FORMATS
from kg.spill import SPILL_AT
from kg.state import STATE_FILE, StateError

logger = logging.getLogger(__name__)


@click.command("build")
@click.argument("inputs", nargs=-1)
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), help="Output folder.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Force the input format instead of detecting it.")
@click.option("--skip", multiple=True, type=click.Choice(sorted(OUTPUTS)),
              help="Do not write this output (repeatable).")
@click.option("--strict", is_flag=True, help="Exit non-zero when any record was rejected.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True,
              help="Processes that parse arXiv JSON Lines, extract and write outputs; 0: one per core. "
                   "The graph is the same for any number.")
@click.option("--spill/--no-spill", default=None,
              help=f"Keep merged papers while reading, and papers with their relationships, in temporary files "
                   f"instead of memory [default: from {SPILL_AT:,} papers]. An update keeps the graph's papers in "
                   f"its state's file.")
@click.option("--keep-state", is_flag=True,
              help=f"Also keep OUT/{STATE_FILE}, so that `kg build --update OUT NEW...` can add listings later.")
@click.option("--update", "update_dir", type=click.Path(file_okay=False, exists=True),
              help="Add the INPUTs to this output folder (built with --keep-state): only they are read and extracted.")
@click.option("--from-mentions", "mentions", type=click.Path(exists=True),
              help="Build from the extraction records the Spark job (python -m kg.spark_job) wrote into this folder.")
def build_command(inputs: tuple[str, ...], out_dir: str | None, fmt: str | None, skip: tuple[str, ...],
                  strict: bool, jobs: int, spill: bool | None, keep_state: bool, update_dir: str | None,
                  mentions: str | None) -> None:
    """Read listings (files, folders, `-` for stdin; .gz too) and write the graph and its renderings.

    Writes OUT/graph.json, OUT/graph.graphml, OUT/report.json and the other renderings.

    \b
    kg build INPUT... -o OUT [--jobs N] [--keep-state]
    kg build --update OUT NEW_INPUT...
    kg build --from-mentions DIR -o OUT
    """
    if update_dir and (out_dir or mentions or keep_state):
        raise click.UsageError("--update OUT takes the output folder itself; no -o, --from-mentions or --keep-state")
    if mentions and (inputs or keep_state):
        raise click.UsageError("--from-mentions reads records, not INPUTs (and keeps no state)")
    if not update_dir and not out_dir:
        raise click.UsageError("missing option -o/--out")
    if not (update_dir or mentions or inputs):
        raise click.UsageError("missing INPUT (files or folders of listings)")
    bar = progress_for_terminal()
    common: dict[str, Any] = {"skip": skip, "on_issue": print_issue, "progress": bar, "jobs": jobs}
    try:
        with bar or contextlib.nullcontext():
            if update_dir:
                result = update(update_dir, inputs, fmt=fmt, **common)
            elif mentions:
                result = build_from_mentions(mentions, out_dir, spill=spill, **common)
            else:
                result = build(inputs, out_dir, fmt=fmt, keep_state=keep_state, spill=spill, **common)
    except (StateError, RecordError) as exc:
        raise click.ClickException(str(exc)) from exc
    print_totals(result.report)
    counts = result.report.counts
    click.echo(
        "nodes: " + ", ".join(f"{k} {v}" for k, v in counts["nodes"].items())
        + "; relationships: " + ", ".join(f"{k} {v}" for k, v in counts["relationships"].items() if v),
        err=True,
    )
    if result.assembled is not None:
        click.echo(f"assembled {result.assembled:,} of {result.papers:,} papers into the stored graph", err=True)
    for path in result.written.values():
        click.echo(f"wrote {path}", err=True)
    logger.info("seconds: %s", ", ".join(f"{stage} {spent:.1f}" for stage, spent in result.seconds.items()))
    check_totals(result.report, strict)


@click.command("stats")
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
        ranked = [(n, node_id) for node_id, n in papers_per_entity.most_common()
                  if graph.node(node_id)["label"] == label]
        if not ranked:
            continue
        top_table = Table(title=f"Top {label} by papers")
        top_table.add_column("name")
        top_table.add_column("id")
        top_table.add_column("papers", justify="right")
        for n, node_id in ranked[:top]:
            top_table.add_row(graph.node(node_id)["name"], node_id, str(n))
        console.print(top_table)
