"""Input text stays text: escaping in pages, tooltips data and charts; only http(s) links; no
remote resources; every inline script allowed by hash and nothing else."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest

from kg.graph import KnowledgeGraph
from kg.views.charts import Bar, columns, horizontal_bars
from kg.views.details import excerpt, node_links, safe_url
from kg.views.render import write_view

from .views_support import HUB_ID, XSS_ID, XSS_TITLE, PageParts, fixture_graph


@pytest.fixture(scope="module")
def graph() -> KnowledgeGraph:
    return fixture_graph()


@pytest.fixture(scope="module")
def pages(graph: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Single-file views of the XSS paper and of the hub it links to."""
    folder = tmp_path_factory.mktemp("views")
    written = {}
    for node_id in (XSS_ID, HUB_ID):
        path = folder / f"{node_id.replace(':', '_')}.html"
        write_view(graph, node_id, path)
        written[node_id] = path.read_text(encoding="utf-8")
    return written


@pytest.mark.parametrize("url", ["https://github.com/a/b", "http://example.org/x?y=1#z", "HTTPS://ARXIV.ORG/abs/1"])
def test_http_urls_are_links(url: str) -> None:
    assert safe_url(url) == url


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)",
                                 "java\tscript:alert(1)", "java\nscript:alert(1)", "data:text/html,<b>x</b>",
                                 "vbscript:msgbox", "//evil.example/x", "http://", "https://x.org/\"onmouseover=1",
                                 "https://x.org/<script>", "file:///etc/passwd", "", None, 42])
def test_other_urls_never_become_links(url: object) -> None:
    assert safe_url(url) is None


def test_xss_paper_keeps_only_its_arxiv_link(graph: KnowledgeGraph) -> None:
    links = node_links(graph.node(XSS_ID))
    assert [link.href for link in links] == ["https://arxiv.org/abs/2401.66666"]


def test_excerpt_cuts_at_a_word() -> None:
    assert excerpt("short text", 50) == "short text"
    cut = excerpt("alpha beta gamma delta", 13)
    assert cut == "alpha beta …"


@pytest.mark.parametrize("node_id", [XSS_ID, HUB_ID])
def test_hostile_text_is_escaped_in_the_page(pages: dict[str, str], node_id: str) -> None:
    html = pages[node_id]
    for raw in ("<img src=x", "<svg onload", "</script><script>", "<script>window.__pwned", "<b>markup</b>"):
        assert raw not in html
    parts = PageParts(html)
    assert "img" not in {tag for tag, _ in parts.tags}
    assert all(not any(key.startswith("on") for key in attrs) for _, attrs in parts.tags)
    scripts = [attrs for attrs, _ in parts.scripts]
    assert scripts[0] == {"type": "application/json", "id": "kg-data"}
    assert all(attrs == {} for attrs in scripts[1:]), "only our inlined scripts may follow the data block"


def test_title_round_trips_as_text(pages: dict[str, str]) -> None:
    parts = PageParts(pages[XSS_ID])
    assert XSS_TITLE in "".join(parts.text)
    nodes = {node["id"]: node for node in parts.data()["nodes"]}
    assert nodes[XSS_ID]["info"]["name"] == XSS_TITLE


@pytest.mark.parametrize("node_id", [XSS_ID, HUB_ID])
def test_links_are_http_and_resources_local(pages: dict[str, str], node_id: str) -> None:
    parts = PageParts(pages[node_id])
    assert "javascript:" not in json.dumps(parts.data()).lower()
    for tag, attrs in parts.tags:
        if tag in ("script", "link", "img", "iframe", "source"):
            assert not (attrs.get("src") or attrs.get("href")), f"a single view inlines everything: {tag} {attrs}"
    assert all(url.startswith(("https://", "http://")) for url in parts.urls())
    for node in parts.data()["nodes"]:
        assert all(link["href"].startswith(("https://", "http://")) for link in node["info"]["links"])


def test_csp_allows_exactly_the_inlined_scripts(pages: dict[str, str]) -> None:
    parts = PageParts(pages[HUB_ID])
    csp = next(attrs["content"] for tag, attrs in parts.tags if tag == "meta" and attrs.get("http-equiv"))
    assert csp is not None, "the CSP meta tag has content"
    assert "default-src 'none'" in csp and "http" not in csp
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src")).split()[1:]
    inline = [text for attrs, text in parts.scripts if not attrs]
    digests = ["'sha256-" + base64.b64encode(hashlib.sha256(t.encode()).digest()).decode() + "'" for t in inline]
    assert sorted(script_src) == sorted(digests)


def test_charts_escape_labels_and_links() -> None:
    bars = [Bar("<script>alert(1)</script>", 3, href='pages/a.html" onclick="x'), Bar("B & C", 1)]
    svg = str(horizontal_bars(bars, "#123456", "<title>"))
    assert "<script>" not in svg and 'onclick="x' not in svg and "B &amp; C" in svg
    assert "<script>" not in str(columns([Bar("<i>2024-01</i>", 2)], "#123456", "months"))


def test_view_written_atomically(graph: KnowledgeGraph, tmp_path: Path) -> None:
    path = tmp_path / "clip.html"
    hood = write_view(graph, HUB_ID, path, hops=1, max_nodes=5)
    assert path.exists() and not list(tmp_path.glob(".*.tmp"))
    assert len(PageParts(path.read_text(encoding="utf-8")).data()["nodes"]) == len(hood.nodes) == 5
