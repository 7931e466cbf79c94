"""Datasets a paper trains or evaluates on (USES_DATASET with `role`), from the curated list."""

from __future__ import annotations

from collections.abc import Iterable

from kg.extract.cues import FAR, nearest
from kg.extract.document import Document
from kg.extract.matcher import Match
from kg.extract.rules import rules
from kg.model import Mention
from kg.resolve.entities import mention
from kg.schema import DATASET, USES_DATASET

EXTRACTOR = "datasets/1"


def role(doc: Document, match: Match) -> str:
    """train, evaluate or unspecified, from the nearest cue in the sentence."""
    sentence = doc.sentence_at(match.start)
    start, end = match.start - sentence.start, match.end - sentence.start
    train = nearest(rules().train, sentence.text, start, end)
    evaluate = nearest(rules().evaluate, sentence.text, start, end)
    if train == evaluate == FAR:
        return "unspecified"
    return "train" if train < evaluate else "evaluate"


def extract(doc: Document, matches: Iterable[Match], introduced: set[str]) -> list[Mention]:
    found: dict[str, Mention] = {}
    for match in matches:
        if match.entry.label != DATASET or match.entry.id in introduced:
            continue
        how = role(doc, match)
        known = found.get(match.entry.id)
        if known is None or (known.props.get("role") == "unspecified" and how != "unspecified"):
            found[match.entry.id] = mention(DATASET, match.entry.name, match.text, USES_DATASET,
                                            doc.sentence_at(match.start).text, 0.85, EXTRACTOR, match.entry, role=how)
    return list(found.values())
