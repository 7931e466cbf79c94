"""`kg export FORMAT ...`: one subcommand per rendering, registered by its own module."""

from __future__ import annotations

from kg.cli.main import cli


@cli.group("export")
def export() -> None:
    """Export a graph.json to another format (RDF, Neo4j bulk-import CSV, ...)."""
