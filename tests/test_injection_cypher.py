"""Cypher injection against the real Bolt test server (FalkorDB, which pastes parameters into the query
text, so it is the harder case): hostile text in ids, names, titles, abstracts, aliases, evidence and
property names, and in the parameters of named questions, lands as data. It reads back unchanged,
and the graph loaded before it stays exactly as it was."""

from __future__ import annotations

from collections import Counter
from typing import Any

import neo4j
import networkx as nx
import pytest

from kg.export.cypher_files import question
from kg.export.neo4j_connect import Connection, GraphServerError, Server, detect
from kg.export.neo4j_load import load
from kg.export.neo4j_query import ask
from kg.graph import GraphError, KnowledgeGraph
from kg.questions import QUESTIONS
from tests.bolt_server import BoltServer
from tests.neo4j_support import (SMALL, State, clear, expected_state, graph_counts, rich_graph, server_counts,
                                 server_state)

pytestmark = pytest.mark.server

HOSTILE = (
    "it's \"quoted\", `ticked` and 'single'",
    "}) DETACH DELETE n //",
    "'}) MATCH (m) DETACH DELETE m //",
    "\\'}) MATCH (m) DETACH DELETE m //",
    "*/ MATCH (m) DETACH DELETE m /*",
    "$rows, $param, {param}, ${param}",
    "\\u0027}) DETACH DELETE n // \\x27 \\n",
    "first line\nsecond line\r\nthird\ttabbed",
    "\u2028line separator\u2029 zero\u200bwidth \u202eright-to-left",
    "naïve Ünïcødé 模型 😀",
    "a \\ backslash, and one at the end \\",
)
"""Text that breaks a query built by pasting: quotes, backticks, comment and statement endings,
parameter syntax, escape sequences written out, line breaks, Unicode separators."""
HOSTILE_KEYS = ("a: 1}] MATCH (m) DETACH DELETE m //", "x: 1, y", "$rows", "n.name", "évil key",
                "}) DETACH DELETE n //")
"""Property names a hand-edited graph.json could hold: on a server that pastes parameters, an unquoted
map key ends the parameter and starts a statement (the first one deleted every node before kg
quoted keys)."""


def hostile_graph() -> KnowledgeGraph:
    """Per hostile text a paper and a model with it in the id and every text property, the edge
    between them with it as evidence, source and variant, and a model whose property names are hostile."""
    graph = KnowledgeGraph()
    for i, text in enumerate(HOSTILE):
        paper, model = f"paper:{text}", f"model:{i}:{text}"
        graph.add_node(paper, "Paper", text, title=text, abstract=f"We study {text}.", aliases=[f"{text} v2"],
                       authors=[text], sources=[text])
        graph.add_node(model, "Model", text, aliases=[text.upper()])
        graph.add_edge(paper, model, "BUILDS_ON", evidence=text, confidence=0.5, extractor="test/1", source=text,
                       variant=text)
    graph.add_node("model:keyed", "Model", "Keyed", **{key: f"value of {key}" for key in HOSTILE_KEYS})
    return graph


def _other(tx: neo4j.ManagedTransaction) -> None:
    tx.run("CREATE (:Other {id: 'keep-me'})-[:LIKES]->(:Other {id: 'me-too'})").consume()


@pytest.fixture(scope="module")
def loaded(bolt_driver: neo4j.Driver, bolt_server: BoltServer) -> dict[str, Any]:
    """The rich graph and two nodes of another application loaded; then the hostile graph. The
    server's state before and after, and what the hostile graph should add."""
    conn = bolt_server.connection()
    clear(bolt_driver)
    load(rich_graph(), bolt_driver, conn, limits=SMALL)
    with bolt_driver.session() as session:
        session.execute_write(_other)
    before, counted = server_state(bolt_driver), server_counts(bolt_driver)
    hostile = hostile_graph()
    load(hostile, bolt_driver, conn, limits=SMALL)
    return {"before": before, "counted": counted, "hostile": hostile, "after": server_state(bolt_driver),
            "conn": conn, "server": detect(bolt_driver, conn)}


def _union(first: State, second: State) -> State:
    return first[0] | second[0], first[1] | second[1]


def test_hostile_text_reads_back_unchanged_and_the_rest_is_untouched(loaded: dict[str, Any]) -> None:
    hostile = expected_state(loaded["hostile"].to_json())
    assert loaded["after"] == _union(loaded["before"], hostile)
    keyed = loaded["after"][0]["model:keyed"][1]
    assert {key: keyed[key] for key in HOSTILE_KEYS} == {key: f"value of {key}" for key in HOSTILE_KEYS}


def test_counts_grow_by_exactly_the_hostile_graph(loaded: dict[str, Any], bolt_driver: neo4j.Driver) -> None:
    labels, types = loaded["counted"]
    added_labels, added_types = graph_counts(loaded["hostile"])
    assert server_counts(bolt_driver) == (dict(Counter(labels) + Counter(added_labels)),
                                          dict(Counter(types) + Counter(added_types)))
    assert labels["Other"] == 2 and types["LIKES"] == 1


def test_loading_the_hostile_graph_again_changes_nothing(loaded: dict[str, Any], bolt_driver: neo4j.Driver) -> None:
    load(loaded["hostile"], bolt_driver, loaded["conn"], limits=SMALL)
    assert server_state(bolt_driver) == loaded["after"]


def _answers(loaded: dict[str, Any], driver: neo4j.Driver, asked: str, params: dict[str, Any]) -> tuple[list, list]:
    """The rows of question `asked` from the server and from the same graph in memory."""
    conn: Connection = loaded["conn"]
    server: Server = loaded["server"]
    graph = KnowledgeGraph(nx.compose(rich_graph().g, loaded["hostile"].g))
    in_memory = QUESTIONS[asked](graph, **question(asked).arguments(params))
    return ask(driver, conn, server, question(asked), params), in_memory


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_question_parameters_are_data(loaded: dict[str, Any], bolt_driver: neo4j.Driver, text: str) -> None:
    found, expected = _answers(loaded, bolt_driver, "search-papers", {"text": text})
    assert found == expected and f"paper:{text}" in [row["id"] for row in found]
    around, expected_around = _answers(loaded, bolt_driver, "neighbourhood", {"name": text})
    assert around == expected_around and around
    assert server_state(bolt_driver) == loaded["after"]


def test_a_backtick_in_a_property_name_is_refused_before_anything_is_sent(loaded: dict[str, Any],
                                                                         bolt_driver: neo4j.Driver) -> None:
    graph = KnowledgeGraph()
    graph.add_node("model:ticked", "Model", "Ticked", **{"a`} DETACH DELETE n //": 1})
    with pytest.raises(GraphServerError, match="property name 'a`} DETACH DELETE n //' contains a backtick"):
        load(graph, bolt_driver, loaded["conn"], limits=SMALL)
    assert server_state(bolt_driver) == loaded["after"]


@pytest.mark.parametrize(("where", "value"), [("label", "Paper) DETACH DELETE n //"),
                                              ("key", "BUILDS_ON]->() DETACH DELETE n //")])
def test_labels_and_types_outside_the_vocabulary_are_refused(loaded: dict[str, Any], bolt_driver: neo4j.Driver,
                                                             where: str, value: str) -> None:
    document = rich_graph().to_json()
    target = document["nodes"][0] if where == "label" else document["edges"][0]
    target[where] = value
    with pytest.raises(GraphError, match="not in the (graph )?vocabulary"):
        load(KnowledgeGraph.from_json(document), bolt_driver, loaded["conn"], limits=SMALL)
    assert server_state(bolt_driver) == loaded["after"]
