"""Paper identity: records of one paper (same arXiv id, or same normalised title) become one."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from kg.model import CodeLink, Paper, PaperFields
from kg.spill import SpilledList, spills
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
        if len(self.sources) == 1:  # read from one record, every text was
            return self.sources[0]
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
    """De-duplicates papers as they arrive; `add` says whether a record was new or merged.

    The merged papers are kept in memory, or (`spill`, by default from SPILL_AT papers, moved
    there when the index reaches that size) in a file, with only their keys in memory: a merge
    then reads the paper, absorbs the record and stores the paper again, and a lookup or iteration
    gives copies read from the file, in creation order either way."""

    def __init__(self, spill: bool | None = None) -> None:
        self._spill = spill
        self._papers: list[MergedPaper] | SpilledList[MergedPaper] = SpilledList() if spill else []
        self._by_arxiv: dict[str, int] = {}
        self._by_title: dict[str, int] = {}
        """Key -> position of the paper in creation order."""

    @property
    def spilled(self) -> bool:
        return isinstance(self._papers, SpilledList)

    def __len__(self) -> int:
        return len(self._papers)

    def __iter__(self) -> Iterator[MergedPaper]:
        return iter(self._papers)

    def find(self, arxiv_id: str | None, title: str | None) -> MergedPaper | None:
        return self._at(self._find(arxiv_id, title_key(title) if title else ""))

    def _find(self, arxiv_id: str | None, key: str) -> int | None:
        known = self._with_arxiv_id(arxiv_id) if arxiv_id else None
        if known is not None:
            return known
        known = self._first_with_title(key) if key else None
        if known is None or not arxiv_id:
            return known
        other = self._papers[known].arxiv_id
        return known if not other or other == arxiv_id else None

    def _at(self, position: int | None) -> MergedPaper | None:
        return self._papers[position] if position is not None else None

    def with_arxiv_id(self, arxiv_id: str) -> MergedPaper | None:
        """The paper that has this arXiv id."""
        return self._at(self._with_arxiv_id(arxiv_id))

    def first_with_title(self, key: str) -> MergedPaper | None:
        """The first paper created with a title of this `title_key`."""
        return self._at(self._first_with_title(key))

    def _with_arxiv_id(self, arxiv_id: str) -> int | None:
        return self._by_arxiv.get(arxiv_id)

    def _first_with_title(self, key: str) -> int | None:
        return self._by_title.get(key)

    def add(self, paper: Paper) -> bool:
        """Add a record; True when it is a new paper, False when it merged into a known one."""
        key = title_key(paper.title)
        position = self._find(paper.arxiv_id, key)
        known = MergedPaper(title=paper.title) if position is None else self._papers[position]
        known.absorb(paper)
        if position is None:
            self._create(known, key)
        else:
            self._papers[position] = known
            if known.arxiv_id:
                self._by_arxiv.setdefault(known.arxiv_id, position)
        return position is None

    def _create(self, paper: MergedPaper, key: str) -> None:
        """Add a paper that the index has just created, with its title's key."""
        self.insert(paper, key)

    def insert(self, paper: MergedPaper, key: str | None = None) -> None:
        """Add a paper as the newest (one merged elsewhere, read back from extraction records);
        `key` is its title's key when known."""
        position = len(self._papers)
        self._papers.append(paper)
        key = title_key(paper.title) if key is None else key
        if key:
            self._by_title.setdefault(key, position)
        if paper.arxiv_id:
            self._by_arxiv.setdefault(paper.arxiv_id, position)
        if not self.spilled and spills(len(self._papers), self._spill):
            self._papers = SpilledList(self._papers)

    def find_link(self, link: CodeLink) -> MergedPaper | None:
        return self.find(link.arxiv_id, link.title)
