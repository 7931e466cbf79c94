"""`kg.mentions`, the library behind `kg extract`: the lines the workers encode are the records
`extract_inputs` yields, written as `json.dumps` writes them, code-link mentions included."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kg.mentions import PaperMentions, extract_inputs, extract_lines
from kg.report import Report

from .conftest import EXAMPLES, FIXTURES, MIXED_INPUTS

INPUTS = [str(EXAMPLES), *(str(FIXTURES / name) for name in MIXED_INPUTS)]
RECORDS = list(extract_inputs(INPUTS, Report()))


def dumped(record: PaperMentions) -> str:
    return json.dumps(record.to_json(), ensure_ascii=False)


def test_lines_are_the_records_as_json_dumps_writes_them() -> None:
    lines = list(extract_lines(INPUTS, Report(), jobs=2))
    assert lines == [dumped(record) for record in RECORDS]
    # papers whose code link is their only mention, and papers with others before it
    linked = [len(r.mentions) for r in RECORDS if any(m.extractor == "pwc-links/1" for m in r.mentions)]
    assert sorted(linked) == [1, 1, 5, 5]


def test_a_code_link_alone_makes_the_mentions_of_a_paper_without_any(tmp_path: Path) -> None:
    listing = tmp_path / "listing.jsonl"
    listing.write_text(json.dumps({"id": "2401.00001", "title": "On ordinary things",
                                   "abstract": "We look at some things."}) + "\n", "utf-8")
    links = tmp_path / "links.json"
    links.write_text(json.dumps([{"paper_arxiv_id": "2401.00001", "paper_title": "On ordinary things",
                                  "repo_url": "https://github.com/someone/things"}]), "utf-8")
    [line] = extract_lines([str(listing), str(links)], Report())
    assert [(m["relation"], m["id"]) for m in json.loads(line)["mentions"]] == [
        ("HAS_CODE", "repo:github.com/someone/things")]
    [record] = extract_inputs([str(listing), str(links)], Report())
    assert line == dumped(record)
    [unlinked] = extract_lines([str(listing)], Report())
    assert json.loads(unlinked)["mentions"] == []


@given(st.sampled_from(RECORDS), st.data())
def test_any_slice_of_mentions_is_written_as_json_dumps_writes_it(record: PaperMentions, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(record.mentions)))
    end = data.draw(st.integers(start, len(record.mentions)))
    part = PaperMentions(record.paper, record.mentions[start:end])
    assert part.to_line() == dumped(part)
