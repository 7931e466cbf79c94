"""One compiled pass (Hyperscan) over a document finds every cue the rules name and every shape
the extractors look for; components then read positions instead of running a regex per rule.

Cue patterns come from rules.toml and keep Python's meaning there: case-insensitive, whole words,
never right after a hyphen ("pre-trained" holds no cue "trained"). Hyperscan reports every match
(overlapping ones too) with its leftmost start; the text is scanned as ASCII with one `?` per
other character, so offsets are the text's own. Tracking starts costs Hyperscan time, so a cue
that is a literal word is scanned without it (its start is its end less its length), and a word's
first letters with any ending (`adapt\w*`) as that literal, its end then moved to the word's end."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import cast

import hyperscan

from kg.extract.lists import KnownSpans
from kg.extract.rules import rules

CASELESS = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SOM_LEFTMOST
CASED = hyperscan.HS_FLAG_SOM_LEFTMOST
CASELESS_ENDS = hyperscan.HS_FLAG_CASELESS
"""Case-insensitive, ends only: for cues of known width."""

FEATURE = "feature"
"""Where a token gets the shape of a name: an inner capital, two capitals, letters beside digits
(the shapes of `names.NAME_LIKE`, exactly)."""
ACRONYM = "acronym"
"""A parenthesised acronym "(ACR)"."""
DATASET_HEAD = "dataset-head"
"""A proper-name token then a dataset head noun: "HH dataset"."""
ODD_WORD = "odd-word"
"""A word with capitals inside ("BAlaNced"): perhaps one spelling out an acronym."""
ACRONYM_WORD = "acronym-word"
"""A word of three or more capitals and digits: "BANG", "GPT4"."""

_SHAPES: list[tuple[str, str, int]] = [
    (FEATURE, r"[a-z0-9][A-Z]|[A-Z]{2}|[0-9][A-Za-z]|[A-Za-z][0-9]|[A-Z][-.+/][A-Z0-9]|[0-9][-.+/]"
              r"|[A-Za-z][-.+/][0-9]|[-.+/][A-Z](?:[^a-z]|$)", CASED),
    (ACRONYM, r"\([A-Za-z0-9][A-Za-z0-9+.\-]*[A-Za-z0-9+]\)", CASED),
    (ODD_WORD, r"\b[A-Za-z]*[a-z][A-Z]|\b[A-Z]{2,}[a-z]", CASED),
    (ACRONYM_WORD, r"\b[A-Z][A-Z0-9]{2,}\b", CASED),
]


@dataclass(frozen=True)
class Cue:
    """One kind of thing to find: its name, Hyperscan expression and flags; `word` kinds keep
    the whole-word and not-after-a-hyphen rule of rules.toml. A cue of fixed `width` is scanned
    without start tracking; an `open_end` one is a word's first letters and runs to its end."""

    kind: str
    expression: str
    flags: int
    word: bool = False
    width: int = 0
    open_end: bool = False


def rule_groups() -> dict[str, list[str]]:
    """The cue patterns of rules.toml by kind (one kind per rule group), word lists escaped."""
    raw = rules().raw
    return {
        "own_work": [raw["own_work"]],
        "introduce_verbs": [_literal(v) for v in raw["introduce"]["verbs"]],
        "naming": [_literal(v) for v in raw["introduce"]["naming"]],
        "owned": [raw["introduce"]["owned"]],
        **{name: raw["models"][name] for name in ("builds_on_before", "builds_on_after", "mentions_before",
                                                  "mentions_after")},
        "train": raw["datasets"]["train"],
        "evaluate": raw["datasets"]["evaluate"],
        **{f"type:{label}": [_literal(w) for w in words] for label, words in raw["types"].items()},
    }


def cue_kinds() -> list[Cue]:
    """Every cue of rules.toml and the shapes above."""
    cues = [_word_cue(kind, pattern) for kind, patterns in rule_groups().items() for pattern in patterns]
    heads = "|".join(_literal(h) for h in rules().raw["datasets"]["unknown_heads"])
    cues.append(Cue(DATASET_HEAD, rf"[A-Za-z0-9][A-Za-z0-9.+/\-]* (?:{heads})\b", CASED))
    cues.extend(Cue(kind, expression, flags) for kind, expression, flags in _SHAPES)
    return cues


def _literal(word: str) -> str:
    return "".join(c if c.isalnum() or c == " " else "\\" + c for c in word)


_PLAIN = re.compile(r"(?:[A-Za-z0-9 ]|\\[^A-Za-z0-9 ])+")
"""A pattern that matches one fixed string: letters, digits, spaces and escaped signs."""
_OPEN = re.compile(r"(?P<prefix>.*[A-Za-z0-9])\\w\*")
"""A pattern for a word's first letters and any ending: "adapt\\w*"."""


def _word_cue(kind: str, pattern: str) -> Cue:
    """A whole-word cue of a rules.toml pattern, without start tracking where its width is known."""
    open_end = _OPEN.fullmatch(pattern)
    prefix = open_end.group("prefix") if open_end else pattern
    if not _PLAIN.fullmatch(prefix):
        return Cue(kind, rf"\b(?:{pattern})\b", CASELESS, word=True)
    width = len(re.sub(r"\\(.)", r"\1", prefix))
    if open_end:
        return Cue(kind, rf"\b(?:{prefix})", CASELESS_ENDS, word=True, width=width, open_end=True)
    return Cue(kind, rf"\b(?:{pattern})\b", CASELESS_ENDS, word=True, width=width)


@dataclass
class Compiled:
    """The Hyperscan database and, per pattern id, its cue."""

    database: hyperscan.Database
    cues: list[Cue]

    def __post_init__(self) -> None:
        self.kinds = [cue.kind for cue in self.cues]
        self.words = [cue.word for cue in self.cues]
        self.widths = [cue.width for cue in self.cues]
        self.open_ends = [cue.open_end for cue in self.cues]


@lru_cache(maxsize=1)
def compiled() -> Compiled:
    cues = cue_kinds()
    database = hyperscan.Database()
    database.compile(expressions=[c.expression.encode() for c in cues], ids=list(range(len(cues))),
                     elements=len(cues), flags=[c.flags for c in cues])
    return Compiled(database, cues)


@dataclass
class Events:
    """Where each kind of cue occurs in one text: (start, end) spans sorted by start."""

    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def of(self, kind: str) -> list[tuple[int, int]]:
        return self.spans.get(kind, [])

    def within(self, kind: str, start: int, end: int) -> list[tuple[int, int]]:
        """Spans of `kind` that lie inside [start, end)."""
        spans = self.spans.get(kind)
        if not spans:
            return []
        first = bisect.bisect_left(spans, (start, -1))
        last = bisect.bisect_left(spans, (end, -1), first)
        return [s for s in spans[first:last] if s[1] <= end]


FAR = 10_000


def before(events: Events, kind: str, lo: int, start: int, names: KnownSpans | None = None) -> int:
    """Characters from the end of the nearest `kind` cue that lies in [lo, start) to `start`; cues
    inside a name (`names`: "Locked-image Tuning" holds no cue "Tuning") do not count."""
    ends = [e for s, e in events.within(kind, lo, start) if names is None or not names.overlaps(s, e)]
    return start - max(ends) if ends else FAR


def after(events: Events, kind: str, end: int, hi: int, names: KnownSpans | None = None) -> int:
    """Characters from `end` to the start of the first `kind` cue that lies in [end, hi), outside
    any of `names`."""
    starts = [s for s, e in events.within(kind, end, hi) if names is None or not names.overlaps(s, e)]
    return starts[0] - end if starts else FAR


def nearest(events: Events, kind: str, lo: int, hi: int, start: int, end: int) -> int:
    """Characters between [start, end) and the closest `kind` cue in [lo, hi) outside it."""
    return min(before(events, kind, lo, start), after(events, kind, end, hi))


_WORD_REST = re.compile(rb"\w*")
"""The rest of a word, as Hyperscan's `\\w` reads the scanned bytes."""


class _Found:
    """The matches of one scan as (start, end, cue), each with the start and end its cue means."""

    def __init__(self, data: bytes, machine: Compiled) -> None:
        self.data = data
        self.widths = machine.widths
        self.open_ends = machine.open_ends
        self.spans: list[tuple[int, int, int]] = []

    def add(self, pattern: int, start: int, end: int, flags: int, context: object) -> None:
        """Hyperscan's report of one match."""
        width = self.widths[pattern]
        if width:
            start = end - width
            if self.open_ends[pattern]:
                end = cast("re.Match[bytes]", _WORD_REST.match(self.data, end)).end()
        self.spans.append((start, end, pattern))


def scan(text: str) -> Events:
    """Every cue in `text`, in one pass."""
    machine = compiled()
    data = text.encode("ascii", "replace")
    matches = _Found(data, machine)
    machine.database.scan(data, match_event_handler=matches.add)
    found = matches.spans
    found.sort()
    kinds, words = machine.kinds, machine.words
    spans: dict[str, list[tuple[int, int]]] = {}
    for start, end, pattern in found:
        if words[pattern] and start:
            before = text[start - 1]
            if before == "-" or before == "_" or before.isalnum():
                continue  # inside a word or a hyphenated compound
        kind = kinds[pattern]
        of_kind = spans.get(kind)
        if of_kind is None:
            spans[kind] = [(start, end)]
        elif of_kind[-1] != (start, end):  # in start order, a span found twice comes twice in a row
            of_kind.append((start, end))
    return Events(spans)
