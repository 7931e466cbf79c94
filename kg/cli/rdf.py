"""`kg export rdf`, `kg sparql` and `kg validate`: the RDF rendering on the command line."""

from __future__ import annotations

import json

import click
from rdflib import Graph
from rich.console import Console
from rich.table import Table

from kg.cli.common import load_graph
from kg.export.cypher_files import QuestionError
from kg.graph import GraphError
from kg.rdf.export import FORMATS, RdfError, format_for, load_rdf, write_rdf
from kg.rdf.iris import IriError, check_base
from kg.rdf.shacl import validate
from kg.rdf.sparql import load_question, run
from kg.rdf.vocab import DEFAULT_BASE

base_option = click.option("--base-iri", default=DEFAULT_BASE, show_default=True,
                           help="Base under which node and statement IRIs are minted (ends in / or #).")


def _base(value: str) -> str:
    try:
        return check_base(value)
    except IriError as exc:
        raise click.BadParameter(str(exc), param_hint="--base-iri") from exc


def _load(path: str, base: str) -> Graph:
    """An RDF file, or a graph.json exported in memory; a clear error otherwise."""
    try:
        return load_rdf(path, _base(base))
    except (GraphError, RdfError) as exc:
        raise click.ClickException(str(exc)) from exc


@click.command("rdf")
@click.argument("graph_file", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="File to write.")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)),
              help="turtle, nt (N-Triples, streamed) or jsonld; default: from the file suffix, else turtle.")
@base_option
def export_rdf(graph_file: str, output: str, fmt: str | None, base_iri: str) -> None:
    """Write GRAPH_FILE (graph.json) as RDF: Turtle, N-Triples or JSON-LD."""
    base = _base(base_iri)
    path = write_rdf(load_graph(graph_file), output, fmt or format_for(output), base)
    click.echo(f"wrote {path}", err=True)


@click.command("sparql")
@click.argument("source", type=click.Path(dir_okay=False))
@click.argument("query")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Value for a $NAME in the query (repeatable), e.g. -p model=model:llama-2.")
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON instead of a table.")
@base_option
def sparql_command(source: str, query: str, params: tuple[str, ...], as_json: bool, base_iri: str) -> None:
    """Run SPARQL over SOURCE (graph.json, or a .ttl/.nt/.jsonld export) and print the answer.

    QUERY is a named question (kg/rdf/queries/NAME.rq, e.g. base-models-most-built-upon), a .rq
    file, or SPARQL text. Named questions take their parameters' example values unless given.
    """
    question = load_question(query)
    try:
        values = question.parse(dict(_param(item) for item in params))
    except QuestionError as exc:
        raise click.BadParameter(str(exc), param_hint="--param") from exc
    missing = [name for name in question.variables() if name not in question.arguments(values)]
    if missing:
        raise click.UsageError(f"the query needs --param for: {', '.join(missing)}")
    data = _load(source, base_iri)
    try:
        answer = run(data, question, values)
    except Exception as exc:  # rdflib raises parser and evaluation errors of many types
        raise click.ClickException(f"SPARQL failed: {exc}") from exc
    if answer.graph is not None:
        click.echo(answer.graph.serialize(format="json-ld" if as_json else "turtle"))
    elif answer.boolean is not None:
        click.echo(json.dumps(answer.boolean) if as_json else ("yes" if answer.boolean else "no"))
    elif as_json:
        click.echo(json.dumps(answer.rows, ensure_ascii=False, indent=1))
    else:
        table = Table(show_lines=False)
        for column in answer.columns:
            table.add_column(column, overflow="fold")
        for row in answer.rows:
            table.add_row(*(_text(row[c]) for c in answer.columns))
        Console().print(table)
        click.echo(f"{len(answer.rows)} rows", err=True)


@click.command("validate")
@click.argument("rdf_file", type=click.Path(dir_okay=False))
@base_option
def validate_command(rdf_file: str, base_iri: str) -> None:
    """Check RDF_FILE (.ttl/.nt/.jsonld, or graph.json) against the shipped SHACL shapes.

    Prints every violation; exits 1 when there is any.
    """
    data = _load(rdf_file, base_iri)
    violations = validate(data)
    if not violations:
        click.echo(f"{rdf_file}: conforms ({len(data)} triples, 0 violations)")
        return
    table = Table(title=f"{rdf_file}: {len(violations)} SHACL violations")
    for column in ("focus node", "path", "message"):
        table.add_column(column, overflow="fold")
    for violation in violations:
        table.add_row(violation.focus, violation.path, violation.message)
    Console().print(table)
    raise SystemExit(1)


def _param(item: str) -> tuple[str, str]:
    name, sep, value = item.partition("=")
    if not sep or not name:
        raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint="--param")
    return name.lstrip("$"), value


def _text(value: object) -> str:
    if value is None:
        return ""
    return "\n".join(map(str, value)) if isinstance(value, list) else str(value)
