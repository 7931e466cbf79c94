"""`kg extract` (mentions as JSON Lines, the DESIGN.md contract) and `kg eval` (scores on a gold set)."""

from __future__ import annotations

import json
import sys

import click
from rich.console import Console
from rich.table import Table

from kg.build import read_papers
from kg.cli.common import print_issue
from kg.cli.main import cli
from kg.evaluate import GoldError, evaluate, load_gold, load_predictions
from kg.extract import extract_paper
from kg.report import Report
from kg.sources import FORMATS


@cli.command("extract")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Force the input format instead of detecting it.")
def extract_command(inputs: tuple[str, ...], fmt: str | None) -> None:
    """Print one JSON object per paper: the paper and every mention with its evidence."""
    report = Report()
    papers, _links = read_papers(inputs, report, fmt, on_issue=print_issue)
    out = sys.stdout
    for paper in papers:
        record = {
            "paper": {"id": paper.id, "title": paper.title, "arxiv_id": paper.arxiv_id},
            "mentions": [m.to_json() for m in extract_paper(paper).mentions],
        }
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    if len(papers) == 0:
        raise click.ClickException("no paper could be read from the input")


@cli.command("eval")
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
