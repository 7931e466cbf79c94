"""`kg export FORMAT ...`: one subcommand per rendering, defined in the module of its kind."""

from __future__ import annotations

import click

from kg.cli.lazy import LazyGroup


@click.group("export", cls=LazyGroup, lazy_commands={"neo4j-csv": "kg.cli.neo4j:neo4j_csv_command",
                                                     "rdf": "kg.cli.rdf:export_rdf"})
def export() -> None:
    """Export a graph.json to another format (RDF, Neo4j bulk-import CSV, ...)."""
