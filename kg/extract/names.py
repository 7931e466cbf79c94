"""What looks like the proper name of an artifact ("BioBERT", "X-Decoder", "W2PGNN", "1.5-Pints")
rather than an ordinary word or a generic acronym."""

from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.rules import rules
from kg.extract.scan import FEATURE, Events

# one token of a name: letters/digits with inner hyphens, dots, slashes or pluses
NAME_TOKEN = r"[A-Za-z0-9][A-Za-z0-9]*(?:[-.+/][A-Za-z0-9]+)*\+*"
# a position where a name token starts rather than continues: searching a long run of letters or
# "a-a-a-..." for NAME_TOKEN plus a following word then tries each run once, not once per
# character (which is quadratic); a token found from inside a run would be found from its start
NAME_START = r"(?<![A-Za-z0-9])(?<![A-Za-z0-9][-.+/])"
_TOKEN = re.compile(NAME_TOKEN)
NAME_LIKE = re.compile(r"(?<![\w.+/-])(?=[\w.+/-]*?(?:[a-z0-9][A-Z]|[A-Z]{2}|\d[A-Za-z]|[A-Za-z]\d"
                       r"|[A-Z][-.+/][A-Z0-9]|\d[-.+/]|[A-Za-z][-.+/]\d|[-.+/][A-Z](?![a-z])))" + NAME_TOKEN)
"""Tokens with an inner capital, two capitals, or letters and digits: the only ones `is_name_like`
can accept, found in one pass of compiled code instead of testing every word."""
_INNER_UPPER = re.compile(r"^.+[A-Z]")
_HAS_DIGIT = re.compile(r"\d")
_HAS_ALPHA = re.compile(r"[A-Za-z]")


@lru_cache(maxsize=65536)
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


_SIZE = re.compile(r"^\d+(?:\.\d+)?(?:[BMKTbkms]|[KMGTP]B|ms|x)$")
"""A number with a unit: "7B", "11.6k", "23s", "10x"."""
_QUANTITY = re.compile(r"^\d+(?:\.\d+)?[A-Za-z]?-[a-z]+$")
"""A number (with a unit) and a word: "4-bit", "0.4B-parameter"."""
_WORD_LED = re.compile(r"^[a-z]{2,}[-.+/]")
_URLISH = re.compile(r"(?:https?:|www\.|\.(?:com|org|io|ms|co|ai|net)\b|/)", re.I)


def is_plural_of_name(token: str) -> bool:
    """"LLMs", "INRs", "GFlowNets": a name in the plural names a kind, not one artifact."""
    return len(token) > 2 and token.endswith("s") and token[-2].isupper()


_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")
_JOINERS = "_.+/-"
"""Besides letters and digits, the characters of a run of name tokens ("GPT-4o_mini", "ViT-B/16")."""


def name_like_tokens(text: str, events: Events) -> list[tuple[int, str]]:
    """(offset, token) of every NAME_LIKE match in `text`. Only a run of token characters that
    holds a name feature (found by the scan) can hold one, so only those runs are matched, from
    their start: the feature is NAME_LIKE's lookahead, already satisfied there. A run is a few
    characters, walked one by one (a regular expression costs more to start than to run)."""
    tokens: list[tuple[int, str]] = []
    run_end = -1
    for feature, _ in events.of(FEATURE):
        if feature < run_end:
            continue  # a later feature of a run already matched
        start = feature
        while start and (text[start - 1].isalnum() or text[start - 1] in _JOINERS):
            start -= 1
        run_end = feature
        while run_end < len(text) and (text[run_end].isalnum() or text[run_end] in _JOINERS):
            run_end += 1
        end = _token_end(text, start)
        if end > start:
            tokens.append((start, text[start:end]))
    return tokens


_ASCII_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_INNER = frozenset("-.+/")


def _token_end(text: str, start: int) -> int:
    """Where the NAME_TOKEN match at `start` ends (`start` when there is none), walked by character:
    letters and digits, then joiner and letters and digits again, then any "+"."""
    at, size = start, len(text)
    while at < size and text[at] in _ASCII_ALNUM:
        at += 1
    if at == start:
        return start
    while at + 1 < size and text[at] in _INNER and text[at + 1] in _ASCII_ALNUM:
        at += 2
        while at < size and text[at] in _ASCII_ALNUM:
            at += 1
    while at < size and text[at] == "+":
        at += 1
    return at


_NOT_CAPITALS = str.maketrans("", "", "abcdefghijklmnopqrstuvwxyz-")
SPELLING_REACH = 200
"""Characters before and after a word searched for the other words of an acronym's spelling
(at most five words on either side)."""


def spells_acronym(text: str, word: str, acronyms: frozenset[str]) -> bool:
    """`word`, a word with odd capitals, spells out one of the text's `acronyms` together with up
    to five neighbours somewhere ("BAlaNced averaGing" for BANG): it highlights letters, it is no
    name."""
    if not acronyms or word.isupper() or word.istitle() or word.islower() or not _WORD.fullmatch(word):
        return False
    capitals = word.translate(_NOT_CAPITALS)
    if not any(capitals in acronym for acronym in acronyms):
        return False  # the capitals of a word that spells an acronym are part of it
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if _is_whole_word(text, at, end):
            before = _WORD.findall(text, max(0, at - SPELLING_REACH), at)[-5:]
            after = _WORD.findall(text, end, end + SPELLING_REACH)[:5]
            if _spells(before + [word] + after, len(before), acronyms):
                return True
        at = text.find(word, end)
    return False


def _is_whole_word(text: str, start: int, end: int) -> bool:
    """text[start:end] is a whole word, or the first part of a hyphenated one ("MagnItude-based")."""
    before, after = text[start - 1:start], text[end:end + 1]
    return not (before.isascii() and (before.isalpha() or before == "-")) and not (after.isascii() and after.isalpha())


def _spells(words: list[str], i: int, acronyms: frozenset[str]) -> bool:
    """Words i and some neighbours (at most six words in all) spell an acronym by their capitals."""
    capitals = [w.translate(_NOT_CAPITALS) for w in words]
    for first in range(max(0, i - 5), i + 1):
        letters = ""
        for j in range(first, min(first + 6, len(words))):
            letters += capitals[j]
            if j >= i and j > first and letters in acronyms:
                return True
    return False


@lru_cache(maxsize=65536)
def is_candidate_name(token: str) -> bool:
    """A name-like token that can be a new artifact's name: not a size or quantity ("7B", "4-bit"),
    a URL, a plural, a phrase led by an ordinary word ("text-to-3D") or a modified name ("ViT-based")."""
    return (is_name_like(token) and not _SIZE.match(token) and not _QUANTITY.match(token)
            and not _WORD_LED.match(token) and not _URLISH.search(token) and not is_plural_of_name(token)
            and not _modified(token))


def _modified(token: str) -> bool:
    """A name with a lower-case word that modifies it ("LoRA-guided", "ViT-based"): an adjective."""
    modifier = rules().modifier.search(token)
    return modifier is not None and modifier.end() == len(token) and modifier.group(0).islower()
