"""Sentence splitting for evidence: survives "e.g.", "i.e.", "et al.", "vs.", decimals, version
numbers and URLs, and the missing spaces of scraped abstracts ("assistant.Based on")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from kg.extract.links import url_spans
from kg.text import occurrences

ABBREVIATIONS = frozenset(
    "e.g i.e a.k.a et al vs etc fig figs eq eqs cf approx resp sec no nos dr prof mr ms st jr sr inc ltd co "
    "corp viz al ca min max avg var est dept univ vol pp ref refs tab".split()
)
# a candidate boundary: end punctuation, optional closing quote/bracket, then space(s) and a capital,
# digit or opening quote; or punctuation glued to a capitalised word ("assistant.Based")
_BOUNDARY = re.compile(r"[.!?](?P<close>[\"')\]]*)(?:\s+(?=[A-Z0-9\"'(\[])|(?=[A-Z][a-z]{2,}\b))")
MAX_SENTENCE = 1_000
"""Characters in one sentence at most. Real sentences stay well under it; a longer run with no
sentence end (a table, a list, text scraped without punctuation) is cut at spaces, which keeps
evidence short and the cue search around each name linear in the length of the text."""
_SPACE = re.compile(r"\s+")


@dataclass(slots=True)
class Sentence:
    """A sentence of a text and where it lies."""

    start: int
    end: int
    text: str

    def __init__(self, start: int, end: int, text: str) -> None:
        # written out so that the compiled build runs it natively (dataclasses make __init__ at run time)
        self.start, self.end, self.text = start, end, text


def _bounded(sentences: list[Sentence], offset: int, text: str) -> None:
    """Add `text` (stripped, at `offset`) as one sentence, or in pieces of at most MAX_SENTENCE
    characters, cut at the last space within the limit (mid-word when there is none)."""
    while len(text) > MAX_SENTENCE:
        spaces = list(_SPACE.finditer(text, 1, MAX_SENTENCE + 1))
        cut, resume = (spaces[-1].start(), spaces[-1].end()) if spaces else (MAX_SENTENCE, MAX_SENTENCE)
        sentences.append(Sentence(offset, offset + cut, text[:cut]))
        rest = text[resume:]
        offset += resume + len(rest) - len(rest.lstrip())
        text = rest.lstrip()
    if text:
        sentences.append(Sentence(offset, offset + len(text), text))


_WORD_CHARS: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz."
"""What the word before a dot is written in: ASCII letters and dots ("e.g", "U.S")."""


def _is_abbreviation(text: str, dot: int) -> bool:
    """The word before the dot at `dot` ("e.g", "al", "Fig", "U.S": from its first letter, within
    the 40 characters after the last space) is an abbreviation or one letter."""
    floor = dot - 40 if dot > 40 else 0
    space = text.rfind(" ", floor, dot)
    lo = space + 1 if space >= 0 else floor
    start = dot
    while start > lo and text[start - 1] in _WORD_CHARS:
        start -= 1
    while start < dot and text[start] == ".":
        start += 1
    if start == dot:
        return False
    token = text[start:dot].lower().rstrip(".")
    return token in ABBREVIATIONS or len(token) == 1


def split(text: str, offset: int = 0, protected: list[tuple[int, int]] | None = None) -> list[Sentence]:
    """Sentences of `text` with their character offsets, counted from `offset`; `protected` are
    the web addresses in `text` (found here when not given)."""
    protected = url_spans(text) if protected is None else protected
    sentences: list[Sentence] = []
    start = 0
    for match in _boundaries(text):
        dot = match.start()
        ends_url = False
        if protected:
            if any(a <= dot < b - 1 for a, b in protected):
                continue
            ends_url = any(dot == b - 1 for _, b in protected)
        if text[dot] == "." and not ends_url and _is_abbreviation(text, dot):
            continue
        _add(sentences, text, start, match.end("close"), offset)
        start = match.end()
    _add(sentences, text, start, len(text), offset)
    return sentences


def _boundaries(text: str) -> list[re.Match[str]]:
    """The matches of _BOUNDARY in `text`, as `finditer` gives them: tried at each end mark found by
    `str.find`, half the time of the regex's own search for its first character (7.3 against 14.6
    µs an abstract, pure Python). No match can hold another end mark, so none is skipped."""
    return [match for at in occurrences(text, ".", "!", "?") if (match := _BOUNDARY.match(text, at)) is not None]


def _add(sentences: list[Sentence], text: str, start: int, end: int, offset: int) -> None:
    """The sentence text[start:end], stripped, at `offset` plus its position."""
    piece = text[start:end]
    body = piece.lstrip()
    at = offset + start + len(piece) - len(body)
    _bounded(sentences, at, body.rstrip())
