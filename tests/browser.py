"""A real headless Chromium for the view tests (started once per session by the `browser` fixture,
registered in conftest.py) and helpers to load pages and act on them like a person would."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from tests.conftest import OUTPUT

CHROME_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
                "--window-size=1400,1000")


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    """One headless Chromium for the session, logging console messages and network requests."""
    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and chromedriver):
        pytest.skip("Chromium and chromedriver are not installed (bash scripts/test installs them)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (*CHROME_FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@dataclass
class Loaded:
    """What loading a page left behind: console messages and every request the browser made."""

    console: list[dict[str, Any]]
    requests: list[str]

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [entry for entry in self.console if entry["level"] in ("SEVERE", "WARNING")]

    @property
    def remote(self) -> list[str]:
        """Requests that leave the machine: not local files or data, nor Chromium's own pages (a fresh
        browser may still be fetching its new-tab page's chrome:// resources)."""
        local = ("file://", "data:", "chrome:", "chrome-untrusted:")
        return [url for url in self.requests if not url.startswith(local)]


def _drain(driver: webdriver.Chrome) -> None:
    driver.get_log("browser")
    driver.get_log("performance")


def collect(driver: webdriver.Chrome) -> Loaded:
    """Console messages and requests since the last page load or collect."""
    requests = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] in ("Network.requestWillBeSent", "Network.webSocketCreated"):
            requests.append(message["params"].get("request", message["params"]).get("url", ""))
    requests += driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    return Loaded(driver.get_log("browser"), requests)


def load(driver: webdriver.Chrome, page: Path, view: bool = True) -> Loaded:
    """Open a local page; a view page is ready once its layout has settled."""
    _drain(driver)
    driver.get(page.as_uri())
    if view:
        wait_ready(driver)
    return collect(driver)


def wait_ready(driver: WebDriver) -> None:
    WebDriverWait(driver, 15).until(lambda d: d.execute_script("return document.body.dataset.ready === 'true'"))


def network_counts(driver: WebDriver) -> tuple[set[str], int]:
    ids, edges = driver.execute_script("return [kgView.nodes.getIds(), kgView.edges.length]")
    return set(ids), edges


def at_node(driver: WebDriver, node_id: str) -> ActionChains:
    """Actions that start with the mouse moved onto `node_id` where the network draws it."""
    x, y, hit = driver.execute_script(
        "const n = kgView.network, id = arguments[0];"
        "document.getElementById('kg-network').scrollIntoView({block: 'center'});"
        "const p = n.canvasToDOM(n.getPositions([id])[id]);"
        "const box = document.querySelector('#kg-network canvas').getBoundingClientRect();"
        "return [box.left + p.x, box.top + p.y, n.getNodeAt(p)];", node_id)
    assert hit == node_id, f"{node_id} is hidden under {hit}"
    chain = ActionChains(driver)
    chain.w3c_actions.pointer_action.move_to_location(round(x), round(y))
    return chain


def hover(driver: WebDriver, node_id: str) -> Any:
    """Rest the mouse on a node until vis-network shows its tooltip; returns the tooltip element."""
    at_node(driver, node_id).pause(0.2).move_by_offset(1, 1).perform()
    WebDriverWait(driver, 5).until(lambda d: d.execute_script(
        "const t = document.querySelector('div.vis-tooltip'); return t && t.style.visibility === 'visible'"))
    return driver.find_element(By.CSS_SELECTOR, "div.vis-tooltip")


def screenshot(driver: WebDriver, name: str) -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / name
    driver.save_screenshot(str(path))
    return path


def assert_no_alert(driver: WebDriver) -> None:
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.accept()
