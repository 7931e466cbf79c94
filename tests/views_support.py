"""A small real graph for the view tests: a CLIP-like hub, a bigger hub past the node cap, lineage,
datasets, methods, code, dates, and hostile input (an XSS title, `javascript:` URLs)."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import networkx as nx

from kg.graph import KnowledgeGraph

XSS_TITLE = "<img src=x onerror=alert(1)>"
XSS_ID = "paper:arxiv:2401.66666"
HUB_ID = "model:clip"
BIG_HUB_ID = "model:big-hub"
BIG_HUB_PAPERS = 320
HUB_PAPERS = 24
JS_URL = "javascript:alert(2)"


def _edge(graph: KnowledgeGraph, start: str, end: str, rel: str, confidence: float, evidence: str,
          **props: object) -> None:
    graph.add_edge(start, end, rel, evidence=evidence, confidence=confidence, extractor="test/1",
                   source="tests/views_support.py", **props)


def fixture_graph() -> KnowledgeGraph:
    """The graph every view test uses; counts in tests come from it, never from constants."""
    graph = KnowledgeGraph()
    graph.add_node(HUB_ID, "Model", "CLIP", aliases=["Contrastive Language-Image Pre-training"])
    graph.add_node("model:openclip", "Model", "OpenCLIP")
    graph.add_node("model:vit", "Model", "ViT")
    graph.add_node("dataset:laion-400m", "Dataset", "LAION-400M")
    graph.add_node("method:contrastive-learning", "Method", "contrastive learning")
    graph.add_node(BIG_HUB_ID, "Model", "BigHub")
    for i in range(HUB_PAPERS):
        paper = f"paper:arxiv:2401.{i:05d}"
        graph.add_node(paper, "Paper", f"Paper {i} on vision and language", title=f"Paper {i} on vision and language",
                       abstract=f"We build on CLIP. Sentence {i}. " * 12, arxiv_id=f"2401.{i:05d}",
                       published=f"2023-{1 + i % 12:02d}-15", authors=[f"Author {i}", "B. Coauthor"],
                       url=f"https://huggingface.co/papers/2401.{i:05d}")
        rel = "BUILDS_ON" if i % 3 else "MENTIONS"
        _edge(graph, paper, HUB_ID, rel, 0.5 + (i % 5) / 10, f"Paper {i} fine-tunes CLIP on <b>data</b>.")
        if i % 4 == 0:
            _edge(graph, paper, "dataset:laion-400m", "USES_DATASET", 0.8, "We train on LAION-400M.", role="train")
        if i % 2 == 0:
            _edge(graph, paper, "method:contrastive-learning", "USES_METHOD", 0.7, "We use contrastive learning.")
        if i % 6 == 1:
            _edge(graph, paper, "model:vit", "MENTIONS", 0.6, "ViT is a baseline.")
    graph.add_node("repo:github.com/mlfoundations/open_clip", "Repository", "mlfoundations/open_clip",
                   url="https://github.com/mlfoundations/open_clip", host="github.com", owner="mlfoundations")
    _edge(graph, "paper:arxiv:2401.00001", "model:openclip", "INTRODUCES", 0.95, "We release OpenCLIP.")
    _edge(graph, "paper:arxiv:2401.00001", "repo:github.com/mlfoundations/open_clip", "HAS_CODE", 0.95,
          "Code: https://github.com/mlfoundations/open_clip")
    _edge(graph, "model:openclip", HUB_ID, "DERIVED_FROM", 0.9, "OpenCLIP reproduces CLIP.", how="extend")
    graph.add_node(XSS_ID, "Paper", XSS_TITLE, title=XSS_TITLE, arxiv_id="2401.66666",
                   abstract="<script>window.__pwned = 1</script> An abstract that tries </script><b>markup</b>.",
                   published="2024-02-01", authors=["<svg onload=alert(3)>"], url=JS_URL,
                   project_url="javascript:alert(4)", links=["JAVASCRIPT:alert(5)", " javascript:alert(6)"])
    _edge(graph, XSS_ID, HUB_ID, "BUILDS_ON", 0.99, "</script><script>window.__pwned = 2</script> builds on CLIP")
    for i in range(BIG_HUB_PAPERS):
        paper = f"paper:big-{i:03d}"
        graph.add_node(paper, "Paper", f"Big hub paper {i}", title=f"Big hub paper {i}")
        _edge(graph, paper, BIG_HUB_ID, "BUILDS_ON" if i % 2 else "MENTIONS", 0.3 + (i % 7) / 10,
              f"Big hub paper {i} uses BigHub.")
    assert not graph.problems()
    return graph


def ego(graph: KnowledgeGraph, center: str, hops: int) -> tuple[set[str], int]:
    """Nodes within `hops` of `center` (edges either way) and the number of edges among them,
    computed with networkx, independently of kg.views."""
    nodes = set(nx.ego_graph(graph.g.to_undirected(as_view=True), center, radius=hops))
    return nodes, graph.g.subgraph(nodes).number_of_edges()


class PageParts(HTMLParser):
    """The parts of a written page the static tests look at: every tag with its attributes, the
    text of each <script>, and the page's text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.text: list[str] = []
        self._script: dict[str, str | None] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs)
            self.scripts.append((self._script, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        else:
            self.text.append(data)

    def urls(self) -> list[str]:
        """Every href and src value in the page."""
        return [value for _, attrs in self.tags for key, value in attrs.items() if key in ("href", "src") and value]

    def data(self) -> dict:
        """The page's JSON data block (nodes, edges, options)."""
        return json.loads(next(text for attrs, text in self.scripts if attrs.get("id") == "kg-data"))
