"""Sentence splitting for evidence: survives "e.g.", "i.e.", "et al.", "vs.", decimals, version
numbers and URLs, and the missing spaces of scraped abstracts ("assistant.Based on")."""

from __future__ import annotations

import re
from dataclasses import dataclass

ABBREVIATIONS = frozenset(
    "e.g i.e et al vs etc fig figs eq eqs cf approx resp sec no nos dr prof mr ms st jr sr inc ltd co "
    "corp viz al ca min max avg var est dept univ vol pp ref refs tab".split()
)
# a candidate boundary: end punctuation, optional closing quote/bracket, then space(s) and a capital,
# digit or opening quote; or punctuation glued to a capitalised word ("assistant.Based")
_BOUNDARY = re.compile(r"[.!?](?P<close>[\"')\]]*)(?:\s+(?=[A-Z0-9\"'(\[])|(?=[A-Z][a-z]{2,}\b))")
_URL = re.compile(r"(?:https?://|www\.)\S+|\b\w[\w.-]*\.(?:com|org|io|ai|net)/\S*", re.I)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def _is_abbreviation(text: str, dot: int) -> bool:
    word = _LAST_WORD.search(text, max(0, dot - 40), dot)
    if not word:
        return False
    token = word.group(1).lower().rstrip(".")
    return token in ABBREVIATIONS or len(token) == 1


def split(text: str) -> list[Sentence]:
    """Sentences of `text` with their character offsets."""
    protected = [m.span() for m in _URL.finditer(text)]
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
        if piece:
            offset = start + (len(text[start:end]) - len(text[start:end].lstrip()))
            sentences.append(Sentence(offset, offset + len(piece), piece))
        start = match.end()
    tail = text[start:].strip()
    if tail:
        offset = start + (len(text[start:]) - len(text[start:].lstrip()))
        sentences.append(Sentence(offset, offset + len(tail), tail))
    return sentences
