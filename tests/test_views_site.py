"""The static site and the `kg view` / `kg site` commands, checked on the files they write."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin
from urllib.request import url2pathname

import pytest
from click.testing import CliRunner

from kg.build import BuildResult, build
from kg.cli import cli
from kg.export.json_graph import write_json
from kg.graph import KnowledgeGraph
from kg.schema import PAPER
from kg.stored_graph import StoredGraph
from kg.views import render
from kg.views import site as site_module
from kg.views.counts import papers_linked, papers_per_month
from kg.views.sample import shown
from kg.views.selection import Neighbourhood
from kg.views.site import DEFAULT_TOP, page_names, write_site

from .conftest import EXAMPLES
from .views_support import BIG_HUB_ID, HUB_ID, XSS_ID, PageParts, ego, fixture_graph

TOP = 3


@pytest.fixture(scope="module")
def graph() -> KnowledgeGraph:
    return fixture_graph()


@pytest.fixture(scope="module")
def site(graph: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    assert write_site(graph, out, top=TOP) == out / "index.html"
    return out


@pytest.fixture(scope="module")
def graph_file(graph: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_json(graph, tmp_path_factory.mktemp("graph") / "graph.json")


def local_targets(page: Path) -> list[Path]:
    """Files the page links to or loads from its own folder tree (external links left aside)."""
    parts = PageParts(page.read_text(encoding="utf-8"))
    urls = [u for u in parts.urls() if not u.startswith(("http://", "https://"))]
    if any(attrs.get("id") == "kg-data" for attrs, _ in parts.scripts):
        urls += [node["page"] for node in parts.data()["nodes"] if "page" in node]
    return [Path(url2pathname(urljoin(page.as_uri(), u)[len("file://"):])) for u in urls]


def test_pages_for_every_paper_and_the_top_entities_of_each_label(graph: KnowledgeGraph, site: Path) -> None:
    names = page_names(graph, papers_linked(graph), TOP)
    labels = Counter(graph.node(n)["label"] for n in names)
    totals = graph.counts()["nodes"]
    assert labels[PAPER] == totals[PAPER]
    assert all(labels[label] == min(TOP, n) for label, n in totals.items() if label != PAPER)
    assert HUB_ID in names and BIG_HUB_ID in names
    assert len(set(names.values())) == len(names)
    assert sorted(p.name for p in (site / "pages").iterdir()) == sorted(names.values())


def test_assets_written_once_and_pages_link_them(site: Path) -> None:
    vis = site / "assets" / "vis-network.min.js"
    assert vis.stat().st_size > 100_000
    pages = list((site / "pages").iterdir())
    assert max(p.stat().st_size for p in pages) < vis.stat().st_size
    parts = PageParts((site / "pages" / pages[0].name).read_text(encoding="utf-8"))
    assert [attrs["src"] for attrs, _ in parts.scripts if "src" in attrs] == ["../assets/vis-network.min.js",
                                                                              "../assets/view.js"]
    csp = next(attrs["content"] for tag, attrs in parts.tags if tag == "meta" and attrs.get("http-equiv"))
    assert csp is not None, "the CSP meta tag has content"
    assert "script-src 'self'" in csp and "default-src 'none'" in csp


def test_no_broken_local_links(site: Path) -> None:
    for page in [site / "index.html", *(site / "pages").iterdir()]:
        for target in local_targets(page):
            assert target.is_file(), f"{page.name} links to missing {target}"
            assert site in target.parents, f"{page.name} reaches outside the site: {target}"


def test_no_remote_resources_anywhere(site: Path) -> None:
    for page in [site / "index.html", *(site / "pages").iterdir()]:
        parts = PageParts(page.read_text(encoding="utf-8"))
        for tag, attrs in parts.tags:
            if tag in ("script", "link", "img", "iframe", "source", "object", "embed"):
                value = attrs.get("src") or attrs.get("href") or ""
                assert not re.match(r"^([a-z]+:)?//", value), f"{page.name}: remote {tag} {value}"
    for css in (site / "assets").glob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8"))


def test_index_table_and_charts(graph: KnowledgeGraph, site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    parts = PageParts(html)
    rows = [attrs for tag, attrs in parts.tags if tag == "tr" and "data-label" in attrs]
    assert len(rows) == graph.g.number_of_nodes()
    assert Counter(r["data-label"] for r in rows) == Counter(d["label"] for _, d in graph.nodes())
    text = "".join(parts.text)
    for title in ("Most built-upon base models", "Most used datasets", "Most used methods", "Papers per month"):
        assert title in text
    months = papers_per_month(graph)
    assert months and all(f"{month}: {n}" in text for month, n in months)
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_hub_page_shows_its_neighbourhood(graph: KnowledgeGraph, site: Path) -> None:
    names = page_names(graph, papers_linked(graph), TOP)
    data = PageParts((site / "pages" / names[HUB_ID]).read_text(encoding="utf-8")).data()
    nodes, edges = ego(graph, HUB_ID, 1)
    assert {n["id"] for n in data["nodes"]} == nodes and len(data["edges"]) == edges
    assert data["center"] == HUB_ID


def test_rebuild_replaces_only_a_site(graph: KnowledgeGraph, site: Path, tmp_path: Path) -> None:
    stale = site / "pages" / "stale.html"
    stale.write_text("old", encoding="utf-8")
    write_site(graph, site, top=TOP)
    assert not stale.exists() and (site / "index.html").exists()
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_site(graph, other)
    assert (other / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["mine"]


def test_kg_view_command(graph: KnowledgeGraph, graph_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "clip.html"
    result = CliRunner().invoke(cli, ["view", str(graph_file), "clip", "--max-nodes", "5", "-o", str(out)])
    assert result.exit_code == 0, result.output
    reachable, _ = ego(graph, HUB_ID, 1)
    assert f"{len(reachable) - 5} more within reach left out" in result.output
    assert len(PageParts(out.read_text(encoding="utf-8")).data()["nodes"]) == 5


def test_kg_view_did_you_mean(graph_file: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["view", str(graph_file), "CLIPP", "-o", str(tmp_path / "x.html")])
    assert result.exit_code != 0
    assert "did you mean CLIP (model:clip)" in result.output
    assert not (tmp_path / "x.html").exists()


def test_kg_view_hops_range(graph_file: Path) -> None:
    result = CliRunner().invoke(cli, ["view", str(graph_file), "clip", "--hops", "4"])
    assert result.exit_code == 2 and "--hops" in result.output


def test_kg_view_default_file_name(graph_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["view", str(graph_file), "2401.66666"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "paper-arxiv-2401-66666.html").exists()
    assert XSS_ID in (tmp_path / "paper-arxiv-2401-66666.html").read_text(encoding="utf-8")


def test_kg_site_command(graph_file: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["site", str(graph_file), "-o", str(tmp_path / "s"), "--top", "1"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "s" / "index.html").exists()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "a.txt").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(cli, ["site", str(graph_file), "-o", str(mine)])
    assert result.exit_code == 1 and "was not written by papers-kg" in result.output
    assert (mine / "a.txt").read_text(encoding="utf-8") == "x"


def test_kg_build_writes_the_site(seed_build: tuple[BuildResult, Path]) -> None:
    result, out = seed_build
    assert result.written["site"] == out / "site" / "index.html"
    graph = result.graph
    names = page_names(graph, papers_linked(graph), DEFAULT_TOP)
    assert sorted(p.name for p in (out / "site" / "pages").iterdir()) == sorted(names.values())
    rows = [a for t, a in PageParts((out / "site" / "index.html").read_text(encoding="utf-8")).tags
            if t == "tr" and "data-label" in a]
    assert len(rows) == graph.g.number_of_nodes()


def test_a_big_graph_gets_pages_for_its_most_linked_papers(tmp_path: Path) -> None:
    built = build([str(EXAMPLES)], None, spill=True)
    graph = built.graph
    assert isinstance(graph, StoredGraph)
    papers = papers_linked(graph)
    relationships = Counter(start for start, _, _, _ in graph.edges() if graph.label(start) == PAPER)
    index = write_site(graph, tmp_path / "site", top=TOP, max_papers=40)
    assert graph._networkx is None  # the spilled graph was streamed, never loaded whole into networkx
    view = shown(graph, 40)
    assert (view.shown, view.total) == (40, 386) and view.papers == papers
    ranked = sorted(relationships, key=lambda p: (-relationships[p], p))
    chosen = {n for n, data in view.graph.nodes(PAPER)}
    assert chosen == set(ranked[:40])
    for paper_id in chosen:  # every relationship of a shown paper is drawn, with its data
        assert sorted((e, r, d) for s, e, r, d in view.graph.edges() if s == paper_id) == \
            sorted((e, r, d) for s, e, r, d in graph.edges() if s == paper_id)
    pages = list((tmp_path / "site" / "pages").iterdir())
    names = page_names(view.graph, papers, TOP)
    assert sorted(p.name for p in pages) == sorted(names.values())
    assert Counter(graph.node(n)["label"] for n in names)[PAPER] == 40
    for page in [index, *pages]:
        assert all(target.exists() for target in local_targets(page)), page
    text = index.read_text(encoding="utf-8")
    assert "Knowledge graph of 386 papers" in text and "draws the 40 with the most relationships" in text
    # the entity table counts papers over the whole graph, not only the ones drawn
    top_entity, most = max(papers.items(), key=lambda item: (item[1], item[0]))
    assert f'data-value="{most}"' in text and most > sum(1 for _ in view.graph.nodes(PAPER)) or top_entity
    graph.close()


def test_site_command_caps_the_papers_drawn(graph: KnowledgeGraph, graph_file: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["site", str(graph_file), "-o", str(tmp_path / "site"), "--papers", "2"])
    assert result.exit_code == 0, result.output
    assert graph.counts()["nodes"][PAPER] > 2
    assert len([p for p in (tmp_path / "site" / "pages").iterdir() if p.name.startswith("paper-")]) == 2


def test_pages_shared_among_processes_give_the_same_site(graph_file: Path, tmp_path: Path) -> None:
    """`--jobs` splits the pages among forked processes; the site is the one a single process writes."""
    for jobs in ("1", "2", "0"):
        result = CliRunner().invoke(cli, ["site", str(graph_file), "-o", str(tmp_path / jobs), "--jobs", jobs])
        assert result.exit_code == 0, result.output
    written = {jobs: {p.relative_to(tmp_path / jobs): p.read_bytes() for p in (tmp_path / jobs).rglob("*")
                      if p.is_file()} for jobs in ("1", "2", "0")}
    assert len(written["1"]) > 10 and written["2"] == written["1"] == written["0"]


def test_a_page_failing_in_a_process_fails_the_site_and_keeps_the_earlier_one(
        graph: KnowledgeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    write_site(graph, out, top=TOP)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    original = render.render_view

    def fail_on_hub(hood: Neighbourhood, context: render.PageContext) -> str:
        if hood.center == HUB_ID:
            raise ValueError("no page for the hub")
        return original(hood, context)

    monkeypatch.setattr(site_module, "render_view", fail_on_hub)
    with pytest.raises(RuntimeError, match=r"(?s)pages \d of 2 failed in a child process.*no page for the hub"):
        write_site(graph, out, top=TOP, jobs=2)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
