"""arXiv metadata snapshot: JSON Lines, streamed in runs of lines (the snapshot is gigabytes) that
a worker pool can parse side by side."""

from __future__ import annotations

from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from functools import partial
from typing import Any

from kg.batched import batched
from kg.model import Location, Paper, Record, Reject
from kg.sources.arxiv_ids import normalise_arxiv_id
from kg.sources.files import InputError, InputFile, Mapper, decode_line
from kg.sources.jsonutil import author_names, parse, text_field
from kg.sources.limits import usable_title
from kg.text import clean

NAME = "arxiv-jsonl"


LINES_PER_TASK = 512
"""Lines a worker parses per task when a pool reads the file."""


def read(source: InputFile, mapper: Mapper = map) -> Iterator[Record]:
    """The file's records in line order. `mapper` (an ordered map, such as a worker pool's) parses
    runs of lines: the snapshot is read here and parsed on every core. An error reading the file (a
    truncated gzip) comes after the records of the lines before it."""
    for records in mapper(partial(_parse_run, source.name), _runs(source.lines())):
        yield from records


def _runs(lines: Iterator[bytes]) -> Iterator[tuple[int, list[bytes]]]:
    """The lines in runs of LINES_PER_TASK, each with the number of its first line; an error
    reading them is raised after the run of the lines read before it."""
    for index, run in enumerate(batched(lines, LINES_PER_TASK)):
        yield 1 + index * LINES_PER_TASK, run


def _parse_run(name: str, run: tuple[int, list[bytes]]) -> list[Record]:
    """The records of a run of lines of the file `name` (blank lines hold none)."""
    first, lines = run
    return [_parse_line(Location(name, number), raw) for number, raw in enumerate(lines, first) if raw.strip()]


def _parse_line(where: Location, raw: bytes) -> Record:
    try:
        item = parse(decode_line(raw))
    except UnicodeDecodeError as exc:
        return Reject(where, f"invalid UTF-8 at byte {exc.start} of the line")
    except InputError as exc:
        return Reject(where, str(exc))
    if not isinstance(item, dict):
        return Reject(where, f"expected an object, found {type(item).__name__}")
    return to_paper(item, where)


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
