"""The scale corpus generator (scripts/gen_corpus.py): every format reads back as distinct papers,
the same seed gives the same bytes, and the text is recombined from the sample listings."""

from __future__ import annotations

import importlib.util
import statistics
import sys
from pathlib import Path
from types import ModuleType

import pytest

from kg.build import read_papers
from kg.report import Report
from kg.resolve.papers import title_key

from .conftest import EXAMPLES, ROOT


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_corpus", ROOT / "scripts" / "gen_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


gen_corpus = load_generator()


@pytest.mark.parametrize("fmt", sorted(gen_corpus.WRITERS))
def test_every_format_reads_back_as_distinct_papers(fmt: str, tmp_path: Path) -> None:
    files = list(gen_corpus.generate(250, tmp_path, fmt, seed=3, per_file=100, compress=fmt == "arxiv-jsonl"))
    assert len(files) == 3
    report = Report()
    papers, _ = read_papers([str(tmp_path)], report)
    assert report.totals == {"records_read": 250, "papers_kept": 250, "duplicates_merged": 0, "records_rejected": 0}
    assert {entry.format for entry in report.files.values()} == {fmt}
    assert len({title_key(paper.title) for paper in papers}) == 250
    if fmt != "hf-text":
        assert len({paper.arxiv_id for paper in papers}) == 250 and all(paper.authors for paper in papers)


def test_the_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    runs = [list(gen_corpus.generate(120, tmp_path / name, "hf-json", seed=seed, per_file=50))
            for name, seed in (("a", 1), ("b", 1), ("c", 2))]
    assert [p.read_bytes() for p in runs[0]] == [p.read_bytes() for p in runs[1]]
    assert runs[0][0].read_bytes() != runs[2][0].read_bytes()


def test_text_is_recombined_from_the_sample_listings(tmp_path: Path) -> None:
    seeds, _ = read_papers([str(EXAMPLES)], Report())
    vocabulary = gen_corpus.load_vocabulary(EXAMPLES, ROOT / "tests" / "fixtures")
    tails = {seed.tail for seed in vocabulary.seeds}
    plain = {sentence for seed in vocabulary.seeds for sentence in seed.sentences
             if gen_corpus.NAME_MARK not in sentence and gen_corpus.REPO_MARK not in sentence}
    list(gen_corpus.generate(300, tmp_path, "arxiv-jsonl", seed=0))
    papers, _ = read_papers([str(tmp_path)], Report())
    for paper in papers:
        name, tail = paper.title.split(": ", 1)
        assert tail in tails and name[-1].isdigit()
    generated = statistics.mean(len(paper.abstract) for paper in papers)
    real = statistics.mean(len(paper.abstract) for paper in seeds if paper.abstract)
    assert 0.7 * real < generated < 1.4 * real
    real_sentences = [sum(1 for sentence in plain if sentence in paper.abstract) for paper in list(papers)[:40]]
    assert statistics.mean(real_sentences) >= 3  # abstracts are made of the listings' sentences


def test_disjoint_ranges_have_no_paper_in_common(tmp_path: Path) -> None:
    list(gen_corpus.generate(100, tmp_path / "a", "hf-text", seed=0))
    list(gen_corpus.generate(100, tmp_path / "b", "hf-text", seed=0, first=100))
    report = Report()
    read_papers([str(tmp_path / "a"), str(tmp_path / "b")], report)
    assert report.totals["papers_kept"] == 200 and report.totals["duplicates_merged"] == 0
