"""The pages in a real headless Chromium: offline loading with no console errors and no remote
request, the graph's node and edge counts in the network, navigation between pages, escaping of
hostile input, the layout settling quickly, and screenshots for people to look at."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from selenium.webdriver import Chrome
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from kg.build import BuildResult
from kg.graph import KnowledgeGraph
from kg.text import match_key
from kg.views.counts import papers_linked
from kg.views.render import write_view
from kg.views.selection import DEFAULT_MAX_NODES
from kg.views.site import DEFAULT_TOP, page_names, write_site

from .browser import assert_no_alert, at_node, collect, hover, load, network_counts, screenshot, wait_ready
from .views_support import BIG_HUB_ID, HUB_ID, XSS_ID, XSS_TITLE, ego, fixture_graph

pytestmark = pytest.mark.browser

SETTLE_MS = 5000


@pytest.fixture(scope="module")
def graph() -> KnowledgeGraph:
    return fixture_graph()


@pytest.fixture(scope="module")
def site(graph: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser-site") / "site"
    write_site(graph, out)
    return out


@pytest.fixture(scope="module")
def pages(graph: KnowledgeGraph) -> dict[str, str]:
    return page_names(graph, papers_linked(graph), DEFAULT_TOP)


def test_hub_page_offline_clean_and_complete(browser: Chrome, graph: KnowledgeGraph, site: Path,
                                            pages: dict[str, str]) -> None:
    loaded = load(browser, site / "pages" / pages[HUB_ID])
    assert not loaded.errors, loaded.errors
    assert not loaded.remote, loaded.remote
    assert any(url.endswith("/assets/vis-network.min.js") for url in loaded.requests)
    expected_nodes, expected_edges = ego(graph, HUB_ID, 1)
    assert network_counts(browser) == (expected_nodes, expected_edges)
    assert browser.find_element(By.TAG_NAME, "h1").text == graph.node(HUB_ID)["name"]
    assert screenshot(browser, "views-hub.png").stat().st_size > 10_000


def test_big_hub_is_capped_and_settles_quickly(browser: Chrome, graph: KnowledgeGraph, site: Path,
                                              pages: dict[str, str]) -> None:
    load(browser, site / "pages" / pages[BIG_HUB_ID])
    reachable, _ = ego(graph, BIG_HUB_ID, 1)
    ids, edges = network_counts(browser)
    assert len(ids) == DEFAULT_MAX_NODES and BIG_HUB_ID in ids
    assert edges == graph.g.subgraph(ids).number_of_edges()
    summary = browser.find_element(By.ID, "kg-summary").text
    assert f"{len(reachable) - DEFAULT_MAX_NODES} more nodes within reach were left out" in summary
    assert browser.execute_script("return kgView.stabilizedMs") < SETTLE_MS
    screenshot(browser, "views-big-hub.png")


def test_double_click_opens_the_neighbours_page(browser: Chrome, graph: KnowledgeGraph, site: Path,
                                                pages: dict[str, str]) -> None:
    load(browser, site / "pages" / pages[HUB_ID])
    at_node(browser, "model:openclip").double_click().perform()
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/" + pages["model:openclip"]))
    wait_ready(browser)
    assert browser.find_element(By.TAG_NAME, "h1").text == graph.node("model:openclip")["name"]
    ids, edges = network_counts(browser)
    assert (ids, edges) == ego(graph, "model:openclip", 1)


def test_click_shows_details_with_a_link_to_the_page(browser: Chrome, graph: KnowledgeGraph, site: Path,
                                                     pages: dict[str, str]) -> None:
    load(browser, site / "pages" / pages[HUB_ID])
    target = "paper:arxiv:2401.00003"
    at_node(browser, target).click().perform()
    details = browser.find_element(By.ID, "kg-details")
    WebDriverWait(browser, 5).until(lambda d: graph.node(target)["name"] in details.text)
    details.find_element(By.CSS_SELECTOR, "a.open").click()
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/" + pages[target]))
    wait_ready(browser)
    back = browser.find_element(By.LINK_TEXT, graph.node(HUB_ID)["name"])
    href = back.get_attribute("href")
    assert href is not None and href.endswith("/" + pages[HUB_ID])


def test_xss_title_stays_text(browser: Chrome, site: Path, pages: dict[str, str]) -> None:
    loaded = load(browser, site / "pages" / pages[XSS_ID])
    assert_no_alert(browser)
    assert not loaded.errors, loaded.errors
    assert browser.find_element(By.TAG_NAME, "h1").text == XSS_TITLE
    tooltip = hover(browser, XSS_ID)
    ActionChains(browser).click().perform()
    assert XSS_TITLE in tooltip.text and XSS_TITLE in browser.find_element(By.ID, "kg-details").text
    assert_no_alert(browser)
    injected = browser.execute_script(
        "return [document.querySelectorAll('img').length, window.__pwned === undefined,"
        " [...document.querySelectorAll('[onerror],[onload]')].length,"
        " [...document.querySelectorAll('a[href]')].map(a => a.protocol)]")
    images, not_pwned, handlers, protocols = injected
    assert images == 0 and not_pwned and handlers == 0
    assert set(protocols) <= {"http:", "https:", "file:"}
    assert not collect(browser).errors


def test_xss_node_on_the_hub_page(browser: Chrome, site: Path, pages: dict[str, str]) -> None:
    load(browser, site / "pages" / pages[HUB_ID])
    tooltip = hover(browser, XSS_ID)
    assert tooltip.find_element(By.TAG_NAME, "strong").text == XSS_TITLE
    assert not tooltip.find_elements(By.CSS_SELECTOR, "img, script, svg")
    assert_no_alert(browser)
    screenshot(browser, "views-hub-tooltip.png")


def test_index_search_sort_and_did_you_mean(browser: Chrome, graph: KnowledgeGraph, site: Path) -> None:
    def matching(term: str) -> int:
        return sum(1 for node_id, data in graph.nodes()
                   if any(term in match_key(t) for t in (data["name"], *data.get("aliases", []), node_id)))

    loaded = load(browser, site / "index.html", view=False)
    assert not loaded.errors and not loaded.remote, (loaded.errors, loaded.remote)
    visible = "return [...document.querySelectorAll('#entities tbody tr')].filter(r => !r.hidden).length"
    assert browser.execute_script(visible) == graph.g.number_of_nodes()
    screenshot(browser, "views-index.png")
    search = browser.find_element(By.ID, "q")
    search.send_keys("clip")
    assert browser.execute_script(visible) == matching("clip")
    search.clear()
    search.send_keys("OpenCLPI")
    assert browser.execute_script(visible) == 0
    suggestion = browser.find_element(By.CSS_SELECTOR, "#did-you-mean button")
    assert suggestion.text == "OpenCLIP"
    suggestion.click()
    assert browser.execute_script(visible) == matching("openclip")
    search.clear()
    search.send_keys(" ")  # clear() fires no input event; a blank query shows every row again
    assert browser.execute_script(visible) == graph.g.number_of_nodes()
    papers_header = browser.find_element(By.XPATH, "//th[button='Papers']")
    papers_header.find_element(By.TAG_NAME, "button").click()
    values = browser.execute_script(
        "return [...document.querySelectorAll('#entities tbody tr')].map(r => Number(r.cells[2].dataset.value))")
    assert papers_header.get_attribute("aria-sort") == "ascending" and values == sorted(values)


def test_single_view_file_works_offline(browser: Chrome, graph: KnowledgeGraph, tmp_path: Path) -> None:
    page = tmp_path / "clip.html"
    hood = write_view(graph, HUB_ID, page, hops=2, max_nodes=40)
    loaded = load(browser, page)
    assert not loaded.errors and not loaded.remote, (loaded.errors, loaded.remote)
    assert [url for url in loaded.requests if url != page.as_uri()] == []
    assert network_counts(browser) == (set(hood.nodes), len(hood.edges))


def _seed_hub(graph: KnowledgeGraph, pages: dict[str, str]) -> str:
    """CLIP when the seed site has its page, else the entity linked with the most papers."""
    if HUB_ID in pages:
        return HUB_ID
    return max(papers_linked(graph).items(), key=lambda item: (item[1], item[0]))[0]


def test_seed_site_in_the_browser(browser: Chrome, seed_build: tuple[BuildResult, Path]) -> None:
    result, out = seed_build
    graph, site = result.graph, out / "site"
    loaded = load(browser, site / "index.html", view=False)
    assert not loaded.errors and not loaded.remote, (loaded.errors, loaded.remote)
    rows = browser.execute_script("return document.querySelectorAll('#entities tbody tr').length")
    assert rows == graph.g.number_of_nodes()
    screenshot(browser, "views-seed-index.png")
    pages = page_names(graph, papers_linked(graph), DEFAULT_TOP)
    hub = _seed_hub(graph, pages)
    started = time.monotonic()
    loaded = load(browser, site / "pages" / pages[hub])
    assert time.monotonic() - started < 15
    assert not loaded.errors and not loaded.remote, (loaded.errors, loaded.remote)
    nodes, edges = ego(graph, hub, 1)
    ids, shown_edges = network_counts(browser)
    if len(nodes) <= DEFAULT_MAX_NODES:
        assert (ids, shown_edges) == (nodes, edges)
    else:
        assert len(ids) == DEFAULT_MAX_NODES and shown_edges == graph.g.subgraph(ids).number_of_edges()
    screenshot(browser, "views-seed-hub.png")
    neighbour = next(n for n in sorted(ids - {hub}, key=lambda n: -graph.g.degree(n)) if n in pages)
    browser.execute_script("kgView.network.selectNodes([arguments[0]]);"
                           "kgView.network.body.emitter.emit('doubleClick', {nodes: [arguments[0]], edges: []});",
                           neighbour)
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/" + pages[neighbour]))
    wait_ready(browser)
    assert neighbour in browser.execute_script("return kgView.nodes.getIds()")
