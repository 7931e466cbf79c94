"""The browsable site: index.html, one page per paper and per top entity of each label, and the
shared assets written once. Built in a staging folder that then replaces the old site."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping
from functools import partial
from pathlib import Path

from kg.atomic import atomic_directory
from kg.graph import KnowledgeGraph
from kg.parallel import resolve_jobs, run_forked
from kg.schema import PAPER
from kg.text import slug
from kg.views.assets import INDEX_ASSETS, VIEW_ASSETS, PageAssets, write_assets
from kg.views.counts import Counting
from kg.views.index import CHART_RELS, render_index
from kg.views.render import PageContext, render_view
from kg.views.sample import SITE_PAPERS, shown
from kg.views.selection import DEFAULT_HOPS, DEFAULT_MAX_NODES, neighbourhood

DEFAULT_TOP = 50
PAGES, ASSETS = "pages", "assets"


def page_names(graph: KnowledgeGraph, papers: Mapping[str, int], top: int) -> dict[str, str]:
    """Node id -> page file name, for every paper and the `top` entities of each other label with
    the most `papers` (then the most connections); names are id slugs, made unique."""
    by_label: defaultdict[str, list[str]] = defaultdict(list)
    for node_id, data in graph.nodes():
        by_label[data["label"]].append(node_id)
    chosen = list(by_label.pop(PAPER, []))
    for ids in by_label.values():
        chosen += sorted(ids, key=lambda n: (-papers.get(n, 0), -graph.g.degree(n), n))[:top]
    names: dict[str, str] = {}
    taken: set[str] = set()
    for node_id in sorted(chosen):
        name = slug(node_id)
        if name in taken:
            name += "-" + hashlib.sha1(node_id.encode("utf-8")).hexdigest()[:8]
        taken.add(name)
        names[node_id] = name + ".html"
    return names


def write_site(graph: KnowledgeGraph, out_dir: str | Path, top: int = DEFAULT_TOP, hops: int = DEFAULT_HOPS,
               max_nodes: int = DEFAULT_MAX_NODES, max_papers: int = SITE_PAPERS, jobs: int = 1) -> Path:
    """Write the site into `out_dir` (replacing an earlier site there); returns its index.html. Past
    `max_papers` papers, pages are drawn from the most linked ones (`kg.views.sample`). After an
    update, the counts take the papers that did not change from what the earlier site kept
    (`kg.views.counts.Counting`). With several `jobs` (0: one per core), that many forked processes
    share the pages."""
    counting = Counting(graph, Path(out_dir).resolve())
    view = shown(graph, max_papers, CHART_RELS, counting)
    with atomic_directory(out_dir) as staging:
        write_assets(staging / ASSETS)
        names = page_names(view.graph, view.papers, top)
        context = PageContext(view.graph, PageAssets(VIEW_ASSETS, inline=False, prefix=f"../{ASSETS}/"), names,
                              home="../index.html", more_hint="kg view with --max-nodes draws a bigger view",
                              papers=view.papers)
        (staging / PAGES).mkdir()
        pages = list(names.items())
        shares = min(resolve_jobs(jobs), len(pages)) or 1
        run_forked({f"pages {i + 1} of {shares}": partial(_write_pages, context, pages[i::shares], hops, max_nodes,
                                                          staging / PAGES) for i in range(shares)}, shares)
        hrefs = {node_id: f"{PAGES}/{name}" for node_id, name in names.items()}
        index = render_index(graph, view, hrefs, top, PageAssets(INDEX_ASSETS, inline=False, prefix=f"{ASSETS}/"))
        (staging / "index.html").write_text(index, encoding="utf-8")
    counting.save()
    return Path(out_dir) / "index.html"


def _write_pages(context: PageContext, pages: list[tuple[str, str]], hops: int, max_nodes: int, folder: Path) -> None:
    """Render the neighbourhood page of each (node id, file name) of `pages` into `folder`."""
    for node_id, name in pages:
        page = render_view(neighbourhood(context.graph, node_id, hops, max_nodes, context.degree), context)
        (folder / name).write_text(page, encoding="utf-8")
