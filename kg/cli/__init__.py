"""The command-line interface: thin commands over the library. Importing registers them all."""

from kg.cli import build, export, extract  # noqa: F401  (each module registers its commands)
from kg.cli.main import cli

__all__ = ["cli"]
