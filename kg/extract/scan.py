"""One compiled pass (Hyperscan) over a document finds every cue the rules name and every shape
the extractors look for; components then read positions instead of running a regex per rule.

Cue patterns come from rules.toml and keep Python's meaning there: case-insensitive, whole words,
never right after a hyphen ("pre-trained" holds no cue "trained"). Hyperscan reports every match
(overlapping ones too) with its leftmost start; the text is scanned as ASCII with one `?` per
other character, so offsets are the text's own. Tracking starts costs Hyperscan time, so a cue
that spells a few fixed words (`pre-?train`, `tun(?:e|ed|ing)`) is scanned as those words without
it (a word's start is its end less its length, the leftmost kept where two end together), and a
word's first letters with any ending (`adapt\\w*`) as those letters, the end then moved to the
word's end, and a run of letters and digits before fixed words (`[a-z0-9]+-tuned`) as one letter or
digit and the words, the start then moved back over the run; a pattern of alternatives is scanned
as each of them. Shapes find their starts the same way, or from the word or name run they end."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Final

import hyperscan

from kg.extract.hs import Patterns
from kg.extract.lists import KnownSpans
from kg.extract.rules import rules

CASELESS = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SOM_LEFTMOST
CASED = hyperscan.HS_FLAG_SOM_LEFTMOST
CASELESS_ENDS = hyperscan.HS_FLAG_CASELESS
"""Case-insensitive, ends only: for cues whose start follows from the end."""
ENDS = 0
"""Case-sensitive, ends only."""

# where a match starts
TRACKED: Final = 0
"""As Hyperscan tracks it."""
FIXED: Final = 1
"""Its end less its width."""
OPEN: Final = 2
"""Its end less its width; the end then moves to the end of the word."""
WORD: Final = 3
"""Where the word that it ends starts."""
NAME_RUN: Final = 4
"""Where the run of name characters before its head (the last `width` characters) starts."""
ALNUM_RUN: Final = 5
"""Where the run of letters and digits before its head (the last `width` characters) starts."""

FEATURE = "feature"
"""Where a token gets the shape of a name: an inner capital, two capitals, letters beside digits
(the shapes of `names.NAME_LIKE`, exactly)."""
ACRONYM = "acronym"
"""A parenthesised acronym "(ACR)"."""
DATASET_HEAD = "dataset-head"
"""A proper-name token then a dataset head noun: "HH dataset"."""
ODD_WORD = "odd-word"
"""The two letters where a word's case turns oddly ("BAlaNced"): perhaps it spells out an acronym."""
ACRONYM_WORD = "acronym-word"
"""A word of three or more capitals and digits: "BANG", "GPT4"."""


@dataclass(frozen=True)
class Cue:
    """One kind of thing to find: its name, Hyperscan expression and flags, and where a match
    starts (`start`, with `width` when fixed); `word` kinds keep the whole-word and
    not-after-a-hyphen rule of rules.toml. `spells` is the rule pattern of a cue that is one of
    several words that pattern spells."""

    kind: str
    expression: str
    flags: int
    word: bool = False
    width: int = 0
    start: int = TRACKED
    spells: str = ""


_SHAPES = [
    Cue(FEATURE, r"[a-z0-9][A-Z]|[A-Z]{2}|[0-9][A-Za-z]|[A-Za-z][0-9]|[0-9][-.+/]|[-.+/][A-Z]$", ENDS, width=2,
        start=FIXED),
    Cue(FEATURE, r"[A-Z][-.+/][A-Z0-9]|[A-Za-z][-.+/][0-9]|[-.+/][A-Z][^a-z]", ENDS, width=3, start=FIXED),
    Cue(ACRONYM, r"\([A-Za-z0-9][A-Za-z0-9+.\-]*[A-Za-z0-9+]\)", CASED),
    Cue(ODD_WORD, r"\b[A-Za-z]*[a-z][A-Z]|\b[A-Z]{2,}[a-z]", ENDS, width=2, start=FIXED),
    Cue(ACRONYM_WORD, r"\b[A-Z][A-Z0-9]{2,}\b", ENDS, start=WORD),
]


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
        "negated_before": raw["methods"]["negated_before"],
        "evaluate": raw["datasets"]["evaluate"],
        **{f"type:{label}": [_literal(w) for w in words] for label, words in raw["types"].items()},
    }


def cue_kinds() -> list[Cue]:
    """Every cue of rules.toml and the shapes above."""
    cues = [cue for kind, patterns in rule_groups().items() for pattern in patterns
            for cue in _word_cues(kind, pattern)]
    cues.extend(Cue(DATASET_HEAD, rf" {_literal(head)}\b", ENDS, width=len(head) + 1, start=NAME_RUN)
                for head in rules().raw["datasets"]["unknown_heads"])
    cues.extend(_SHAPES)
    return cues


def _literal(word: str) -> str:
    return "".join(c if c.isalnum() or c == " " else "\\" + c for c in word)


_OPEN = re.compile(r"(?P<prefix>.+)\\w\*")
"""A pattern for a word's first letters and any ending: "adapt\\w*"."""
_RUN_LED = re.compile(r"\[a-z0-9\]\+(?P<joiner>-)(?P<words>.+)")
"""A pattern for a run of letters and digits, a hyphen and fixed words: "[a-z0-9]+-(?:trained|tuned)"."""


def _word_cues(kind: str, pattern: str) -> list[Cue]:
    """The whole-word cues of a rules.toml pattern, each scanned without start tracking where it can be:
    one per word it spells, where it spells a few fixed words (then perhaps any ending); one per
    word after a run of letters and digits; else one set per alternative (the leftmost of them
    ending at one place is kept, as one pattern keeps its leftmost start); else the pattern."""
    open_end = _OPEN.fullmatch(pattern)
    spellings = _spellings(open_end.group("prefix"), branches=False) if open_end else _spellings(pattern)
    if spellings is not None:
        start, tail = (OPEN, "") if open_end else (FIXED, r"\b")
        spells = pattern if len(spellings) > 1 else ""
        return [Cue(kind, rf"\b{_literal(s)}{tail}", CASELESS_ENDS, word=True, width=len(s), start=start,
                    spells=spells) for s in spellings]
    run_led = _RUN_LED.fullmatch(pattern)
    heads = _spellings(run_led.group("words")) if run_led else None
    if run_led and heads is not None:
        joined = [run_led.group("joiner") + head for head in heads]
        return [Cue(kind, rf"[a-z0-9]{_literal(h)}\b", CASELESS_ENDS, word=True, width=len(h), start=ALNUM_RUN,
                    spells=pattern if len(joined) > 1 else "") for h in joined]
    branches = _branches(pattern)
    if len(branches) > 1:
        return [replace(cue, spells=pattern) for branch in branches for cue in _word_cues(kind, branch)]
    return [Cue(kind, rf"\b(?:{pattern})\b", CASELESS, word=True)]


def _branches(pattern: str) -> list[str]:
    """The alternatives at the top level of `pattern`, or inside the group that is all of it:
    "(?:a|b(?:c|d))" gives "a" and "b(?:c|d)"."""
    top = [at for at, depth in _depths(pattern) if depth == 0]
    if pattern.startswith("(?:") and len(top) > 1 and top[1] == len(pattern) - 1:
        return _branches(pattern[3:-1])
    cuts = [at for at in top if pattern[at] == "|"]
    return [pattern[a + 1:b] for a, b in zip([-1, *cuts], [*cuts, len(pattern)], strict=True)]


def _depths(pattern: str) -> Iterator[tuple[int, int]]:
    """(offset, groups open around it) of each character of `pattern` outside escapes and classes;
    a group's parentheses count as outside it."""
    depth, at = 0, 0
    while at < len(pattern):
        char = pattern[at]
        if char == "\\":
            at += 2
            continue
        if char == "[":
            at = pattern.index("]", at + 2) + 1
            continue
        if char == ")":
            depth -= 1
        yield at, depth
        if char == "(":
            depth += 1
        at += 1


MOST_SPELLINGS = 32
"""Words one pattern may spell and still be scanned as words."""


class _NotFixed(ValueError):
    """A pattern that spells no small, fixed set of words."""


def _spellings(pattern: str, branches: bool = True) -> list[str] | None:
    """Every word `pattern` spells when it holds only characters that mean themselves, escaped signs,
    classes of letters (`[sz]`), groups (`(?:e|ed)`) and `?`, and each begins and ends with a letter
    or digit; else None. Without `branches`, a pattern of alternatives at its top level is none."""
    try:
        words, end = (_alternatives if branches else _sequence)(pattern, 0)
    except _NotFixed:
        return None
    if end < len(pattern) or not all(w[:1].isalnum() and w[-1:].isalnum() for w in words):
        return None
    return list(dict.fromkeys(words))


def _alternatives(pattern: str, at: int) -> tuple[list[str], int]:
    """The words of the branches from `at` to the end or the `)` that closes them."""
    words, end = _sequence(pattern, at)
    while end < len(pattern) and pattern[end] == "|":
        more, end = _sequence(pattern, end + 1)
        words += more
    return words, end


def _sequence(pattern: str, at: int) -> tuple[list[str], int]:
    """The words of one branch: its atoms, each perhaps optional, one after another."""
    words = [""]
    while at < len(pattern) and pattern[at] not in "|)":
        atom, at = _atom(pattern, at)
        if pattern[at:at + 1] == "?":
            atom, at = ["", *atom], at + 1
        words = [w + a for w in words for a in atom]
        if len(words) > MOST_SPELLINGS:
            raise _NotFixed(pattern)
    return words, at


_SPECIAL = frozenset(".^$*+?{}[]\\|()")
"""The characters that mean more than themselves in a regular expression."""


def _atom(pattern: str, at: int) -> tuple[list[str], int]:
    """The words of the character, class or group at `at`, and where it ends."""
    char = pattern[at]
    if char not in _SPECIAL:
        return [char], at + 1
    if char == "\\" and at + 1 < len(pattern) and not pattern[at + 1].isalnum():
        return [pattern[at + 1]], at + 2
    if char == "[" and (close := pattern.find("]", at)) > at + 1 and pattern[at + 1:close].isalnum():
        return list(pattern[at + 1:close]), close + 1
    if pattern.startswith("(?:", at):
        words, end = _alternatives(pattern, at + 3)
        if pattern[end:end + 1] == ")":
            return words, end + 1
    raise _NotFixed(pattern)


@dataclass
class Compiled:
    """The Hyperscan database and, per pattern id, its cue."""

    patterns: Patterns
    cues: list[Cue]

    def __post_init__(self) -> None:
        self.kinds = [cue.kind for cue in self.cues]
        self.words = [cue.word for cue in self.cues]
        self.widths = [cue.width for cue in self.cues]
        self.starts = [cue.start for cue in self.cues]
        first: dict[tuple[str, str], int] = {}
        self.groups = [first.setdefault((cue.kind, cue.spells), i) if cue.spells else -1
                       for i, cue in enumerate(self.cues)]
        """Per pattern, the first pattern of the rule pattern it spells a word of (-1: none)."""
        self.patterns.read_cues(self.starts, self.widths, self.words, self.groups, self.kinds)


@lru_cache(maxsize=1)
def compiled() -> Compiled:
    cues = cue_kinds()
    return Compiled(Patterns([c.expression.encode() for c in cues], list(range(len(cues))), [c.flags for c in cues]),
                    cues)


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


_ALNUM: Final = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_WORD_CHARS: Final = _ALNUM | frozenset(b"_")
"""What Hyperscan's `\\w` reads as a word character in the scanned bytes."""
_NAME_CHARS: Final = _ALNUM | frozenset(b".+/-")
"""The characters of a name before a dataset head (DATASET_HEAD's `[A-Za-z0-9.+/\\-]`)."""


def _run_start(data: bytes, end: int, chars: frozenset[int]) -> int:
    """Where the run of `chars` that ends at `end` starts."""
    start = end
    while start and data[start - 1] in chars:
        start -= 1
    return start


class _Found:
    """The matches of one scan, each with the start and end its cue means, kept as one integer
    (start, end and the match's number in fields wide enough for this text) so they sort as
    numbers, not tuples; mostly as numbers of one digit (under 2**30), which Python compares fastest.
    The order of matches with one start and end does not change what the scan keeps."""

    def __init__(self, data: bytes, machine: Compiled, found: list[int]) -> None:
        self.found = found
        """The scan's matches: pattern id, start and end of each, one after another."""
        self.end_bits = len(data).bit_length()
        self.number_bits = (len(found) // 3).bit_length()
        self.keys: list[int] = []
        widths, starts = machine.widths, machine.starts
        end_bits, number_bits = self.end_bits, self.number_bits
        for at in range(0, len(found), 3):
            pattern, start, end = found[at], found[at + 1], found[at + 2]
            how = starts[pattern]
            if how == FIXED:
                start = end - widths[pattern]
            elif how == OPEN:
                start = end - widths[pattern]
                while end < len(data) and data[end] in _WORD_CHARS:
                    end += 1
            elif how == WORD:
                start = _run_start(data, end, _WORD_CHARS)
            elif how == ALNUM_RUN:
                start = _run_start(data, end - widths[pattern], _ALNUM)
            elif how == NAME_RUN:
                head = end - widths[pattern]
                start = _run_start(data, head, _NAME_CHARS)
                while start < head and data[start] not in _ALNUM:
                    start += 1
                if start == head:
                    continue  # no name before the head
            self.keys.append((((start << end_bits) | end) << number_bits) | at // 3)


def scan(text: str) -> Events:
    """Every cue in `text`, in one pass."""
    machine = compiled()
    data = text.encode("ascii", "replace")
    read_in_c = machine.patterns.cues(data, text)
    if read_in_c is not None:  # the compiled build does all that follows in C
        return Events(read_in_c)
    matches = _Found(data, machine, machine.patterns.scan(data))
    keys, found = matches.keys, matches.found
    keys.sort()
    number_bits, end_bits = matches.number_bits, matches.end_bits
    number_mask, end_mask = (1 << number_bits) - 1, (1 << end_bits) - 1
    cue_bits = len(machine.cues).bit_length()
    kinds, words, groups = machine.kinds, machine.words, machine.groups
    spans: dict[str, list[tuple[int, int]]] = {}
    ended: set[int] = set()  # the end and group of each group word taken, as one integer
    for key in keys:
        pattern, where = found[3 * (key & number_mask)], key >> number_bits
        start, end = where >> end_bits, where & end_mask
        group = groups[pattern]
        if group >= 0:  # one of the words a rule pattern spells: the leftmost of those ending here
            mark = (end << cue_bits) | group
            if mark in ended:
                continue
            ended.add(mark)
        if words[pattern] and start:
            before = text[start - 1]
            if before == "-" or before == "_" or before.isalnum():
                continue  # inside a word or a hyphenated compound
        span, kind = (start, end), kinds[pattern]
        of_kind = spans.get(kind)
        if of_kind is None:
            spans[kind] = [span]
        elif of_kind[-1] != span:  # in start order, a span found twice comes twice in a row
            of_kind.append(span)
    return Events(spans)
