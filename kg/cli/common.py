"""Helpers shared by the CLI commands: progress bars, issue printing, graph loading."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from kg.graph import GraphError, KnowledgeGraph
from kg.model import Notice, Reject
from kg.report import Report

stderr_console = Console(stderr=True)


class RichProgress:
    """Progress shown on stderr with rich, only when stderr is a terminal."""

    def __init__(self) -> None:
        self._bar = Progress(TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn(),
                             TimeElapsedColumn(), console=stderr_console, transient=True)
        self._task: TaskID | None = None

    def __enter__(self) -> RichProgress:
        self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.stop()

    def phase(self, description: str, total: int | None = None) -> None:
        if self._task is not None:
            self._bar.update(self._task, visible=False)
        self._task = self._bar.add_task(description, total=total)

    def advance(self, steps: int = 1) -> None:
        if self._task is not None:
            self._bar.advance(self._task, steps)


def progress_for_terminal() -> RichProgress | None:
    return RichProgress() if sys.stderr.isatty() else None


def print_issue(issue: Reject | Notice) -> None:
    """`FILE[:LINE]: reason` on stderr, one line per rejected record or notice."""
    prefix = "" if isinstance(issue, Reject) else "note: "
    click.echo(f"{prefix}{issue}", err=True)


def print_totals(report: Report) -> None:
    """What became of the records read, one line on stderr."""
    totals = report.totals
    click.echo(f"{totals['records_read']} records read: {totals['papers_kept']} papers, "
               f"{totals['duplicates_merged']} merged duplicates, {totals['records_rejected']} rejected", err=True)


def check_totals(report: Report, strict: bool) -> None:
    """Fail when no paper could be read, or (`strict`) when any record was rejected."""
    totals = report.totals
    if totals["papers_kept"] == 0:
        raise click.ClickException("no paper could be read from the input")
    if strict and totals["records_rejected"]:
        raise click.ClickException(f"{totals['records_rejected']} records rejected (--strict)")


def load_graph(path: str | Path) -> KnowledgeGraph:
    """Load graph.json or exit with a clear message."""
    try:
        return KnowledgeGraph.load(path)
    except GraphError as exc:
        raise click.ClickException(str(exc)) from exc
