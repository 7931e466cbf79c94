"""Curated names (models, datasets, methods) from the data files, compiled into one literal
database (Hyperscan) that finds every spelling in a text in a single pass."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from kg.extract.hs import Patterns
from kg.schema import DATASET, ID_PREFIX, METHOD, MODEL
from kg.text import slug

DATA_FILES: dict[str, str] = {MODEL: "models.tsv", DATASET: "datasets.tsv", METHOD: "methods.tsv"}
EXACT = "="
INSIDE_CACHE = 65_536
"""Names whose `spells_inside` answer is kept (names recur across papers; the cache stays bounded)."""
_SEPARATORS = re.compile(r"[\s\-_]+")
_LETTER_DIGIT = re.compile(r"(?<=[a-z])[ -](?=\d)|(?<=\d)[ -](?=[a-z])")


class GazetteerError(ValueError):
    """A data file row that breaks the format; the message names the file and line."""


@dataclass(frozen=True)
class Entry:
    """One curated thing: its canonical name, label, spellings and the cue words that pick it
    when another entry shares a spelling."""

    label: str
    name: str
    aliases: tuple[str, ...] = ()
    exact: frozenset[str] = frozenset()
    """Spellings that only match with exactly this case (the lower-case form is an ordinary word)."""
    family: str = ""
    kind: str = ""
    context: tuple[str, ...] = ()
    id: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", ID_PREFIX[self.label] + slug(self.name))

    def __hash__(self) -> int:  # the label and name identify an entry; hashing every field is costly
        return hash((self.label, self.name))

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@lru_cache(maxsize=65536)
def spelling_variants(spelling: str) -> frozenset[str]:
    """The lower-case forms one spelling is found under: hyphens vs spaces, "Llama 2" vs "Llama2"."""
    low = spelling.lower()
    spaced = _SEPARATORS.sub(" ", low).strip()
    variants = {low, spaced, spaced.replace(" ", "-"), _LETTER_DIGIT.sub("", spaced)}
    return frozenset(v for v in variants if v)


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def _rows(label: str, text: str, file: str) -> Iterator[Entry]:
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    for number, row in enumerate(reader, 2):
        if None in row or not (row.get("name") or "").strip():
            raise GazetteerError(f"{file}: row {number}: wrong number of columns or no name")
        spellings = _split(row.get("aliases") or "")
        exact = {s[1:] for s in spellings if s.startswith(EXACT)}
        name = row["name"].strip()
        aliases = tuple(dict.fromkeys([s.lstrip(EXACT) for s in spellings if s.lstrip(EXACT) != name]))
        yield Entry(
            label=label,
            name=name,
            aliases=aliases,
            exact=frozenset(exact),
            family=(row.get("family") or "").strip(),
            kind=(row.get("kind") or "").strip(),
            context=tuple(c.lower() for c in _split(row.get("context") or "")),
        )


@lru_cache(maxsize=1)
def curated_entries() -> tuple[Entry, ...]:
    """Every entry of the packaged data files."""
    folder = resources.files("kg.extract") / "data"
    entries: list[Entry] = []
    for label, file in DATA_FILES.items():
        entries.extend(_rows(label, (folder / file).read_text(encoding="utf-8"), file))
    return tuple(entries)


def _part(name: str, start: int, end: int) -> bool:
    """[start, end) is a whole part of `name`: each side is the name's edge, a hyphen, a digit, or a
    capital that starts a part ("Tiny|CLIP", "GPT|Neo", "DenseNet|201", "NAS-|BERT"), not letters
    inside a word ("LLaMA|fy", "MultiModa|lit|y")."""
    def starts_part(at: int) -> bool:
        left, right, next_ = name[at - 1:at] if at else "", name[at:at + 1], name[at + 1:at + 2]
        return not left.isalpha() or not right.isalpha() or (right.isupper() and (left.islower() or next_.islower()))
    return starts_part(start) and starts_part(end)


@dataclass
class Gazetteer:
    """Entries indexed by every lower-case spelling variant, with a literal database over them."""

    entries: list[Entry] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_spelling: dict[str, list[Entry]] = {}
        self.by_id: dict[str, Entry] = {}
        for entry in self.entries:
            self.by_id.setdefault(entry.id, entry)
            for spelling in entry.spellings:
                for variant in spelling_variants(spelling):
                    bucket = self.by_spelling.setdefault(variant, [])
                    if entry not in bucket:
                        bucket.append(entry)
        self.labels: dict[str, tuple[str, ...]] = {
            spelling: tuple(dict.fromkeys([e.label for e in bucket])) for spelling, bucket in self.by_spelling.items()}
        """The labels of the entries under each spelling."""
        self._inside: dict[tuple[str, str], bool] = {}
        self._anywhere = _Literals(self.by_spelling, _as_scanned)
        self._words = _Literals(self.by_spelling, _as_word, _WORD_END)

    def scan(self, lowered: str) -> list[tuple[int, int, str]]:
        """(start, end, spelling) of every spelling found in an already lower-cased text, in
        order of end."""
        return self._anywhere.find(lowered, lowered.encode("ascii", "replace"), 0)

    def scan_words(self, lowered: str) -> list[tuple[int, int, str]]:
        """As `scan`, but only spellings that start a word (not "vit" in "activity") and end one, or
        go on with a version ("squad" in "squadv2", not in "squads")."""
        return self._words.find(lowered, b" " + lowered.encode("ascii", "replace").translate(_WORDS_ONLY) + b" ", 1)

    def spells_inside(self, name: str, label: str) -> bool:
        """`name` holds a curated spelling of `label` inside it, not as the whole name:
        "TinyCLIP", "BioBERT", "NAS-BERT" hold a model."""
        key = (name, label)
        if key not in self._inside:
            if len(self._inside) >= INSIDE_CACHE:
                self._inside.clear()
            self._inside[key] = self._spells_inside(name, label)
        return self._inside[key]

    def _spells_inside(self, name: str, label: str) -> bool:
        lowered = name.lower()
        return any(
            entry.label == label
            for start, end, spelling in self.scan(lowered)
            if end - start >= 3 and (start, end) != (0, len(lowered)) and _part(name, start, end)
            for entry in self.by_spelling[spelling]
        )

    def lookup(self, name: str) -> list[Entry]:
        """Entries one name could refer to (any spelling variant)."""
        found: list[Entry] = []
        for variant in spelling_variants(name):
            for entry in self.by_spelling.get(variant, []):
                if entry not in found:
                    found.append(entry)
        return found


_WORDS_ONLY = bytes([c if 48 <= c <= 57 or 97 <= c <= 122 else 32 for c in range(256)])
"""Bytes of lower-cased text with everything but letters and digits made a space."""


_WORD_END = (b" ", b"v")
"""What follows a whole word in word-start scanning: a space, or a "v" that may start a version."""


def _as_scanned(spelling: str) -> bytes:
    """A spelling as the text is scanned: ASCII, one "?" per other character."""
    return spelling.encode("ascii", "replace")


def _as_word(spelling: str) -> bytes:
    """A spelling as word-start scanning sees it: letters and digits, a space for anything else,
    after a space when it starts with a letter or digit (so it only matches where a word starts)."""
    key = _as_scanned(spelling).translate(_WORDS_ONLY)
    return b" " + key if spelling[:1].isalnum() else key


class _Literals:
    """A Hyperscan literal database over spellings under a key; spellings that share a key are
    told apart by the text. A key counts only where one of `followers` (all of one length) comes
    after it in the data."""

    def __init__(self, spellings: Iterable[str], key: Callable[[str], bytes],
                 followers: tuple[bytes, ...] = (b"",)) -> None:
        groups: dict[bytes, list[str]] = {}
        for spelling in spellings:
            groups.setdefault(key(spelling), []).append(spelling)
        self.groups = list(groups.values())
        # a key that can only come from its one spelling needs no check against the text
        self.exact = [len(g) == 1 and (key(g[0]) == g[0].encode() or (g[0].isascii() and g[0].isalnum()))
                      for g in self.groups]
        self.follower = len(followers[0])
        expressions = [re.escape((k + f).decode()).encode() for f in followers for k in groups]
        self.patterns = (Patterns(expressions, list(range(len(groups))) * len(followers), [0] * len(expressions))
                         if groups else None)

    def find(self, lowered: str, data: bytes, shift: int) -> list[tuple[int, int, str]]:
        """(start, end, spelling) in `lowered` of each key found in `data` (`lowered` as keyed,
        with `shift` characters put before it and a follower's length after it)."""
        if self.patterns is None:
            return []
        matches = self.patterns.scan(data)
        found = []
        shift += self.follower
        for at in range(0, len(matches), 3):
            pattern, end = matches[at], matches[at + 2] - shift
            group = self.groups[pattern]
            if self.exact[pattern]:
                found.append((end - len(group[0]), end, group[0]))
            else:
                found.extend((end - len(s), end, s) for s in group if lowered[end - len(s):end] == s)
        return found


@lru_cache(maxsize=1)
def curated() -> Gazetteer:
    """The gazetteer of the packaged data files, built once per process."""
    return Gazetteer(list(curated_entries()))
