"""Named techniques a paper uses (USES_METHOD), from the curated methods taxonomy."""

from __future__ import annotations

import re
from collections.abc import Iterable

from kg.extract.document import Document
from kg.extract.matcher import Match
from kg.extract.rules import rules
from kg.model import Mention
from kg.resolve.entities import mention
from kg.schema import METHOD, USES_METHOD

EXTRACTOR = "methods/1"
NEGATION_REACH = 60
"""Characters before a method's name searched for a word that negates it."""


def extract(doc: Document, matches: Iterable[Match], introduced: set[str]) -> list[Mention]:
    """Each method once, and each qualified variant of a generic training method once ("pre-training",
    "self-supervised pre-training"), unless only named in background sentences or a metric."""
    found: dict[tuple[str, str], Mention] = {}
    skip = set(rules().raw["methods"]["skip_kinds"])
    for match, qualifier in _qualified(doc, [m for m in matches if m.entry.label == METHOD]):
        entry = match.entry
        key = (entry.id, qualifier)
        if entry.kind in skip or entry.id in introduced or key in found:
            continue
        if doc.in_background(match.start) or _negated(doc, match) or _names_tail(doc, match):
            continue
        in_title = match.start < len(doc.title)
        found[key] = mention(METHOD, match.entry.name, match.text, USES_METHOD, doc.sentence_at(match.start).text,
                             0.85 if in_title else 0.75, EXTRACTOR, match.entry)
    return list(found.values())


def _qualified(doc: Document, matches: list[Match]) -> list[tuple[Match, str]]:
    """Each match with the word that qualifies it, lower case ("" for none): a generic training method
    keeps it as written ("self-supervised pretraining" is one mention of pre-training, not also one of
    self-supervised learning)."""
    out: list[tuple[Match, str]] = []
    for match in matches:
        word = _qualifier(doc.text, match.start) if match.entry.name in rules().qualified else None
        if word is None:
            out.append((match, ""))
            continue
        start = word.start()
        while out and out[-1][0].start >= start:  # the qualifier was read as a method of its own
            out.pop()
        out.append((Match(match.entry, start, match.end, doc.text[start:match.end], base=match.base),
                    word.group(0).strip().lower()))
    return out


QUALIFIER_REACH = 40
"""Characters before a generic training method searched for the word that qualifies it."""


def _qualifier(text: str, start: int) -> re.Match[str] | None:
    """rules.toml's `qualifier` ending at `start`. Its match is a word of letters and hyphens, then
    spaces, so it is searched for only from where that last word begins."""
    lo = max(0, start - QUALIFIER_REACH)
    end = start
    while end > lo and text[end - 1] == " ":
        end -= 1
    if end == start:
        return None
    while end > lo and (text[end - 1].isalpha() or text[end - 1] == "-"):
        end -= 1
    return rules().qualifier.search(text, end, start)


def _negated(doc: Document, match: Match) -> bool:
    """"without additional fine-tuning", "Finetuning-Free": named only to say it is not used."""
    sentence = doc.sentence_at(match.start)
    lo, gap = max(sentence.start, match.start - NEGATION_REACH), rules().negated_gap
    negations = doc.events.within("negated_before", lo, match.start)
    return (any(gap.fullmatch(doc.text, end, match.start) for _, end in negations)
            or rules().negated_after.match(doc.text, match.end) is not None)


def _names_tail(doc: Document, match: Match) -> bool:
    """"RQ-Transformer", "Triplane-Transformer": the method, capitalised, ends another artifact's
    hyphenated name."""
    at = match.start
    return at >= 2 and doc.text[at - 1] == "-" and doc.text[at - 2].isalnum() and match.text[:1].isupper()
