"""`kg extract` as a library: the papers of some listings, each with every mention extracted from it
and the HAS_CODE mentions of the code links that name it, in the DESIGN.md extraction contract.

Reading and de-duplication are `kg build`'s, so the papers are the graph's papers, in its order;
`jobs` processes extract, and the records are the same for any number."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from kg.build import OnIssue, link_mention, read_papers
from kg.extract import document_for, extract_document
from kg.model import CodeLink, Mention
from kg.parallel import Workers, map_papers
from kg.progress import Progress, Silent
from kg.report import Report
from kg.resolve.papers import MergedPaper, PaperIndex

T = TypeVar("T")


@dataclass
class PaperMentions:
    """One paper and its mentions."""

    paper: MergedPaper
    mentions: list[Mention]

    def to_json(self) -> dict[str, object]:
        """The contract's record: `paper` (id, title, arxiv_id) and `mentions`."""
        return {"paper": _paper_json(self.paper), "mentions": [m.to_json() for m in self.mentions]}

    def to_line(self) -> str:
        """`to_json` as one line of JSON text, without its newline."""
        return json_line(self.paper, encode(self.mentions))


def _paper_json(paper: MergedPaper) -> dict[str, object]:
    return {"id": paper.id, "title": paper.title, "arxiv_id": paper.arxiv_id}


def encode(mentions: list[Mention]) -> str:
    """Mentions as the contract's JSON array."""
    return json.dumps([m.to_json() for m in mentions], ensure_ascii=False)


def json_line(paper: MergedPaper, mentions: str) -> str:
    """The record of `paper` with its mentions already encoded (`encode`), exactly as `json.dumps`
    writes the whole record: its separators are ", " and ": " at every depth."""
    return f'{{"paper": {json.dumps(_paper_json(paper), ensure_ascii=False)}, "mentions": {mentions}}}'


def _appended(mentions: str, more: list[Mention]) -> str:
    """The encoded array `mentions` with `more` mentions after its own."""
    if not more:
        return mentions
    tail = encode(more)
    return tail if mentions == "[]" else f"{mentions[:-1]}, {tail[1:]}"


def mentions_of(paper: MergedPaper) -> list[Mention]:
    """Every mention extracted from one paper."""
    return extract_document(document_for(paper))


def encoded_mentions_of(paper: MergedPaper) -> str:
    """`mentions_of`, encoded by the workers, so that the main process only writes the text."""
    return encode(mentions_of(paper))


def extract_inputs(inputs: Iterable[str], report: Report, fmt: str | None = None, on_issue: OnIssue | None = None,
                   progress: Progress | None = None, jobs: int = 1) -> Iterator[PaperMentions]:
    """Read every input into `report` (rejects and notices also go to `on_issue`), then yield each
    paper with its mentions in reading order; a code link that names no paper of the input is a reject."""
    for paper, mentions, linked in _extracted(mentions_of, inputs, report, fmt, on_issue, progress, jobs):
        yield PaperMentions(paper, mentions + linked)


def extract_lines(inputs: Iterable[str], report: Report, fmt: str | None = None, on_issue: OnIssue | None = None,
                  progress: Progress | None = None, jobs: int = 1) -> Iterator[str]:
    """`extract_inputs`, each record as the line of JSON text `PaperMentions.to_line` gives, the
    mentions encoded by the workers."""
    for paper, encoded, linked in _extracted(encoded_mentions_of, inputs, report, fmt, on_issue, progress, jobs):
        yield json_line(paper, _appended(encoded, linked))


def _extracted(function: Callable[[MergedPaper], T], inputs: Iterable[str], report: Report, fmt: str | None,
               on_issue: OnIssue | None, progress: Progress | None,
               jobs: int) -> Iterator[tuple[MergedPaper, T, list[Mention]]]:
    """Each paper read, with `function` of it (run by the workers) and the mentions of the code links that name it."""
    progress = progress or Silent()
    with Workers(jobs) as workers:
        papers, links = read_papers(inputs, report, fmt, on_issue, progress, PaperIndex(), workers)
        linked = _linked(papers, links, report, on_issue)
        progress.phase("extracting", len(papers))
        for paper, found in map_papers(function, papers, workers):
            yield paper, found, linked.get(paper.id, [])
            progress.advance()


def _linked(papers: PaperIndex, links: list[CodeLink], report: Report,
            on_issue: OnIssue | None) -> dict[str, list[Mention]]:
    """The code links' mentions by the id of the paper each names."""
    by_paper: dict[str, list[Mention]] = {}
    for link in links:
        found = link_mention(papers, link, report, on_issue)
        if found is not None:
            paper, mention = found
            by_paper.setdefault(paper.id, []).append(mention)
    return by_paper
