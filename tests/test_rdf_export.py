"""The RDF export: one triple set in Turtle, streamed N-Triples and JSON-LD; direct and reified
edges with provenance; typed literals; safe, stable IRIs under a configurable base."""

from __future__ import annotations

import math
import re
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.build import BuildResult
from kg.graph import KnowledgeGraph
from kg.rdf import iris, turtle
from kg.rdf.export import FORMATS, load_rdf, to_rdflib, write_rdf
from kg.rdf.iris import IriError, Minter, prefixes, store
from kg.rdf.ntriples import string_term, write_ntriples
from kg.rdf.triples import decimal_literal
from kg.rdf.vocab import (DCTERMS, DEFAULT_BASE, PREFIXES, SCHEMA, VOCAB, XSD_DATE, XSD_DECIMAL, XSD_DOUBLE,
                          XSD_GYEARMONTH, XSD_INTEGER, relation_iri)

from .rdf_support import HOSTILE, hostile_graph, small_graph


def kg_term(local: str) -> URIRef:
    return URIRef(VOCAB + local)


SUFFIX = {"turtle": ".ttl", "nt": ".nt", "jsonld": ".jsonld"}
FORBIDDEN_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


@pytest.fixture(scope="module")
def seed(seed_build: tuple[BuildResult, Path]) -> KnowledgeGraph:
    return seed_build[0].graph


@pytest.fixture(scope="module")
def seed_triples(seed: KnowledgeGraph) -> set[tuple[Node, Node, Node]]:
    """The seed graph's triples as rdflib builds them (the reference for every format)."""
    return set(to_rdflib(seed))


def _round_trip(graph: KnowledgeGraph, tmp_path: Path, fmt: str, base: str | None = None) -> Graph:
    path = tmp_path / f"graph{SUFFIX[fmt]}"
    write_rdf(graph, path, fmt, *([base] if base else []))
    return load_rdf(path)


def test_kg_build_writes_graph_ttl_that_round_trips(seed_build: tuple[BuildResult, Path],
                                                    seed_triples: set[tuple[Node, Node, Node]]) -> None:
    result, out = seed_build
    assert result.written["rdf"] == out / "graph.ttl"
    parsed = Graph().parse(out / "graph.ttl", format="turtle")
    assert len(parsed) == len(seed_triples) > 0
    assert set(parsed) == seed_triples


def test_streamed_ntriples_equal_the_rdflib_graph(seed: KnowledgeGraph, seed_triples: set[tuple[Node, Node, Node]],
                                                  tmp_path: Path) -> None:
    path = tmp_path / "graph.nt"
    assert write_ntriples(seed, path) == len(seed_triples)
    streamed = Graph().parse(path, format="nt")
    assert len(streamed) == len(seed_triples)
    assert set(streamed) == seed_triples
    assert not [term for triple in streamed for term in triple if isinstance(term, BNode)]


def test_jsonld_round_trips_to_the_same_triples(seed: KnowledgeGraph, seed_triples: set[tuple[Node, Node, Node]],
                                                tmp_path: Path) -> None:
    parsed = _round_trip(seed, tmp_path, "jsonld")
    assert len(parsed) == len(seed_triples)
    assert set(parsed) == seed_triples


def test_every_node_and_edge_is_rendered(seed: KnowledgeGraph) -> None:
    data = to_rdflib(seed)
    counts = seed.counts()
    for label, n in counts["nodes"].items():
        assert len(set(data.subjects(RDF.type, kg_term(label)))) == n, label
    for rel, n in counts["relationships"].items():
        direct = list(data.subject_objects(URIRef(relation_iri(rel))))
        reified = list(data.subjects(RDF.predicate, URIRef(relation_iri(rel))))
        assert len(direct) == len(reified) == n, rel
    assert len(set(data.subjects(RDF.type, RDF.Statement))) == sum(counts["relationships"].values())


def test_each_edge_is_reified_with_its_provenance() -> None:
    graph = small_graph()
    data = to_rdflib(graph)
    mint = Minter()
    for start, end, rel, props in graph.edges():
        subject, predicate, obj = URIRef(mint.node(start)), URIRef(relation_iri(rel)), URIRef(mint.node(end))
        assert (subject, predicate, obj) in data
        [statement] = set(data.subjects(RDF.subject, subject)) & set(data.subjects(RDF.predicate, predicate)) & set(
            data.subjects(RDF.object, obj))
        assert statement == URIRef(mint.statement(start, rel, end))
        assert (statement, RDF.type, RDF.Statement) in data
        assert data.value(statement, kg_term("evidence")) == Literal(props["evidence"])
        assert data.value(statement, kg_term("extractor")) == Literal(props["extractor"])
        assert data.value(statement, kg_term("source")) == Literal(props["source"])
        confidence = data.value(statement, kg_term("confidence"))
        assert isinstance(confidence, Literal), confidence
        assert confidence.datatype == URIRef(XSD_DECIMAL) and float(confidence) == props["confidence"]
        count = data.value(statement, kg_term("count"))
        assert isinstance(count, Literal), count
        assert count.datatype == URIRef(XSD_INTEGER) and count.toPython() == props["count"]
        for key in ("role", "how", "variant"):
            assert data.value(statement, kg_term(key)) == (Literal(props[key]) if key in props else None)


def test_papers_link_to_arxiv_and_repositories_to_their_url() -> None:
    data = to_rdflib(small_graph())
    mint = Minter()
    paper = URIRef(mint.node("paper:arxiv:2302.13971"))
    assert data.value(paper, URIRef(SCHEMA + "sameAs")) == URIRef("https://arxiv.org/abs/2302.13971")
    old = URIRef(mint.node("paper:old-style"))
    assert data.value(old, URIRef(SCHEMA + "sameAs")) == URIRef("https://arxiv.org/abs/hep-th/9901001")
    assert data.value(URIRef(mint.node("paper:no-arxiv")), URIRef(SCHEMA + "sameAs")) is None
    repo = URIRef(mint.node("repo:github.com/tloen/alpaca-lora"))
    assert data.value(repo, URIRef(SCHEMA + "codeRepository")) == URIRef("https://github.com/tloen/alpaca-lora")
    assert (repo, RDF.type, URIRef(SCHEMA + "SoftwareSourceCode")) in data
    assert (paper, RDF.type, URIRef(SCHEMA + "ScholarlyArticle")) in data


def test_dates_and_identifiers_are_typed() -> None:
    data = to_rdflib(small_graph())
    mint = Minter()
    published = URIRef(SCHEMA + "datePublished")
    assert (data.value(URIRef(mint.node("paper:arxiv:2302.13971")), published)
            == Literal("2023-02-27", datatype=URIRef(XSD_DATE)))
    assert (data.value(URIRef(mint.node("paper:old-style")), published)
            == Literal("1999-01", datatype=URIRef(XSD_GYEARMONTH)))
    for node_id in small_graph().g.nodes:
        assert data.value(URIRef(mint.node(node_id)), URIRef(DCTERMS + "identifier")) == Literal(node_id)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_hostile_names_make_valid_iris_and_parse_back(tmp_path: Path, fmt: str) -> None:
    graph = hostile_graph()
    expected = to_rdflib(graph)
    parsed = _round_trip(graph, tmp_path, fmt)
    assert set(parsed) == set(expected)
    iris = {term for triple in parsed for term in triple if isinstance(term, URIRef)}
    assert not [iri for iri in iris if FORBIDDEN_IN_IRI.search(iri)]
    node_iris = {Minter().node(node_id) for node_id in graph.g.nodes}
    assert len(node_iris) == graph.g.number_of_nodes()
    names = {str(o) for o in parsed.objects(None, URIRef(SCHEMA + "name"))}
    assert {text for text in HOSTILE if "\ud800" not in text} <= names


def test_output_is_stable_across_runs(tmp_path: Path) -> None:
    first, second = tmp_path / "a.nt", tmp_path / "b.nt"
    write_rdf(hostile_graph(), first, "nt")
    write_rdf(hostile_graph(), second, "nt")
    assert first.read_bytes() == second.read_bytes()
    assert Minter().node("model:llama 2") == "https://w3id.org/papers-kg/id/model/llama%202"


def test_base_iri_is_configurable(tmp_path: Path) -> None:
    base = "http://example.org/my-kg/"
    parsed = _round_trip(small_graph(), tmp_path, "turtle", base)
    subjects = {s for s in parsed.subjects() if isinstance(s, URIRef)}
    assert subjects and all(s.startswith(base) for s in subjects)
    for bad in ("relative/", "http://example.org/no-slash", "http://example.org/with space/"):
        with pytest.raises(IriError):
            Minter(bad)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.text(min_size=1, max_size=30), evidence=st.text(min_size=1, max_size=60),
       fmt=st.sampled_from(["nt", "turtle"]))
def test_any_text_streams_to_parseable_rdf(name: str, evidence: str, fmt: str) -> None:
    graph = KnowledgeGraph()
    graph.add_node(f"paper:{name}", "Paper", name, title=name, sources=[evidence])
    graph.add_node(f"model:{name}", "Model", name)
    graph.add_edge(f"paper:{name}", f"model:{name}", "BUILDS_ON", evidence=evidence, confidence=0.5,
                   extractor="test/1", source=evidence)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"graph.{'nt' if fmt == 'nt' else 'ttl'}"
        write_rdf(graph, path, fmt)
        assert set(Graph().parse(path, format=fmt)) == set(to_rdflib(graph))


def test_turtle_is_streamed_with_prefixes_and_grouped_subjects(seed: KnowledgeGraph, tmp_path: Path) -> None:
    path = tmp_path / "graph.ttl"
    write_rdf(seed, path, "turtle")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("@prefix kg: <https://w3id.org/papers-kg/vocab#> .")
    assert " a kg:Paper" in text
    subjects = [line for line in text.splitlines() if line and not line.startswith((" ", "@"))]
    assert len(subjects) == len(set(subjects))  # each subject's triples written together


def test_turtle_prefixes_names_under_each_namespace_only() -> None:
    terms = turtle.Terms({**PREFIXES, "id": DEFAULT_BASE, "ex": "http://example.org/a#"})
    assert terms.iri(VOCAB + "buildsOn") == "kg:buildsOn"
    assert terms.iri(DEFAULT_BASE + "model/x") == f"<{DEFAULT_BASE}model/x>"  # a local name holds no '/'
    assert terms.iri("http://example.org/a#b") == "ex:b"
    assert terms.iri("http://example.org/a#b/c") == "<http://example.org/a#b/c>"
    with pytest.raises(ValueError, match="must end in"):
        turtle.Terms({"ex": "http://example.org/a"})


def test_turtle_writes_minted_node_and_statement_iris_as_prefixed_names() -> None:
    mint, terms = Minter(), turtle.Terms(prefixes())
    assert terms.iri(mint.node("model:llama 2")) == "model:llama%202"
    assert terms.iri(mint.node("paper:2401.00001")) == "paper:2401.00001"
    statement = mint.statement("paper:a", "BUILDS_ON", "model:b")
    assert terms.iri(statement) == "statement:" + statement.rsplit("/", 1)[1]
    assert terms.iri(mint.node("model:gpt.")) == f"<{DEFAULT_BASE}model/gpt.>"  # a local name ends in no dot
    turtle_text = "".join(f"@prefix {p}: <{n}> .\n" for p, n in prefixes().items()) + (
        "model:llama%202 paper:2401.00001 statement:0abc .")
    parsed = Graph().parse(data=turtle_text, format="turtle")
    assert set(parsed) == {(URIRef(mint.node("model:llama 2")), URIRef(mint.node("paper:2401.00001")),
                            URIRef(DEFAULT_BASE + "statement/0abc"))}


@given(st.floats())
@example(0.0)
@example(-0.0)
@example(1e-05)
@example(1e22)
def test_a_float_is_written_as_the_decimal_it_prints_as(value: float) -> None:
    lit = decimal_literal(value)
    if math.isfinite(value):
        text = format(Decimal(repr(value)), "f")
        assert (lit.text, lit.datatype) == (text if "." in text else text + ".0", XSD_DECIMAL)
        assert Decimal(lit.text) == Decimal(repr(value)) and lit.text.startswith("-") == (math.copysign(1, value) < 0)
    else:
        assert (lit.text, lit.datatype) == ({"nan": "NaN", "inf": "INF", "-inf": "-INF"}[repr(value)], XSD_DOUBLE)


def test_an_empty_value_gives_no_triple() -> None:
    graph = KnowledgeGraph()
    graph.add_node("model:x", "Model", "X", kind="", family="llama", aliases=[])
    graph.add_node("paper:p", "Paper", "P", title="P")
    graph.add_edge("paper:p", "model:x", "BUILDS_ON", evidence="P uses X.", confidence=0.5, extractor="test/1",
                   source="s", role="")
    data = to_rdflib(graph)
    assert data.value(URIRef(Minter().node("model:x")), kg_term("family")) == Literal("llama")
    assert not list(data.objects(None, kg_term("kind"))) and not list(data.objects(None, kg_term("role")))
    assert not [o for o in data.objects(None, URIRef(SCHEMA + "alternateName")) if str(o) == ""]


def plain_local_name(text: str) -> bool:
    """The local names Turtle output writes after a prefix, unit by unit: a unit is a percent escape
    or one letter, digit, "_", "-" or "."; the first is no "-" or ".", the last no "."."""
    units = re.findall(r"%[0-9A-Fa-f]{2}|.", text, re.DOTALL)
    plain = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
    return (bool(units) and all(len(unit) == 3 or unit in plain for unit in units)
            and units[0] not in ("-", ".") and units[-1] != ".")


@given(st.text(alphabet="aZ09_.-%Fg/ é\n"), st.sampled_from(["", "model/", "a#"]))
@example("llama%202-7b", "model/")
@example("a.%2E", "")
@example("gpt.", "model/")
@example("%41-b", "")
@example("a%2", "")
def test_a_local_name_is_recognised_unit_by_unit(text: str, namespace: str) -> None:
    assert (turtle._LOCAL.fullmatch(namespace + text, len(namespace)) is not None) == plain_local_name(text)


@given(st.text())
def test_literals_are_escaped_as_canonical_ntriples(text: str) -> None:
    escapes = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
    expected = "".join(escapes.get(c) or (f"\\u{ord(c):04X}" if ord(c) < 0x20 or ord(c) == 0x7F else c) for c in text)
    assert string_term(text) == f'"{expected}"'


def test_iri_caches_stay_bounded_and_change_no_byte(seed: KnowledgeGraph, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    written = {fmt: write_rdf(seed, tmp_path / f"full{SUFFIX[fmt]}", fmt).read_bytes() for fmt in ("turtle", "nt")}
    monkeypatch.setattr(iris, "CACHE_SIZE", 16)  # caches then start again every 16 IRIs
    for fmt, expected in written.items():
        assert write_rdf(seed, tmp_path / f"small{SUFFIX[fmt]}", fmt).read_bytes() == expected
    cache: dict[str, str] = {}
    for number in range(100):
        assert store(cache, str(number), f"<{number}>") == f"<{number}>"
        assert len(cache) <= 16 and cache[str(number)] == f"<{number}>"
