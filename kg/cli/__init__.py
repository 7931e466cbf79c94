"""The command-line interface: thin commands over the library. Importing registers them all."""

from kg.cli import build, export, extract  # noqa: F401  (each module registers its commands)
from kg.cli import views  # noqa: F401  (kg view, kg site)
from kg.cli import rdf  # noqa: F401  (kg export rdf, kg sparql, kg validate)
from kg.cli import neo4j  # noqa: F401  (kg load, kg query, kg export neo4j-csv)
from kg.cli.main import cli

__all__ = ["cli"]
