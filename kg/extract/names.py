"""What looks like the proper name of an artifact ("BioBERT", "X-Decoder", "W2PGNN", "1.5-Pints")
rather than an ordinary word or a generic acronym."""

from __future__ import annotations

import re

from kg.extract.rules import rules

# one token of a name: letters/digits with inner hyphens, dots, slashes or pluses
NAME_TOKEN = r"[A-Za-z0-9][A-Za-z0-9]*(?:[-.+/][A-Za-z0-9]+)*\+*"
_TOKEN = re.compile(NAME_TOKEN)
_INNER_UPPER = re.compile(r"^.+[A-Z]")
_HAS_DIGIT = re.compile(r"\d")
_HAS_ALPHA = re.compile(r"[A-Za-z]")


def is_name_like(token: str) -> bool:
    """A single token that reads as a proper name: inner capitals, letters mixed with digits,
    or capitalised hyphen compounds; never a listed generic acronym or a plain word."""
    if not _TOKEN.fullmatch(token) or len(token) < 2 or not _HAS_ALPHA.search(token):
        return False
    if token.lower() in rules().not_names or token.rstrip("s").lower() in rules().not_names:
        return False
    if token.isupper() and len(token) <= 2:
        return False
    if _INNER_UPPER.match(token):
        return True
    if _HAS_DIGIT.search(token) and token[0].isupper():
        return True
    parts = re.split(r"[-.+/]", token)
    return len(parts) > 1 and all(p[:1].isupper() or p[:1].isdigit() for p in parts if p)
