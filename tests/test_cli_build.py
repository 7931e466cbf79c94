"""`kg build`, `kg stats` and `kg --version` through the command line: messages on stderr, the
report on disk, exit statuses, --format, --strict, standard input and folders."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kg import __version__, build_kind
from kg.build import BuildResult
from kg.cli import cli
from kg.outputs import OUTPUTS

from .checks import assert_balanced, rejects
from .conftest import FIXTURES
from .corpus import bad_corpus, messy_crlf_bom

# the renderings later stages add are not what these tests are about; writing them only costs time
SKIP = [arg for name in sorted(set(OUTPUTS) - {"json", "graphml"}) for arg in ("--skip", name)]


def kg_build(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(cli, ["build", *args, *SKIP], input=input)


def report(out: Path) -> dict:
    document = json.loads((out / "report.json").read_text("utf-8"))
    assert_balanced(document)
    return document


def error_lines(result: Result) -> list[str]:
    """The `FILE[:LINE]: reason` lines on stderr (not notes, not the summary)."""
    return [line for line in result.stderr.splitlines()
            if not line.startswith(("note: ", "wrote ", "nodes: ", "Error: ")) and " records read: " not in line]


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"kg, version {__version__} ({build_kind()})"


def test_build_fixtures_and_bad_files(tmp_path: Path) -> None:
    corpus = bad_corpus(tmp_path / "bad")
    messy = messy_crlf_bom(tmp_path)
    out = tmp_path / "out"
    good = [str(FIXTURES / "hf_daily_papers.json"), str(FIXTURES / "arxiv_feed.xml"), str(messy)]
    result = kg_build(*good, *(str(path) for path, _ in corpus.values()), "-o", str(out))
    assert result.exit_code == 0, result.output
    document = report(out)
    lines = error_lines(result)
    assert sorted(lines) == sorted(rejects(document))
    for path, reason in corpus.values():
        (line,) = [line for line in lines if re.match(rf"{re.escape(str(path))}(?::\d+)?: ", line)]
        assert line.split(": ", 1)[1].startswith(reason)
    assert f"{messy}:9: abstract without a title before it" in lines
    assert f"note: {messy}:18: title without an abstract (paper kept)" in result.stderr.splitlines()
    # 3 daily papers, 3 feed entries (BERT again), the messy listing's 4 papers and 1 orphan, 1 per bad file
    summary = f"{3 + 3 + 5 + len(corpus)} records read: 9 papers, 1 merged duplicates, {len(corpus) + 1} rejected"
    assert summary in result.stderr.splitlines()
    assert result.stdout == ""
    assert document["counts"]["nodes"]["Paper"] == 9
    assert (out / "graph.json").is_file() and (out / "graph.graphml").is_file()


def test_nothing_readable_exits_non_zero(tmp_path: Path) -> None:
    corpus = bad_corpus(tmp_path / "bad")
    out = tmp_path / "out"
    result = kg_build(*(str(path) for path, _ in corpus.values()), "-o", str(out))
    assert result.exit_code == 1
    assert "Error: no paper could be read from the input" in result.stderr
    assert len(error_lines(result)) == len(corpus)
    assert len(report(out)["files"]) == len(corpus)


def test_missing_input_alone_exits_non_zero(tmp_path: Path) -> None:
    result = kg_build(str(tmp_path / "nope.json"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert error_lines(result) == [f"{tmp_path / 'nope.json'}: no such file or directory"]
    assert rejects(report(tmp_path / "out")) == error_lines(result)


def test_strict(tmp_path: Path) -> None:
    clean = kg_build(str(FIXTURES / "hf_paper.json"), "-o", str(tmp_path / "clean"), "--strict")
    assert clean.exit_code == 0, clean.output
    assert report(tmp_path / "clean")["totals"]["records_rejected"] == 0
    with_reject = [str(FIXTURES / "hf_paper.json"), str(FIXTURES / "bad" / "truncated.json"), "-o", str(tmp_path / "o")]
    assert kg_build(*with_reject).exit_code == 0
    strict = kg_build(*with_reject, "--strict")
    assert strict.exit_code == 1
    assert "Error: 1 records rejected (--strict)" in strict.stderr
    report(tmp_path / "o")  # written before the exit status is decided


def test_notices_do_not_fail_strict(tmp_path: Path) -> None:
    path = tmp_path / "titles.txt"
    path.write_text("new\n\nA Title Without an Abstract\n")
    result = kg_build(str(path), "-o", str(tmp_path / "out"), "--strict")
    assert result.exit_code == 0, result.output
    assert report(tmp_path / "out")["files"][0]["notices"] == [
        {"where": f"{path}:3", "message": "title without an abstract (paper kept)"},
    ]


def test_format_option(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text('{"id": "2101.00001v3", "title": "One Line", "abstract": "Just one."}\n')
    detected = kg_build(str(path), "-o", str(tmp_path / "a"))
    forced = kg_build(str(path), "-o", str(tmp_path / "b"), "--format", "arxiv-jsonl")
    assert detected.exit_code == forced.exit_code == 0
    assert report(tmp_path / "a")["files"][0]["format"] == "hf-json"
    assert report(tmp_path / "b")["files"][0]["format"] == "arxiv-jsonl"
    node = next(n for n in json.loads((tmp_path / "b" / "graph.json").read_text())["nodes"] if n["label"] == "Paper")
    assert node["url"] == "https://arxiv.org/abs/2101.00001"
    wrong = kg_build(str(FIXTURES / "hf_paper.json"), "-o", str(tmp_path / "c"), "--format", "arxiv-atom")
    assert wrong.exit_code == 1
    assert error_lines(wrong)[0].startswith(f"{FIXTURES / 'hf_paper.json'}: malformed XML")
    assert rejects(report(tmp_path / "c")) == error_lines(wrong)
    unknown = kg_build(str(path), "-o", str(tmp_path / "d"), "--format", "csv")
    assert unknown.exit_code == 2


@pytest.mark.parametrize("name", ["hf_daily_papers.json", "arxiv_snapshot.jsonl", "hf_messy.txt"])
def test_stdin(name: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = kg_build("-", "-o", str(out), input=(FIXTURES / name).read_bytes())
    assert result.exit_code == 0, result.output
    document = report(out)
    (entry,) = document["files"]
    assert entry["file"] == "-" and entry["papers_kept"] >= 3
    paper = next(n for n in json.loads((out / "graph.json").read_text())["nodes"] if n["label"] == "Paper")
    assert all(source.startswith("-") for source in paper["sources"])


def test_directory_is_read_recursively_skipping_hidden_files(tmp_path: Path) -> None:
    listing = tmp_path / "in"
    (listing / "hf" / "2023").mkdir(parents=True)
    (listing / ".git").mkdir()
    shutil.copy(FIXTURES / "hf_paper.json", listing / "hf" / "2023" / "lora.json")
    shutil.copy(FIXTURES / "arxiv_feed.xml", listing / "feed.xml")
    shutil.copy(FIXTURES / "hf_search_results.json", listing / ".draft.json")
    (listing / ".git" / "config").write_text("[core]\n\tbare = false\n")
    out = tmp_path / "out"
    result = kg_build(str(listing), "-o", str(out))
    assert result.exit_code == 0, result.output
    document = report(out)
    assert [entry["file"] for entry in document["files"]] == [
        str(listing / "feed.xml"), str(listing / "hf" / "2023" / "lora.json")]
    assert document["totals"]["records_rejected"] == 0


def test_stats(seed_build: tuple[BuildResult, Path]) -> None:
    _, out = seed_build
    result = CliRunner().invoke(cli, ["stats", str(out / "graph.json"), "--top", "3"])
    assert result.exit_code == 0, result.output
    rows = {tuple(cell.strip() for cell in line.strip("│┃ ").split("│"))
            for line in result.stdout.splitlines() if "│" in line}
    assert ("node", "Paper", "386") in rows
    assert ("node", "Repository", "104") in rows
    assert ("relationship", "HAS_CODE", "104") in rows
    assert "Top Repository by papers" in result.stdout


def test_stats_on_a_file_that_is_not_a_graph(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["stats", str(FIXTURES / "bad" / "truncated.json")])
    assert result.exit_code == 1
    assert "not a JSON graph" in result.stderr
    missing = CliRunner().invoke(cli, ["stats", str(tmp_path / "nope.json")])
    assert missing.exit_code == 1 and "no such file" in missing.stderr
