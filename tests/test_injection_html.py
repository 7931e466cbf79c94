"""HTML injection in a real headless Chromium, beyond what test_views_browser.py covers (an
`<img onerror>` title, `<script>` in an abstract and in evidence, `javascript:` paper URLs):
attribute injection (`" onmouseover="...`), `</script>` in names inside the page's JSON data block,
template syntax, a `javascript:` project page read from a real input file, and a hand-edited graph
with a `javascript:` repository URL and `data:` links. On every page nothing runs (no alert, no
script, no event handler, no navigation, no console error) and only http(s) links are clickable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from selenium.webdriver import Chrome
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from kg.build import build
from kg.graph import KnowledgeGraph
from kg.views.counts import papers_linked
from kg.views.site import DEFAULT_TOP, page_names, write_site

from .browser import assert_no_alert, collect, hover, load, network_counts

pytestmark = pytest.mark.browser

ATTRIBUTE = '" onmouseover="alert(1)" autofocus onfocus="alert(2)" x="'
BREAKOUT = "</script><script>window.__pwned = 3</script>"
TEMPLATE = "{{ 7*7 }} ${7*7} `${alert(4)}`"
PAPER = "paper:arxiv:2402.00001"
REPO = "repo:github.com/evil/js"
MODEL = "model:evil"
HF_ITEM = {"paper": {
    "id": "2402.00001", "title": f"{ATTRIBUTE}Adapting LLaMA {BREAKOUT}",
    "summary": ("We fine-tune LLaMA on <img src=x onerror=alert(5)> data. Our project page is "
                'https://evil.github.io/"><script>alert(6)</script> and the code is at javascript:alert(7)'),
    "authors": [{"name": "<svg onload=alert(8)>"}], "publishedAt": "2024-02-01T00:00:00.000Z",
    "githubRepo": "javascript:alert(9)", "projectPage": "javascript:alert(10)"}}
"""A Hugging Face daily-papers item a stranger could publish."""
UNSAFE_URLS = ("javascript:alert(10)", "javascript:alert(11)", "data:text/html,<script>alert(12)</script>")


def hostile_graph(folder: Path) -> KnowledgeGraph:
    """The graph `kg build` makes of HF_ITEM, plus what a hand-edited graph.json could add: a repository
    whose URL is `javascript:`, a model with a `data:` link and names made to break out of attributes
    and scripts."""
    source = folder / "hostile.json"
    source.write_text(json.dumps([HF_ITEM]), encoding="utf-8")
    graph = build([str(source)]).graph
    assert graph.node(PAPER)["project_url"] == "javascript:alert(10)", "the input's project page reaches the graph"
    graph.add_node(REPO, "Repository", BREAKOUT, url="javascript:alert(11)", host="github.com", owner="evil")
    graph.add_node(MODEL, "Model", f"<svg/onload=alert(13)>{ATTRIBUTE}", aliases=[TEMPLATE],
                   links=["data:text/html,<script>alert(12)</script>", "https://example.org/model"])
    for end, rel, evidence in ((REPO, "HAS_CODE", ATTRIBUTE), (MODEL, "MENTIONS", BREAKOUT)):
        graph.add_edge(PAPER, end, rel, evidence=evidence, confidence=0.9, extractor="test/1", source="hand-edited")
    return graph


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[KnowledgeGraph, Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("hostile-site")
    graph = hostile_graph(folder)
    write_site(graph, folder / "site")
    return graph, folder / "site", page_names(graph, papers_linked(graph), DEFAULT_TOP)


INERT = """
const handlers = [...document.querySelectorAll('*')].flatMap(
    el => [...el.attributes].filter(a => a.name.startsWith('on')).map(a => el.tagName + ' ' + a.name));
const inline = [...document.scripts].filter(s => !s.src && s.type !== 'application/json').length;
const data = document.getElementById('kg-data');
return {pwned: window.__pwned === undefined ? null : window.__pwned, handlers: handlers, inline: inline,
        injected: document.querySelectorAll('img, iframe, object, embed, svg script, svg[onload]').length,
        protocols: [...new Set([...document.querySelectorAll('[href]')].map(a => new URL(a.href, location).protocol))],
        hrefs: [...document.querySelectorAll('[href]')].map(a => a.getAttribute('href')),
        names: data ? JSON.parse(data.textContent).nodes.map(n => n.info.name) : []};
"""


def assert_inert(browser: Chrome, url: str) -> dict:
    """Nothing ran or was injected on the page at `url`, and it is still the page shown."""
    assert_no_alert(browser)
    found = browser.execute_script(INERT)
    assert found["pwned"] is None and found["handlers"] == [] and found["inline"] == 0 and found["injected"] == 0
    assert set(found["protocols"]) <= {"http:", "https:", "file:"}
    assert not {href.strip().lower() for href in found["hrefs"]} & {url.lower() for url in UNSAFE_URLS}
    assert browser.current_url == url
    assert not collect(browser).errors
    return found


@pytest.mark.parametrize("node_id", [PAPER, REPO, MODEL])
def test_each_hostile_page_shows_text_and_runs_nothing(browser: Chrome, site, node_id: str) -> None:
    graph, folder, pages = site
    page = folder / "pages" / pages[node_id]
    loaded = load(browser, page)
    assert not loaded.errors and not loaded.remote, (loaded.errors, loaded.remote)
    assert browser.find_element(By.TAG_NAME, "h1").text == graph.node(node_id)["name"]
    ids, _ = network_counts(browser)
    for shown in sorted(ids & {PAPER, REPO, MODEL}):
        tooltip = hover(browser, shown)
        assert graph.node(shown)["name"] in tooltip.text
        assert not tooltip.find_elements(By.CSS_SELECTOR, "img, script, svg, a")
        ActionChains(browser).click().perform()
        assert graph.node(shown)["name"] in browser.find_element(By.ID, "kg-details").text
        assert_no_alert(browser)
    found = assert_inert(browser, page.as_uri())
    assert {graph.node(n)["name"] for n in ids} == set(found["names"]), "names survive the JSON data block whole"


def test_only_http_links_become_clickable(browser: Chrome, site) -> None:
    _, folder, pages = site
    load(browser, folder / "pages" / pages[MODEL])
    panel = browser.find_element(By.ID, "kg-details")
    assert [a.get_attribute("href") for a in panel.find_elements(By.CSS_SELECTOR, "ul.links a")] == \
           ["https://example.org/model"]
    load(browser, folder / "pages" / pages[REPO])
    assert not browser.find_elements(By.CSS_SELECTOR, "#kg-details ul.links a, section.entity ul.links a")
    load(browser, folder / "pages" / pages[PAPER])
    links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "section.entity ul.links a")]
    assert links and all(link is not None and link.startswith(("https://", "http://")) for link in links)
    assert_inert(browser, (folder / "pages" / pages[PAPER]).as_uri())


def test_the_index_keeps_hostile_names_in_their_attributes(browser: Chrome, site) -> None:
    graph, folder, _ = site
    loaded = load(browser, folder / "index.html", view=False)
    assert not loaded.errors and not loaded.remote, (loaded.errors, loaded.remote)
    names = browser.execute_script(
        "return [...document.querySelectorAll('#entities tbody tr')].map(r => r.dataset.name)")
    assert sorted(names) == sorted(data["name"] for _, data in graph.nodes())
    browser.find_element(By.ID, "q").send_keys("onmouseover alert")
    shown = browser.execute_script(
        "return [...document.querySelectorAll('#entities tbody tr')].filter(r => !r.hidden).map(r => r.dataset.name)")
    assert sorted(shown) == sorted(graph.node(n)["name"] for n in (PAPER, MODEL))
    assert_inert(browser, (folder / "index.html").as_uri())
