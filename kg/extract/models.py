"""Models a paper names: BUILDS_ON for the bases its work starts from (fine-tunes, adapts,
distils from, uses as backbone, studies), MENTIONS for every other (baselines, background).
One model is never both for one paper: any building use wins."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kg.extract.cues import FAR, after, before
from kg.extract.document import Document
from kg.extract.matcher import Match
from kg.extract.rules import rules
from kg.model import Mention
from kg.resolve.entities import mention
from kg.schema import BUILDS_ON, MENTIONS, MODEL

EXTRACTOR = "models/1"
NEAR = 40
"""Characters within which a cue speaks for the model beside it."""


@dataclass
class Reading:
    """How one occurrence of a model reads: the relation and how sure the cues make it."""

    relation: str
    confidence: float


def classify(doc: Document, match: Match) -> Reading:
    """BUILDS_ON or MENTIONS for one occurrence: the nearest directional cue in its sentence
    decides; with none near, a sentence about the paper's own work means a base it uses."""
    sentence = doc.sentence_at(match.start)
    start, end = match.start - sentence.start, match.end - sentence.start
    r = rules()
    builds = min(before(r.builds_on_before, sentence.text, start), after(r.builds_on_after, sentence.text, end))
    other = min(before(r.mentions_before, sentence.text, start), after(r.mentions_after, sentence.text, end))
    if sentence.start == 0:
        return Reading(MENTIONS, 0.6) if other < builds else Reading(BUILDS_ON, 0.8)
    if other < builds and other < NEAR:
        return Reading(MENTIONS, 0.8)
    if builds < NEAR:
        return Reading(BUILDS_ON, 0.85 if builds < NEAR // 2 else 0.7)
    if doc.in_background(match.start) or other < FAR:
        return Reading(MENTIONS, 0.6)
    return Reading(BUILDS_ON, 0.6) if r.own_work.search(sentence.text) else Reading(MENTIONS, 0.55)


def extract(doc: Document, matches: Iterable[Match], introduced: set[str]) -> list[Mention]:
    """One mention per model and paper, with the best evidence for the relation it has."""
    best: dict[str, tuple[Reading, Match]] = {}
    for match in matches:
        if match.entry.label != MODEL or match.entry.id in introduced:
            continue
        reading = classify(doc, match)
        known = best.get(match.entry.id)
        if known is None or _stronger(reading, known[0]):
            best[match.entry.id] = (reading, match)
    return [
        mention(MODEL, match.entry.name, match.text, reading.relation, doc.sentence_at(match.start).text,
                reading.confidence, EXTRACTOR, match.entry, variant=match.variant)
        for reading, match in best.values()
    ]


def _stronger(new: Reading, old: Reading) -> bool:
    if (new.relation == BUILDS_ON) != (old.relation == BUILDS_ON):
        return new.relation == BUILDS_ON
    return new.confidence > old.confidence
