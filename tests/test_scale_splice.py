"""Writing outputs again after `kg build --update`: the papers whose records did not change are
copied from the earlier graph.json, graph.ttl, graph.graphml and Neo4j CSV files (`kg.splice`), and
the site counts them from what it kept, and the files are the bytes a fresh build writes, whatever
happened to the outputs in between."""

from __future__ import annotations

import errno
import functools
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kg import splice
from kg.build import build
from kg.export.graphml import write_graphml
from kg.export.json_graph import write_json
from kg.export.neo4j_csv import write_neo4j_csv
from kg.incremental import update
from kg.rdf.turtle import write_turtle
from kg.spill import PaperFile
from kg.splice import CHUNKS_PREFIX
from kg.stored_graph import StoredGraph
from kg.views import site

from .conftest import EXAMPLES, FIXTURES

SKIP = ["site"]
SPLICED = ("graph.json", "graph.ttl", "graph.graphml", "neo4j")
SEEDS = sorted(str(path) for path in EXAMPLES.iterdir())
A = [*SEEDS[:3], str(FIXTURES / "pwc_links.json")]
COPIED = re.compile(r"(graph\.\w+|neo4j|site): (\d+) of (\d+) papers (?:copied|counted) from")


def copied(caplog: pytest.LogCaptureFixture) -> dict[str, tuple[int, int]]:
    """Output name -> (papers copied, papers) as the writers logged them; then forget the log."""
    found = {m[1]: (int(m[2]), int(m[3])) for record in caplog.records if (m := COPIED.search(record.getMessage()))}
    caplog.clear()
    return found


def same_bytes(output: Path, fresh: Path) -> None:
    """The output (a file, or a folder of files) holds the bytes of the fresh one."""
    if fresh.is_dir():
        assert sorted(path.name for path in output.iterdir()) == sorted(path.name for path in fresh.iterdir())
        for path in fresh.iterdir():
            same_bytes(output / path.name, path)
    else:
        assert output.read_bytes() == fresh.read_bytes(), output.name


def same_as_fresh(updated: Path, fresh: Path, inputs: list[str]) -> None:
    build(inputs, fresh, skip=SKIP)
    for name in (*SPLICED, "report.json"):
        same_bytes(updated / name, fresh / name)


@pytest.fixture(autouse=True)
def _log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="kg.splice")


def test_update_copies_the_papers_that_did_not_change(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    out = tmp_path / "out"
    build(A, out, skip=SKIP, keep_state=True)
    assert copied(caplog) == {}  # nothing earlier to copy from
    assert {path.name for path in out.glob(CHUNKS_PREFIX + "*")} == {CHUNKS_PREFIX + name for name in SPLICED}
    first = update(out, SEEDS[3:], skip=SKIP)
    papers, assembled = first.graph.counts()["nodes"]["Paper"], first.assembled
    assert assembled is not None
    counts = copied(caplog)
    assert set(counts) == set(SPLICED)
    assert counts["graph.json"] == counts["graph.ttl"] == counts["graph.graphml"] == counts["neo4j"]
    # every earlier paper is copied but those a new record repeats and those with code links
    # (their links attach again after the state saves the graph)
    linked = {start for start, _, _, _ in first.graph.edges("HAS_CODE")}
    assert papers - assembled - len(linked) <= counts["graph.json"][0] <= papers - assembled
    assert counts["graph.json"][0] > 0 and counts["graph.json"][1] == papers
    same_as_fresh(out, tmp_path / "fresh", [*A, *SEEDS[3:]])
    update(out, SEEDS[1:2], skip=SKIP)  # only repeats, which carry lineage
    assert copied(caplog)["graph.ttl"][0] > 0
    same_as_fresh(out, tmp_path / "fresh-2", [*A, *SEEDS[3:], *SEEDS[1:2]])


def test_an_output_changed_or_skipped_since_is_written_whole(tmp_path: Path,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    out = tmp_path / "out"
    build(A, out, skip=SKIP, keep_state=True)
    (out / "graph.json").write_text("{}\n", encoding="utf-8")  # edited by hand: no longer what its chunks say
    (out / (CHUNKS_PREFIX + "graph.ttl")).write_bytes(b"not chunks")
    (out / (CHUNKS_PREFIX + "graph.graphml")).unlink()
    with (out / "neo4j" / "nodes-Paper.csv").open("a", encoding="utf-8") as fh:  # the folder itself unchanged
        fh.write("paper:added-by-hand,Paper\n")
    update(out, SEEDS[3:4], skip=SKIP)
    assert copied(caplog) == {}
    same_as_fresh(out, tmp_path / "fresh", [*A, *SEEDS[3:4]])
    update(out, SEEDS[4:], skip=[*SKIP, "json", "neo4j-csv"])  # these stay as the last update wrote them
    assert set(copied(caplog)) == {"graph.ttl", "graph.graphml"}
    update(out, [], skip=SKIP)
    assert set(copied(caplog)) == set(SPLICED)  # the older graph.json's and CSV files' papers are still good
    same_as_fresh(out, tmp_path / "fresh-2", [*A, *SEEDS[3:]])


def test_a_graph_assembled_again_copies_nothing(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    out = tmp_path / "out"
    build(A, out, skip=SKIP, keep_state=True)
    update(out, [str(FIXTURES / "arxiv_snapshot.jsonl")], skip=SKIP)  # gives papers of A their arXiv ids
    assert copied(caplog) == {}
    same_as_fresh(out, tmp_path / "fresh", [*A, str(FIXTURES / "arxiv_snapshot.jsonl")])


def test_a_record_written_after_the_state_saved_the_graph_is_never_copied(tmp_path: Path) -> None:
    """A paper's record appended after the save (a code link) is dropped when the graph is opened
    again; a new record at the same place, of the same length, is another record."""
    def graph_with(repo: str) -> StoredGraph:
        graph = StoredGraph.restore(saved, path)
        graph.add_node(repo, "Repository", repo, url="https://github.com/" + repo[5:])
        graph.add_edge("paper:a", repo, "HAS_CODE", evidence="code", confidence=1.0, extractor="t/1", source="s")
        return graph

    path = tmp_path / "graph.bin"
    graph = StoredGraph(file=PaperFile(path=path))
    for paper in ("paper:a", "paper:b"):
        graph.add_node(paper, "Paper", paper, title=paper)
    saved = graph.saved()
    graph.close()
    for writer, name in ((write_json, "graph.json"), (write_turtle, "graph.ttl"), (write_neo4j_csv, "neo4j")):
        first = graph_with("repo:github.com/x/aaa")
        writer(first, tmp_path / name)
        handles = dict(first.paper_handles())
        first.close()
        second = graph_with("repo:github.com/x/bbb")
        assert dict(second.paper_handles()) == handles  # the same place and length
        writer(second, tmp_path / name)
        second.close()
        fresh = tmp_path / "fresh" / name
        fresh.parent.mkdir(exist_ok=True)
        writer(graph_with("repo:github.com/x/bbb"), fresh)
        assert "aaa" not in (tmp_path / name / "relationships-HAS_CODE-Paper-Repository.csv"
                             if name == "neo4j" else tmp_path / name).read_text("utf-8")
        same_bytes(tmp_path / name, fresh)


def test_turtle_with_another_base_is_written_whole(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    out, base = tmp_path / "out", "https://example.org/kg/"
    build(A, out, skip=SKIP, keep_state=True)
    result = update(out, [], skip=[*SKIP, "rdf"])
    copied(caplog)
    write_turtle(result.graph, out / "graph.ttl", base=base)
    assert copied(caplog) == {}
    write_turtle(result.graph, tmp_path / "fresh.ttl", base=base)
    assert (out / "graph.ttl").read_bytes() == (tmp_path / "fresh.ttl").read_bytes()


def test_chunks_of_other_writer_code_are_not_used(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    build(A, out, skip=SKIP, keep_state=True)
    monkeypatch.setattr(splice, "_writers", lambda: "a later version of the writers")
    update(out, SEEDS[3:4], skip=SKIP)
    assert copied(caplog) == {}
    update(out, SEEDS[4:], skip=SKIP)
    assert set(copied(caplog)) == set(SPLICED)


Papers = dict[str, dict[str, Any]]


def kept_graph(folder: Path, papers: Papers) -> Callable[[Papers], StoredGraph]:
    """A graph file as a build state keeps it, with `papers`; gives a function that opens it again
    and adds more papers (each time from the state as saved)."""
    path = folder / "graph.bin"
    graph = StoredGraph(file=PaperFile(path=path))
    for paper, props in papers.items():
        graph.add_node(paper, "Paper", paper, **props)
    saved = graph.saved()
    graph.close()

    def opened(more: Papers) -> StoredGraph:
        graph = StoredGraph.restore(saved, path)
        for paper, props in more.items():
            graph.add_node(paper, "Paper", paper, **props)
        return graph
    return opened


def written_again(tmp_path: Path, caplog: pytest.LogCaptureFixture, writer: Callable[[StoredGraph, Path], Path],
                  name: str, earlier: Papers, new: Papers, whole: bool, said: str) -> Path:
    """`writer`'s output `name` for a kept graph of `earlier`, written again with `new` added: the two
    earlier papers are copied, the writer logs `said` (its words for writing the file whole after
    all) if `whole`, and the output holds the bytes of a fresh write."""
    opened = kept_graph(tmp_path, earlier)
    writer(opened({}), tmp_path / name)
    writer(opened(new), tmp_path / name)
    assert (said in caplog.text) == whole
    assert copied(caplog) == {name: (2, 3)}
    (tmp_path / "fresh").mkdir()
    writer(opened(new), tmp_path / "fresh" / name)
    same_bytes(tmp_path / name, tmp_path / "fresh" / name)
    return tmp_path / name


@pytest.mark.parametrize(("earlier", "new", "whole"), [
    # c alone uses `published`: copied, it still numbers that key where writing it would
    ({"paper:b": {"title": "B"}, "paper:c": {"title": "C", "published": "2024"}}, {"paper:a": {"title": "A"}},
     False),
    # a, first now, uses `arxiv_id` before the keys b and c numbered: their ids change, so all is written
    ({"paper:b": {"title": "B"}, "paper:c": {"title": "C"}}, {"paper:a": {"title": "A", "arxiv_id": "2401.00001"}},
     True),
])
def test_graphml_keys_are_numbered_as_writing_everything_would(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, earlier: Papers, new: Papers, whole: bool) -> None:
    caplog.set_level(logging.INFO, logger="kg.export.graphml")
    written_again(tmp_path, caplog, write_graphml, "graph.graphml", earlier, new, whole, "numbered otherwise")


@pytest.mark.parametrize(("earlier", "new", "whole"), [
    # c alone uses `published`: copied, its column is still in the header
    ({"paper:b": {"title": "B"}, "paper:c": {"title": "C", "published": "2024"}}, {"paper:a": {"title": "A"}},
     False),
    # b's value is a double, so the column is one; a's long does not change it
    ({"paper:b": {"title": "B", "score": 0.5}, "paper:c": {"title": "C", "score": 2}},
     {"paper:a": {"title": "A", "score": 3}}, False),
    # c's title spans lines: copied, the import still needs --multiline-fields
    ({"paper:b": {"title": "B"}, "paper:c": {"title": "C,\nin two lines"}}, {"paper:a": {"title": "A"}}, False),
    # a brings a column: the earlier rows lack its cell, so all is written
    ({"paper:b": {"title": "B"}, "paper:c": {"title": "C"}}, {"paper:a": {"title": "A", "arxiv_id": "2401.00001"}},
     True),
    # a's double makes the column's type another
    ({"paper:b": {"title": "B", "score": 1}, "paper:c": {"title": "C"}}, {"paper:a": {"title": "A", "score": 0.5}},
     True),
])
def test_neo4j_csv_headers_are_typed_by_the_copied_rows_too(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, earlier: Papers, new: Papers, whole: bool) -> None:
    caplog.set_level(logging.INFO, logger="kg.export.neo4j_csv")
    out = written_again(tmp_path, caplog, write_neo4j_csv, "neo4j", earlier, new, whole, "written whole")
    multiline = any("\n" in props["title"] for props in earlier.values())
    assert f"--multiline-fields={str(multiline).lower()}" in (out / "import.sh").read_text("utf-8")


@pytest.mark.parametrize("max_papers", [40, 10_000])
def test_the_site_counts_the_papers_that_did_not_change_from_what_it_kept(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch, max_papers: int) -> None:
    """With 40, the site draws the most linked papers, ranked by counts partly kept. The listings
    with dates give the papers per month chart."""
    monkeypatch.setattr(site, "write_site", functools.partial(site.write_site, max_papers=max_papers))
    only_site = ["json", "rdf", "graphml", "neo4j-csv"]
    out, dated = tmp_path / "out", [str(FIXTURES / "arxiv_snapshot.jsonl"), str(FIXTURES / "hf_daily_papers.json")]
    build([*A, *dated], out, skip=only_site, keep_state=True)
    assert (out / (CHUNKS_PREFIX + "site")).exists()
    for step, inputs in enumerate([SEEDS[3:], SEEDS[1:2]]):
        update(out, inputs, skip=only_site)
        assert copied(caplog)["site"][0] > 0
        build([*A, *dated, *SEEDS[3:], *SEEDS[1:2][:step]], tmp_path / f"fresh-{step}", skip=only_site)
        same_bytes(out / "site", tmp_path / f"fresh-{step}" / "site")
    assert "No paper in this graph has a publication date" not in (out / "site" / "index.html").read_text("utf-8")


SOURCE = bytes(range(256)) * 40_000
"""10 MB to copy from: more than one block of the copy without the kernel."""


def copy_between_writes(tmp_path: Path, start: int, end: int) -> bytes:
    """What a file holds after a write, `copy_range` of SOURCE[start:end] and another write."""
    (tmp_path / "source").write_bytes(SOURCE)
    with open(tmp_path / "source", "rb") as source, open(tmp_path / "copy", "wb") as fh:
        fh.write(b"head")
        splice.copy_range(source, start, end, fh)
        assert fh.tell() == 4 + end - start
        fh.write(b"tail")
    return (tmp_path / "copy").read_bytes()


def test_copy_range_copies_in_place_between_writes(tmp_path: Path) -> None:
    assert copy_between_writes(tmp_path, 3, len(SOURCE) - 5) == b"head" + SOURCE[3:-5] + b"tail"
    assert copy_between_writes(tmp_path, 7, 7) == b"headtail"


def test_copy_range_reads_and_writes_where_the_kernel_cannot_copy(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The kernel copies part, then refuses (as between two file systems): the rest is read and written."""
    kernel_copy = splice.os.copy_file_range
    calls = []

    def refuse_after_one(src: int, dst: int, count: int, offset_src: int, offset_dst: int) -> int:
        calls.append(count)
        if len(calls) > 1:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return kernel_copy(src, dst, 1000, offset_src, offset_dst)

    monkeypatch.setattr(splice.os, "copy_file_range", refuse_after_one)
    assert copy_between_writes(tmp_path, 3, len(SOURCE) - 5) == b"head" + SOURCE[3:-5] + b"tail"
    assert len(calls) == 2


@pytest.mark.parametrize("kernel", [True, False])
def test_copy_range_fails_on_a_source_cut_short(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kernel: bool) -> None:
    monkeypatch.setattr(splice, "_KERNEL_COPY", kernel)
    with pytest.raises(OSError, match="cut short"):
        copy_between_writes(tmp_path, 10, len(SOURCE) + 10)


def test_copy_range_passes_on_other_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: int) -> int:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(splice.os, "copy_file_range", fail)
    with pytest.raises(OSError, match="Input/output error"):
        copy_between_writes(tmp_path, 0, 100)
