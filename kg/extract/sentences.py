"""Sentence splitting for evidence: survives "e.g.", "i.e.", "et al.", "vs.", decimals, version
numbers and URLs, and the missing spaces of scraped abstracts ("assistant.Based on")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

ABBREVIATIONS = frozenset(
    "e.g i.e et al vs etc fig figs eq eqs cf approx resp sec no nos dr prof mr ms st jr sr inc ltd co "
    "corp viz al ca min max avg var est dept univ vol pp ref refs tab".split()
)
# a candidate boundary: end punctuation, optional closing quote/bracket, then space(s) and a capital,
# digit or opening quote; or punctuation glued to a capitalised word ("assistant.Based")
_BOUNDARY = re.compile(r"[.!?](?P<close>[\"')\]]*)(?:\s+(?=[A-Z0-9\"'(\[])|(?=[A-Z][a-z]{2,}\b))")
# a host name is at most 253 characters (RFC 1035); bounding it keeps the search linear in the
# text when a long "a.a.a..." run is no URL (each start would otherwise scan to the end of the run)
_URL = re.compile(r"(?:https?://|www\.)\S+|\b\w[\w.-]{0,252}\.(?:com|org|io|ai|net)/\S*", re.I)

_URL_SIGNS = ("http", "www.", ".com/", ".org/", ".io/", ".ai/", ".net/")
"""What every match of _URL holds: texts without any are not searched."""

MAX_SENTENCE = 1_000
"""Characters in one sentence at most. Real sentences stay well under it; a longer run with no
sentence end (a table, a list, text scraped without punctuation) is cut at spaces, which keeps
evidence short and the cue search around each name linear in the length of the text."""
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def _bounded(offset: int, text: str) -> Iterator[Sentence]:
    """`text` (stripped, at `offset`) as one sentence, or in pieces of at most MAX_SENTENCE
    characters, cut at the last space within the limit (mid-word when there is none)."""
    while len(text) > MAX_SENTENCE:
        spaces = list(_SPACE.finditer(text, 1, MAX_SENTENCE + 1))
        cut, resume = (spaces[-1].start(), spaces[-1].end()) if spaces else (MAX_SENTENCE, MAX_SENTENCE)
        yield Sentence(offset, offset + cut, text[:cut])
        rest = text[resume:]
        offset += resume + len(rest) - len(rest.lstrip())
        text = rest.lstrip()
    if text:
        yield Sentence(offset, offset + len(text), text)


_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def _is_abbreviation(text: str, dot: int) -> bool:
    word = _LAST_WORD.search(text, max(0, dot - 40), dot)
    if not word:
        return False
    token = word.group(1).lower().rstrip(".")
    return token in ABBREVIATIONS or len(token) == 1


def split(text: str) -> list[Sentence]:
    """Sentences of `text` with their character offsets."""
    lowered = text.lower()
    protected = [m.span() for m in _URL.finditer(text)] if any(s in lowered for s in _URL_SIGNS) else []
    sentences: list[Sentence] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        dot = match.start()
        if any(a <= dot < b - 1 for a, b in protected):
            continue
        ends_url = any(dot == b - 1 for _, b in protected)
        if text[dot] == "." and not ends_url and _is_abbreviation(text, dot):
            continue
        end = match.end("close")
        piece = text[start:end].strip()
        offset = start + (len(text[start:end]) - len(text[start:end].lstrip()))
        sentences.extend(_bounded(offset, piece))
        start = match.end()
    tail = text[start:].strip()
    offset = start + (len(text[start:]) - len(text[start:].lstrip()))
    sentences.extend(_bounded(offset, tail))
    return sentences
