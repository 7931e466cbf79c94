"""DERIVED_FROM: a model the paper introduces, derived from a base model it builds on
(TinyCLIP from CLIP, BioBERT from BERT), with `how` (fine-tune, distill, adapt, ...)."""

from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.document import Document
from kg.extract.gazetteer import spelling_variants
from kg.extract.rules import rules
from kg.model import Mention
from kg.schema import BUILDS_ON, DERIVED_FROM, INTRODUCES, MODEL

EXTRACTOR = "lineage/1"


@lru_cache(maxsize=4096)
def _cue(sentence: str) -> str | None:
    """The derivation the first lineage cue in `sentence` names, if any. Kept per sentence: each
    pair of a derived model and its base asks again of the same few evidence sentences."""
    return next((name for name, pattern in rules().lineage if pattern.search(sentence)), None)


def how(doc: Document, base: Mention, derived: Mention, naming: dict[str, str | None]) -> str:
    """The derivation named by the first lineage cue in the evidence of either, else in a sentence
    naming the base model. `naming` keeps what those sentences say per base: the same for every
    model derived from it, and costly to read again for each of hundreds."""
    cue = _cue(derived.evidence) or _cue(base.evidence)
    if cue:
        return cue
    if base.text not in naming:
        naming[base.text] = next((cue for s in doc.sentences if base.text in s.text if (cue := _cue(s.text))), None)
    return naming[base.text] or rules().default_how


def _contains(derived: Mention, base: Mention) -> bool:
    """The derived name spells the base inside it: "TinyCLIP" holds "CLIP", "BioBERT" holds "BERT"."""
    name = derived.name.lower()
    spellings = {base.name, base.text, *base.node.get("aliases", [])}
    return any(len(v) >= 3 and v in name for s in spellings for v in spelling_variants(s))


DERIVE_GAP = 4
"""Words at most between a deriving cue and the base ("adapts the independently pre-trained
multimodal M-CLIP"), besides the spelled-out name of an acronym base ("the Receptance Weighted
Key Value (RWKV)")."""
_WORD = re.compile(r"[\w.-]+")


def _derives(base: Mention, bases: list[Mention]) -> bool:
    """The base's evidence derives a model from it ("based on LLaMA-2", "inspired by the RWKV"), or
    the evidence of another base that derives lists this one after it ("adapts M-CLIP and the
    multilingual mBART")."""
    return _cued(base) or any(other.text != base.text and _listed_after(other, base) and _cued(other)
                              for other in bases)


def _cued(base: Mention) -> bool:
    """Deriving words stand at most DERIVE_GAP words before the base in its evidence."""
    at = base.evidence.find(base.text)
    cues = list(rules().derive_before.finditer(base.evidence, 0, at)) if at >= 0 else []
    if not cues:
        return False
    gap = base.evidence[cues[-1].end():at]
    spelled = sum(map(str.isupper, base.text)) if gap.rstrip().endswith("(") else 0
    return len(_WORD.findall(gap)) <= DERIVE_GAP + spelled


_LISTED = re.compile(rf"\s*(?:,\s*and|,|and|or)\s+(?:[\w.-]+\s+){{0,{DERIVE_GAP}}}")
"""What stands between two names of one list: a comma or conjunction and a few words."""


def _listed_after(first: Mention, then: Mention) -> bool:
    """`then` follows `first` in a list of the sentence that is `first`'s evidence ("M-CLIP and the
    multilingual mBART")."""
    end, at = first.evidence.find(first.text) + len(first.text), first.evidence.find(then.text)
    return len(first.text) <= end < at and _LISTED.fullmatch(first.evidence, end, at) is not None


def extract(doc: Document, mentions: list[Mention]) -> list[Mention]:
    introduced = [m for m in mentions if m.relation == INTRODUCES and m.label == MODEL]
    bases = [m for m in mentions if m.relation == BUILDS_ON]
    found: list[Mention] = []
    naming: dict[str, str | None] = {}
    derives = [_derives(base, bases) for base in bases] if introduced else []
    for derived in introduced:
        for base, derived_from_it in zip(bases, derives, strict=True):
            if _contains(derived, base):
                confidence = 0.85
            elif derived_from_it and (len(introduced) == 1 or derived.name in base.evidence):
                confidence = 0.6
            else:
                continue
            found.append(Mention(label=MODEL, id=base.id, name=base.name, text=base.text, relation=DERIVED_FROM,
                                 evidence=derived.evidence, confidence=confidence, extractor=EXTRACTOR,
                                 start=derived.id, props={"how": how(doc, base, derived, naming)}, node=base.node))
    return found
