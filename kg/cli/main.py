"""The `kg` command group. Each command lives in the sibling module of its kind and is imported
only when it runs (`LazyGroup`)."""

from __future__ import annotations

import logging

import click

from kg import __version__, build_kind
from kg.cli.lazy import LazyGroup

COMMANDS = {
    "build": "kg.cli.build:build_command",
    "stats": "kg.cli.build:stats_command",
    "extract": "kg.cli.extract:extract_command",
    "eval": "kg.cli.extract:eval_command",
    "export": "kg.cli.export:export",
    "load": "kg.cli.neo4j:load_command",
    "query": "kg.cli.neo4j:query_command",
    "sparql": "kg.cli.rdf:sparql_command",
    "validate": "kg.cli.rdf:validate_command",
    "view": "kg.cli.views:view_command",
    "site": "kg.cli.views:site_command",
}
"""Every command: name -> "module:attribute"."""


@click.group(cls=LazyGroup, lazy_commands=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg", message=f"%(prog)s, version %(version)s ({build_kind()})")
@click.option("-v", "--verbose", count=True, help="More log output (-v info, -vv debug).")
def cli(verbose: int) -> None:
    """papers-kg: build a knowledge graph of ML papers from paper listings.

    Typical use: `kg build examples/ -o out`, then `kg stats out/graph.json`.
    """
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
