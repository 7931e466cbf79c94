"""Paper identity: ids, de-duplication by arXiv id and by normalised title, merged fields, and the
provenance of what a merged paper's text says."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg import spill
from kg.build import BuildResult, build, read_papers
from kg.extract import Extraction
from kg.model import CodeLink, Location, Paper
from kg.parallel import Workers, extract_all
from kg.report import Report
from kg.resolve.papers import MergedPaper, PaperIndex, title_key
from kg.schema import HAS_CODE
from kg.text import paper_id

from .checks import assert_sound
from .conftest import EXAMPLES, FIXTURES, MIXED_INPUTS


@pytest.fixture(params=[False, True], ids=["memory", "file"])
def index(request: pytest.FixtureRequest) -> PaperIndex:
    """An empty index keeping its papers in memory, or in a file."""
    return PaperIndex(spill=request.param)


def record(title: str, where: str, arxiv_id: str | None = None, **fields: object) -> Paper:
    file, _, line = where.partition(":")
    return Paper(title=title, location=Location(file, int(line)), arxiv_id=arxiv_id, **fields)  # type: ignore[arg-type]


def test_paper_ids() -> None:
    assert paper_id("Anything", "2101.00001") == "paper:arxiv:2101.00001"
    assert paper_id("Anything", "hep-ex/0307015") == "paper:arxiv:hep-ex/0307015"
    assert (paper_id("BERT:  Pre-training of Deep\nBidirectional Transformers")
            == "paper:bert-pre-training-of-deep-bidirectional-transformers")


def test_same_arxiv_id_is_one_paper_whatever_the_title(index: PaperIndex) -> None:
    assert index.add(record("BERT", "a.json:1", "1810.04805"))
    assert not index.add(record("BERT: Pre-training of Deep Bidirectional Transformers", "b.xml:7", "1810.04805"))
    (paper,) = index
    assert paper.sources == ["a.json:1", "b.xml:7"]
    assert paper.id == "paper:arxiv:1810.04805"


def test_same_normalised_title_is_one_paper(index: PaperIndex) -> None:
    assert index.add(record("MiniGPT-4: Enhancing Vision-Language Understanding", "seed.txt:3"))
    assert not index.add(record("minigpt 4 -- enhancing vision language understanding", "other.txt:9"))
    assert not index.add(record("MiniGPT-4: Enhancing Vision-language Understanding", "hf.json:1", "2304.10592"))
    (paper,) = index
    assert paper.sources == ["seed.txt:3", "other.txt:9", "hf.json:1"]
    assert paper.id == "paper:arxiv:2304.10592"  # the arXiv id learnt later becomes the id
    assert paper.title == "MiniGPT-4: Enhancing Vision-Language Understanding"


def test_two_arxiv_ids_with_one_title_stay_two_papers(index: PaperIndex) -> None:
    assert index.add(record("Introduction", "a.jsonl:1", "2101.00001"))
    assert index.add(record("Introduction", "a.jsonl:2", "2202.00002"))
    assert {p.id for p in index} == {"paper:arxiv:2101.00001", "paper:arxiv:2202.00002"}
    # a record with the title and one of the ids joins that one
    assert not index.add(record("Introduction", "b.xml:4", "2202.00002"))
    assert [p.sources for p in index] == [["a.jsonl:1"], ["a.jsonl:2", "b.xml:4"]]


def test_titles_with_no_latin_letters_merge_only_when_equal(index: PaperIndex) -> None:
    """Such titles get a hashed id; two equal ones must not become two papers sharing one node."""
    assert index.add(record("大型语言模型综述", "a.txt:1"))
    assert not index.add(record("大型语言模型综述", "b.txt:1"))
    assert index.add(record("多模态大模型综述", "b.txt:5"))
    assert len(index) == 2 and len({p.id for p in index}) == 2


def test_merged_fields(index: PaperIndex) -> None:
    index.add(record("T", "a:1", abstract="Short.", code_urls=["https://github.com/o/a"], texts=["10 pages"]))
    index.add(record("T", "b:1", "2101.00001", abstract="A longer abstract.", authors=["A. Author"],
                     published="2021-01-01", code_urls=["https://github.com/o/a", "https://github.com/o/b"],
                     project_url="https://o.github.io/t", texts=["10 pages"]))
    index.add(record("T", "c:1", authors=["Someone Else"], published="1999-01-01", project_url="https://elsewhere.org"))
    (paper,) = index
    assert paper.abstract == "A longer abstract."
    assert paper.authors == ["A. Author"] and paper.published == "2021-01-01"
    assert paper.code_urls == ["https://github.com/o/a", "https://github.com/o/b"]
    assert paper.project_url == "https://o.github.io/t"
    assert paper.texts == ["10 pages"]


def test_source_of_names_the_record_that_holds_the_evidence(index: PaperIndex) -> None:
    index.add(record("T", "seed.txt:11", abstract="Short abstract."))
    index.add(record("T", "feed.xml:2", "2101.00001", abstract="A longer abstract. Code is at https://github.com/o/r.",
                     texts=["Accepted at ICML."]))
    index.add(record("T", "hf.json:0", code_urls=["https://github.com/o/meta"]))
    (paper,) = index
    assert paper.source_of("Code is at https://github.com/o/r.") == "feed.xml:2"
    assert paper.source_of("Accepted at ICML.") == "feed.xml:2"
    assert paper.source_of("Short abstract.") == "seed.txt:11"
    assert paper.source_of("code repository given by the source: https://github.com/o/meta") == "hf.json:0"
    assert paper.source_of("T") == "seed.txt:11"  # the title: the first record


def test_find_link_by_arxiv_id_or_title(index: PaperIndex) -> None:
    index.add(record("Attention Is All You Need", "p.json:0", "1706.03762"))
    index.add(record("A Conference Paper", "p.json:1"))
    link = CodeLink(Location("l.json", index=0), "https://github.com/o/r", arxiv_id="1706.03762")
    by_id = index.find_link(link)
    assert by_id is not None and by_id.id == "paper:arxiv:1706.03762"
    by_title = index.find_link(CodeLink(Location("l.json"), "u", title="a conference paper"))
    assert by_title is not None and by_title.id == "paper:a-conference-paper"
    assert index.find_link(CodeLink(Location("l.json"), "u", arxiv_id="9999.00001",
                                    title="Attention Is All You Need")) is None


# -- across formats, in a real build ---------------------------------------------------------


def paper_node(result: BuildResult, node_id: str) -> dict:
    return result.graph.node(node_id)


def test_same_arxiv_id_across_formats_is_one_node(mixed_build: BuildResult) -> None:
    result = mixed_build
    assert_sound(result)
    bert = paper_node(result, "paper:arxiv:1810.04805")
    assert sorted(bert["sources"]) == sorted([
        f"{FIXTURES / 'hf_daily_papers.json'}#0",
        f"{FIXTURES / 'arxiv_feed.xml'}#2",
        f"{FIXTURES / 'pwc_papers.json'}#0",
    ])
    titles = [d["title"] for _, d in result.graph.nodes("Paper")]
    assert titles.count(bert["title"]) == 1


def test_seed_title_read_again_elsewhere_is_one_node(mixed_build: BuildResult) -> None:
    """CLIP is in the seeds (no arXiv id), both HF JSON files and the snapshot; MiniGPT-4 is in two
    seed files and, with another capitalisation, in the daily papers."""
    result = mixed_build
    clip = paper_node(result, "paper:arxiv:2103.00020")
    where = [s.rsplit("/", 1)[-1] for s in clip["sources"]]
    assert sorted(where) == sorted([
        "002_cb1ae508b5febf5a.txt:159", "hf_daily_papers.json#1", "hf_search_results.json#1", "arxiv_snapshot.jsonl:2",
    ])
    assert clip["published"] == "2021-02-26"
    assert clip["project_url"] == "https://openai.com/research/clip"
    minigpt = paper_node(result, "paper:arxiv:2304.10592")
    assert len(minigpt["sources"]) == 3
    assert minigpt["title"] == "MiniGPT-4: Enhancing Vision-Language Understanding with Advanced Large Language Models"
    assert minigpt["project_url"] == "https://minigpt-4.github.io"
    assert "links" not in minigpt  # the seed's "https://minigpt-4.github.io/" is the same page
    assert ("paper:minigpt-4-enhancing-vision-language-understanding-with-advanced-large-language-models"
            not in result.graph)
    assert "paper:learning-transferable-visual-models-from-natural-language-supervision" not in result.graph


def test_mixed_build_counts(mixed_build: BuildResult) -> None:
    """Seeds 386 papers; new from the fixtures: BERT, LLaMA, LoRA, 2101.00001, hep-ex/0307015,
    0704.0001, Attention and the conference-only paper (CLIP, MiniGPT-4, GPTQ, BARTScore are seeds)."""
    result = mixed_build
    assert result.graph.counts()["nodes"]["Paper"] == 386 + 8
    files = {Path(f.file).name: f for f in result.report.files.values()}
    assert (files["hf_daily_papers.json"].papers_kept, files["hf_daily_papers.json"].duplicates_merged) == (1, 2)
    assert (files["arxiv_snapshot.jsonl"].papers_kept, files["arxiv_snapshot.jsonl"].duplicates_merged) == (1, 2)
    assert (files["pwc_papers.json"].papers_kept, files["pwc_papers.json"].duplicates_merged) == (2, 2)


def record_text(source: str) -> str:
    """The raw text of the input record a `source` (FILE:LINE or FILE#INDEX) names."""
    if "#" in source:
        file, index = source.rsplit("#", 1)
        text = Path(file).read_text("utf-8")
        if file.endswith(".xml"):
            return re.findall(r"<entry>.*?</entry>", text, re.S)[int(index)]
        items = json.loads(text)
        return json.dumps(items if isinstance(items, dict) else items[int(index)])
    file, line = source.rsplit(":", 1)
    lines = Path(file).read_text("utf-8").splitlines()
    return "\n".join(lines[int(line) - 1: int(line) + 2])  # a title line, the blank, the abstract


@pytest.mark.parametrize("which", ["mixed", "seed"])
def test_has_code_provenance_names_the_record_with_the_link(
    which: str, mixed_build: BuildResult, seed_build: tuple[BuildResult, Path]
) -> None:
    result = mixed_build if which == "mixed" else seed_build[0]
    edges = list(result.graph.edges(HAS_CODE))
    assert edges
    for start, end, _, data in edges:
        path = end.split("/", 1)[1]  # repo:github.com/owner/name -> owner/name
        assert path in record_text(data["source"]).lower(), (start, end, data["source"])


def test_records_read_twice_from_one_file_are_merged(tmp_path: Path) -> None:
    result = build([str(FIXTURES / "hf_paper.json"), str(FIXTURES / "hf_paper.json")])
    assert_sound(result)
    (entry,) = result.report.files.values()
    assert (entry.records_read, entry.papers_kept, entry.duplicates_merged) == (2, 1, 1)
    assert result.graph.node("paper:arxiv:2106.09685")["sources"] == [f"{FIXTURES / 'hf_paper.json'}#0"]


def test_seed_duplicates_list_every_place(seed_build: tuple[BuildResult, Path]) -> None:
    result, _ = seed_build
    soups = result.graph.node("paper:model-soups-averaging-weights-of-multiple-fine-tuned-models-improves-accuracy"
                              "-without-increasing-inference-time")
    assert [s.replace(str(EXAMPLES), "examples") for s in soups["sources"]] == [
        "examples/000_a20358c7dc165b3d.txt:243",
        "examples/002_cb1ae508b5febf5a.txt:235",
        "examples/003_9853f9a141f5d212.txt:283",
    ]


# -- merged papers in a file -----------------------------------------------------------------


def seed_index(spill: bool | None) -> PaperIndex:
    """The sample listings and every format's fixture (records of one paper in several files)."""
    papers, _ = read_papers([str(EXAMPLES), *(str(FIXTURES / name) for name in MIXED_INPUTS)], Report(),
                            papers=PaperIndex(spill))
    return papers


def test_papers_in_a_file_are_the_papers_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    memory, stored = seed_index(False), seed_index(True)
    monkeypatch.setattr(spill, "SPILL_AT", 50)
    moved = seed_index(None)  # in memory for the first 49 papers, in a file from the 50th
    assert not memory.spilled and stored.spilled and moved.spilled
    merged = [paper for paper in memory if len(paper.sources) > 1]
    assert len(merged) >= 5 and any(memory.find(p.arxiv_id, p.title) is p for p in merged)
    assert list(stored) == list(moved) == list(memory)
    for paper in memory:
        for index in (stored, moved):
            assert index.find(paper.arxiv_id, paper.title) == memory.find(paper.arxiv_id, paper.title)
            assert index.first_with_title(title_key(paper.title)) == memory.first_with_title(title_key(paper.title))


@pytest.mark.parametrize("jobs", [1, 2])
def test_extraction_gives_every_paper_read_before_the_papers_fail(jobs: int) -> None:
    """Papers that fail part-way (a spilled index on a failing disk): one process or a pool, the
    extraction of each paper before the failure, then the failure."""
    papers = list(seed_index(False))[:150]

    def failing() -> Iterator[MergedPaper]:
        yield from papers
        raise OSError("read error")

    done: list[tuple[MergedPaper, Extraction]] = []
    with Workers(jobs) as workers, pytest.raises(OSError, match="read error"):
        done.extend(extract_all(failing(), workers))
    assert done == list(extract_all(papers))


def test_papers_in_a_file_extract_as_in_memory() -> None:
    """Extraction over a spilled index, on two processes, gives the one-process extraction."""
    expected = list(extract_all(seed_index(False)))
    with Workers(2) as workers:
        assert list(extract_all(seed_index(True), workers)) == expected
