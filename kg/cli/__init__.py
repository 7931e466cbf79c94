"""The command-line interface: thin commands over the library. Importing registers them all."""

from kg.cli import build  # noqa: F401  (registers build, stats)
from kg.cli.main import cli

__all__ = ["cli"]
