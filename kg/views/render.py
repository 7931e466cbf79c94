"""One neighbourhood as an HTML page: pyvis builds the vis-network nodes, edges and options; our
own template lays out the page (pyvis' template links bootstrap and vis-network from CDNs)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import orjson
from jinja2 import Environment, PackageLoader
from pyvis.network import Network

from kg.atomic import atomic_write
from kg.graph import KnowledgeGraph
from kg.schema import LABELS, PAPER, REL_TYPES
from kg.text import clean
from kg.views.assets import VIEW_ASSETS, PageAssets
from kg.views.counts import papers_linked
from kg.views.details import edge_info, node_info, shorten
from kg.views.layout import radial_positions
from kg.views.selection import DEFAULT_HOPS, DEFAULT_MAX_NODES, Edge, Neighbourhood, neighbourhood
from kg.views.style import label_style, rel_style

CAPTION_CHARS = 32
EVIDENCE_CHARS = 220
OPTIONS: dict[str, Any] = {
    "nodes": {"font": {"size": 13, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
              "scaling": {"min": 8, "max": 40}, "borderWidth": 1},
    "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "smooth": False, "selectionWidth": 2,
              "font": {"size": 9, "color": "#555555", "strokeWidth": 3, "align": "middle"}},
    "physics": {"solver": "forceAtlas2Based", "minVelocity": 1.0, "timestep": 0.5,
                "forceAtlas2Based": {"gravitationalConstant": -90, "centralGravity": 0.012, "springLength": 150,
                                     "springConstant": 0.06, "avoidOverlap": 0.5},
                "stabilization": {"enabled": True, "iterations": 150, "updateInterval": 50, "fit": True}},
    "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True},
    "layout": {"randomSeed": 7, "improvedLayout": False},
}
HINT_WITH_PAGES = "Hover a node or edge for details; click a node to show it here; double-click it to open its page."
HINT_SINGLE = "Hover a node or edge for details; click a node to show it here with its links."


@dataclass
class PageContext:
    """What pages of one graph share besides their neighbourhoods: papers per entity, the pages they
    may link to (node id -> href), assets, the way back to the index, and node and edge data."""

    graph: KnowledgeGraph
    assets: PageAssets
    pages: Mapping[str, str] = field(default_factory=dict)
    home: str | None = None
    more_hint: str = "raise --max-nodes to see more"
    papers: Mapping[str, int] = field(default_factory=dict)
    _nodes: dict[str, dict[str, Any]] = field(default_factory=dict, init=False, repr=False)
    _edges: dict[Edge, dict[str, Any]] = field(default_factory=dict, init=False, repr=False)
    _degrees: dict[str, int] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self.papers = self.papers or papers_linked(self.graph)

    def node_info(self, node_id: str) -> dict[str, Any]:
        """Tooltip data of a node, computed once per site."""
        if node_id not in self._nodes:
            self._nodes[node_id] = node_info(node_id, self.graph.node(node_id), self.papers.get(node_id, 0))
        return self._nodes[node_id]

    def degree(self, node_id: str) -> int:
        """Relationships of a node, counted once per site (networkx walks a node's neighbours to
        count them, thousands for a model many papers build on, on every call)."""
        if node_id not in self._degrees:
            self._degrees[node_id] = self.graph.g.degree(node_id)
        return self._degrees[node_id]

    def edge_info(self, edge: Edge) -> dict[str, Any]:
        """Tooltip data of an edge, computed once per site."""
        if edge not in self._edges:
            self._edges[edge] = edge_info(edge[2], self.graph.g.edges[edge])
        return self._edges[edge]


@cache
def environment() -> Environment:
    """The page templates, HTML-escaping every value unless marked safe; `tojson` writes with orjson
    (a page's data is most of its bytes), keys sorted as Jinja's default does."""
    env = Environment(loader=PackageLoader("kg.views", "templates"), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True, auto_reload=False)
    env.policies["json.dumps_function"] = _dumps
    env.policies["json.dumps_kwargs"] = {}
    return env


def _dumps(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8")


def caption(name: str) -> str:
    """A node's caption on the canvas: its name, shortened."""
    return name if len(name) <= CAPTION_CHARS else name[: CAPTION_CHARS - 1].rstrip() + "…"


def build_network(hood: Neighbourhood, context: PageContext) -> Network:
    """The pyvis network of `hood`: colour and shape per label, size by degree, edges coloured and
    captioned per type; `info` carries the tooltip data, `page` the node's page when it has one.
    Its vis-network options are OPTIONS, which the page carries as they are."""
    net = Network(directed=True)
    positions = radial_positions(hood)
    for node_id in hood.nodes:
        info = context.node_info(node_id)
        style = label_style(info["label"])
        extra: dict[str, Any] = {"page": context.pages[node_id]} if node_id in context.pages else {}
        color: str | dict[str, str] = style.color
        if node_id == hood.center:
            extra.update(borderWidth=4, font={"size": 16})
            color = {"background": style.color, "border": "#1f2328"}
        x, y = positions[node_id]
        net.add_node(node_id, label=caption(info["name"]), shape=style.shape, color=color,
                     value=context.degree(node_id), x=x, y=y, info=info, **extra)
    for start, end, rel in hood.edges:
        info, edge_style = context.edge_info((start, end, rel)), rel_style(rel)
        net.add_edge(start, end, id=f"{start}|{rel}|{end}", label=edge_style.caption, color=edge_style.color,
                     width=1 + 2 * float(info["confidence"] or 0), info=info)
    return net


def _in_order(present: set[str], vocabulary: tuple[str, ...]) -> list[str]:
    """`present` in vocabulary order, anything outside the vocabulary last."""
    return sorted(present, key=lambda x: (vocabulary.index(x) if x in vocabulary else len(vocabulary), x))


def _connections(hood: Neighbourhood, context: PageContext) -> list[dict[str, Any]]:
    """The centre's relationships shown on the page, grouped by type and direction, strongest first."""
    groups: dict[tuple[str, bool], list[dict[str, Any]]] = {}
    for start, end, rel in hood.edges:
        if hood.center not in (start, end) or start == end:
            continue
        other, edge = (end if start == hood.center else start), context.edge_info((start, end, rel))
        other_info = context.node_info(other)
        groups.setdefault((rel, start == hood.center), []).append({
            "name": other_info["name"], "href": context.pages.get(other), "label": other_info["label"],
            "color": label_style(other_info["label"]).color, "confidence": edge["confidence"],
            "evidence": shorten(edge["evidence"], EVIDENCE_CHARS)})
    return [{"heading": rel_style(rel).caption if outgoing else rel_style(rel).inverse,
             "items": sorted(groups[rel, outgoing], key=lambda item: (-(item["confidence"] or 0), item["name"]))}
            for rel in _in_order({rel for rel, _ in groups}, REL_TYPES) for outgoing in (True, False)
            if (rel, outgoing) in groups]


def render_view(hood: Neighbourhood, context: PageContext) -> str:
    """The HTML page of one neighbourhood."""
    net = build_network(hood, context)
    center = context.graph.node(hood.center)
    entity = context.node_info(hood.center)
    labels_shown = {context.node_info(n)["label"] for n in hood.nodes}
    rels_shown = {rel for _, _, rel in hood.edges}
    hint = HINT_WITH_PAGES if context.pages else HINT_SINGLE
    data = {"center": hood.center, "nodes": net.nodes, "edges": net.edges, "options": OPTIONS, "hint": hint,
            "labels": {label: {"color": label_style(label).color} for label in labels_shown},
            "rels": {rel: {"caption": rel_style(rel).caption} for rel in rels_shown}}
    return environment().get_template("view.html").render(
        page_title=entity["name"], where=f"{entity['label']} neighbourhood", home=context.home, assets=context.assets,
        entity=entity, entity_color=label_style(center["label"]).color,
        abstract=clean(center.get("abstract")) if center["label"] == PAPER else "",
        shown_nodes=len(hood.nodes), shown_edges=len(hood.edges), hops=hood.hops, left_out=hood.left_out,
        reachable=hood.reachable, more_hint=context.more_hint, hint=hint, data=data,
        legend_labels=[(label, label_style(label)) for label in _in_order(labels_shown, LABELS)],
        legend_rels=[(rel, rel_style(rel)) for rel in _in_order(rels_shown, REL_TYPES)],
        connections=_connections(hood, context))


def write_view(graph: KnowledgeGraph, node_id: str, path: str | Path, hops: int = DEFAULT_HOPS,
               max_nodes: int = DEFAULT_MAX_NODES) -> Neighbourhood:
    """Write one self-contained page (every script and style inlined) for the neighbourhood of `node_id`."""
    hood = neighbourhood(graph, node_id, hops, max_nodes)
    with atomic_write(path) as fh:
        fh.write(render_view(hood, PageContext(graph, PageAssets(VIEW_ASSETS, inline=True))))
    return hood
