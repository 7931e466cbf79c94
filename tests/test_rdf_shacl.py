"""SHACL shapes and the vocabulary: the seed and mixed-format exports conform, broken graphs are
reported, and the ontology declares every class and relationship type of kg.schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SH

from kg.build import BuildResult
from kg.graph import KnowledgeGraph
from kg.rdf import QUERIES_DIR, SHAPES_FILE, VOCABULARY_FILE
from kg.rdf.export import to_rdflib
from kg.rdf.iris import Minter
from kg.rdf.shacl import validate
from kg.rdf.vocab import PROV, VOCAB, class_iri, relation_iri
from kg.schema import DATASET_ROLES, LABELS, REL_TYPES

from .rdf_support import broken_graph, hostile_graph, small_graph


@pytest.fixture(scope="module")
def vocabulary() -> Graph:
    return Graph().parse(data=VOCABULARY_FILE.read_text(encoding="utf-8"), format="turtle")


def test_seed_export_conforms(seed_build: tuple[BuildResult, Path]) -> None:
    data = to_rdflib(seed_build[0].graph)
    assert len(data) > 0
    assert validate(data) == []


def test_mixed_format_export_conforms(mixed_build: BuildResult) -> None:
    """Every input format's fields (arXiv ids, dates, authors, URLs) pass the shapes: the papers
    with such fields and everything they link to."""
    graph = mixed_build.graph
    papers = [node for node, data in graph.nodes("Paper") if data.keys() & {"arxiv_id", "published", "authors"}]
    linked = {node for paper in papers for node in graph.g.successors(paper)}
    data = to_rdflib(KnowledgeGraph(graph.g.subgraph({*papers, *linked}).copy()))
    assert list(data.subjects(URIRef("https://schema.org/sameAs"), None))
    assert list(data.subjects(URIRef("https://schema.org/datePublished"), None))
    assert validate(data) == []


@pytest.mark.parametrize("make", [small_graph, hostile_graph])
def test_small_graphs_conform(make) -> None:
    assert validate(to_rdflib(make())) == []


def test_missing_title_and_missing_evidence_are_reported() -> None:
    violations = validate(to_rdflib(broken_graph()))
    mint = Minter()
    found = {(v.focus, v.path) for v in violations}
    assert (mint.node("paper:untitled"), "dcterms:title") in found
    assert (mint.statement("paper:titled", "BUILDS_ON", "model:llama"), "kg:evidence") in found
    assert all(v.severity == "Violation" and v.message for v in violations)
    assert len(violations) == 2


def test_reification_mismatches_are_reported() -> None:
    """A direct triple without its rdf:Statement, and a statement whose direct triple is gone."""
    mint = Minter()
    data = to_rdflib(small_graph())
    data.remove((URIRef(mint.node("model:alpaca-lora")), URIRef(relation_iri("DERIVED_FROM")),
                 URIRef(mint.node("model:alpaca"))))
    data.remove((URIRef(mint.statement("paper:no-arxiv", "BUILDS_ON", "model:llama-2")), None, None))
    found = {v.focus for v in validate(data)}
    assert found == {mint.statement("model:alpaca-lora", "DERIVED_FROM", "model:alpaca"), mint.node("paper:no-arxiv")}


def test_wrong_types_values_and_ranges_are_reported() -> None:
    mint = Minter()
    data = to_rdflib(small_graph())
    statement = URIRef(mint.statement("paper:no-arxiv", "USES_DATASET", "dataset:gsm8k"))
    data.set((statement, URIRef(VOCAB + "role"), Literal("pretend")))
    data.set((statement, URIRef(VOCAB + "confidence"), Literal(1.5)))
    data.add((URIRef(mint.node("paper:no-arxiv")), URIRef(relation_iri("HAS_CODE")), URIRef(mint.node("model:bert"))))
    paths = {(v.focus, v.path) for v in validate(data)}
    assert {(str(statement), "kg:role"), (str(statement), "kg:confidence"),
            (mint.node("paper:no-arxiv"), "kg:hasCode")} <= paths


def test_vocabulary_declares_every_label_and_relationship(vocabulary: Graph) -> None:
    for label in LABELS:
        term = URIRef(class_iri(label))
        assert (term, RDF.type, OWL.Class) in vocabulary, label
        assert vocabulary.value(term, RDFS.label) and vocabulary.value(term, RDFS.comment), label
    for rel in REL_TYPES:
        term = URIRef(relation_iri(rel))
        assert (term, RDF.type, OWL.ObjectProperty) in vocabulary, rel
        for annotation in (RDFS.label, RDFS.comment, RDFS.domain, RDFS.range):
            assert vocabulary.value(term, annotation) is not None, (rel, annotation)
    derived = URIRef(relation_iri("DERIVED_FROM"))
    assert (derived, RDFS.subPropertyOf, URIRef(PROV + "wasDerivedFrom")) in vocabulary


def test_every_vocabulary_term_an_export_uses_is_declared(vocabulary: Graph) -> None:
    data = to_rdflib(small_graph())
    used = {p for p in data.predicates() if isinstance(p, str) and p.startswith(VOCAB)}
    used |= {o for o in data.objects(None, RDF.type) if isinstance(o, str) and o.startswith(VOCAB)}
    assert used and not [term for term in used if (term, RDFS.label, None) not in vocabulary]


def test_shapes_cover_every_class_and_role() -> None:
    shapes = Graph().parse(data=SHAPES_FILE.read_text(encoding="utf-8"), format="turtle")
    targeted = set(shapes.objects(None, SH.targetClass))
    assert {URIRef(class_iri(label)) for label in LABELS} <= targeted
    [role_shape] = shapes.subjects(SH.path, URIRef(VOCAB + "role"))
    role_list = shapes.value(role_shape, SH["in"])
    assert role_list is not None, "the role shape lists its roles with sh:in"
    roles = shapes.collection(role_list)
    assert {str(r) for r in roles} == set(DATASET_ROLES)


def test_data_files_ship_in_the_package() -> None:
    assert VOCABULARY_FILE.is_file() and SHAPES_FILE.is_file()
    assert any(entry.name.endswith(".rq") for entry in QUERIES_DIR.iterdir())
