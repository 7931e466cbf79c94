"""Datasets a paper trains or evaluates on (USES_DATASET with `role`), from the curated list."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from kg.extract.document import Document
from kg.extract.gazetteer import curated
from kg.extract.lists import KnownSpans
from kg.extract.matcher import Match
from kg.extract.names import NAME_START, NAME_TOKEN, is_candidate_name
from kg.extract.rules import rules
from kg.extract.scan import DATASET_HEAD, FAR, nearest
from kg.model import Mention
from kg.resolve.entities import mention
from kg.schema import DATASET, ID_PREFIX, USES_DATASET
from kg.text import slug

EXTRACTOR = "datasets/1"


def role(doc: Document, match: Match) -> str:
    """train, evaluate or unspecified, from the nearest cue in the sentence."""
    sentence = doc.sentence_at(match.start)
    span = (sentence.start, sentence.end, match.start, match.end)
    train = nearest(doc.events, "train", *span)
    evaluate = nearest(doc.events, "evaluate", *span)
    if train == evaluate == FAR:
        return "unspecified"
    return "train" if train < evaluate else "evaluate"


@lru_cache(maxsize=1)
def _unknown_pattern() -> re.Pattern[str]:
    heads = "|".join(re.escape(h) for h in rules().raw["datasets"]["unknown_heads"])
    return re.compile(rf"{NAME_START}(?P<name>{NAME_TOKEN}) (?:{heads})\b")


def _unknown(doc: Document, matches: list[Match]) -> Iterator[tuple[str, int]]:
    """Proper names that no list knows, set before a dataset head noun: "the HH dataset"."""
    covered = [(m.start, m.end) for m in matches]
    pattern, resume = _unknown_pattern(), 0
    for start, end in doc.events.of(DATASET_HEAD):
        found = pattern.match(doc.text, start) or pattern.search(doc.text, start, end)
        if found is None or found.start() < resume:
            continue
        resume = found.end()
        name = found.group("name")
        inside = any(a <= found.start() < b for a, b in covered)
        if not inside and is_candidate_name(name) and not curated().lookup(name):
            yield name, found.start()


def _listed(doc: Document, matches: list[Match], introduced: set[str]) -> Iterator[tuple[str, int]]:
    """Proper names no list knows, written in one list with a known dataset ("on MathVerse and
    We-Math"); a name accepted joins the known ones, so a whole list is read from one member."""
    known = KnownSpans.of([(m.start, m.end) for m in matches if m.entry.label == DATASET])
    if not known.starts:
        return
    covered = KnownSpans.of([(m.start, m.end) for m in matches])
    for start, token in doc.name_tokens:
        end = start + len(token)
        if (covered.overlaps(start, end) or not is_candidate_name(token) or curated().lookup(token)
                or doc.spells_acronym(token)
                or any(prefix + slug(token) in introduced for prefix in ID_PREFIX.values())):
            continue
        if known.listed_with(doc.text, start, end):
            known.add(start, end)
            yield token, start


def extract(doc: Document, matches: Iterable[Match], introduced: set[str]) -> list[Mention]:
    matches = list(matches)
    found: dict[str, Mention] = {}
    for name, position in [*_unknown(doc, matches), *_listed(doc, matches, introduced)]:
        m = mention(DATASET, name, name, USES_DATASET, doc.sentence_at(position).text, 0.7, EXTRACTOR,
                    role="unspecified")
        if m.id not in introduced:
            found.setdefault(m.id, m)
    for match in matches:
        if match.entry.label != DATASET or match.entry.id in introduced:
            continue
        how = role(doc, match)
        known = found.get(match.entry.id)
        if known is None or (known.props.get("role") == "unspecified" and how != "unspecified"):
            found[match.entry.id] = mention(DATASET, match.entry.name, match.text, USES_DATASET,
                                            doc.sentence_at(match.start).text, 0.85, EXTRACTOR, match.entry, role=how)
    return list(found.values())
