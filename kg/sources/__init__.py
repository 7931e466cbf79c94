"""Readers: one module per input format, each streaming records from one input file.

`read_inputs` expands the inputs, detects each file's format from its content (or takes the one
forced), and yields every record; a file that cannot be read becomes a whole-file Reject.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from kg.model import Location, Notice, Record, Reject
from kg.sources import arxiv_atom, arxiv_jsonl, hf_json, hf_text, pwc
from kg.sources.files import InputError, InputFile, Mapper, decode, expand
from kg.sources.jsonutil import parse

Reader = Callable[[InputFile], Iterator[Record]]


class ParallelReader(Protocol):
    """A reader that parses its records through `mapper`."""

    def __call__(self, source: InputFile, mapper: Mapper = map) -> Iterator[Record]: ...


READERS: dict[str, Reader] = {
    hf_text.NAME: hf_text.read,
    hf_json.NAME: hf_json.read,
    arxiv_atom.NAME: arxiv_atom.read,
    pwc.PAPERS: pwc.read_papers,
    pwc.LINKS: pwc.read_links,
}
"""Readers that parse their records themselves."""

PARALLEL: dict[str, ParallelReader] = {arxiv_jsonl.NAME: arxiv_jsonl.read}
"""Readers that parse their records through a mapper (a worker pool's map): the formats of bulk dumps."""

FORMATS: tuple[str, ...] = (*READERS, *PARALLEL)

_KEY = re.compile(r'"(\w+)"\s*:')
ARXIV_SNAPSHOT_KEYS = frozenset({"abstract", "update_date", "versions", "categories"})


def detect(head: bytes) -> str:
    """The format of a file from its first bytes; raises InputError when it is none we read."""
    text = decode(head, strict=False).lstrip()
    if not text:
        raise InputError("empty file")
    if text.startswith("<"):
        if "<feed" in text[:4096]:
            return arxiv_atom.NAME
        raise InputError("XML that is not an Atom feed")
    if text.startswith(("[", "{")):
        return _detect_json(text)
    if hf_text.looks_like(text):
        return hf_text.NAME
    raise InputError("unknown format: text with neither a papers page header nor an abstract")


def _detect_json(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    if first_line.startswith("{"):
        try:
            first = parse(first_line)
        except InputError:
            first = None
        rest = text[len(first_line):].lstrip()
        if isinstance(first, dict) and (len(ARXIV_SNAPSHOT_KEYS & first.keys()) >= 2 or rest.startswith("{")):
            return arxiv_jsonl.NAME
    keys = set(_KEY.findall(text[:65536]))
    if "repo_url" in keys:
        return pwc.LINKS
    if "paper_url" in keys:
        return pwc.PAPERS
    if keys & {"paper", "summary", "githubRepo", "publishedAt", "title"}:
        return hf_json.NAME
    raise InputError("JSON with no known paper fields (title/summary/abstract)")


@dataclass
class Reading:
    """One input file being read: its name, the format used (None when undetectable), its records."""

    name: str
    format: str | None
    records: Iterator[Record]


def _guarded(source: InputFile, reader: Reader) -> Iterator[Record]:
    """The reader's records; a failure part-way becomes a whole-file Reject after what was read."""
    where = Location(source.name)
    count = 0
    try:
        for record in reader(source):
            count += 1
            yield record
    except InputError as exc:
        yield Reject(Location(source.name, exc.line), str(exc), whole_file=True)
        return
    except (OSError, MemoryError, RecursionError) as exc:
        yield Reject(where, f"cannot read: {exc}", whole_file=True)
        return
    if count == 0:
        yield Notice(where, "no records in this file")


def read_file(source: InputFile, fmt: str | None = None, mapper: Mapper = map) -> Reading:
    """Open one file with the forced format, or the one detected from its content; `mapper` parses
    the records of a PARALLEL format."""
    where = Location(source.name)
    try:
        fmt = fmt or detect(source.head())
    except InputError as exc:
        return Reading(source.name, None, iter([Reject(where, str(exc), whole_file=True)]))
    except OSError as exc:
        return Reading(source.name, None, iter([Reject(where, f"cannot read: {exc}", whole_file=True)]))
    reader = partial(PARALLEL[fmt], mapper=mapper) if fmt in PARALLEL else READERS[fmt]
    return Reading(source.name, fmt, _guarded(source, reader))


def read_inputs(inputs: Iterable[str], fmt: str | None = None, mapper: Mapper = map) -> Iterator[Reading]:
    """A Reading for every input file; a missing path gives a Reading with one Reject. `mapper`
    parses the records of a PARALLEL format (a worker pool's map spreads them over its workers)."""
    for item in expand(inputs):
        if isinstance(item, str):
            yield Reading(item, None, iter([Reject(Location(item), "no such file or directory", whole_file=True)]))
        else:
            yield read_file(item, fmt, mapper)
