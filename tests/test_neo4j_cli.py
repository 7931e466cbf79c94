"""`kg load`, `kg query` and `kg export neo4j-csv` through the command line, against the real Bolt
test server: options and NEO4J_* environment variables, messages, exit statuses."""

from __future__ import annotations

import json
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner, Result

from kg.cli import cli
from kg.graph import KnowledgeGraph
from kg.questions import QUESTIONS
from tests.bolt_server import PASSWORD, USER, WRONG_PASSWORD, BoltServer, free_port
from tests.neo4j_support import clear, counts, rich_graph, server_state

pytestmark = pytest.mark.server


@pytest.fixture
def kg(bolt_server: BoltServer):
    """Run `kg ARGS` against the test server, credentials from the environment like a user would."""

    def run(*args: str, **env: str) -> Result:
        bolt_server.settle()
        environment = {"NEO4J_URI": bolt_server.uri, "NEO4J_USERNAME": USER, "NEO4J_PASSWORD": PASSWORD, **env}
        return CliRunner().invoke(cli, list(args), env=environment)

    return run


@pytest.fixture
def graph_file(tmp_path: Path) -> Path:
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(rich_graph().to_json()), encoding="utf-8")
    return path


SMALL = ("--batch-rows", "50", "--batch-bytes", "3500")


def test_load_then_load_again_then_wipe(kg, graph_file: Path, bolt_driver: neo4j.Driver) -> None:
    clear(bolt_driver)
    first = kg("load", str(graph_file), *SMALL)
    assert first.exit_code == 0, first.output
    assert "schema: skipped schema.cypher: the server is not Neo4j" in first.output
    assert "nodes: Paper 6, Model 8, Method 3, Dataset 3, Repository 3" in first.output
    assert "rows/s" in first.output and PASSWORD not in first.output
    state = server_state(bolt_driver)
    assert counts(state)[0] == {"Paper": 6, "Model": 8, "Method": 3, "Dataset": 3, "Repository": 3}
    again = kg("load", str(graph_file), *SMALL)
    assert again.exit_code == 0 and server_state(bolt_driver) == state
    wiped = kg("load", str(graph_file), "--wipe", *SMALL)
    assert wiped.exit_code == 0 and "wiped 23 nodes" in wiped.output
    assert server_state(bolt_driver) == state


def test_options_override_the_environment(kg, graph_file: Path, bolt_server: BoltServer) -> None:
    result = kg("load", str(graph_file), *SMALL, "--uri", bolt_server.uri, "--user", USER, "--password", PASSWORD,
                NEO4J_URI="bolt://127.0.0.1:1", NEO4J_PASSWORD=WRONG_PASSWORD)
    assert result.exit_code == 0, result.output


def test_load_errors_exit_non_zero_with_the_reason(kg, graph_file: Path, tmp_path: Path) -> None:
    unreachable = kg("load", str(graph_file), NEO4J_URI=f"bolt://127.0.0.1:{free_port()}", KG_RETRY_TIME="0.5")
    assert unreachable.exit_code == 1 and "cannot reach a Bolt server" in unreachable.output
    wrong = kg("load", str(graph_file), NEO4J_PASSWORD=WRONG_PASSWORD)
    assert wrong.exit_code == 1 and "authentication failed for user 'falkordb'" in wrong.output
    assert WRONG_PASSWORD not in wrong.output
    missing = kg("load", str(tmp_path / "missing.json"))
    assert missing.exit_code == 1 and "no such file" in missing.output
    long = KnowledgeGraph()
    long.add_node("paper:long", "Paper", "Long", abstract="word " * 200)
    (tmp_path / "long.json").write_text(json.dumps(long.to_json()), encoding="utf-8")
    too_small = kg("load", str(tmp_path / "long.json"), "--batch-bytes", "512")
    assert too_small.exit_code == 1 and "property 'abstract' of {'id': 'paper:long'}" in too_small.output
    assert "raise --batch-bytes" in too_small.output


def test_query_prints_a_table_or_json_equal_to_the_in_memory_answer(kg, graph_file: Path,
                                                                     bolt_driver: neo4j.Driver) -> None:
    clear(bolt_driver)
    assert kg("load", str(graph_file), *SMALL).exit_code == 0
    graph = KnowledgeGraph.load(graph_file)
    as_json = kg("query", "datasets-used-with-model", "--param", "model=llama", "--param", "limit=2", "--json")
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.output) == QUESTIONS["datasets-used-with-model"](graph, model="llama", limit=2)
    table = kg("query", "model-lineage", "--param", "model=LLaMA")
    assert table.exit_code == 0 and "Lineage tree of a model" in table.output and "model:koala" in table.output
    empty = kg("query", "model-lineage", "--param", "model=nothing-like-it")
    assert empty.exit_code == 0 and "no rows" in empty.output


def test_query_explains_bad_names_and_parameters(kg) -> None:
    unknown = kg("query", "no-such-question")
    assert unknown.exit_code == 1 and "no question named 'no-such-question'" in unknown.output
    bad = kg("query", "top-datasets", "--param", "limit=lots")
    assert bad.exit_code == 1 and "parameter limit: 'lots' is not an integer" in bad.output
    stray = kg("query", "top-datasets", "--param", "model=x")
    assert stray.exit_code == 1 and "top-datasets has no parameter model" in stray.output
    malformed = kg("query", "top-datasets", "--param", "limit")
    assert malformed.exit_code == 2 and "is not key=value" in malformed.output
    assert kg("query").exit_code == 2


def test_query_list_needs_no_server(kg) -> None:
    listed = kg("query", "--list", NEO4J_URI="bolt://127.0.0.1:1")
    assert listed.exit_code == 0
    for name in QUESTIONS:
        assert name in listed.output
    assert "--param model=LLaMA" in listed.output


def test_export_neo4j_csv(kg, graph_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "csv"
    result = kg("export", "neo4j-csv", str(graph_file), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} >= {"import.sh", "nodes-Paper.csv",
                                               "relationships-DERIVED_FROM-Model-Model.csv"}
