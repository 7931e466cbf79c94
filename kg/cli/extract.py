"""`kg extract` (mentions as JSON Lines, the DESIGN.md contract) and `kg eval` (scores on a gold set)."""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from kg.atomic import atomic_write
from kg.cli.common import check_totals, print_issue, print_totals, progress_for_terminal
from kg.evaluate import GoldError, evaluate, load_gold, load_predictions
from kg.mentions import extract_lines
from kg.report import Report
from kg.sources import FORMATS


@click.command("extract")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the JSON Lines to this file, which appears only once complete, instead of standard output.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Force the input format instead of detecting it.")
@click.option("--strict", is_flag=True, help="Exit non-zero when any record was rejected.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True,
              help="Processes that parse arXiv JSON Lines and extract; 0: one per core. "
                   "The output is the same for any number.")
def extract_command(inputs: tuple[str, ...], out: Path | None, fmt: str | None, strict: bool, jobs: int) -> None:
    """Print one JSON object per paper: the paper and every mention with its evidence.

    Papers are de-duplicated as `kg build` does; code links (Papers with Code links files) add
    HAS_CODE mentions to the papers they name. Rejected records and a summary go to standard error.
    """
    report = Report()
    bar = progress_for_terminal()
    output = atomic_write(out) if out else contextlib.nullcontext(sys.stdout)
    with bar or contextlib.nullcontext(), output as sink:
        for line in extract_lines(inputs, report, fmt, print_issue, bar, jobs):
            sink.write(line + "\n")
    print_totals(report)
    check_totals(report, strict)


@click.command("eval")
@click.argument("gold_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--predictions", type=click.Path(exists=True, dir_okay=False),
              help="`kg extract` output to score instead of extracting from the gold text.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--errors", is_flag=True, help="Also list each paper's false positives and misses.")
def eval_command(gold_file: str, predictions: str | None, as_json: bool, errors: bool) -> None:
    """Precision, recall and F1 per field (introduces, builds_on, models, datasets, methods, repos, and
    lineage where the gold annotates it)."""
    try:
        result = evaluate(load_gold(gold_file), load_predictions(predictions) if predictions else None)
    except GoldError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        document = {"papers": result.papers, "fields": {f: result.scores[f].to_json() for f in result.fields}}
        if errors:
            document["errors"] = result.errors
        click.echo(json.dumps(document, indent=1))
        return
    table = Table(title=f"Extraction scores on {result.papers} papers (micro-averaged)")
    for column in ("field", "precision", "recall", "F1", "tp", "fp", "fn"):
        table.add_column(column, justify="left" if column == "field" else "right")
    for name in result.fields:
        s = result.scores[name]
        table.add_row(name, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.tp), str(s.fp), str(s.fn))
    Console().print(table)
    if errors:
        for error in result.errors:
            click.echo(json.dumps(error, ensure_ascii=False))
