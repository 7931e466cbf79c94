"""Hostile and broken input, made by the tests in a temporary folder (nothing opaque is committed):
files a stranger could hand `kg build`, each with what the product must do with it; the checks
every record a reader yields must pass; and the settings of the fuzzing tests."""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings

from kg.model import CodeLink, Notice, Paper, Record, Reject
from kg.sources.limits import MAX_TEXT, MAX_TITLE
from kg.text import printable

from .conftest import FIXTURES

FUZZ = settings(
    max_examples=100 if os.environ.get("CI") else 150,
    deadline=timedelta(seconds=5),  # far above the milliseconds an example takes: a guard against a hang
    suppress_health_check=[HealthCheck.too_slow],
)
"""Settings of every fuzzing test: enough examples to find a crash, few enough for the suite's budget."""

ATOM = '<feed xmlns="http://www.w3.org/2005/Atom">{}</feed>'
ENTRY = "<entry><id>http://arxiv.org/abs/{id}</id><title>{title}</title><summary>{summary}</summary></entry>"
SECRET = "papers-kg-xxe-canary-5f0c"
"""Written into a file that the XXE cases point at: it must appear in no output."""
SECRET_PATH = "/@secret-path@"
"""Stands for that file's path in CASES: the folder is known only when the files are written."""
DEEP = 100_000
XINCLUDE = "http://www.w3.org/2001/XInclude"
"""Nesting depth of the deeply nested cases: far past Python's recursion limit."""


@dataclass(frozen=True)
class Case:
    """One hostile file and the outcome expected for it: papers kept (None: some, the count
    depending on where a cut falls) and the start of each reject reason, in order."""

    path: Path
    kept: int | None
    rejects: tuple[str, ...] = ()


def _feed(*entries: str, prolog: str = "") -> bytes:
    return (prolog + ATOM.format("".join(entries))).encode()


def _entry(title: str, summary: str = "We fine-tune BERT.", arxiv_id: str = "2101.00001") -> str:
    return ENTRY.format(id=arxiv_id, title=title, summary=summary)


def _jsonl(*items: object) -> bytes:
    return b"".join(json.dumps(item).encode() + b"\n" for item in items)


def _snapshot(n: int) -> dict[str, str]:
    return {"id": f"2101.{n:05d}", "title": f"Paper Number {n}", "abstract": "We fine-tune BERT on GLUE.",
            "update_date": "2021-01-09"}


def _padded(n: int) -> dict[str, str]:
    """A snapshot line of 40 KB, in a field no reader uses: two fill what format detection reads."""
    return {**_snapshot(n), "padding": "x" * 40_000}


def _listing() -> str:
    return (FIXTURES / "hf_messy.txt").read_text("utf-8")


def _cut(data: bytes) -> bytes:
    return data[: len(data) * 9 // 10]


def _billion_laughs() -> bytes:
    entities = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    return _feed(_entry("&lol9;"), prolog=f'<?xml version="1.0"?><!DOCTYPE feed [{entities}]>')


NUL_LINE = b'{"id": "2101.99999", "title": "A\x00B"}\n'
LONG_TITLE = "A " + "Very " * 2_000 + "Long Title"
"""A 10,012-character title (an abstract or a whole page in the title field)."""
TITLE_AT_LIMIT = ("Long But Acceptable Title " * 40)[:MAX_TITLE].strip()
ESCAPED = (
    '[{"paper": {"id": "2101.00001", "title": "Nul\\u0000 and bell\\u0007 and \\ud800 lone surrogate \\uffff",'
    ' "summary": "We fine-tune CLIP\\u0000 on ImageNet \\udfff.", "authors": [{"name": "A\\u0000B"}, "C\\u0007D"],'
    ' "githubRepo": "owner\\u0001/repo", "publishedAt": "\\u00002021-01-01"}}]'
)
"""JSON whose escapes are valid but spell characters no output can hold (NUL, surrogates, U+FFFF)."""


def _cases() -> dict[str, tuple[bytes, int | None, tuple[str, ...]]]:
    """name -> (content, papers kept, reject reasons), SECRET_PATH standing for the canary file's path."""
    listing = _listing()
    daily = (FIXTURES / "hf_daily_papers.json").read_text("utf-8")
    first, last = _jsonl(_snapshot(1)), _jsonl(_snapshot(3))
    latin1_line = json.dumps({"id": "2101.00002", "title": "Über"}, ensure_ascii=False).encode("latin-1") + b"\n"
    nested = b'{"title": "T", "x": ' + b"[" * DEEP + b"]" * DEEP + b"}"
    huge_number = b'{"title": "T", "n": ' + b"7" * 5_000 + b"}"
    snapshots = _jsonl(_padded(1), _padded(2), *(_snapshot(n) for n in range(3, 100)))
    runs = " ".join(("a-" * 2_000, "x." * 2_000, "y" * 5_000, "CLIP " * 1_000))
    refused, big = ("unsafe XML refused (DTDForbidden",), "x" * 2_000
    secret = SECRET_PATH
    return {
        # NUL bytes and binary data; a NUL within the first 64 KiB (what format detection reads)
        # makes the file binary, a later one in a line-based format spoils that line only
        "nul-bytes.txt": (listing.encode()[:600] + b"\x00" + listing.encode()[600:], 0, ("binary file",)),
        "nul-in-a-line.jsonl": (first + NUL_LINE + last, 0, ("binary file",)),
        "nul-in-a-late-line.jsonl": (_jsonl(_padded(1), _padded(2)) + NUL_LINE + last, 3, ("invalid JSON at column",)),
        "random-bytes.bin": (bytes((i * 7919 + 13) % 251 for i in range(20_000)), 0, ("binary file",)),
        # mixed encodings
        "mixed-encodings.txt": (listing.encode() + "\n\nÜber Modelle\n\nÜber große Modelle. ".encode("latin-1") * 3,
                                0, ("invalid UTF-8 at byte",)),
        "mixed-encodings.jsonl": (first + latin1_line + last, 2, ("invalid UTF-8 at byte",)),
        # UTF-16 and UTF-32: decoded with a byte order mark, refused with the reason without one
        "utf16-le-bom.txt": (listing.encode("utf-16"), 4, ("abstract without a title",)),
        "utf16-be-bom.json": (b"\xfe\xff" + daily.encode("utf-16-be"), 3, ()),
        "utf32-bom.json": (daily.encode("utf-32"), 3, ()),
        "utf16-no-bom.txt": (listing.encode("utf-16-le"), 0, ("UTF-16 without a byte order mark",)),
        # truncated gzip: nothing of a whole-document format, the lines before the cut of a line format
        "truncated.txt.gz": (gzip.compress(listing.encode())[:200], 0, ("compressed data is truncated or corrupt",)),
        "truncated.jsonl.gz": (_cut(gzip.compress(snapshots)), None, ("compressed data is truncated or corrupt",)),
        # deep nesting: a clean reject, not a RecursionError; XML elements are not nested recursively
        "deep.json": (b"[" + nested + b"]", 0, ("JSON nested too deeply",)),
        "deep.jsonl": (first + nested + b"\n" + last, 2, ("JSON nested too deeply",)),
        "deep.xml": (_feed(_entry("Deep Markup <b>" + "<i>" * DEEP + "x" + "</i>" * DEEP + "</b>")), 1, ()),
        # over-long fields: rejected by the documented limits, before any work is spent on them
        "long-title.json": (json.dumps([{"title": LONG_TITLE, "summary": "A paper."},
                                        {"title": TITLE_AT_LIMIT, "summary": "We fine-tune BERT."}]).encode(),
                            1, (f"title of {len(LONG_TITLE):,} characters is over the limit of {MAX_TITLE:,}",)),
        "long-abstract.jsonl": (_jsonl({**_snapshot(1), "abstract": "We fine-tune CLIP. " * 2_000}, _snapshot(2)), 1,
                                (f"abstract and other text of 38,000 characters is over the limit of {MAX_TEXT:,}",)),
        # numbers Python refuses to convert; characters no output can hold; titles with nothing in
        # them (in the text dump, a blank line: the abstract after it is an orphan, not a paper
        # with an empty title)
        "huge-number.json": (b"[" + huge_number + b"]", 0, ("JSON number over 4300 digits",)),
        "huge-number.jsonl": (first + huge_number + b"\n", 1, ("JSON number over 4300 digits",)),
        "escapes.json": (ESCAPED.encode(), 1, ()),
        "invisible-title.json": (b'[{"title": "\\u0008\\u0007 "}, {"title": "Kept"}]', 1, ("no title",)),
        "invisible-title.txt": (b"Subscribe\n\n\x08\x07\n\n" + listing.split("\n\n\n\n", 1)[1].encode(), 4,
                                ("abstract without a title before it",)),
        # XML: entity expansion and external entities are refused unparsed; so are encodings expat
        # cannot use; XInclude is never processed
        "billion-laughs.xml": (_billion_laughs(), 0, refused),
        "quadratic-blowup.xml": (_feed(_entry("&big;" * 50_000), prolog=f'<!DOCTYPE feed [<!ENTITY big "{big}">]>'),
                                 0, refused),
        "xxe-file.xml": (_feed(_entry("&xxe;"), prolog=f'<!DOCTYPE feed [<!ENTITY xxe SYSTEM "file://{secret}">]>'),
                         0, refused),
        "xxe-parameter.xml": (_feed(_entry("T"), prolog=f'<!DOCTYPE feed [<!ENTITY % p SYSTEM "file://{secret}">%p;]>'),
                              0, refused),
        "xxe-external-dtd.xml": (_feed(_entry("T"), prolog='<!DOCTYPE feed SYSTEM "http://127.0.0.1:9/evil.dtd">'),
                                 0, refused),
        "xinclude.xml": (_feed(_entry(f'Included <xi:include xmlns:xi="{XINCLUDE}" href="{secret}" parse="text"/>')),
                         1, ()),
        "unknown-encoding.xml": (b'<?xml version="1.0" encoding="x-unknown"?>' + _feed(_entry("T")), 0,
                                 ("malformed XML: unknown encoding",)),
        "multibyte-encoding.xml": (b'<?xml version="1.0" encoding="shift_jis"?>' + _feed(_entry("T")), 0,
                                   ("malformed XML: multi-byte encodings are not supported",)),
        # fields that took the regular expressions quadratic time (an id of letters, runs of names)
        "slow-patterns.json": (json.dumps([{"title": "Runs Of Names", "id": "a" * 200_000, "summary": runs}]).encode(),
                               1, ()),
    }


CASES = _cases()
"""Every hostile file but the 50 MB ones (see `one_line_file`)."""


def hostile_corpus(folder: Path) -> dict[str, Case]:
    """Write every file of CASES into `folder`, and the canary file the XXE cases point at beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    secret = folder.parent / "secret.txt"
    secret.write_text(SECRET + "\n")
    corpus = {}
    for name, (data, kept, reasons) in CASES.items():
        path = folder / name
        path.write_bytes(data.replace(SECRET_PATH.encode(), str(secret).encode()))
        corpus[name] = Case(path, kept, reasons)
    return corpus


ONE_LINE_SIZE = 50 * 1024 * 1024
"""Characters in the line of the single-line files: 50 MB."""
ONE_LINE = ("one-line.txt", "title-then-one-line.txt", "one-line.json", "then-one-line.jsonl")
"""Files of one 50 MB line (in JSON Lines, after a short one: detection must see a whole line)."""


def one_line_file(folder: Path, name: str) -> Case:
    """Write the single-line file `name` (one of ONE_LINE, 50 MB on disk) into `folder`."""
    words = "word " * (ONE_LINE_SIZE // 5 - 1) + "word"
    over = f"abstract and other text of {len(words):,} characters is over the limit of {MAX_TEXT:,}"
    make: dict[str, Callable[[], tuple[bytes, int, tuple[str, ...]]]] = {
        "one-line.txt": lambda: (words.encode(), 0, ("abstract without a title before it",)),
        "title-then-one-line.txt": lambda: (b"A Real Title\n\n" + words.encode(), 0, (over,)),
        "then-one-line.jsonl": lambda: (_jsonl(_snapshot(1), {"title": "T", "abstract": words}), 1, (over,)),
        "one-line.json": lambda: (json.dumps([{"title": "T", "summary": words}, {"title": "Kept"}]).encode(), 1,
                                  (over,)),
    }
    data, kept, reasons = make[name]()
    path = folder / name
    path.write_bytes(data)
    return Case(path, kept, reasons)


def check_records(records: list[Record]) -> None:
    """What every reader promises whatever the input: only records (never an exception), a whole-
    file reject last if at all, one-line reasons, papers within the limits and printable text."""
    assert all(isinstance(r, (Paper, CodeLink, Reject, Notice)) for r in records), records
    whole = [i for i, r in enumerate(records) if isinstance(r, Reject) and r.whole_file]
    assert whole in ([], [len(records) - 1]), records
    for record in records:
        if isinstance(record, Reject):
            assert record.reason and "\n" not in record.reason, record
        if isinstance(record, Paper):
            assert record.title and len(record.title) <= MAX_TITLE, record.title[:80]
            assert len(record.abstract) + sum(len(t) for t in record.texts) <= MAX_TEXT
            for text in (record.title, record.abstract, *record.texts, *record.authors, record.url or "",
                         record.project_url or "", record.published or "", *record.code_urls):
                assert printable(text) == text, text
        if isinstance(record, CodeLink):
            assert all(printable(t) == t for t in (record.repo_url, record.title or ""))
