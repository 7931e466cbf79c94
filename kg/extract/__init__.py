"""Extractors: pure functions from a paper's text to mentions. `extract_paper` runs them all."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kg.extract import repos
from kg.extract.document import Document
from kg.extract.links import find_links
from kg.model import Mention
from kg.resolve.papers import MergedPaper

Component = Callable[[Document], Iterable[Mention]]

COMPONENTS: list[Component] = [repos.extract]


@dataclass
class Extraction:
    """What the extractors found for one paper: mentions, and links that become paper properties."""

    mentions: list[Mention] = field(default_factory=list)
    project_url: str | None = None
    links: list[str] = field(default_factory=list)


def document_for(paper: MergedPaper) -> Document:
    body = " ".join(t for t in (paper.abstract, *paper.texts) if t)
    return Document(paper_id=paper.id, title=paper.title, body=body, metadata_code_urls=list(paper.code_urls))


def extract_paper(paper: MergedPaper) -> Extraction:
    doc = document_for(paper)
    mentions = [mention for component in COMPONENTS for mention in component(doc)]
    found = find_links(doc.text)
    return Extraction(
        mentions=mentions,
        project_url=paper.project_url or (found.project_pages[0] if found.project_pages else None),
        links=found.short_links + found.project_pages[1:],
    )
