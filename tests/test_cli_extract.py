"""`kg extract` through the command line: the same papers, relationships and accounting as
`kg build` of the same inputs (code links included), the same bytes for any --jobs and with
-o, and the exit statuses of a failed or --strict run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kg.build import BuildResult
from kg.cli import cli
from kg.schema import HAS_CODE

from .checks import rejects
from .conftest import EXAMPLES, FIXTURES, MIXED_INPUTS

INPUTS = [str(EXAMPLES), *(str(FIXTURES / name) for name in MIXED_INPUTS)]
LINKS = FIXTURES / "pwc_links.json"


def kg_extract(*args: str) -> Result:
    return CliRunner().invoke(cli, ["extract", *args])


def records(result: Result) -> list[dict]:
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture(scope="module")
def mixed() -> Result:
    return kg_extract(*INPUTS)


def test_extract_finds_the_relationships_the_build_assembles(mixed: Result, mixed_build: BuildResult) -> None:
    found = records(mixed)
    assert [r["paper"]["id"] for r in found] == [paper_id for paper_id, _ in mixed_build.graph.nodes("Paper")]
    relationships = {(m.get("from", r["paper"]["id"]), m["relation"], m["id"]) for r in found for m in r["mentions"]}
    assert relationships == {(start, rel, end) for start, end, rel, _ in mixed_build.graph.edges()}


def test_code_links_become_has_code_mentions_of_their_papers(mixed: Result) -> None:
    by_paper = {r["paper"]["id"]: r["mentions"] for r in records(mixed)}
    linked = [m for m in by_paper["paper:arxiv:1706.03762"] if m["extractor"] == "pwc-links/1"]
    assert [(m["id"], m["relation"], m["evidence"], m["confidence"]) for m in linked] == [
        ("repo:github.com/tensorflow/tensor2tensor", HAS_CODE,
         "code link: https://github.com/tensorflow/tensor2tensor", 1.0)]
    # the abstract gave this repository too: both mentions are kept, each with its evidence
    bert = [m["extractor"] for m in by_paper["paper:arxiv:1810.04805"]
            if m["id"] == "repo:github.com/google-research/bert"]
    assert "pwc-links/1" in bert and len(bert) == 2


def test_rejects_and_the_summary_go_to_stderr(mixed: Result, mixed_build: BuildResult) -> None:
    lines = mixed.stderr.splitlines()
    totals = mixed_build.report.totals
    assert lines[-1] == (f"{totals['records_read']} records read: {totals['papers_kept']} papers, "
                         f"{totals['duplicates_merged']} merged duplicates, {totals['records_rejected']} rejected")
    assert [line for line in lines if line.startswith(str(LINKS))] == [
        line for line in rejects(mixed_build.report) if line.startswith(str(LINKS))]
    assert len([line for line in lines if line.startswith(str(LINKS))]) == 2


@pytest.mark.parametrize("jobs", ["2", "0"])
def test_any_number_of_jobs_writes_the_same_bytes(mixed: Result, jobs: str, tmp_path: Path) -> None:
    out = tmp_path / "deep" / "mentions.jsonl"
    result = kg_extract(*INPUTS, "--jobs", jobs, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert out.read_text("utf-8") == mixed.stdout
    assert [p.name for p in out.parent.iterdir()] == ["mentions.jsonl"]


def test_links_alone_fail_with_every_link_rejected(tmp_path: Path) -> None:
    out = tmp_path / "mentions.jsonl"
    result = kg_extract(str(LINKS), "-o", str(out))
    assert result.exit_code == 1
    assert "no paper could be read from the input" in result.stderr
    assert "6 records read: 0 papers, 0 merged duplicates, 6 rejected" in result.stderr
    assert out.read_text("utf-8") == ""


def test_strict_fails_on_a_rejected_record_after_writing_the_rest() -> None:
    result = kg_extract(str(FIXTURES / "hf_paper.json"), str(LINKS), "--strict")
    assert result.exit_code == 1
    assert "records rejected (--strict)" in result.stderr
    assert len(result.stdout.splitlines()) == 1
    assert kg_extract(str(FIXTURES / "hf_paper.json"), "--strict").exit_code == 0
