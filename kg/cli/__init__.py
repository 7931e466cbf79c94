"""The command-line interface: thin commands over the library. Importing registers them all, a module
for each group: build (kg build, kg stats), export (the kg export group), extract (kg extract, kg
eval), neo4j (kg load, kg query, kg export neo4j-csv), rdf (kg export rdf, kg sparql, kg validate)
and views (kg view, kg site)."""

from kg.cli import build, export, extract, neo4j, rdf, views  # noqa: F401  (importing registers the commands)
from kg.cli.main import cli

__all__ = ["cli"]
