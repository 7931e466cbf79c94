"""arXiv metadata snapshot: JSON Lines, streamed line by line (the snapshot is gigabytes)."""

from __future__ import annotations

from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from typing import Any

from kg.model import Location, Paper, Record, Reject
from kg.sources.arxiv_ids import normalise_arxiv_id
from kg.sources.files import InputError, InputFile
from kg.sources.jsonutil import author_names, parse, text_field
from kg.sources.limits import usable_title
from kg.text import clean

NAME = "arxiv-jsonl"


def read(source: InputFile) -> Iterator[Record]:
    for number, raw in enumerate(source.lines(), 1):
        if not raw.strip():
            continue
        where = Location(source.name, number)
        try:
            item = parse(raw.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            yield Reject(where, f"invalid UTF-8 at byte {exc.start} of the line")
            continue
        except InputError as exc:
            yield Reject(where, str(exc))
            continue
        if not isinstance(item, dict):
            yield Reject(where, f"expected an object, found {type(item).__name__}")
            continue
        yield to_paper(item, where)


def _first_version_date(versions: Any) -> str | None:
    if isinstance(versions, list) and versions and isinstance(versions[0], dict):
        created = versions[0].get("created")
        if isinstance(created, str):
            try:
                return parsedate_to_datetime(created).date().isoformat()
            except (TypeError, ValueError):
                return None
    return None


def to_paper(item: dict[str, Any], where: Location) -> Paper | Reject:
    abstract = text_field(item, "abstract") or ""
    comments = text_field(item, "comments")
    title, problem = usable_title(text_field(item, "title") or "", abstract, comments)
    if problem:
        return Reject(where, problem)
    arxiv_id = normalise_arxiv_id(item.get("id"))
    update = text_field(item, "update_date")
    return Paper(
        title=title,
        abstract=clean(abstract),
        arxiv_id=arxiv_id,
        published=_first_version_date(item.get("versions")) or (update[:10] if update else None),
        authors=author_names(item.get("authors")),
        url=f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id else None,
        texts=[clean(comments)] if comments else [],
        location=where,
    )
