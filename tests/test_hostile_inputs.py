"""Hostile and broken files (tests/hostile.py) through `kg build`: each is read, or rejected with a
clear reason, in bounded time and memory, and the accounting balances on every build."""

from __future__ import annotations

import json
import time
import tracemalloc
from pathlib import Path
from xml.etree import ElementTree

import pytest
import rdflib
from click.testing import CliRunner

from kg.build import BuildResult, build
from kg.cli import cli
from kg.sources.limits import MAX_TITLE
from kg.text import MAX_SLUG, printable

from .checks import assert_balanced, assert_sound, rejects
from .corpus import bad_corpus
from .hostile import CASES, ONE_LINE, ONE_LINE_SIZE, SECRET, TITLE_AT_LIMIT, Case, hostile_corpus, one_line_file

SECONDS = 20.0
"""Wall-clock guard for one hostile file: against a hang or a quadratic blow-up, not a performance target."""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Case]:
    return hostile_corpus(tmp_path_factory.mktemp("hostile") / "in")


def assert_outcome(result: BuildResult, case: Case) -> None:
    """The build is sound (the accounting balances) and the file's papers kept and reject reasons
    are the expected ones."""
    assert_sound(result)
    entry = result.report.files[str(case.path)]
    reasons = [reject["reason"] for reject in entry.rejects]
    assert len(reasons) == len(case.rejects), reasons
    for reason, expected in zip(reasons, case.rejects, strict=True):
        assert reason.startswith(expected), (reason, expected)
    if case.kept is None:
        assert entry.papers_kept > 0, entry
    else:
        assert entry.papers_kept == case.kept, entry


def timed_build(path: Path) -> BuildResult:
    start = time.monotonic()
    result = build([str(path)])
    assert time.monotonic() - start < SECONDS, f"{path.name} took {time.monotonic() - start:.1f} s"
    return result


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file(name: str, corpus: dict[str, Case]) -> None:
    case = corpus[name]
    assert_outcome(timed_build(case.path), case)


@pytest.mark.parametrize("name", ONE_LINE)
def test_single_line_of_50_mb_is_rejected_in_bounded_time_and_memory(name: str, tmp_path: Path) -> None:
    """Reading a 50 MB line costs a few copies of it, not a quadratic pass or a 50 MB title."""
    case = one_line_file(tmp_path, name)
    tracemalloc.start()
    try:
        result = timed_build(case.path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert_outcome(result, case)
    assert peak < 5 * ONE_LINE_SIZE, f"peak {peak / ONE_LINE_SIZE:.1f} times the line"


def test_title_at_the_limit_is_kept_with_a_capped_id(corpus: dict[str, Case]) -> None:
    """The documented rule: a title of up to MAX_TITLE characters is kept; its id is capped."""
    result = build([str(corpus["long-title.json"].path)])
    ((paper_id, paper),) = ((node, data) for node, data in result.graph.g.nodes(data=True) if data["label"] == "Paper")
    assert paper["title"] == TITLE_AT_LIMIT and len(TITLE_AT_LIMIT) <= MAX_TITLE
    assert len(paper_id) <= len("paper:") + MAX_SLUG


def test_unprintable_escapes_become_printable_text(corpus: dict[str, Case]) -> None:
    """NUL, bell, lone surrogates and U+FFFF spelled as JSON escapes: dropped or U+FFFD."""
    result = build([str(corpus["escapes.json"].path)])
    nodes = dict(result.graph.g.nodes(data=True))
    paper = nodes["paper:arxiv:2101.00001"]
    assert paper["title"] == "Nul and bell and \ufffd lone surrogate \ufffd"
    assert paper["authors"] == ["AB", "CD"] and paper["published"] == "2021-01-01"
    assert "repo:github.com/owner/repo" in nodes


def test_xml_bombs_are_refused_before_expanding(corpus: dict[str, Case]) -> None:
    """A billion laughs would be 3 GB expanded: refusing the DTD takes no time and no memory."""
    tracemalloc.start()
    try:
        start = time.monotonic()
        result = build([str(corpus[name].path) for name in ("billion-laughs.xml", "quadratic-blowup.xml")])
        elapsed = time.monotonic() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert_balanced(result.report)
    assert result.report.totals["records_rejected"] == 2
    assert elapsed < 5 and peak < 50 * 1024 * 1024


def test_whole_corpus_in_one_build_writes_outputs_that_read_back(corpus: dict[str, Case], tmp_path: Path) -> None:
    """Every hostile file and every unreadable one together through the command line: exit 0 (papers
    were built), each reject printed as FILE[:LINE]: reason, every output complete and readable, and
    nothing of the file the XXE cases point at anywhere in them."""
    bad = bad_corpus(tmp_path / "bad")
    out = tmp_path / "out"
    inputs = [str(case.path) for case in corpus.values()] + [str(path) for path, _ in bad.values()]
    result = CliRunner().invoke(cli, ["build", *inputs, "-o", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert_balanced(report)
    printed = set(result.stderr.splitlines())
    assert all(line in printed for line in rejects(report))
    graph = json.loads((out / "graph.json").read_text("utf-8"))
    assert graph["nodes"] and all(printable(node["id"]) == node["id"] for node in graph["nodes"])
    ElementTree.parse(out / "graph.graphml")
    rdflib.Graph().parse(out / "graph.ttl", format="turtle")
    for path in out.rglob("*"):
        assert not path.is_file() or SECRET.encode() not in path.read_bytes(), path
