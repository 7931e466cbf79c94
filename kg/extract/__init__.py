"""Extractors: pure functions from a paper's text to mentions. `extract_paper` runs them in order:
introduced names first (so they are not also read as uses), then models, datasets, methods,
repositories, and lineage over what they found."""

from __future__ import annotations

import gc
from dataclasses import dataclass, field

from kg.extract import datasets, introduces, lineage, matcher, methods, models, repos
from kg.extract.document import Document
from kg.extract.gazetteer import curated
from kg.extract.links import find_links
from kg.extract.scan import compiled
from kg.model import Mention
from kg.resolve.papers import MergedPaper


@dataclass
class Extraction:
    """What the extractors found for one paper: mentions, and links that become paper properties."""

    mentions: list[Mention] = field(default_factory=list)
    project_url: str | None = None
    links: list[str] = field(default_factory=list)

    def __reduce__(self) -> tuple[type[Extraction], tuple[list[Mention], str | None, list[str]]]:
        """Pickled as its fields, like `Mention`."""
        return Extraction, (self.mentions, self.project_url, self.links)


def prepare() -> None:
    """Load the curated names and compile the scans now rather than on the first paper, then
    freeze what is loaded out of the garbage collector's way (it lives as long as the process,
    and forked workers then share it without copying)."""
    curated()
    compiled()
    gc.freeze()


def document_for(paper: MergedPaper) -> Document:
    body = " ".join(t for t in (paper.abstract, *paper.texts) if t)
    return Document(title=paper.title, body=body, metadata_code_urls=list(paper.code_urls))


def extract_document(doc: Document) -> list[Mention]:
    """Every mention in one document."""
    introduced = introduces.extract(doc)
    ids = {m.id for m in introduced}
    found = matcher.find(doc)
    mentions = introduced + models.extract(doc, found, ids) + datasets.extract(doc, found, ids)
    mentions += methods.extract(doc, found, ids) + list(repos.extract(doc))
    return mentions + lineage.extract(doc, mentions)


def extract_paper(paper: MergedPaper) -> Extraction:
    doc = document_for(paper)
    found = find_links(doc.text, doc.lowered)
    project_url = paper.project_url or (found.project_pages[0] if found.project_pages else None)
    return Extraction(
        mentions=extract_document(doc),
        project_url=project_url,
        links=found.short_links + [url for url in found.project_pages if not _same_page(url, project_url)],
    )


def _same_page(url: str, other: str | None) -> bool:
    return other is not None and url.rstrip("/") == other.rstrip("/")
