"""Text normalisation shared by every stage: whitespace, titles, slugs and match keys; and where
a sign occurs in a text."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_CONTROL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
"""Control characters (tabs and line breaks excepted): dropped from text."""
_CONTROL = re.compile("[" + re.escape(_CONTROL_BYTES.decode("ascii")) + "]")
# lone surrogates (JSON escapes allow them, UTF-8 cannot encode them) and the noncharacters U+FFFE
# and U+FFFF (XML, so GraphML, cannot hold them): no text, whatever the input said
_NOT_TEXT = re.compile(r"[\ud800-\udfff\ufffe\uffff]")

MAX_SLUG = 120


def printable(text: str) -> str:
    """`text` without control characters (tabs and line breaks kept) and with U+FFFD for code
    points that are not text (lone surrogates, U+FFFE, U+FFFF): every output format can hold it."""
    if text.isascii():  # no code point that is not text; bytes delete controls far faster than a regex
        return text.encode("ascii").translate(None, _CONTROL_BYTES).decode("ascii")
    return _NOT_TEXT.sub("\ufffd", _CONTROL.sub("", text))


def clean(text: str | None) -> str:
    """Collapse whitespace (wrapped lines, tabs, NBSP) and drop control characters."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    return " ".join(printable(text).split())  # str.split's whitespace is the regex \s, and it strips


def fold(text: str) -> str:
    """Lower-case ASCII-ish form used for comparisons: NFKD, accents dropped, casefolded."""
    if text.isascii():  # NFKD changes no ASCII character and none is a combining mark
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=65536)
def slug(text: str) -> str:
    """A stable, lower-case, hyphenated id part; long values keep a hash suffix so they stay unique."""
    base = _NON_ALNUM.sub("-", fold(text)).strip("-")
    if not base:
        base = "x" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    if len(base) > MAX_SLUG:
        digest = hashlib.sha1(base.encode("utf-8")).hexdigest()[:8]
        base = base[: MAX_SLUG - 9].rstrip("-") + "-" + digest
    return base


_NOT_KEY_BYTES = bytes([c for c in range(128) if not (48 <= c <= 57 or 97 <= c <= 122)])
"""ASCII bytes other than digits and lower-case letters: what a match key drops."""


def match_key(text: str) -> str:
    """Name comparison key: lower case with punctuation and spaces removed (DESIGN.md eval rule)."""
    if text.isascii():  # deleting bytes is several times faster than the regex
        return text.lower().encode("ascii").translate(None, _NOT_KEY_BYTES).decode("ascii")
    return _NON_ALNUM.sub("", fold(text))


def paper_id(title: str, arxiv_id: str | None = None) -> str:
    """Paper node id: `paper:arxiv:<id>` when the arXiv id is known, else `paper:<title slug>`."""
    if arxiv_id:
        return f"paper:arxiv:{arxiv_id.lower()}"
    return f"paper:{slug(clean(title))}"


def occurrences(text: str, *signs: str) -> list[int]:
    """Where any of `signs` occurs in `text`, overlaps included, in order (found by `str.find`)."""
    found: list[int] = []
    for sign in signs:
        at = text.find(sign)
        while at >= 0:
            found.append(at)
            at = text.find(sign, at + 1)
    if len(signs) > 1:
        found.sort()
    return found


def lower_same_length(text: str) -> str:
    """Lower-case `text` keeping every character's offset (a few Unicode letters grow when lowered)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
