"""Hugging Face papers API JSON: daily-papers items, flat search results, or one paper object."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kg.model import Location, Paper, Record, Reject
from kg.sources.arxiv_ids import normalise_arxiv_id
from kg.sources.files import InputFile
from kg.sources.jsonutil import author_names, read_objects, text_field
from kg.sources.limits import usable_title
from kg.text import clean

NAME = "hf-json"


def read(source: InputFile) -> Iterator[Record]:
    return read_objects(source, to_paper)


def to_paper(outer: dict[str, Any], where: Location) -> Paper | Reject:
    """A daily-papers item (the paper under "paper") or a flat paper object."""
    paper = outer["paper"] if isinstance(outer.get("paper"), dict) else outer
    abstract = text_field(paper, "summary", "abstract") or text_field(outer, "summary") or ""
    title, problem = usable_title(text_field(paper, "title") or text_field(outer, "title") or "", abstract)
    if problem:
        return Reject(where, problem)
    arxiv_id = normalise_arxiv_id(paper.get("id"))
    repo = text_field(paper, "githubRepo") or text_field(outer, "githubRepo")
    code = []
    if repo:
        code.append(repo if "://" in repo or repo.startswith(("github.com", "www.")) else f"https://github.com/{repo}")
    published = text_field(paper, "publishedAt") or text_field(outer, "publishedAt")
    return Paper(
        title=title,
        abstract=clean(abstract),
        arxiv_id=arxiv_id,
        published=published[:10] if published else None,
        authors=author_names(paper.get("authors")),
        url=f"https://huggingface.co/papers/{arxiv_id}" if arxiv_id else None,
        code_urls=code,
        project_url=text_field(paper, "projectPage") or text_field(outer, "projectPage"),
        location=where,
    )
