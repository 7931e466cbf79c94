"""`kg export rdf`, `kg sparql` and `kg validate` through click's test runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg.cli import cli
from kg.export.json_graph import write_json
from kg.questions import QUESTIONS
from kg.rdf.export import to_rdflib

from .rdf_support import broken_graph, small_graph


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_json(small_graph(), tmp_path_factory.mktemp("rdf-cli") / "graph.json")


@pytest.mark.parametrize(("fmt", "suffix"), [("turtle", ".ttl"), ("nt", ".nt"), ("jsonld", ".jsonld")])
def test_export_rdf_writes_each_format(graph_file: Path, tmp_path: Path, fmt: str, suffix: str) -> None:
    out = tmp_path / f"out{suffix}"
    result = CliRunner().invoke(cli, ["export", "rdf", str(graph_file), "-o", str(out), "--format", fmt])
    assert result.exit_code == 0, result.output
    parsed = Graph().parse(out, format={"turtle": "turtle", "nt": "nt", "jsonld": "json-ld"}[fmt])
    assert set(parsed) == set(to_rdflib(small_graph()))


def test_export_rdf_guesses_the_format_and_takes_a_base(graph_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.nt"
    base = "http://example.org/kg#"
    result = CliRunner().invoke(cli, ["export", "rdf", str(graph_file), "-o", str(out), "--base-iri", base])
    assert result.exit_code == 0, result.output
    parsed = Graph().parse(out, format="nt")
    assert set(parsed) == set(to_rdflib(small_graph(), base))


def test_export_rdf_rejects_a_bad_base_and_a_missing_graph(graph_file: Path, tmp_path: Path) -> None:
    bad_base = CliRunner().invoke(cli, ["export", "rdf", str(graph_file), "-o", str(tmp_path / "x.ttl"),
                                        "--base-iri", "not an iri"])
    assert bad_base.exit_code == 2 and "--base-iri" in bad_base.output
    missing = CliRunner().invoke(cli, ["export", "rdf", str(tmp_path / "nope.json"), "-o", str(tmp_path / "x.ttl")])
    assert missing.exit_code == 1 and "no such file" in missing.output
    assert not (tmp_path / "x.ttl").exists()


def test_sparql_named_question_over_graph_json_and_turtle(graph_file: Path, tmp_path: Path) -> None:
    expected = QUESTIONS["papers-building-on-model-with-code"](small_graph(), model="model:llama")
    ttl = tmp_path / "g.ttl"
    CliRunner().invoke(cli, ["export", "rdf", str(graph_file), "-o", str(ttl)])
    for source in (graph_file, ttl):
        result = CliRunner().invoke(cli, ["sparql", str(source), "papers-building-on-model-with-code",
                                          "-p", "model=model:llama", "--json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == expected


def test_sparql_prints_a_table_for_a_query_file(graph_file: Path, tmp_path: Path) -> None:
    query = tmp_path / "derived.rq"
    query.write_text("PREFIX kg: <https://w3id.org/papers-kg/vocab#>\n"
                     "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
                     "SELECT ?id WHERE { ?m kg:derivedFrom+ ?base . ?base dcterms:identifier $root . "
                     "?m dcterms:identifier ?id } ORDER BY ?id\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["sparql", str(graph_file), str(query), "--param", "root=model:llama"])
    assert result.exit_code == 0, result.output
    for model in ("model:alpaca", "model:alpaca-lora", "model:llama-2", "model:vicuna"):
        assert model in result.stdout


def test_sparql_errors_are_clear(graph_file: Path) -> None:
    missing = CliRunner().invoke(cli, ["sparql", str(graph_file), "SELECT ?x WHERE { ?x ?p $who }"])
    assert missing.exit_code == 2 and "who" in missing.output
    broken = CliRunner().invoke(cli, ["sparql", str(graph_file), "SELECT WHERE {"])
    assert broken.exit_code == 1 and "SPARQL failed" in broken.output
    typed = CliRunner().invoke(cli, ["sparql", str(graph_file), "base-models-most-built-upon", "-p", "limit=many"])
    assert typed.exit_code == 2 and "limit" in typed.output


def test_validate_passes_a_sound_export_and_fails_a_broken_one(graph_file: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.ttl"
    CliRunner().invoke(cli, ["export", "rdf", str(graph_file), "-o", str(good)])
    result = CliRunner().invoke(cli, ["validate", str(good)])
    assert result.exit_code == 0 and "conforms" in result.output
    bad = tmp_path / "bad.jsonld"
    broken = write_json(broken_graph(), tmp_path / "broken.json")
    CliRunner().invoke(cli, ["export", "rdf", str(broken), "-o", str(bad)])
    result = CliRunner().invoke(cli, ["validate", str(bad)])
    assert result.exit_code == 1
    assert "dcterms:title" in result.output and "kg:evidence" in result.output


def test_validate_reports_an_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle <<<", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(bad)])
    assert result.exit_code == 1 and "not valid turtle" in result.output
