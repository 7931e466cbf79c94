"""Papers with Code archive JSON: `papers-with-abstracts` and `links-between-papers-and-code`."""

from __future__ import annotations

from collections.abc import Iterator

from kg.model import CodeLink, Location, Paper, Record, Reject
from kg.sources.arxiv_ids import normalise_arxiv_id
from kg.sources.files import InputFile
from kg.sources.jsonutil import as_items, author_names, load_document, text_field
from kg.text import clean

PAPERS = "pwc-papers"
LINKS = "pwc-links"


def _objects(source: InputFile) -> Iterator[tuple[Location, dict | None, str]]:
    for index, item in enumerate(as_items(load_document(source))):
        where = Location(source.name, index=index)
        if isinstance(item, dict):
            yield where, item, ""
        else:
            yield where, None, f"expected an object, found {type(item).__name__}"


def read_papers(source: InputFile) -> Iterator[Record]:
    for where, item, problem in _objects(source):
        if item is None:
            yield Reject(where, problem)
            continue
        title = text_field(item, "title")
        if not title:
            yield Reject(where, "no title")
            continue
        arxiv_id = normalise_arxiv_id(item.get("arxiv_id"))
        date = text_field(item, "date")
        yield Paper(
            title=clean(title),
            abstract=clean(text_field(item, "abstract") or ""),
            arxiv_id=arxiv_id,
            published=date[:10] if date else None,
            authors=author_names(item.get("authors")),
            url=text_field(item, "paper_url") or (f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id else None),
            location=where,
        )


def read_links(source: InputFile) -> Iterator[Record]:
    for where, item, problem in _objects(source):
        if item is None:
            yield Reject(where, problem)
            continue
        repo = text_field(item, "repo_url")
        arxiv_id = normalise_arxiv_id(item.get("paper_arxiv_id"))
        title = text_field(item, "paper_title")
        if not repo:
            yield Reject(where, "link without repo_url")
        elif not (arxiv_id or title):
            yield Reject(where, "link without paper_arxiv_id or paper_title")
        else:
            yield CodeLink(where, repo_url=repo, arxiv_id=arxiv_id, title=clean(title) if title else None)
