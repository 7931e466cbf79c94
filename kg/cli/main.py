"""The `kg` command group; commands live in sibling modules and register themselves here."""

from __future__ import annotations

import logging

import click

from kg import __version__, build_kind


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg", message=f"%(prog)s, version %(version)s ({build_kind()})")
@click.option("-v", "--verbose", count=True, help="More log output (-v info, -vv debug).")
def cli(verbose: int) -> None:
    """papers-kg: build a knowledge graph of ML papers from paper listings.

    Typical use: `kg build examples/ -o out`, then `kg stats out/graph.json`.
    """
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
