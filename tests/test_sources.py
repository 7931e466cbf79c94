"""Readers: each format's fixture parsed into Paper fields, format detection and forcing, .gz,
standard input, and every kind of unreadable file reported as one whole-file reject."""

from __future__ import annotations

import codecs
import gzip
import io
import json
from functools import partial
from pathlib import Path

import pytest

from kg.model import CodeLink, Notice, Paper, Record, Reject
from kg.parallel import Workers
from kg.sources import FORMATS, arxiv_jsonl, detect, read_file, read_inputs
from kg.sources.files import InputError, InputFile

from .conftest import EXAMPLES, FIXTURES
from .corpus import bad_corpus, messy_crlf_bom


def read(path: Path, fmt: str | None = None) -> tuple[str | None, list[Record]]:
    reading = read_file(InputFile(str(path), path), fmt)
    return reading.format, list(reading.records)


def papers(records: list[Record]) -> list[Paper]:
    return [r for r in records if isinstance(r, Paper)]


def by_arxiv(records: list[Record]) -> dict[str | None, Paper]:
    return {p.arxiv_id: p for p in papers(records)}


def only_reject(records: list[Record]) -> Reject:
    """The single whole-file reject an unreadable file must give."""
    assert len(records) == 1, records
    assert isinstance(records[0], Reject) and records[0].whole_file, records
    return records[0]


def rejects(records: list[Record]) -> list[Reject]:
    """The records, each of which must be a reject."""
    assert all(isinstance(r, Reject) for r in records), records
    return [r for r in records if isinstance(r, Reject)]


# -- Hugging Face papers API JSON ------------------------------------------------------------


def test_hf_daily_papers_items() -> None:
    fmt, records = read(FIXTURES / "hf_daily_papers.json")
    assert fmt == "hf-json"
    assert all(isinstance(r, Paper) for r in records) and len(records) == 3
    bert = by_arxiv(records)["1810.04805"]
    assert bert.title == "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
    assert bert.abstract.startswith("We introduce a new language representation model called BERT, which stands for "
                                    "Bidirectional")
    assert "\n" not in bert.abstract
    assert bert.published == "2018-10-11"
    assert bert.authors == ["Jacob Devlin", "Ming-Wei Chang", "Kenton Lee", "Kristina Toutanova"]
    assert bert.code_urls == ["https://github.com/google-research/bert"]
    assert bert.project_url is None
    assert bert.url == "https://huggingface.co/papers/1810.04805"
    assert str(bert.location) == f"{FIXTURES / 'hf_daily_papers.json'}#0"
    assert bert.id == "paper:arxiv:1810.04805"


def test_hf_github_repo_in_owner_name_form_becomes_a_url() -> None:
    _, records = read(FIXTURES / "hf_daily_papers.json")
    clip = by_arxiv(records)["2103.00020"]
    assert clip.code_urls == ["https://github.com/openai/CLIP"]
    assert clip.project_url == "https://openai.com/research/clip"
    minigpt = by_arxiv(records)["2304.10592"]
    assert minigpt.code_urls == ["https://github.com/Vision-CAIR/MiniGPT-4"]
    assert minigpt.project_url == "https://minigpt-4.github.io"


def test_hf_search_results_are_flat_paper_objects() -> None:
    fmt, records = read(FIXTURES / "hf_search_results.json")
    assert fmt == "hf-json"
    found = by_arxiv(records)
    assert set(found) == {"2302.13971", "2103.00020"}
    llama = found["2302.13971"]
    assert llama.title == "LLaMA: Open and Efficient Foundation Language Models"
    assert llama.published == "2023-02-27"
    assert llama.authors == ["Hugo Touvron", "Thibaut Lavril"]
    assert llama.code_urls == ["https://github.com/facebookresearch/llama"]


def test_hf_single_paper_object() -> None:
    fmt, records = read(FIXTURES / "hf_paper.json")
    assert fmt == "hf-json"
    (lora,) = records
    assert isinstance(lora, Paper)
    assert (lora.arxiv_id, lora.published) == ("2106.09685", "2021-06-17")
    assert lora.code_urls == ["https://github.com/microsoft/LoRA"]
    assert lora.project_url == "https://microsoft.github.io/LoRA/"
    assert lora.authors == ["Edward J. Hu", "Yelong Shen"]


def test_hf_items_without_title_or_not_objects_are_rejected_per_record(tmp_path: Path) -> None:
    path = tmp_path / "daily.json"
    path.write_text(json.dumps([{"paper": {"id": "2306.00001", "title": "Kept"}}, {"paper": {"id": "2306.00002"}}, 7]))
    _, records = read(path)
    assert [type(r).__name__ for r in records] == ["Paper", "Reject", "Reject"]
    assert [str(r) for r in records[1:]] == [f"{path}#1: no title", f"{path}#2: expected an object, found int"]


# -- arXiv API Atom ---------------------------------------------------------------------------


def test_arxiv_atom_entries() -> None:
    fmt, records = read(FIXTURES / "arxiv_feed.xml")
    assert fmt == "arxiv-atom"
    assert len(records) == 3 and all(isinstance(r, Paper) for r in records)
    first = records[0]
    assert isinstance(first, Paper)
    assert first.arxiv_id == "2101.00001"
    assert first.title == "Wrapped Titles and Abstracts: A Made-Up Study of Pre-training on Atom Feeds"
    assert first.abstract.startswith("We study how titles and abstracts wrap across lines in Atom feeds. Our model")
    assert first.abstract.endswith("outperforms the baselines.")
    assert first.published == "2021-01-01"
    assert first.authors == ["Ada Lovelace", "Alan Turing"]
    assert first.url == "https://arxiv.org/abs/2101.00001"
    assert first.texts == ["12 pages, 3 figures. Code and data: https://github.com/example-lab/feed-bert"]
    assert str(first.location) == f"{FIXTURES / 'arxiv_feed.xml'}#0"


def test_arxiv_atom_old_style_id_loses_its_version() -> None:
    _, records = read(FIXTURES / "arxiv_feed.xml")
    old = records[1]
    assert isinstance(old, Paper), old
    assert old.arxiv_id == "hep-ex/0307015"
    assert old.id == "paper:arxiv:hep-ex/0307015"
    assert old.url == "https://arxiv.org/abs/hep-ex/0307015"
    assert old.published == "2003-07-07"
    assert old.title == "Multi-Electron Production at High Transverse Momenta in ep Collisions at HERA"
    assert old.texts == ["23 pages, 8 figures and 4 tables"]


def test_arxiv_atom_entry_without_title_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2101.00003v1</id></entry>'
        "<entry><id>http://arxiv.org/abs/2101.00004v1</id><title>Kept</title></entry></feed>"
    )
    _, records = read(path)
    assert str(records[0]) == f"{path}#0: entry without a title"
    assert isinstance(records[1], Paper) and records[1].arxiv_id == "2101.00004"


def test_arxiv_atom_refuses_entities(tmp_path: Path) -> None:
    path = tmp_path / "laughs.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&lol2;</title></entry></feed>'
    )
    fmt, records = read(path)
    assert fmt == "arxiv-atom"
    assert "unsafe XML refused" in only_reject(records).reason


def test_arxiv_api_error_entries_are_rejected(tmp_path: Path) -> None:
    """What the API answers to a bad query: a feed whose one entry is the error, not a paper."""
    path = tmp_path / "error.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
        "  <entry>\n    <id>http://arxiv.org/api/errors#incorrect_id_format_for_1234.5678v9x</id>\n"
        "    <title>Error</title>\n    <summary>incorrect id format for 1234.5678v9x</summary>\n"
        "    <author><name>arXiv api core</name></author>\n  </entry>\n</feed>\n"
    )
    fmt, records = read(path)
    assert fmt == "arxiv-atom"
    assert [str(r) for r in records] == [f"{path}#0: arXiv API error: incorrect id format for 1234.5678v9x"]


# -- arXiv metadata snapshot ------------------------------------------------------------------


def test_arxiv_snapshot_lines() -> None:
    fmt, records = read(FIXTURES / "arxiv_snapshot.jsonl")
    assert fmt == "arxiv-jsonl"
    assert [str(r.location) for r in records] == [f"{FIXTURES / 'arxiv_snapshot.jsonl'}:{n}" for n in (1, 2, 4)]
    found = by_arxiv(records)
    first = found["0704.0001"]
    assert first.title == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    assert first.abstract.startswith("A fully differential calculation in perturbative quantum chromodynamics "
                                     "is presented")
    assert first.published == "2007-04-02"  # versions[0].created, "Mon, 2 Apr 2007 19:18:42 GMT"
    assert first.authors == ["C. Bal\\'azs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan"]
    assert first.texts == ["37 pages, 15 figures; published version"]
    assert first.url == "https://arxiv.org/abs/0704.0001"
    clip = found["2103.00020"]
    assert clip.authors[-2:] == ["Sandhini Agarwal", "Ilya Sutskever"] and len(clip.authors) == 7
    assert clip.texts == []
    assert found["2210.17323"].texts == ["ICLR 2023. Code: https://github.com/IST-DASLab/gptq."]


def test_arxiv_snapshot_bad_lines_are_rejected_and_the_rest_kept(tmp_path: Path) -> None:
    good = (FIXTURES / "arxiv_snapshot.jsonl").read_bytes().splitlines()[0]
    path = tmp_path / "snapshot.jsonl"
    path.write_bytes(b"\n".join([good, b'{"id": "2101.00009", "title": "Cut', b"[1, 2]", b'{"id":"x","title":"a\xff"}',
                                 good]) + b"\n")
    fmt, records = read(path)
    assert fmt == "arxiv-jsonl"
    assert [type(r).__name__ for r in records] == ["Paper", "Reject", "Reject", "Reject", "Paper"]
    assert [str(r.location) for r in records[1:4]] == [f"{path}:2", f"{path}:3", f"{path}:4"]
    bad = rejects(records[1:4])
    assert bad[0].reason.startswith("invalid JSON")
    assert bad[1].reason == "expected an object, found list"
    assert bad[2].reason.startswith("invalid UTF-8")


def test_arxiv_snapshot_published_falls_back_to_update_date(tmp_path: Path) -> None:
    path = tmp_path / "snapshot.jsonl"
    path.write_text(json.dumps({"id": "2101.00005", "title": "T", "abstract": "A", "versions": [],
                                "update_date": "2021-01-09"}) + "\n")
    (paper,) = read(path)[1]
    assert isinstance(paper, Paper), paper
    assert paper.published == "2021-01-09"


# -- Papers with Code -------------------------------------------------------------------------


def test_pwc_papers_with_abstracts() -> None:
    fmt, records = read(FIXTURES / "pwc_papers.json")
    assert fmt == "pwc-papers"
    found = by_arxiv(records)
    assert set(found) == {"1810.04805", "2106.11520", "1706.03762", None}
    bert = found["1810.04805"]
    assert bert.published == "2018-10-11"
    assert bert.url == "https://paperswithcode.com/paper/bert-pre-training-of-deep-bidirectional"
    assert bert.authors == ["Jacob Devlin", "Ming-Wei Chang", "Kenton Lee", "Kristina Toutanova"]
    no_arxiv = found[None]
    assert no_arxiv.title == "A Conference-Only Paper Without an arXiv Version"
    assert no_arxiv.id == "paper:a-conference-only-paper-without-an-arxiv-version"


def test_pwc_links_between_papers_and_code() -> None:
    fmt, records = read(FIXTURES / "pwc_links.json")
    assert fmt == "pwc-links"
    assert all(isinstance(r, CodeLink) for r in records) and len(records) == 6
    first, fourth = records[0], records[3]
    assert isinstance(first, CodeLink) and isinstance(fourth, CodeLink)
    assert (first.arxiv_id, first.repo_url) == ("1810.04805", "https://github.com/google-research/bert")
    assert first.title == "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
    assert (fourth.arxiv_id, fourth.title) == (None, "A Conference-Only Paper Without an arXiv Version")


def test_pwc_links_without_repo_or_paper_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "links.json"
    path.write_text(json.dumps([{"paper_title": "T", "repo_url": None}, {"paper_arxiv_id": None, "repo_url": "https://github.com/o/r"}]))
    fmt, records = read(path)
    assert fmt == "pwc-links"
    assert [r.reason for r in rejects(records)] == ["link without repo_url",
                                                    "link without paper_arxiv_id or paper_title"]


# -- Hugging Face papers page text ------------------------------------------------------------


def test_hf_text_with_bom_crlf_partial_header_and_blank_runs(tmp_path: Path) -> None:
    path = messy_crlf_bom(tmp_path)
    fmt, records = read(path)
    assert fmt == "hf-text"
    summary = [(type(r).__name__, r.location.line) for r in records]
    assert summary == [
        ("Reject", 9),  # an abstract with no title before it
        ("Paper", 11),
        ("Notice", 18),  # a title with no abstract: reported and kept
        ("Paper", 18),
        ("Paper", 20),
        ("Notice", 24),  # the same at the end of the file
        ("Paper", 24),
    ]
    no_title = records[0]
    assert isinstance(no_title, Reject)
    assert no_title.reason == "abstract without a title before it"
    titled = papers(records)
    assert titled[0].title == "Messy Listings: A Title Whose Abstract Is Present"
    assert titled[0].abstract.startswith("Scraped listings arrive with byte order marks")
    assert titled[1].title == "A Title Left Without Its Abstract" and titled[1].abstract == ""
    assert titled[2].title == "Second Paper: Recovering Titles After a Gap"
    assert titled[2].abstract.startswith("We recover the title")
    assert titled[3].title == "A Final Title at the End of the File"
    assert not any("\ufeff" in p.title or "\r" in p.title + p.abstract for p in titled)


def test_hf_text_without_header(tmp_path: Path) -> None:
    lines = (FIXTURES / "hf_messy.txt").read_text("utf-8").splitlines()
    path = tmp_path / "no-header.txt"
    path.write_text("\n".join(lines[10:]) + "\n")
    fmt, records = read(path)
    assert fmt == "hf-text"
    assert [p.title for p in papers(records)][0] == "Messy Listings: A Title Whose Abstract Is Present"
    assert not any(isinstance(r, Reject) for r in records)


def test_hf_text_seed_file() -> None:
    fmt, records = read(EXAMPLES / "000_a20358c7dc165b3d.txt")
    assert fmt == "hf-text"
    first = records[0]
    assert isinstance(first, Paper)
    assert first.title == "When to Pre-Train Graph Neural Networks? From Data Generation Perspective!"
    assert first.abstract.startswith("In recent years, graph pre-training has gained significant attention")
    assert first.location.line == 11
    assert all(isinstance(r, Paper) and r.abstract for r in records)


def test_hf_text_in_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes((FIXTURES / "hf_messy.txt").read_text("utf-8").encode("utf-16"))
    fmt, records = read(path)
    assert fmt == "hf-text"
    assert len(papers(records)) == 4


# -- format detection, forcing, .gz, stdin ---------------------------------------------------

FIXTURE_FORMATS = {
    "hf_daily_papers.json": "hf-json",
    "hf_search_results.json": "hf-json",
    "hf_paper.json": "hf-json",
    "arxiv_feed.xml": "arxiv-atom",
    "arxiv_snapshot.jsonl": "arxiv-jsonl",
    "pwc_papers.json": "pwc-papers",
    "pwc_links.json": "pwc-links",
    "hf_messy.txt": "hf-text",
}


def test_every_format_has_a_fixture() -> None:
    assert set(FIXTURE_FORMATS.values()) == set(FORMATS)


@pytest.mark.parametrize("name", sorted(FIXTURE_FORMATS))
def test_format_detected_from_content(name: str, tmp_path: Path) -> None:
    data = (FIXTURES / name).read_bytes()
    assert detect(data) == FIXTURE_FORMATS[name]
    renamed = tmp_path / "listing.dat"  # the name plays no part
    renamed.write_bytes(data)
    assert read(renamed)[0] == FIXTURE_FORMATS[name]


@pytest.mark.parametrize("name", sorted(FIXTURE_FORMATS))
def test_gzip_inputs_are_read_transparently(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.gz"
    path.write_bytes(gzip.compress((FIXTURES / name).read_bytes()))
    fmt, records = read(path)
    plain_fmt, plain = read(FIXTURES / name)
    assert fmt == plain_fmt == FIXTURE_FORMATS[name]
    assert ([(type(r), getattr(r, "title", None)) for r in records]
            == [(type(r), getattr(r, "title", None)) for r in plain])


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('[{"paper": {"id": "2306.00001", "title": "T"}}]', "hf-json"),
        ('{"id": "2306.00001", "title": "T", "summary": "S"}', "hf-json"),
        ('{"id":"0704.0001","title":"T","abstract":"A","categories":"hep-ph","versions":[]}\n', "arxiv-jsonl"),
        ('{"id":"0704.0001","title":"T"}\n{"id":"0704.0002","title":"U"}\n', "arxiv-jsonl"),
        ('[{"paper_url": "u", "arxiv_id": null, "title": "T", "abstract": "A"}]', "pwc-papers"),
        ('[{"paper_url": "u", "paper_title": "T", "repo_url": "https://github.com/o/r"}]', "pwc-links"),
        ('<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"></feed>', "arxiv-atom"),
        ("new\n\nGet trending papers in your email inbox!\n\nA Title\n", "hf-text"),
    ],
)
def test_detect_small_documents(content: str, expected: str) -> None:
    assert detect(content.encode()) == expected


def test_detect_does_not_fail_on_a_character_cut_at_the_end_of_the_head(tmp_path: Path) -> None:
    """Detection looks at the first 64 KiB; a multi-byte character split there is not invalid UTF-8."""
    block = ("Über Models for Long Listings\n\n" + "Über models are trained on long listings of text. " * 10
             + "\n\n").encode()
    data = block * 300
    start = data.rindex("Ü".encode(), 0, 65535)
    data = b"\n" * (65535 - start) + data  # the two bytes of that "Ü" now straddle byte 65536
    assert data[65535:65537] == "Ü".encode()
    path = tmp_path / "long.txt"
    path.write_bytes(data)
    fmt, records = read(path)
    assert fmt == "hf-text"
    assert len(papers(records)) == 300 and not any(isinstance(r, Reject) for r in records)


def test_forced_format_overrides_detection(tmp_path: Path) -> None:
    """One snapshot line detects as a Hugging Face paper object; `--format arxiv-jsonl` reads it as arXiv."""
    path = tmp_path / "one.json"
    path.write_text('{"id": "2101.00001v3", "title": "One Line", "abstract": "Just one."}\n')
    assert read(path)[0] == "hf-json"
    assert papers(read(path)[1])[0].url == "https://huggingface.co/papers/2101.00001"
    fmt, records = read(path, "arxiv-jsonl")
    assert fmt == "arxiv-jsonl"
    (paper,) = records
    assert isinstance(paper, Paper), paper
    assert (paper.url, paper.abstract, str(paper.location)) == (
        "https://arxiv.org/abs/2101.00001", "Just one.", f"{path}:1")


def test_forcing_the_wrong_format_rejects_the_file() -> None:
    fmt, records = read(FIXTURES / "hf_paper.json", "arxiv-atom")
    assert fmt == "arxiv-atom"
    assert only_reject(records).reason.startswith("malformed XML")


def test_stdin_input(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStdin:
        buffer = io.BytesIO(gzip.compress((FIXTURES / "hf_paper.json").read_bytes()))

    monkeypatch.setattr("sys.stdin", FakeStdin)
    (reading,) = read_inputs(["-"])
    assert reading.name == "-" and reading.format == "hf-json"
    (paper,) = reading.records
    assert isinstance(paper, Paper), paper
    assert str(paper.location) == "-#0" and paper.arxiv_id == "2106.09685"


def test_directory_inputs_are_walked_recursively_skipping_hidden(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / ".cache").mkdir()
    for target in ("a/b/paper.json", ".hidden.json", ".cache/paper.json", "top.json"):
        (tmp_path / target).write_bytes((FIXTURES / "hf_paper.json").read_bytes())
    names = [reading.name for reading in read_inputs([str(tmp_path)])]
    assert names == [str(tmp_path / "a" / "b" / "paper.json"), str(tmp_path / "top.json")]


def test_missing_input_is_one_reject(tmp_path: Path) -> None:
    (reading,) = read_inputs([str(tmp_path / "nope.json")])
    assert only_reject(list(reading.records)).reason == "no such file or directory"


# -- unreadable files -------------------------------------------------------------------------


def test_each_unreadable_file_gives_one_whole_file_reject(tmp_path: Path) -> None:
    corpus = bad_corpus(tmp_path)
    for name, (path, reason) in corpus.items():
        _, records = read(path)
        reject = only_reject(records)
        assert reject.reason.startswith(reason), (name, reject.reason)
        assert str(reject) == f"{reject.location}: {reject.reason}"
        assert str(reject.location) in (str(path), f"{path}:{reject.location.line}")


def snapshot_rows(count: int) -> list[bytes]:
    """`count` lines of an arXiv snapshot, one paper each (ids 0704.0001 on)."""
    line = (FIXTURES / "arxiv_snapshot.jsonl").read_bytes().splitlines()[0]
    return [line.replace(b'"0704.0001"', f'"0704.{n:04d}"'.encode()) for n in range(1, count + 1)]


def truncated_snapshot(tmp_path: Path) -> Path:
    data = gzip.compress(b"\n".join(snapshot_rows(399)) + b"\n")
    path = tmp_path / "snapshot.jsonl.gz"
    path.write_bytes(data[: len(data) * 9 // 10])
    return path


def test_truncated_gzip_keeps_what_was_read_before_the_cut(tmp_path: Path) -> None:
    path = truncated_snapshot(tmp_path)
    fmt, records = read(path)
    assert fmt == "arxiv-jsonl"
    assert len(papers(records)) > 100
    assert all(isinstance(r, Paper) for r in records[:-1])
    assert isinstance(records[-1], Reject) and records[-1].whole_file
    assert records[-1].reason.startswith("compressed data is truncated or corrupt")


def read_with_workers(path: Path) -> list[Record]:
    """The records of `path` with a pool of two workers parsing them."""
    with Workers(2) as workers:
        return list(read_file(InputFile(str(path), path), mapper=partial(workers.map, chunk=1)).records)


def test_a_worker_pool_reads_a_snapshot_into_the_same_records_in_order(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers parse a snapshot's lines in runs; the records, rejects and line numbers are the ones
    reading it here gives, in the same order, across the runs' edges."""
    monkeypatch.setattr(arxiv_jsonl, "LINES_PER_TASK", 7)
    rows = snapshot_rows(60)
    rows[3], rows[10], rows[20], rows[30] = b"{not json", b"  ", b"[1, 2]", b'{"title": "\xff"}'
    path = tmp_path / "snapshot.jsonl"
    path.write_bytes(codecs.BOM_UTF8 + b"\n".join(rows) + b"\n")
    expected = read(path)[1]
    assert read_with_workers(path) == expected
    assert len(expected) == 59 and len(papers(expected)) == 56
    assert [r.location.line for r in expected if isinstance(r, Reject)] == [4, 21, 31]
    assert papers(expected)[0].arxiv_id == "0704.0001"  # after the byte order mark


def test_a_worker_pool_keeps_what_was_read_before_a_gzip_cut(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cut in a compressed snapshot read by workers: every record before it, then the whole-file
    reject, as reading it here gives."""
    monkeypatch.setattr(arxiv_jsonl, "LINES_PER_TASK", 64)
    path = truncated_snapshot(tmp_path)
    expected = read(path)[1]
    assert len(papers(expected)) % 64 != 0  # the cut falls inside a run
    assert read_with_workers(path) == expected


def test_input_error_reasons_are_single_lines(tmp_path: Path) -> None:
    for path, _ in bad_corpus(tmp_path).values():
        reason = only_reject(read(path)[1]).reason
        assert "\n" not in reason and reason


def test_detect_rejects_unknown_json_and_text() -> None:
    for content in (b'{"downloads": 1}', b"id,name\n1,bert\n", b"   "):
        with pytest.raises(InputError):
            detect(content)


def test_notices_are_not_rejects(tmp_path: Path) -> None:
    _, records = read(messy_crlf_bom(tmp_path))
    notices = [r for r in records if isinstance(r, Notice)]
    assert [str(n) for n in notices] == [
        f"{tmp_path / 'messy-crlf.txt'}:18: title without an abstract (paper kept)",
        f"{tmp_path / 'messy-crlf.txt'}:24: title without an abstract (paper kept)",
    ]
