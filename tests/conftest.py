"""Shared fixtures: paths to the sample listings and one build of them per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import BuildResult, build

pytest_plugins = ["tests.bolt_server", "tests.browser"]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
OUTPUT = Path(__file__).resolve().parent / "output"
"""Artifacts tests keep for people to look at (screenshots); ignored by git."""


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    """`kg build examples/` once per session: the result and its output folder."""
    out = tmp_path_factory.mktemp("seed-build")
    return build([str(EXAMPLES)], out), out


@pytest.fixture(scope="session")
def seed_graph_file(seed_build: tuple[BuildResult, Path]) -> Path:
    return seed_build[1] / "graph.json"


MIXED_INPUTS = (
    "hf_daily_papers.json",
    "hf_search_results.json",
    "hf_paper.json",
    "arxiv_feed.xml",
    "arxiv_snapshot.jsonl",
    "pwc_papers.json",
    "pwc_links.json",
)
"""The well-formed fixture of every JSON/XML format; several of their papers are also in the seeds."""


@pytest.fixture(scope="session")
def mixed_build() -> BuildResult:
    """The sample listings, then every format's fixture, in one build (no outputs written)."""
    return build([str(EXAMPLES), *(str(FIXTURES / name) for name in MIXED_INPUTS)])
