"""Papers with Code archive JSON: `papers-with-abstracts` and `links-between-papers-and-code`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kg.model import CodeLink, Location, Paper, Record, Reject
from kg.sources.arxiv_ids import normalise_arxiv_id
from kg.sources.files import InputFile
from kg.sources.jsonutil import author_names, read_objects, text_field
from kg.sources.limits import oversized, usable_title
from kg.text import clean

PAPERS = "pwc-papers"
LINKS = "pwc-links"


def read_papers(source: InputFile) -> Iterator[Record]:
    return read_objects(source, _paper)


def read_links(source: InputFile) -> Iterator[Record]:
    return read_objects(source, _link)


def _paper(item: dict[str, Any], where: Location) -> Record:
    abstract = text_field(item, "abstract") or ""
    title, problem = usable_title(text_field(item, "title") or "", abstract)
    if problem:
        return Reject(where, problem)
    arxiv_id = normalise_arxiv_id(item.get("arxiv_id"))
    date = text_field(item, "date")
    return Paper(
        title=title,
        abstract=clean(abstract),
        arxiv_id=arxiv_id,
        published=date[:10] if date else None,
        authors=author_names(item.get("authors")),
        url=text_field(item, "paper_url") or (f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id else None),
        location=where,
    )


def _link(item: dict[str, Any], where: Location) -> Record:
    repo = text_field(item, "repo_url")
    arxiv_id = normalise_arxiv_id(item.get("paper_arxiv_id"))
    title = text_field(item, "paper_title")
    if not repo:
        return Reject(where, "link without repo_url")
    if not (arxiv_id or title):
        return Reject(where, "link without paper_arxiv_id or paper_title")
    too_large = oversized(title or "")
    if too_large:
        return Reject(where, f"paper_title: {too_large}")
    return CodeLink(where, repo_url=repo, arxiv_id=arxiv_id, title=clean(title) if title else None)
