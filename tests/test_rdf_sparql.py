"""The SPARQL named questions (kg/rdf/queries/*.rq) pair with cypher/queries/*.cypher and give the
same rows, in the same order, as the in-memory answers of kg.questions."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kg.build import BuildResult
from kg.export.cypher_files import questions as cypher_questions
from kg.questions import QUESTIONS
from kg.rdf.export import to_rdflib
from kg.rdf.sparql import Question, load_question, questions, run

from .rdf_support import small_graph

NOT_IN_SPARQL = {"shortest-paths": "SPARQL 1.1 property paths test reachability but cannot return a path"}
VARIANTS: dict[str, list[object]] = {
    "model": ["model:llama-2", "llama", "ALPACA-lora", "no such model"],
    "method": ["INSTRUCTION TUNING", "method:rlhf", "lora"],
    "name": ["model:alpaca", "mmlu", "tloen/alpaca-lora"],
    "text": ["LoRA", "judge"],
    "limit": [1, 2],
    "per_model": [1],
}
SPARQL = questions()


@pytest.fixture(scope="module")
def small() -> tuple:
    graph = small_graph()
    return graph, to_rdflib(graph)


@pytest.fixture(scope="module")
def seed(seed_build: tuple[BuildResult, Path]) -> tuple:
    graph = seed_build[0].graph
    return graph, to_rdflib(graph)


def test_every_cypher_question_has_a_sparql_twin() -> None:
    cypher = cypher_questions()
    assert set(SPARQL) == set(cypher) - set(NOT_IN_SPARQL)
    for name, question in SPARQL.items():
        assert question.title and question.answers, name
        assert question.params == cypher[name].params, name


def _compare(graph_and_rdf: tuple, question: Question, params: dict[str, object]) -> list[dict]:
    graph, data = graph_and_rdf
    expected = QUESTIONS[question.name](graph, **question.arguments(params))
    assert run(data, question, params).rows == expected, (question.name, params)
    return expected


@pytest.mark.parametrize("name", sorted(SPARQL))
def test_sparql_equals_in_memory_on_a_small_graph(small: tuple, name: str) -> None:
    question = SPARQL[name]
    answered = [_compare(small, question, {})]
    for param in question.params:
        for value in VARIANTS[param.name]:
            answered.append(_compare(small, question, {param.name: value}))
    assert any(answered), f"{name} has no rows for any parameter on the small graph"


@pytest.mark.parametrize("name", sorted(SPARQL))
def test_sparql_equals_in_memory_on_the_seed_graph(seed: tuple, name: str) -> None:
    _compare(seed, SPARQL[name], {})


def test_ad_hoc_query_and_ask() -> None:
    data: Graph = to_rdflib(small_graph())
    count = load_question("PREFIX kg: <https://w3id.org/papers-kg/vocab#> "
                          "SELECT (COUNT(*) AS ?n) WHERE { ?p kg:derivedFrom ?m }")
    assert run(data, count).rows == [{"n": sum(1 for _ in small_graph().edges("DERIVED_FROM"))}]
    ask = load_question("PREFIX kg: <https://w3id.org/papers-kg/vocab#> ASK { ?p kg:hasCode ?r }")
    assert run(data, ask).boolean is True
