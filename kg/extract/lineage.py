"""DERIVED_FROM: a model the paper introduces, derived from a base model it builds on
(TinyCLIP from CLIP, BioBERT from BERT), with `how` (fine-tune, distill, adapt, ...)."""

from __future__ import annotations

from kg.extract.document import Document
from kg.extract.gazetteer import spelling_variants
from kg.extract.rules import rules
from kg.model import Mention
from kg.schema import BUILDS_ON, DERIVED_FROM, INTRODUCES, MODEL

EXTRACTOR = "lineage/1"


def how(doc: Document, base: Mention, derived: Mention) -> str:
    """The derivation named by the first lineage cue in a sentence naming the base model."""
    sentences = [derived.evidence, base.evidence] + [s.text for s in doc.sentences if base.text in s.text]
    for sentence in sentences:
        for name, pattern in rules().lineage:
            if pattern.search(sentence):
                return name
    return rules().default_how


def _contains(derived: Mention, base: Mention) -> bool:
    """The derived name spells the base inside it: "TinyCLIP" holds "CLIP", "BioBERT" holds "BERT"."""
    name = derived.name.lower()
    spellings = {base.name, base.text, *base.node.get("aliases", [])}
    return any(len(v) >= 3 and v in name for s in spellings for v in spelling_variants(s))


def extract(doc: Document, mentions: list[Mention]) -> list[Mention]:
    introduced = [m for m in mentions if m.relation == INTRODUCES and m.label == MODEL]
    bases = [m for m in mentions if m.relation == BUILDS_ON]
    found = []
    for derived in introduced:
        named = [b for b in bases if _contains(derived, b)]
        if not named and len(bases) == 1 and len(introduced) == 1:
            named, confidence = bases, 0.6
        else:
            confidence = 0.85
        for base in named:
            found.append(Mention(label=MODEL, id=base.id, name=base.name, text=base.text, relation=DERIVED_FROM,
                                 evidence=derived.evidence, confidence=confidence, extractor=EXTRACTOR,
                                 start=derived.id, props={"how": how(doc, base, derived)}, node=base.node))
    return found
