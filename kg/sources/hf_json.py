"""Hugging Face papers API JSON: daily-papers items, flat search results, or one paper object."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kg.model import Location, Paper, Record, Reject
from kg.sources.arxiv_ids import normalise_arxiv_id
from kg.sources.files import InputFile
from kg.sources.jsonutil import as_items, author_names, load_document, text_field
from kg.text import clean

NAME = "hf-json"


def read(source: InputFile) -> Iterator[Record]:
    for index, item in enumerate(as_items(load_document(source))):
        where = Location(source.name, index=index)
        if not isinstance(item, dict):
            yield Reject(where, f"expected an object, found {type(item).__name__}")
            continue
        paper = item.get("paper") if isinstance(item.get("paper"), dict) else item
        yield to_paper(paper, item, where)


def to_paper(paper: dict[str, Any], outer: dict[str, Any], where: Location) -> Paper | Reject:
    title = text_field(paper, "title") or text_field(outer, "title")
    if not title:
        return Reject(where, "no title")
    arxiv_id = normalise_arxiv_id(paper.get("id"))
    repo = text_field(paper, "githubRepo") or text_field(outer, "githubRepo")
    code = []
    if repo:
        code.append(repo if "://" in repo or repo.startswith(("github.com", "www.")) else f"https://github.com/{repo}")
    published = text_field(paper, "publishedAt") or text_field(outer, "publishedAt")
    return Paper(
        title=clean(title),
        abstract=clean(text_field(paper, "summary", "abstract") or text_field(outer, "summary") or ""),
        arxiv_id=arxiv_id,
        published=published[:10] if published else None,
        authors=author_names(paper.get("authors")),
        url=f"https://huggingface.co/papers/{arxiv_id}" if arxiv_id else None,
        code_urls=code,
        project_url=text_field(paper, "projectPage") or text_field(outer, "projectPage"),
        location=where,
    )
