"""Scale on one machine: extraction over several processes gives the one-process graph, the graph
that keeps papers in a file gives the in-memory graph, and the streaming writers give the bytes of
the serialisers they replace."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.atomic import atomic_write
from kg.batched import batched
from kg.build import BuildResult, build
from kg.cli import cli
from kg.export.graphml import _value, write_graphml
from kg.export.json_graph import dumps, encode, write_json
from kg.export.neo4j_csv import write_neo4j_csv
from kg.graph import GraphError, KnowledgeGraph
from kg.outputs import OUTPUTS
from kg.parallel import _TRIM, Workers, run_forked, trim_heap
from kg.rdf.export import write_rdf
from kg.stored_graph import StoredGraph

from .checks import assert_sound
from .conftest import EXAMPLES, FIXTURES, MIXED_INPUTS

ONLY_FILES = [name for name in OUTPUTS if name not in {"json", "graphml"}]
MIXED = [str(EXAMPLES), *(str(FIXTURES / name) for name in MIXED_INPUTS)]
OUT_FILES = ("graph.json", "graph.graphml", "report.json")


def same_files(first: Path, second: Path) -> None:
    for name in OUT_FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_two_jobs_build_the_graph_of_one(tmp_path: Path) -> None:
    skip = [arg for name in ONLY_FILES for arg in ("--skip", name)]
    for jobs in ("1", "2"):
        result = CliRunner().invoke(cli, ["build", str(EXAMPLES), "-o", str(tmp_path / jobs), "--jobs", jobs, *skip])
        assert result.exit_code == 0, result.output
    same_files(tmp_path / "1", tmp_path / "2")
    document = json.loads((tmp_path / "2" / "report.json").read_text("utf-8"))
    assert document["totals"]["papers_kept"] == 386 and document["problems"] == []


@pytest.fixture(scope="module")
def spilled(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, BuildResult, Path, Path]:
    """The mixed inputs built in memory and with papers in files (merged papers while reading,
    then the graph's), two jobs for the second."""
    memory, stored = tmp_path_factory.mktemp("memory"), tmp_path_factory.mktemp("stored")
    return (build(MIXED, memory, skip=ONLY_FILES, spill=False),
            build(MIXED, stored, skip=ONLY_FILES, spill=True, jobs=2), memory, stored)


def test_papers_in_a_file_give_the_same_outputs(spilled: tuple[BuildResult, BuildResult, Path, Path]) -> None:
    memory, stored, memory_out, stored_out = spilled
    assert isinstance(stored.graph, StoredGraph) and not isinstance(memory.graph, StoredGraph)
    assert_sound(stored)
    same_files(memory_out, stored_out)


def test_papers_in_a_file_keep_the_graph_api(spilled: tuple[BuildResult, BuildResult, Path, Path]) -> None:
    memory, stored = spilled[0].graph, spilled[1].graph
    assert stored.counts() == memory.counts() and stored.problems() == memory.problems() == []
    assert sorted(stored.nodes()) == sorted(memory.nodes())
    assert sorted(stored.nodes("Paper")) == sorted(memory.nodes("Paper"))
    assert sorted(stored.edges("HAS_CODE")) == sorted(memory.edges("HAS_CODE"))
    assert list(stored.sorted_edges()) == list(memory.sorted_edges())
    paper_id, data = next(memory.nodes("Paper"))
    assert paper_id in stored and stored.node(paper_id) == data
    lineage = next(start for start, _, _, _ in memory.edges("DERIVED_FROM"))
    for node_id in (paper_id, lineage):
        assert stored.node_edges(node_id) == memory.node_edges(node_id)
        assert stored.node_edges(node_id)[1] == [(end, key, edge) for start, end, key, edge in memory.sorted_edges()
                                                 if start == node_id]
    assert all(stored.label(node_id) == memory.label(node_id) == data["label"] for node_id, data in memory.nodes())
    assert stored.label("model:no-such-model") is memory.label("model:no-such-model") is None
    assert nx.utils.graphs_equal(stored.g, memory.g)


def test_papers_in_a_file_give_the_same_csv_and_turtle(spilled: tuple[BuildResult, BuildResult, Path, Path],
                                                      tmp_path: Path) -> None:
    for name, result in (("memory", spilled[0]), ("stored", spilled[1])):
        write_neo4j_csv(result.graph, tmp_path / name / "neo4j")
        write_rdf(result.graph, tmp_path / name / "graph.ttl")
    written = sorted(path.relative_to(tmp_path / "memory") for path in (tmp_path / "memory").rglob("*.*"))
    assert len(written) > 10 and written == sorted(path.relative_to(tmp_path / "stored")
                                                   for path in (tmp_path / "stored").rglob("*.*"))
    for path in written:
        assert (tmp_path / "memory" / path).read_bytes() == (tmp_path / "stored" / path).read_bytes(), path


def test_papers_in_a_file_keep_the_invariants() -> None:
    graph = StoredGraph()
    graph.add_node("paper:a", "Paper", "A", title="A", sources=["x:1"])
    graph.add_node("model:m", "Model", "M")
    graph.add_edge("paper:a", "model:m", "MENTIONS", evidence="A uses M.", confidence=0.5, extractor="t/1",
                   source="x:1")
    graph.add_node("paper:b", "Paper", "B", title="B", sources=["x:2"])
    graph.add_edge("paper:a", "model:m", "MENTIONS", evidence="A uses M again.", confidence=0.9, extractor="t/1",
                   source="x:1")  # a paper stored earlier is read back, merged and stored again
    graph.add_node("paper:a", "Paper", "A", sources=["y:7"])
    assert graph.node("paper:a")["sources"] == ["x:1", "y:7"]
    [(_, _, _, edge)] = graph.edges("MENTIONS")
    assert (edge["count"], edge["evidence"]) == (2, "A uses M again.")
    with pytest.raises(GraphError, match="does not fit"):
        graph.add_node("paper:a", "Model", "A")
    with pytest.raises(GraphError, match="missing node"):
        graph.add_edge("paper:a", "model:x", "MENTIONS", evidence="e", confidence=1, extractor="t", source="s")
    with pytest.raises(GraphError, match="cannot connect"):
        graph.add_edge("paper:a", "paper:b", "MENTIONS", evidence="e", confidence=1, extractor="t", source="s")
    with pytest.raises(GraphError, match="lacks provenance"):
        graph.add_edge("paper:b", "model:m", "MENTIONS", evidence="", confidence=1, extractor="t", source="s")
    assert graph.counts()["nodes"]["Paper"] == 2 and graph.counts()["relationships"]["MENTIONS"] == 1
    graph.close()


def test_graph_json_has_the_bytes_of_json_dumps(spilled: tuple[BuildResult, BuildResult, Path, Path],
                                                tmp_path: Path) -> None:
    memory = spilled[0].graph
    assert (spilled[2] / "graph.json").read_text("utf-8") == dumps(memory.to_json())
    write_json(KnowledgeGraph(), tmp_path / "empty.json", meta={"note": "none"})
    assert (tmp_path / "empty.json").read_text("utf-8") == dumps(KnowledgeGraph().to_json({"note": "none"}))


def networkx_graphml(graph: KnowledgeGraph, path: Path) -> None:
    """The GraphML writer the streaming one replaced: a flat networkx copy through nx.write_graphml."""
    flat = nx.MultiDiGraph()
    for node_id, data in sorted(graph.g.nodes(data=True)):
        flat.add_node(node_id, **{k: _value(v) for k, v in sorted(data.items()) if v is not None})
    for start, end, key, data in sorted(graph.g.edges(keys=True, data=True), key=lambda e: e[:3]):
        flat.add_edge(start, end, key=key, **{k: _value(v) for k, v in sorted(data.items()) if v is not None})
    with atomic_write(path, "wb") as fh:
        nx.write_graphml(flat, fh, encoding="utf-8", prettyprint=True)


def test_graphml_has_the_bytes_of_networkx(spilled: tuple[BuildResult, BuildResult, Path, Path],
                                           tmp_path: Path) -> None:
    odd = KnowledgeGraph()
    odd.add_node('paper:<a & "b">', "Paper", "Tabs\tand <tags> & ampersands", title="x", sources=["s"])
    odd.add_node("model:m", "Model", "M", family="m")
    odd.add_edge('paper:<a & "b">', "model:m", "MENTIONS", evidence="é ☃ \n", confidence=1, extractor="e", source="s",
                 score=3)
    for name, graph in (("mixed", spilled[0].graph), ("odd", odd), ("empty", KnowledgeGraph())):
        write_graphml(graph, tmp_path / f"{name}.graphml")
        networkx_graphml(graph, tmp_path / f"{name}-nx.graphml")
        assert (tmp_path / f"{name}.graphml").read_bytes() == (tmp_path / f"{name}-nx.graphml").read_bytes(), name


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(JSON)
def test_encode_renders_like_json_dumps(value: object) -> None:
    assert encode(value) + "\n" == dumps(value)


def square(number: int) -> int:
    return number * number


def test_a_snapshot_streams_the_graph_until_it_changes() -> None:
    stored, memory = StoredGraph(), KnowledgeGraph()
    provenance: dict[str, Any] = {"evidence": "e", "confidence": 0.5, "extractor": "t/1", "source": "x:1"}
    for graph in (stored, memory):
        for number in range(3000):  # papers and models over several records of the snapshot
            graph.add_node(f"paper:p{number}", "Paper", f"P{number}", title=f"P{number}", sources=["x:1"])
            graph.add_node(f"model:m{number % 1500}", "Model", f"M{number % 1500}")
            graph.add_edge(f"paper:p{number}", f"model:m{number % 1500}", "MENTIONS", **provenance)
        graph.add_edge("model:m1", "model:m2", "DERIVED_FROM", **provenance)
    stored.snapshot()
    assert list(stored.sorted_nodes()) == list(memory.sorted_nodes())
    assert list(stored.sorted_edges()) == list(memory.sorted_edges())
    for graph in (stored, memory):
        graph.add_node("model:new", "Model", "New")
        graph.add_edge("paper:p7", "model:new", "BUILDS_ON", **provenance)
    assert list(stored.sorted_nodes()) == list(memory.sorted_nodes())
    assert list(stored.sorted_edges()) == list(memory.sorted_edges())
    assert stored.label("model:new") == "Model" and stored.label("paper:p7") == "Paper"
    stored.close()


def fail_on_seven(number: int) -> int:
    if number == 7:
        raise ValueError("seven")
    return number


def test_workers_keep_input_order_and_raise_errors() -> None:
    with Workers(2) as workers:
        assert list(workers.map(square, range(1000), chunk=7)) == [n * n for n in range(1000)]
        with pytest.raises(ValueError, match="seven"):
            list(workers.map(fail_on_seven, range(20), chunk=3))


def numbers_then_failure(count: int) -> Iterator[int]:
    """0 .. count-1, then an error, as a file cut short gives its records then fails."""
    yield from range(count)
    raise OSError("cut short")


def test_batches_keep_the_items_read_before_their_source_fails() -> None:
    assert list(batched(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(batched(range(0), 3)) == []
    for count, expected in ((7, [[0, 1, 2], [3, 4, 5], [6]]), (6, [[0, 1, 2], [3, 4, 5]]), (0, [])):
        got: list[list[int]] = []
        with pytest.raises(OSError, match="cut short"):
            got.extend(batched(numbers_then_failure(count), 3))
        assert got == expected


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_error_reading_the_input_comes_after_the_results_before_it(jobs: int) -> None:
    """With a pool as in one process: every item read before the input fails is mapped and given
    back, then the input's error; mid-batch and at a batch's edge."""
    with Workers(jobs) as workers:
        for count in (0, 10, 12, 100):
            results: list[int] = []
            with pytest.raises(OSError, match="cut short"):
                results.extend(workers.map(square, numbers_then_failure(count), chunk=4))
            assert results == [n * n for n in range(count)]


def test_forked_tasks_return_results_in_order_and_report_failures() -> None:
    done: list[str] = []
    assert run_forked({"a": lambda: 1, "b": lambda: 2, "c": lambda: 3}, 2, done.append) == {"a": 1, "b": 2, "c": 3}
    assert sorted(done) == ["a", "b", "c"]
    with pytest.raises(RuntimeError, match="(?s)b failed.*ZeroDivisionError"):
        run_forked({"a": lambda: 1, "b": lambda: 1 / 0}, 2)


def resident_bytes() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(_TRIM is None or not Path("/proc/self/statm").exists(), reason="needs glibc and Linux")
def test_trimming_gives_freed_texts_back_to_the_system() -> None:
    texts = [f"{number:08d}" * 400 for number in range(40_000)]  # 128 MB of texts in the C heap
    kept = texts[::8]  # what stays is spread over the heap, as the papers' titles are
    del texts
    freed = resident_bytes()
    trim_heap()
    assert resident_bytes() < freed - 64_000_000 and len(kept) == 5_000
