"""The named questions (cypher/queries/*.cypher): each one asked over Bolt (FalkorDB) returns the same
rows as kg.questions answers over the in-memory graph, and every .cypher file passes Neo4j's own
Cypher parser (@neo4j-cypher/language-support, run with node)."""

from __future__ import annotations

import inspect
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import neo4j
import pytest

from kg.export.cypher_files import QUERIES_DIR, SCHEMA_FILE, QuestionError, question, questions, schema_statements
from kg.export.neo4j_connect import detect
from kg.export.neo4j_load import BatchLimits, load
from kg.export.neo4j_query import ask
from kg.graph import KnowledgeGraph
from kg.questions import QUESTIONS
from tests.bolt_server import BoltServer
from tests.neo4j_support import clear, rich_graph

ROOT = Path(__file__).resolve().parent.parent
LINTER = ROOT / "scripts" / "lint_cypher.cjs"
PARSER = ROOT / ".cache" / "npm" / "node_modules" / "@neo4j-cypher" / "language-support" / "package.json"

UNSUPPORTED_BY_TEST_SERVER: frozenset[str] = frozenset()
"""Questions FalkorDB cannot run (they are still parsed by Neo4j's parser below); all run today."""

ASKED_OF_RICH_GRAPH: dict[str, list[dict[str, Any]]] = {
    "base-model-families": [{}, {"limit": 1}],
    "base-models-most-built-upon": [{}, {"limit": 1}],
    "code-availability": [{}],
    "datasets-used-with-method": [{}, {"method": "LoRA"}, {"method": "method:rlhf"}],
    "datasets-used-with-model": [{}, {"model": "clip"}, {"model": "Alpaca", "limit": 1}],
    "introduced-models": [{}, {"limit": 2}],
    "methods-co-occurring": [{}, {"method": "instruction tuning"}, {"method": "low-rank adaptation"}],
    "model-lineage": [{}, {"model": "llama-1"}, {"model": "CLIP"}, {"model": "X-Net"}, {"model": "model:koala"},
                      {"model": "nothing"}],
    "neighbourhood": [{}, {"name": "Alpaca", "limit": 3}, {"name": "model:x"},
                      {"name": "koala's dialogue model \\ with a backslash"}],
    "newest-papers-per-base-model": [{}, {"per_model": 1}],
    "papers-building-on-model-with-code": [{}, {"model": "CLIP"}],
    "papers-building-on-model-without-code": [{}, {"model": "clip"}],
    "papers-introducing-datasets": [{}],
    "repositories-by-host": [{}],
    "search-papers": [{}, {"text": "it's"}, {"text": "\\"}, {"text": "dialogue", "limit": 1}],
    "shortest-paths": [{}, {"a": "Koala", "b": "MMLU"}, {"a": "X-Net", "b": "Y-Net"}, {"a": "model:x", "b": "LLaMA"},
                       {"a": "TinyCLIP", "b": "ShareGPT"}],
    "top-datasets": [{}, {"limit": 1}],
    "top-repository-owners": [{}, {"limit": 2}],
}


def test_there_are_at_least_twelve_questions_each_with_an_in_memory_answer() -> None:
    found = questions()
    assert len(found) >= 12
    assert set(found) == set(QUESTIONS) == set(ASKED_OF_RICH_GRAPH)


@pytest.mark.parametrize("name", sorted(questions()))
def test_each_header_has_title_answer_and_parameters_matching_the_function(name: str) -> None:
    asked = question(name)
    assert asked.title and asked.answers.endswith("?")
    signature = inspect.signature(QUESTIONS[name])
    declared = {p.name: p.default for p in list(signature.parameters.values())[1:]}
    assert declared == {p.name: p.example for p in asked.params}
    assert all(p.help for p in asked.params)


@pytest.fixture(scope="module")
def ask_graph(bolt_driver: neo4j.Driver, bolt_server: BoltServer):
    """Load a graph into the emptied server, then ask questions of it: (graph, ask function)."""
    conn = bolt_server.connection()
    server = detect(bolt_driver, conn)
    loaded: list[KnowledgeGraph] = []

    def use(graph: KnowledgeGraph) -> None:
        if loaded and loaded[-1] is graph:
            return
        clear(bolt_driver)
        load(graph, bolt_driver, conn, limits=BatchLimits(rows=50, bytes=3500))
        loaded.append(graph)

    def asked(name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        return ask(bolt_driver, conn, server, question(name), params)

    return use, asked


@pytest.fixture(scope="module")
def rich() -> KnowledgeGraph:
    return rich_graph()


@pytest.mark.server
@pytest.mark.parametrize("name", sorted(set(ASKED_OF_RICH_GRAPH) - UNSUPPORTED_BY_TEST_SERVER))
def test_the_server_answers_like_the_in_memory_graph(name: str, ask_graph, rich: KnowledgeGraph) -> None:
    use, asked = ask_graph
    use(rich)
    answered = 0
    for params in ASKED_OF_RICH_GRAPH[name]:
        expected = QUESTIONS[name](rich, **question(name).arguments(params))
        assert asked(name, params) == expected, params
        answered += bool(expected)
    assert answered, f"{name}: every case was empty; the test graph should give rows"


@pytest.fixture(scope="module")
def seed(seed_graph_file: Path) -> KnowledgeGraph:
    return KnowledgeGraph.load(seed_graph_file)


@pytest.mark.server
@pytest.mark.parametrize("name", sorted(set(ASKED_OF_RICH_GRAPH) - UNSUPPORTED_BY_TEST_SERVER))
def test_the_server_answers_like_the_in_memory_graph_on_the_seeds(name: str, ask_graph, seed: KnowledgeGraph) -> None:
    use, asked = ask_graph
    use(seed)
    assert asked(name, {}) == QUESTIONS[name](seed, **question(name).arguments())


def test_graph_values_come_back_by_id(rich: KnowledgeGraph) -> None:
    rows = QUESTIONS["neighbourhood"](rich, name="X-Net")
    assert rows == [{"n": "model:x", "r": ["model:x", "DERIVED_FROM", "model:y"], "m": "model:y"},
                    {"n": "model:x", "r": ["model:y", "DERIVED_FROM", "model:x"], "m": "model:y"}]


def test_lineage_follows_any_depth_and_survives_a_cycle(rich: KnowledgeGraph) -> None:
    assert [(r["id"], r["depth"], r["parent"], r["how"]) for r in QUESTIONS["model-lineage"](rich, model="llama")] == [
        ("model:alpaca", 1, "model:llama", "fine-tune"), ("model:vicuna", 1, "model:llama", "fine-tune"),
        ("model:koala", 2, "model:alpaca", "fine-tune")]
    assert {r["id"] for r in QUESTIONS["model-lineage"](rich, model="X-Net")} == {"model:x", "model:y"}


# -- the Cypher parser ------------------------------------------------------------------------
def _lint(*files: Path) -> dict[str, list[dict[str, Any]]]:
    node = shutil.which("node")
    assert node, "node is needed for the Cypher parser (scripts/test installs it)"
    assert PARSER.is_file(), "the Cypher parser is missing: run scripts/test (it installs it into .cache/npm)"
    done = subprocess.run([node, str(LINTER), *map(str, files)], capture_output=True, text=True, timeout=120,
                          check=True)
    return json.loads(done.stdout)


def test_every_cypher_file_passes_neo4js_parser_without_errors_or_warnings() -> None:
    files = [SCHEMA_FILE, *sorted(QUERIES_DIR.glob("*.cypher"))]
    report = _lint(*files)
    assert set(report) == {str(f) for f in files}
    assert {file: found for file, found in report.items() if found} == {}


def test_the_parser_does_catch_broken_cypher(tmp_path: Path) -> None:
    broken = tmp_path / "broken.cypher"
    broken.write_text("// title: x\n// answers: y?\nMATCH (p:Paper RETURN p.id AS id\n", encoding="utf-8")
    undefined = tmp_path / "undefined.cypher"
    undefined.write_text("MATCH (p:Paper) RETURN q.id AS id LIMIT $limit\n", encoding="utf-8")
    report = _lint(broken, undefined)
    assert any(d["severity"] == "error" and d["line"] == 3 for d in report[str(broken)])
    assert {d["message"] for d in report[str(undefined)]} >= {"Variable `q` not defined",
                                                              "Parameter $limit is not defined."}


def test_schema_has_constraints_lookup_and_fulltext_indexes_for_every_label() -> None:
    statements = schema_statements()
    for label in ("Paper", "Model", "Method", "Dataset", "Repository"):
        assert any(f"FOR (n:{label}) REQUIRE n.id IS UNIQUE" in s for s in statements), label
    assert sum("CREATE INDEX" in s for s in statements) >= 5
    fulltext = [s for s in statements if s.startswith("CREATE FULLTEXT INDEX")]
    assert any("n.title, n.abstract" in s for s in fulltext) and any("n.name, n.aliases" in s for s in fulltext)
    assert all("IF NOT EXISTS" in s for s in statements if s.startswith("CREATE"))


def test_parameters_are_typed_like_their_examples() -> None:
    lineage = question("base-models-most-built-upon")
    assert lineage.parse({"limit": "3"}) == {"limit": 3}
    with pytest.raises(QuestionError, match="is not an integer"):
        lineage.parse({"limit": "many"})
    with pytest.raises(QuestionError, match="has no parameter model"):
        lineage.parse({"model": "LLaMA"})
    with pytest.raises(QuestionError, match="no question named"):
        question("../schema")
