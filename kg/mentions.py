"""`kg extract` as a library: the papers of some listings, each with every mention extracted from it
and the HAS_CODE mentions of the code links that name it, in the DESIGN.md extraction contract.

Reading and de-duplication are `kg build`'s, so the papers are the graph's papers, in its order;
`jobs` processes extract, and the records are the same for any number."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kg.build import OnIssue, link_mention, read_papers
from kg.model import CodeLink, Mention
from kg.parallel import Workers, extract_all
from kg.progress import Progress, Silent
from kg.report import Report
from kg.resolve.papers import MergedPaper, PaperIndex


@dataclass
class PaperMentions:
    """One paper and its mentions."""

    paper: MergedPaper
    mentions: list[Mention]

    def to_json(self) -> dict[str, object]:
        """The contract's record: `paper` (id, title, arxiv_id) and `mentions`."""
        return {
            "paper": {"id": self.paper.id, "title": self.paper.title, "arxiv_id": self.paper.arxiv_id},
            "mentions": [m.to_json() for m in self.mentions],
        }


def extract_inputs(inputs: Iterable[str], report: Report, fmt: str | None = None, on_issue: OnIssue | None = None,
                   progress: Progress | None = None, jobs: int = 1) -> Iterator[PaperMentions]:
    """Read every input into `report` (rejects and notices also go to `on_issue`), then yield each
    paper with its mentions in reading order; a code link that names no paper of the input is a reject."""
    progress = progress or Silent()
    with Workers(jobs) as workers:
        papers, links = read_papers(inputs, report, fmt, on_issue, progress, PaperIndex(), workers)
        linked = _linked(papers, links, report, on_issue)
        progress.phase("extracting", len(papers))
        for paper, extraction in extract_all(papers, workers):
            yield PaperMentions(paper, extraction.mentions + linked.get(paper.id, []))
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
