"""arXiv metadata snapshot: JSON Lines, streamed in runs of lines (the snapshot is gigabytes) that
a worker pool can parse side by side."""

from __future__ import annotations

from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from typing import Any

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
    the lines in chunks: the snapshot is read here and parsed on every core. An error reading the
    file (a truncated gzip) is raised after the records of the lines before it."""
    chunks = _Chunks(source)
    for records in mapper(_parse_lines, chunks):
        yield from records
    if chunks.error is not None:
        raise chunks.error


class _Chunks:
    """The file's lines in runs of LINES_PER_TASK, as (file name, number of the first line, lines);
    an error reading them ends the runs and is kept in `error`, so the runs before it still go
    through the mapper."""

    def __init__(self, source: InputFile) -> None:
        self.source = source
        self.error: Exception | None = None

    def __iter__(self) -> Iterator[tuple[str, int, list[bytes]]]:
        name, first, lines = self.source.name, 1, []
        try:
            for raw in self.source.lines():
                lines.append(raw)
                if len(lines) == LINES_PER_TASK:
                    yield name, first, lines
                    first, lines = first + LINES_PER_TASK, []
        except Exception as exc:  # raised by `read` once the lines read are parsed
            self.error = exc
        if lines:
            yield name, first, lines


def _parse_lines(chunk: tuple[str, int, list[bytes]]) -> list[Record]:
    """The records of a run of lines (blank lines hold none)."""
    name, first, lines = chunk
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
