"""`kg view` (one neighbourhood page) and `kg site` (the browsable site)."""

from __future__ import annotations

import click

from kg.cli.common import load_graph
from kg.text import slug
from kg.views.lookup import EntityLookupError, find_entity
from kg.views.render import write_view
from kg.views.sample import SITE_PAPERS
from kg.views.selection import DEFAULT_HOPS, DEFAULT_MAX_NODES
from kg.views.site import DEFAULT_TOP, write_site

hops_option = click.option("--hops", type=click.IntRange(1, 3), default=DEFAULT_HOPS, show_default=True,
                           help="How far from the entity to go (relationships followed both ways).")
max_nodes_option = click.option("--max-nodes", type=click.IntRange(min=1), default=DEFAULT_MAX_NODES,
                                show_default=True, help="Show at most this many nodes; the most strongly "
                                "connected are kept and the page says how many were left out.")


@click.command("view")
@click.argument("graph_file", type=click.Path(dir_okay=False))
@click.argument("entity")
@hops_option
@max_nodes_option
@click.option("-o", "--out", "out_file", type=click.Path(dir_okay=False),
              help="HTML file to write [default: the entity id as a slug, .html, in the current folder].")
def view_command(graph_file: str, entity: str, hops: int, max_nodes: int, out_file: str | None) -> None:
    """Write an interactive page of ENTITY's neighbourhood; open it in any browser, offline.

    ENTITY is an id (model:clip), an arXiv id, or a name or alias in any spelling ("Llama 2");
    a name that matches nothing gets "did you mean" suggestions.
    """
    graph = load_graph(graph_file)
    try:
        node_id = find_entity(graph, entity)
    except EntityLookupError as exc:
        raise click.ClickException(str(exc)) from exc
    path = out_file or f"{slug(node_id)}.html"
    hood = write_view(graph, node_id, path, hops, max_nodes)
    left_out = f"; {hood.left_out} more within reach left out (raise --max-nodes)" if hood.left_out else ""
    click.echo(f"wrote {path}: {len(hood.nodes)} nodes, {len(hood.edges)} relationships{left_out}", err=True)


@click.command("site")
@click.argument("graph_file", type=click.Path(dir_okay=False))
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Site folder (created; an earlier site there is replaced).")
@click.option("--top", type=click.IntRange(min=0), default=DEFAULT_TOP, show_default=True,
              help="Pages for this many entities of each label, those with the most papers "
                   "(the papers drawn get one each).")
@click.option("--papers", "max_papers", type=click.IntRange(min=1), default=SITE_PAPERS, show_default=True,
              help="Pages for this many papers at most: in a bigger graph, those with the most relationships.")
@hops_option
@max_nodes_option
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True,
              help="Processes that share the pages; 0: one per core. The site is the same for any number.")
def site_command(graph_file: str, out_dir: str, top: int, max_papers: int, hops: int, max_nodes: int,
                 jobs: int) -> None:
    """Write a browsable site: index.html (charts, searchable entity table) and one page per entity.

    Open OUT/index.html in a browser; it needs no server and no network.
    """
    graph = load_graph(graph_file)
    try:
        index = write_site(graph, out_dir, top, hops, max_nodes, max_papers, jobs)
    except FileExistsError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"wrote {index}", err=True)
