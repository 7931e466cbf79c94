"""Hugging Face papers page text dumps: a page header, then blank-line separated title and
abstract blocks (the format of the sample listings)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.model import Location, Notice, Paper, Record, Reject
from kg.sources.files import InputFile, decode
from kg.sources.limits import oversized
from kg.text import clean

NAME = "hf-text"

HEADER_LINES = frozenset(
    {
        "new",
        "get trending papers in your email inbox!",
        "subscribe",
        "byak and the research community",
    }
)
_DATE_LINE = re.compile(r"^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}(, \d{4})?$", re.I)
_SENTENCE_BREAK = re.compile(r"[.!?][\"')\]]? +[A-Z]")

# A title is one short line; an abstract is prose. Real abstracts run to hundreds of characters,
# titles rarely pass 250.
MAX_TITLE = 300
MIN_PROSE = 120


def _blocks(text: str) -> Iterator[tuple[int, str]]:
    """Blank-line separated blocks with the line number each starts on."""
    start = 0
    lines: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            if not lines:
                start = number
            lines.append(line.strip())
        elif lines:
            yield start, " ".join(lines)
            lines = []
    if lines:
        yield start, " ".join(lines)


def is_header(block: str) -> bool:
    low = block.strip().lower()
    return low in HEADER_LINES or bool(_DATE_LINE.match(low))


def is_abstract(block: str) -> bool:
    """Prose rather than a title: long, or several sentences."""
    return len(block) > MAX_TITLE or (len(block) >= MIN_PROSE and bool(_SENTENCE_BREAK.search(block)))


def looks_like(text: str) -> bool:
    """A papers page dump: some block is a header line or an abstract (a CSV table or a log is not)."""
    return any(is_header(block) or is_abstract(block) for _, block in _blocks(text))


def read(source: InputFile) -> Iterator[Record]:
    text = decode(source.raw())
    in_header = True
    pending: tuple[int, str] | None = None
    for line, block in _blocks(text):
        if not is_abstract(block) and not clean(block):
            continue  # control characters only: a blank line to a reader
        if in_header and is_header(block):
            continue
        in_header = False
        where = Location(source.name, line)
        if is_abstract(block):
            if pending is None:
                yield Reject(where, "abstract without a title before it")
                continue
            yield _paired(source.name, pending, block)
            pending = None
        else:
            if pending is not None:
                yield from _title_only(source.name, pending)
            pending = (line, block)
    if pending is not None:
        yield from _title_only(source.name, pending)


def _paired(name: str, title: tuple[int, str], abstract: str) -> Paper | Reject:
    """The paper of a title block and the abstract block after it, unless they are too large."""
    where = Location(name, title[0])
    too_large = oversized(title[1], abstract)
    if too_large:
        return Reject(where, too_large)
    return Paper(title=clean(title[1]), abstract=clean(abstract), location=where)


def _title_only(name: str, pending: tuple[int, str]) -> Iterator[Record]:
    where = Location(name, pending[0])
    yield Notice(where, "title without an abstract (paper kept)")
    yield Paper(title=clean(pending[1]), location=where)
