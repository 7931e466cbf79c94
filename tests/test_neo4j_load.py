"""`kg.export.neo4j_load` against a real Bolt server (FalkorDB, see tests/bolt_server.py): the server
holds exactly what graph.json says, loading again changes nothing, --wipe touches only our labels."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import neo4j
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.export.neo4j_connect import Connection, detect
from kg.export.neo4j_load import BatchLimitError, BatchLimits, batches, load, size
from kg.graph import KnowledgeGraph
from tests.bolt_server import PASSWORD, BoltServer
from tests.neo4j_support import SMALL, clear, counts, expected_state, rich_graph, server_state

pytestmark = pytest.mark.server


@pytest.fixture
def empty(bolt_driver: neo4j.Driver) -> neo4j.Driver:
    clear(bolt_driver)
    return bolt_driver


def _load(driver: neo4j.Driver, server: BoltServer, graph: KnowledgeGraph, **options: Any):
    return load(graph, driver, server.connection(), limits=options.pop("limits", SMALL), **options)


@pytest.fixture(scope="module")
def seed_loaded(bolt_driver: neo4j.Driver, bolt_server: BoltServer, seed_graph_file: Path):
    """The seed graph loaded once into an empty server: (graph, load result, server state)."""
    clear(bolt_driver)
    graph = KnowledgeGraph.load(seed_graph_file)
    result = _load(bolt_driver, bolt_server, graph)
    return graph, result, server_state(bolt_driver)


def test_seed_graph_loads_exactly_as_graph_json(seed_loaded, seed_graph_file: Path) -> None:
    graph, result, state = seed_loaded
    labels, types = counts(state)
    expected_counts = graph.counts()
    assert labels == {k: v for k, v in expected_counts["nodes"].items() if v}
    assert types == {k: v for k, v in expected_counts["relationships"].items() if v}
    assert dict(result.nodes) == labels and dict(result.relationships) == types
    assert state == expected_state(json.loads(seed_graph_file.read_text(encoding="utf-8")))
    assert result.batches >= (len(state[0]) + len(state[1])) / SMALL.rows


def test_loading_again_changes_nothing(seed_loaded, bolt_driver: neo4j.Driver, bolt_server: BoltServer) -> None:
    graph, _, state = seed_loaded
    _load(bolt_driver, bolt_server, graph)
    assert server_state(bolt_driver) == state


def test_loading_with_wipe_gives_the_same(seed_loaded, bolt_driver: neo4j.Driver, bolt_server: BoltServer) -> None:
    graph, _, state = seed_loaded
    result = _load(bolt_driver, bolt_server, graph, wipe=True)
    assert result.wiped == len(state[0])
    assert server_state(bolt_driver) == state


def test_wipe_deletes_only_this_products_labels(empty: neo4j.Driver, bolt_server: BoltServer) -> None:
    graph = rich_graph()
    _load(empty, bolt_server, graph)
    with empty.session() as session:
        session.execute_write(
            lambda tx: tx.run("CREATE (:Other {id: 'keep-me'})-[:LIKES]->(:Other {id: 'me-too'})").consume())
    result = _load(empty, bolt_server, graph, wipe=True)
    nodes, rels = server_state(empty)
    assert result.wiped == graph.g.number_of_nodes()
    assert {node for node, (label, _) in nodes.items() if label == "Other"} == {"keep-me", "me-too"}
    assert ("keep-me", "LIKES", "me-too") in rels
    assert len(nodes) == graph.g.number_of_nodes() + 2


def test_a_bigger_graph_later_adds_only_what_is_new(empty: neo4j.Driver, bolt_server: BoltServer) -> None:
    graph = rich_graph()
    part = KnowledgeGraph(graph.g.subgraph([n for n, d in graph.nodes() if d["label"] != "Repository"]).copy())
    _load(empty, bolt_server, part)
    assert counts(server_state(empty))[0].get("Repository") is None
    _load(empty, bolt_server, graph)
    assert server_state(empty) == expected_state(graph.to_json())


def test_rows_over_the_byte_cap_are_split_and_still_load_whole(empty: neo4j.Driver, bolt_server: BoltServer) -> None:
    graph = rich_graph()
    graph.add_node("paper:long", "Paper", "A long one", title="T" * 1500, abstract="It's long. " * 150)
    limits = BatchLimits(rows=1000, bytes=2500)
    assert size({"id": "paper:long", "props": graph.node("paper:long")}) > limits.bytes
    _load(empty, bolt_server, graph, limits=limits)
    assert server_state(empty) == expected_state(graph.to_json())


def test_the_rich_graph_and_the_mixed_build_load_exactly(empty: neo4j.Driver, bolt_server: BoltServer,
                                                         mixed_build) -> None:
    for graph in (rich_graph(), mixed_build.graph):
        clear(empty)
        _load(empty, bolt_server, graph)
        assert server_state(empty) == expected_state(graph.to_json())


def test_the_server_is_recognised_and_neo4j_only_schema_is_skipped(empty: neo4j.Driver,
                                                                   bolt_server: BoltServer) -> None:
    server = detect(empty, bolt_server.connection())
    assert server.agent.startswith("Neo4j/") and not server.is_neo4j
    assert server.escape_strings, "FalkorDB pastes parameters into the query text"
    result = _load(empty, bolt_server, rich_graph())
    assert result.schema.startswith("skipped schema.cypher: the server is not Neo4j")


class Recorder:
    """A Progress that remembers what it was told."""

    def __init__(self) -> None:
        self.phases: list[tuple[str, int | None]] = []
        self.done: dict[str, int] = {}

    def phase(self, description: str, total: int | None = None) -> None:
        self.phases.append((description, total))
        self.done[description] = 0

    def advance(self, steps: int = 1) -> None:
        self.done[self.phases[-1][0]] += steps


def test_progress_reports_nodes_then_relationships(empty: neo4j.Driver, bolt_server: BoltServer) -> None:
    graph, progress = rich_graph(), Recorder()
    _load(empty, bolt_server, graph, wipe=True, progress=progress)
    assert [name for name, _ in progress.phases] == ["wiping", "nodes", "relationships"]
    totals = dict(progress.phases)
    assert totals["nodes"] == progress.done["nodes"] == graph.g.number_of_nodes()
    assert totals["relationships"] == progress.done["relationships"] == graph.g.number_of_edges()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), min_size=1, max_size=120))
def test_any_text_round_trips_through_the_server(bolt_driver: neo4j.Driver, bolt_server: BoltServer, text: str) -> None:
    graph = KnowledgeGraph()
    graph.add_node("model:probe", "Model", text, aliases=[text, "it's"])
    clear(bolt_driver)
    _load(bolt_driver, bolt_server, graph)
    nodes, _ = server_state(bolt_driver)
    assert nodes["model:probe"][1]["name"] == text
    assert nodes["model:probe"][1]["aliases"] == graph.node("model:probe")["aliases"]


# -- batching, without a server --------------------------------------------------------------
def _rows(n: int, width: int) -> list[dict[str, Any]]:
    return [{"id": f"model:{i}", "props": {"name": "x" * width}} for i in range(n)]


def test_batches_respect_the_row_cap() -> None:
    sizes = [len(batch) for batch in batches(_rows(25, 5), "S", BatchLimits(rows=10, bytes=10**6))]
    assert sizes == [10, 10, 5]


def test_batches_respect_the_byte_cap_including_the_statement() -> None:
    statement = "UNWIND $rows AS row MERGE (n:Model {id: row.id}) SET n += row.props"
    limits = BatchLimits(rows=1000, bytes=1200)
    found = list(batches(_rows(40, 100), statement, limits))
    assert sum(map(len, found)) == 40 and len(found) > 1
    assert all(size(batch) + size(statement) <= limits.bytes for batch in found)


def test_a_row_over_the_cap_is_split_into_parts_with_the_same_id() -> None:
    row = {"id": "paper:x", "props": {"abstract": "a" * 700, "title": "t" * 700, "name": "n"}}
    parts = [part for batch in batches([row], "S", BatchLimits(rows=1000, bytes=900)) for part in batch]
    assert len(parts) > 1 and {part["id"] for part in parts} == {"paper:x"}
    merged = {key: value for part in parts for key, value in part["props"].items()}
    assert merged == row["props"]


def test_a_single_value_over_the_cap_is_a_clear_error() -> None:
    row = {"id": "paper:x", "props": {"abstract": "a" * 5000}}
    with pytest.raises(BatchLimitError, match="'abstract'.*--batch-bytes"):
        list(batches([row], "S", BatchLimits(rows=1000, bytes=2000)))


def test_the_connection_never_shows_its_password() -> None:
    assert PASSWORD not in repr(Connection(password=PASSWORD))
