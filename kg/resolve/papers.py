"""Paper identity: records of one paper (same arXiv id, or same normalised title) become one."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from kg.model import CodeLink, Paper, PaperFields
from kg.text import clean, match_key


@dataclass
class MergedPaper(PaperFields):
    """One paper after de-duplication: the best of every record read for it, and where it was read."""

    sources: list[str] = field(default_factory=list)
    origins: dict[str, str] = field(default_factory=dict)
    """Where each text was first read (abstracts, comments, metadata code URLs): text -> record."""

    @property
    def source(self) -> str:
        """The first place the paper was read (the record its title comes from)."""
        return self.sources[0]

    def source_of(self, evidence: str) -> str:
        """The record `evidence` was read from: the first text that holds it (a sentence of an
        abstract or comment) or that it quotes (a metadata URL); else the title's record."""
        holder = next((where for text, where in self.origins.items() if evidence in text), None)
        quoted = (where for text, where in self.origins.items() if text in evidence)
        return holder or next(quoted, self.source)

    def absorb(self, paper: Paper) -> None:
        """Fill what this record knows and the merged paper does not; keep the longest abstract."""
        self.arxiv_id = self.arxiv_id or paper.arxiv_id
        self.published = self.published or paper.published
        self.authors = self.authors or list(paper.authors)
        self.url = self.url or paper.url
        self.project_url = self.project_url or paper.project_url
        if len(paper.abstract) > len(self.abstract):
            self.abstract = paper.abstract
        for url in paper.code_urls:
            if url not in self.code_urls:
                self.code_urls.append(url)
        for text in paper.texts:
            if text not in self.texts:
                self.texts.append(text)
        where = str(paper.location)
        for text in (paper.abstract, *paper.texts, *paper.code_urls):
            if text:
                self.origins.setdefault(text, where)
        self.sources.append(where)

    def shed(self) -> None:
        """Drop the texts and metadata once the paper is extracted and assembled (a graph that
        keeps papers in a file holds them); the title and arXiv id stay, so links still find it."""
        self.abstract, self.published, self.url, self.project_url = "", None, None, None
        self.authors, self.code_urls, self.texts, self.sources, self.origins = [], [], [], [], {}


def title_key(title: str) -> str:
    """The de-duplication key of a title: its match key, or for a title with no Latin letters or
    digits (whose id is a hash of the text) the cleaned text itself."""
    return match_key(title) or clean(title)


class PaperIndex:
    """De-duplicates papers as they arrive; `add` says whether a record was new or merged."""

    def __init__(self) -> None:
        self._papers: list[MergedPaper] = []
        self._by_arxiv: dict[str, MergedPaper] = {}
        self._by_title: dict[str, MergedPaper] = {}

    def __len__(self) -> int:
        return len(self._papers)

    def __iter__(self) -> Iterator[MergedPaper]:
        return iter(self._papers)

    def find(self, arxiv_id: str | None, title: str | None) -> MergedPaper | None:
        return self._find(arxiv_id, title_key(title) if title else "")

    def _find(self, arxiv_id: str | None, key: str) -> MergedPaper | None:
        known = self.with_arxiv_id(arxiv_id) if arxiv_id else None
        if known is not None:
            return known
        known = self.first_with_title(key) if key else None
        if known is not None and (not arxiv_id or not known.arxiv_id or known.arxiv_id == arxiv_id):
            return known
        return None

    def with_arxiv_id(self, arxiv_id: str) -> MergedPaper | None:
        """The paper that has this arXiv id."""
        return self._by_arxiv.get(arxiv_id)

    def first_with_title(self, key: str) -> MergedPaper | None:
        """The first paper created with a title of this `title_key`."""
        return self._by_title.get(key)

    def add(self, paper: Paper) -> bool:
        """Add a record; True when it is a new paper, False when it merged into a known one."""
        key = title_key(paper.title)
        known = self._find(paper.arxiv_id, key)
        is_new = known is None
        if known is None:
            known = self._create(paper.title)
            if key:
                self._by_title.setdefault(key, known)
        known.absorb(paper)
        if known.arxiv_id:
            self._by_arxiv.setdefault(known.arxiv_id, known)
        return is_new

    def _create(self, title: str) -> MergedPaper:
        paper = MergedPaper(title=title)
        self._papers.append(paper)
        return paper

    def insert(self, paper: MergedPaper) -> None:
        """Add a paper merged elsewhere (read back from extraction records), in creation order."""
        self._papers.append(paper)
        if title_key(paper.title):
            self._by_title.setdefault(title_key(paper.title), paper)
        if paper.arxiv_id:
            self._by_arxiv.setdefault(paper.arxiv_id, paper)

    def find_link(self, link: CodeLink) -> MergedPaper | None:
        return self.find(link.arxiv_id, link.title)
