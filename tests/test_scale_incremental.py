"""Incremental build: `kg build --keep-state` then `kg build --update OUT NEW...` gives the outputs
of a fresh build of all the inputs, while reading and extracting only the new ones; and the checks
of the build modes' options and inputs."""

from __future__ import annotations

import json
import re
import sqlite3
from itertools import count
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kg import parallel
from kg.build import BuildResult, build
from kg.cli import cli
from kg.extract import Extraction
from kg.incremental import update
from kg.outputs import OUTPUTS
from kg.resolve.papers import MergedPaper
from kg.state import GRAPH_PREFIX, STATE_FILE, StateError
from kg.stored_graph import StoredGraph

from .checks import assert_balanced
from .conftest import EXAMPLES, FIXTURES

SKIP = [name for name in OUTPUTS if name not in {"json", "graphml"}]
SEEDS = sorted(str(path) for path in EXAMPLES.iterdir())
# A: three seed listings and the Papers with Code links (some point at papers only B has);
# B: the other seed listings and listings in other formats that repeat, and extend, papers of A
A = [*SEEDS[:3], str(FIXTURES / "pwc_links.json")]
B = [*SEEDS[3:], str(FIXTURES / "arxiv_snapshot.jsonl"), str(FIXTURES / "hf_daily_papers.json"),
     str(FIXTURES / "pwc_papers.json"), str(FIXTURES / "arxiv_feed.xml")]


def kg(*args: str) -> Result:
    return CliRunner().invoke(cli, [*args, *(arg for name in SKIP for arg in ("--skip", name))])


def test_update_gives_the_fresh_build(tmp_path: Path) -> None:
    updated, fresh = tmp_path / "updated", tmp_path / "fresh"
    assert kg("build", *A, "-o", str(updated), "--keep-state").exit_code == 0
    assert (updated / STATE_FILE).is_file()
    result = kg("build", "--update", str(updated), *B)
    assert result.exit_code == 0, result.output
    assert kg("build", *A, *B, "-o", str(fresh)).exit_code == 0
    same_outputs(updated, fresh)
    report = json.loads((updated / "report.json").read_text("utf-8"))
    assert_balanced(report)
    papers = report["counts"]["nodes"]["Paper"]
    assert f"assembled {papers:,} of {papers:,} papers into the stored graph" in result.output  # B changes A's
    files = {entry["file"]: entry for entry in report["files"]}
    assert set(files) == set(A) | set(B)
    assert all(files[name]["records_read"] > 0 for name in B)
    assert sum(files[name]["duplicates_merged"] for name in B) > 0  # B repeats papers of A


def read_again(result: BuildResult, earlier: list[str], new: list[str]) -> int:
    """Papers of the `earlier` inputs that records of the `new` ones merged into."""
    def read_in(sources: list[str], inputs: list[str]) -> bool:
        return any(where.startswith(name) for where in sources for name in inputs)
    return sum(1 for _, data in result.graph.nodes("Paper")
               if read_in(data["sources"], earlier) and read_in(data["sources"], new))


def same_outputs(one: Path, other: Path) -> None:
    for name in ("graph.json", "graph.graphml", "report.json"):
        assert (one / name).read_bytes() == (other / name).read_bytes(), name


def test_update_assembles_the_new_papers_into_the_stored_graph(tmp_path: Path) -> None:
    """New papers, then only repeats (their extractions unchanged, lineage among them): each update
    assembles just the papers it read into the stored graph, and gives a fresh build's outputs."""
    updated, fresh = tmp_path / "updated", tmp_path / "fresh"
    build(A, updated, skip=SKIP, keep_state=True)
    first = update(updated, SEEDS[3:], skip=SKIP)
    build([*A, *SEEDS[3:]], fresh, skip=SKIP)
    same_outputs(updated, fresh)
    new = sum(first.report.files[name].papers_kept for name in SEEDS[3:])
    assert first.assembled == new + read_again(first, A, SEEDS[3:]) < first.papers
    repeats = SEEDS[:1]
    second = update(updated, repeats, skip=SKIP)
    build([*A, *SEEDS[3:], *repeats], fresh, skip=SKIP)
    same_outputs(updated, fresh)
    assert second.assembled == read_again(second, A, repeats) < second.papers
    assert any(data["source"].startswith(repeats[0]) for *_, data in second.graph.edges("DERIVED_FROM"))
    assert isinstance(first.graph, StoredGraph)
    assert [path.name for path in updated.glob(GRAPH_PREFIX + "*")] == [first.graph.path.name]


def test_update_assembles_the_graph_again_when_an_earlier_paper_changes(tmp_path: Path,
                                                                         caplog: pytest.LogCaptureFixture) -> None:
    """B gives papers of A their arXiv ids, which changes their ids (and extends what they say)."""
    build(A, tmp_path, skip=SKIP, keep_state=True)
    before = {path.name for path in tmp_path.glob(GRAPH_PREFIX + "*")}
    with caplog.at_level("INFO", logger="kg.incremental"):
        result = update(tmp_path, B, skip=SKIP)
    assert result.assembled == result.papers
    assert re.search(r"assembling the whole graph again: paper:\S+ is now paper:arxiv:", caplog.text)
    after = {path.name for path in tmp_path.glob(GRAPH_PREFIX + "*")}
    assert len(after) == 1 and after != before  # a new graph file, the old one removed


def test_update_assembles_the_graph_again_when_an_earlier_papers_text_changes(tmp_path: Path) -> None:
    """A longer abstract read for an earlier paper (same arXiv id) says more: its old mentions would
    stay in the nodes they merged into, so the graph is assembled again; outputs as a fresh build's."""
    def listing(name: str, abstract: str) -> str:
        record = {"id": "2401.00001", "title": "Tiny Tuning", "abstract": abstract, "categories": "cs.CL"}
        (tmp_path / name).write_text(json.dumps(record) + "\n", encoding="utf-8")
        return str(tmp_path / name)

    short = listing("short.jsonl", "We fine-tune BERT on SQuAD.")
    longer = listing("longer.jsonl", "We fine-tune BERT on SQuAD. We also distil RoBERTa into it on GLUE.")
    updated, fresh = tmp_path / "updated", tmp_path / "fresh"
    build([*SEEDS[:1], short], updated, skip=SKIP, keep_state=True)
    result = update(updated, [longer], skip=SKIP)
    assert result.assembled == result.papers
    build([*SEEDS[:1], short, longer], fresh, skip=SKIP)
    same_outputs(updated, fresh)
    assert "model:roberta" in result.graph


def test_a_failed_update_leaves_the_state_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    updated, fresh = tmp_path / "updated", tmp_path / "fresh"
    build(A, updated, skip=SKIP, keep_state=True)
    extract, calls = parallel.extract_paper, count()

    def failing(paper: MergedPaper) -> Extraction:
        if next(calls) == 20:
            raise RuntimeError("stopped")
        return extract(paper)

    monkeypatch.setattr(parallel, "extract_paper", failing)
    with pytest.raises(RuntimeError, match="stopped"):
        update(updated, SEEDS[3:], skip=SKIP)
    monkeypatch.setattr(parallel, "extract_paper", extract)
    update(updated, SEEDS[3:], skip=SKIP)
    build([*A, *SEEDS[3:]], fresh, skip=SKIP)
    same_outputs(updated, fresh)


def test_update_extracts_only_the_new_and_the_changed_papers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(A, tmp_path, skip=SKIP, keep_state=True)
    extracted: list[str] = []
    extract = parallel.extract_paper

    def recording(paper: MergedPaper) -> Extraction:
        extracted.append(paper.id)
        return extract(paper)

    monkeypatch.setattr(parallel, "extract_paper", recording)
    result = update(tmp_path, B, skip=SKIP)
    new = sum(entry.papers_kept for name, entry in result.report.files.items() if name in B)
    changed = read_again(result, A, B)
    assert changed > 0
    assert sorted(extracted) == sorted(set(extracted)) and len(extracted) == new + changed
    assert len(extracted) < result.report.totals["papers_kept"]


def test_update_without_new_input_rewrites_the_outputs(tmp_path: Path) -> None:
    build(A, tmp_path, skip=SKIP, keep_state=True)
    before = (tmp_path / "graph.json").read_bytes()
    (tmp_path / "graph.json").unlink()
    assert kg("build", "--update", str(tmp_path)).exit_code == 0
    assert (tmp_path / "graph.json").read_bytes() == before


def test_update_needs_a_state(tmp_path: Path) -> None:
    build(A[:1], tmp_path, skip=SKIP)
    result = kg("build", "--update", str(tmp_path), *B[:1])
    assert result.exit_code != 0 and f"has no {STATE_FILE}" in result.output and "--keep-state" in result.output


def test_update_refuses_a_state_of_other_code(tmp_path: Path) -> None:
    build(A[:1], tmp_path, skip=SKIP, keep_state=True)
    with sqlite3.connect(tmp_path / STATE_FILE) as db:
        db.execute("UPDATE meta SET value = 'other' WHERE key = 'fingerprint'")
    with pytest.raises(StateError, match="another version"):
        update(tmp_path, B[:1], skip=SKIP)


def test_options_that_do_not_go_together_are_refused(tmp_path: Path) -> None:
    for args in (["--update", str(tmp_path), "-o", str(tmp_path)], ["--update", str(tmp_path), "--keep-state"],
                 ["--from-mentions", str(tmp_path), str(EXAMPLES), "-o", str(tmp_path)], [str(EXAMPLES)]):
        result = kg("build", *args)
        assert result.exit_code == 2, args


def test_from_mentions_needs_the_spark_jobs_folder(tmp_path: Path) -> None:
    (tmp_path / "records.jsonl").write_text('{"paper": {"id": "paper:x", "title": "X"}, "mentions": []}\n')
    result = kg("build", "--from-mentions", str(tmp_path), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1 and "not the output of the Spark job" in result.output
    for part in ("papers", "links", "report"):
        (tmp_path / part).mkdir()
    (tmp_path / "report" / "part-00000").write_text(json.dumps({"files": [], "counts": {}, "problems": []}) + "\n")
    (tmp_path / "papers" / "part-00000").write_text('{"paper": {"id": "paper:x", "title": "X"}, "mentions": []}\n')
    result = kg("build", "--from-mentions", str(tmp_path), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1 and "part-00000:1: not a full extraction record" in result.output
