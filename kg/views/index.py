"""The site's index page: a summary, charts as inline SVG, and the table of every entity."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from kg.graph import KnowledgeGraph
from kg.schema import BUILDS_ON, DATASET, LABELS, METHOD, MODEL, PAPER, USES_DATASET, USES_METHOD
from kg.text import clean, match_key
from kg.views.assets import PageAssets
from kg.views.charts import Bar, columns, horizontal_bars
from kg.views.counts import LinkCounts
from kg.views.render import environment
from kg.views.sample import Shown
from kg.views.style import label_style

CHART_BARS = 10


@dataclass(frozen=True)
class TopChart:
    """A chart of the entities most often at the end of one relationship type."""

    title: str
    rel: str
    label: str


TOP_CHARTS = (TopChart("Most built-upon base models", BUILDS_ON, MODEL),
              TopChart("Most used datasets", USES_DATASET, DATASET),
              TopChart("Most used methods", USES_METHOD, METHOD))
CHART_RELS = tuple(spec.rel for spec in TOP_CHARTS)
"""The relationship types whose ends `shown` must count for the index."""


@dataclass(frozen=True)
class Chart:
    """A chart as shown: its title, its SVG (None when there is nothing to draw), what to say then."""

    title: str
    svg: Markup | None
    empty: str


def charts(graph: KnowledgeGraph, links: LinkCounts, per_month: list[tuple[str, int]],
           hrefs: Mapping[str, str]) -> list[Chart]:
    """The top-entity charts (bars link to entity pages) from `links` (counted over `graph` with
    CHART_RELS), then papers `per_month`."""
    shown = []
    for spec in TOP_CHARTS:
        bars = [Bar(graph.node(n)["name"], count, hrefs.get(n)) for n, count in links.top_targets(spec.rel, CHART_BARS)]
        svg = horizontal_bars(bars, label_style(spec.label).color, spec.title) if bars else None
        shown.append(Chart(spec.title, svg, f"No {spec.rel} relationships in this graph yet."))
    months = [Bar(month, n) for month, n in per_month]
    svg = columns(months, label_style(PAPER).color, "Papers per month") if months else None
    shown.append(Chart("Papers per month", svg, "No paper in this graph has a publication date."))
    return shown


def rows(graph: KnowledgeGraph, hrefs: Mapping[str, str], papers: Mapping[str, int]) -> list[dict[str, Any]]:
    """One row per node, entities with the most papers first, then papers by title."""
    order = {label: i for i, label in enumerate(LABELS)}
    table = []
    for node_id, data in graph.nodes():
        name = clean(data.get("name")) or node_id
        keys = [match_key(text) for text in (name, *data.get("aliases", []), node_id)]
        table.append({"name": name, "label": data["label"], "color": label_style(data["label"]).color,
                      "papers": None if data["label"] == PAPER else papers.get(node_id, 0),
                      "degree": graph.g.degree(node_id), "href": hrefs.get(node_id), "search": " ".join(keys)})
    table.sort(key=lambda r: (r["papers"] is None, -(r["papers"] or 0), order.get(r["label"], len(order)),
                              r["name"].casefold()))
    return table


def render_index(graph: KnowledgeGraph, view: Shown, hrefs: Mapping[str, str], top: int, assets: PageAssets) -> str:
    """The index page of `graph`: its counts and charts (as `view` counted them, CHART_RELS
    included), and a table of the nodes `view` shows; `hrefs` maps node ids to their pages relative
    to the index."""
    counts = view.counts
    nodes = ", ".join(f"{n} {label}" for label, n in counts["nodes"].items() if n)
    rels = ", ".join(f"{n} {rel}" for rel, n in counts["relationships"].items() if n)
    total_nodes, total_rels = sum(counts["nodes"].values()), sum(counts["relationships"].values())
    return environment().get_template("index.html").render(
        page_title="Index", where="index", home=None, assets=assets,
        title=f"Knowledge graph of {counts['nodes'].get(PAPER, 0)} papers",
        node_summary=f"{total_nodes} nodes" + (f": {nodes}" if nodes else ""),
        rel_summary=f"{total_rels} relationships" + (f": {rels}" if rels else ""),
        charts=charts(graph, view.links, view.months, hrefs),
        labels=[label for label in LABELS if counts["nodes"].get(label)],
        rows=rows(view.graph, hrefs, view.papers), top=top, view=view)
