"""The main job as a library call: the seeds, accounting, code links from Papers with Code,
bad input alongside good, byte-identical output, and outputs that load back."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import networkx as nx

from kg.build import BuildResult, build
from kg.graph import KnowledgeGraph
from kg.model import Notice, Reject
from kg.outputs import OUTPUTS
from kg.schema import HAS_CODE, LABELS, REL_TYPES

from .checks import assert_balanced, assert_sound, rejects
from .conftest import EXAMPLES, FIXTURES
from .corpus import bad_corpus, messy_crlf_bom


def test_seeds(seed_build: tuple[BuildResult, Path]) -> None:
    result, out = seed_build
    assert_sound(result)
    totals = result.report.totals
    assert totals == {"records_read": 478, "papers_kept": 386, "duplicates_merged": 92, "records_rejected": 0}
    counts = result.graph.counts()
    assert counts["nodes"]["Paper"] == 386
    assert counts["nodes"]["Repository"] == counts["relationships"][HAS_CODE] == 104
    assert all(entry.format == "hf-text" and not entry.rejects and not entry.notices
               for entry in result.report.files.values())
    assert len(result.report.files) == 5
    assert {"graph.graphml", "graph.json", "report.json"} <= {p.name for p in out.iterdir()}


def test_report_json_is_the_report(seed_build: tuple[BuildResult, Path]) -> None:
    result, out = seed_build
    document = json.loads((out / "report.json").read_text("utf-8"))
    assert_balanced(document)
    assert document == json.loads(json.dumps(result.report.to_json()))
    assert document["problems"] == []
    assert set(document["counts"]["nodes"]) == set(LABELS)
    assert set(document["counts"]["relationships"]) == set(REL_TYPES)


def test_graph_json_loads_back(seed_build: tuple[BuildResult, Path]) -> None:
    result, out = seed_build
    loaded = KnowledgeGraph.load(out / "graph.json")
    assert loaded.counts() == result.graph.counts()
    assert loaded.problems() == []
    paper_id, data = next(iter(result.graph.nodes("Paper")))
    assert loaded.node(paper_id) == data
    document = json.loads((out / "graph.json").read_text("utf-8"))
    assert loaded.to_json() == document  # the round trip loses nothing
    for edge in document["edges"]:
        assert {"from", "to", "key", "evidence", "confidence", "extractor", "source", "count"} <= edge.keys()


def test_graphml_parses_with_networkx(seed_build: tuple[BuildResult, Path]) -> None:
    result, out = seed_build
    graphml = nx.read_graphml(out / "graph.graphml", force_multigraph=True)
    assert graphml.number_of_nodes() == result.graph.g.number_of_nodes()
    assert graphml.number_of_edges() == result.graph.g.number_of_edges()
    paper_id, data = next(iter(result.graph.nodes("Paper")))
    assert graphml.nodes[paper_id]["label"] == "Paper"
    assert json.loads(graphml.nodes[paper_id]["sources"]) == data["sources"]


def test_building_twice_gives_byte_identical_output(seed_build: tuple[BuildResult, Path], tmp_path: Path) -> None:
    _, first = seed_build
    second = tmp_path / "again"
    assert_sound(build([str(EXAMPLES)], second, skip=set(OUTPUTS) - {"json", "graphml"}))
    for name in ("graph.json", "graph.graphml", "report.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_pwc_links_attach_has_code_to_known_papers(mixed_build: BuildResult) -> None:
    result = mixed_build
    assert_sound(result)
    links = FIXTURES / "pwc_links.json"
    has_code = {(start, end): data for start, end, _, data in result.graph.edges(HAS_CODE)}
    attention = has_code["paper:arxiv:1706.03762", "repo:github.com/tensorflow/tensor2tensor"]
    assert (attention["source"], attention["extractor"], attention["confidence"]) == (f"{links}#1", "pwc-links/1", 1.0)
    by_title = has_code["paper:a-conference-only-paper-without-an-arxiv-version",
                        "repo:gitlab.com/conf-lab/conference-only"]
    assert by_title["source"] == f"{links}#3"
    # a link the paper's own metadata or abstract already gave counts twice, on one edge
    assert has_code["paper:arxiv:1810.04805", "repo:github.com/google-research/bert"]["count"] == 2
    assert has_code["paper:arxiv:2106.11520", "repo:github.com/neulab/bartscore"]["count"] == 2
    repo = result.graph.node("repo:gitlab.com/conf-lab/conference-only")
    assert (repo["url"], repo["host"], repo["owner"]) == (
        "https://gitlab.com/conf-lab/conference-only", "gitlab.com", "conf-lab")


def test_pwc_links_to_unknown_papers_are_reported(mixed_build: BuildResult) -> None:
    result = mixed_build
    links = FIXTURES / "pwc_links.json"
    entry = result.report.files[str(links)]
    assert (entry.records_read, entry.papers_kept, entry.duplicates_merged, entry.records_rejected) == (6, 0, 4, 2)
    assert rejects(result.report) == [
        f"{links}#4: no paper with this arXiv id or title in the input",
        f"{links}#5: not a repository URL: https://github.com/tensorflow",
    ]
    assert "repo:github.com/nobody/unread" not in result.graph


def test_links_alone_build_nothing_and_reject_every_link() -> None:
    result = build([str(FIXTURES / "pwc_links.json")])
    assert_sound(result)
    assert result.papers == 0
    assert result.report.totals["records_rejected"] == 6


def test_bad_files_are_reported_and_the_rest_is_built(tmp_path: Path) -> None:
    corpus = bad_corpus(tmp_path / "bad")
    issues: list[Reject | Notice] = []
    compressed = tmp_path / "daily.json.gz"
    compressed.write_bytes(gzip.compress((FIXTURES / "hf_daily_papers.json").read_bytes()))
    good = [str(FIXTURES / "hf_paper.json"), str(messy_crlf_bom(tmp_path)), str(compressed)]
    result = build([*good, *(str(path) for path, _ in corpus.values())], on_issue=issues.append)
    assert_sound(result)
    assert result.papers == 1 + 4 + 3
    for path, reason in corpus.values():
        entry = result.report.files[str(path)]
        assert (entry.records_read, entry.records_rejected, entry.papers_kept) == (1, 1, 0)
        (reject,) = entry.rejects
        assert reject["where"] in (str(path), f"{path}:6") and reject["reason"].startswith(reason)
    printed = [str(issue) for issue in issues if isinstance(issue, Reject)]
    assert sorted(printed) == sorted(rejects(result.report))
    assert len(printed) == len(corpus) + 1  # every bad file, and the messy file's orphan abstract
    notices = [issue for issue in issues if isinstance(issue, Notice)]
    assert len(notices) == 2
    messy = result.report.files[good[1]]
    assert [n["where"] for n in messy.notices] == [f"{good[1]}:18", f"{good[1]}:24"]


def test_skip_outputs(tmp_path: Path) -> None:
    result = build([str(FIXTURES / "hf_paper.json")], tmp_path, skip=set(OUTPUTS) - {"json"})
    assert_sound(result)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.json", "report.json"]
    assert set(result.written) == {"json", "report"}


def test_fixture_build_is_byte_identical_across_output_folders(tmp_path: Path) -> None:
    inputs = [str(FIXTURES / name) for name in sorted(p.name for p in FIXTURES.iterdir() if p.is_file())]
    skip = set(OUTPUTS) - {"json", "graphml"}
    first, second = build(inputs, tmp_path / "a", skip=skip), build(inputs, tmp_path / "b", skip=skip)
    assert_sound(first)
    assert_sound(second)
    for name in ("graph.json", "graph.graphml", "report.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_a_repeated_edge_counts_and_keeps_the_most_confident_evidence() -> None:
    graph = KnowledgeGraph()
    graph.add_node("paper:p", "Paper", "P")
    graph.add_node("repo:github.com/o/r", "Repository", "o/r")
    provenance = {"extractor": "test/1", "source": "a.txt:1"}
    graph.add_edge("paper:p", "repo:github.com/o/r", HAS_CODE, evidence="first", confidence=0.5, **provenance)
    graph.add_edge("paper:p", "repo:github.com/o/r", HAS_CODE, evidence="second", confidence=0.91234, **provenance)
    graph.add_edge("paper:p", "repo:github.com/o/r", HAS_CODE, evidence="third", confidence=0.9121, **provenance)
    (edge,) = [data for *_, data in graph.edges(HAS_CODE)]
    assert (edge["count"], edge["evidence"], edge["confidence"]) == (3, "second", 0.912)
