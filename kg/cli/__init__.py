"""The command-line interface: thin commands over the library, one module for each kind: build
(kg build, kg stats), extract (kg extract, kg eval), neo4j (kg load, kg query, kg export neo4j-csv),
rdf (kg export rdf, kg sparql, kg validate) and views (kg view, kg site). `main` names them all."""

from kg.cli.main import cli

__all__ = ["cli"]
