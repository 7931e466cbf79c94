"""What looks like the proper name of an artifact ("BioBERT", "X-Decoder", "W2PGNN", "1.5-Pints")
rather than an ordinary word or a generic acronym."""

from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.rules import rules

# one token of a name: letters/digits with inner hyphens, dots, slashes or pluses
NAME_TOKEN = r"[A-Za-z0-9][A-Za-z0-9]*(?:[-.+/][A-Za-z0-9]+)*\+*"
# a position where a name token starts rather than continues: searching a long run of letters or
# "a-a-a-..." for NAME_TOKEN plus a following word then tries each run once, not once per
# character (which is quadratic); a token found from inside a run would be found from its start
NAME_START = r"(?<![A-Za-z0-9])(?<![A-Za-z0-9][-.+/])"
_TOKEN = re.compile(NAME_TOKEN)
NAME_LIKE = re.compile(r"(?<![\w.+/-])(?=[\w.+/-]*?(?:[a-z0-9][A-Z]|[A-Z]{2}|\d[A-Za-z]|[A-Za-z]\d|[A-Z][-.+/][A-Z0-9]|\d[-.+/]|[A-Za-z][-.+/]\d|[-.+/][A-Z](?![a-z])))"
                       + NAME_TOKEN)
"""Tokens with an inner capital, two capitals, or letters and digits: the only ones `is_name_like`
can accept, found in one pass of compiled code instead of testing every word."""
_INNER_UPPER = re.compile(r"^.+[A-Z]")
_HAS_DIGIT = re.compile(r"\d")
_HAS_ALPHA = re.compile(r"[A-Za-z]")


def is_name_like(token: str) -> bool:
    """A single token that reads as a proper name: inner capitals, letters mixed with digits,
    or capitalised hyphen compounds; never a listed generic acronym or a plain word."""
    if token.isalpha() and (token.islower() or token.istitle()):
        return False
    if not _TOKEN.fullmatch(token) or len(token) < 2 or not _HAS_ALPHA.search(token):
        return False
    if token.lower() in rules().not_names or token.rstrip("s").lower() in rules().not_names:
        return False
    if token.isupper() and len(token) <= 2:
        return False
    parts = [p for p in re.split(r"[-.+/]", token) if p]
    if any(_INNER_UPPER.match(p) for p in parts):
        return True
    if _HAS_DIGIT.search(token) and (token[0].isupper() or token[0].isdigit()):
        return True
    # "X-Decoder": a compound with a one-letter or acronym part; "Multi-Modal" is not a name
    return len(parts) > 1 and all(p[:1].isupper() or p[:1].isdigit() for p in parts) and any(
        p.isupper() or p.isdigit() for p in parts)


_SIZE = re.compile(r"^\d+(?:\.\d+)?[BMKT]$")
_URLISH = re.compile(r"(?:https?:|www\.|\.(?:com|org|io|ms|co|ai|net)\b|/)", re.I)


def is_plural_of_name(token: str) -> bool:
    """"LLMs", "INRs", "GFlowNets": a name in the plural names a kind, not one artifact."""
    return len(token) > 2 and token.endswith("s") and token[-2].isupper()


_ODD_WORD = re.compile(r"\b[A-Za-z]*[a-z][A-Z][A-Za-z]*|\b[A-Z]{2,}[a-z][A-Za-z]*")
_ACRONYM_WORD = re.compile(r"\b[A-Z][A-Z0-9]{2,}\b")
_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")


@lru_cache(maxsize=8)
def acronym_spellers(text: str) -> frozenset[str]:
    """Words that spell out an acronym of the text through odd capitals ("BAlaNced averaGing"
    for BANG): they highlight letters, they are not names."""
    if not _ODD_WORD.search(text):
        return frozenset()
    acronyms = set(_ACRONYM_WORD.findall(text))
    if not acronyms:
        return frozenset()
    words = _WORD.findall(text)
    capitals: dict[int, str] = {}

    def capitals_of(j: int) -> str:
        if j not in capitals:
            capitals[j] = "".join(c for c in words[j] if c.isupper())
        return capitals[j]

    spellers: set[str] = set()
    for i, word in enumerate(words):
        if word.isupper() or word.istitle() or word.islower():
            continue
        for first in range(max(0, i - 5), i + 1):
            letters = ""
            for j in range(first, min(first + 6, len(words))):
                letters += capitals_of(j)
                if j >= i and letters in acronyms and j > first:
                    spellers.update(w for w in words[first:j + 1] if not (w.isupper() or w.istitle() or w.islower()))
                    break
    return frozenset(spellers)


def is_candidate_name(token: str) -> bool:
    """A name-like token that can be a new artifact's name: not a size, a URL or a plural."""
    return is_name_like(token) and not _SIZE.match(token) and not _URLISH.search(token) and not is_plural_of_name(token)
