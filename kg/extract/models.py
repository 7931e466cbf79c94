"""Models a paper names: BUILDS_ON for the bases its work starts from (fine-tunes, adapts,
distils from, uses as backbone, studies), MENTIONS for every other (baselines, background).
One model is never both for one paper: the reading with the surest cue decides."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from kg.extract.document import Document
from kg.extract.gazetteer import Entry, curated
from kg.extract.introduces import generic_term
from kg.extract.lists import KnownSpans
from kg.extract.matcher import Match
from kg.extract.names import is_candidate_name
from kg.extract.rules import rules
from kg.extract.scan import FAR, after, before
from kg.model import Mention
from kg.resolve.entities import mention
from kg.schema import BUILDS_ON, DATASET, ID_PREFIX, MENTIONS, METHOD, MODEL
from kg.text import match_key, slug

EXTRACTOR = "models/1"
NEAR = 40
"""Characters within which a cue speaks for the model beside it."""
_GLUED = re.compile(r"\.[A-Z][a-z]")
"""Two sentences glued by a missing space ("367.5M.The")."""
_MODEL_HEAD = re.compile(r"(?:-based\b| (?:model|backbone|encoder|LLM|checkpoint)\b)")
"""A head noun after a name that makes it a model ("the HoVLE model"); a plural one names a class
of models ("MMT models"), not one."""
_PARTS = re.compile(r"[+/]")
_OWN = re.compile(r"\b(?:[Oo]ur|resulting(?: model)?)\s+(?:[\w-]+\s+)?\Z")
"""Just before a name: the paper's own artifact ("our multilingual mParamanu model"), no mention."""
_INDEFINITE = re.compile(r"\b[Aa]n? \Z")
"""Just before a name: an indefinite article ("a Generative Pre-trained Transformer")."""
_TASK = re.compile(r"\s+tasks?\b")
"""After a name anywhere in the text: the name is a task ("LASS tasks"), not a model."""
_SIZE = re.compile(r"[ -]\d+(?:\.\d+)?[BMK]\b")
"""A size after a name no list knows ("GPTNeo 1.3B"): part of the name as written."""
_COMPOUND = re.compile(r"[\w.+]+(?:-[\w.+]+)+")
"""A hyphenated name written as one token ("GemNet-OC")."""
_SEGMENT = re.compile(r"-[A-Za-z0-9][\w.]*(?<!\.)")
"""One hyphenated segment after a name ("-V", "-2.6", "-Fill", "-dev")."""
_LIST_GAP = re.compile(r"\s*(?:,|/|;)?\s*(?:and|or|as well as|and the|or the)?\s*")


@dataclass
class Reading:
    """How one occurrence of a model reads: the relation and how sure the cues make it."""

    relation: str
    confidence: float


_LIKENESS = Reading(MENTIONS, 0.5)
""""BERT-style pre-training": the model named as a likeness, the weakest reading, so any other
occurrence of the model decides its relation."""


def classify(doc: Document, start: int, end: int, names: KnownSpans | None = None) -> Reading:
    """BUILDS_ON or MENTIONS for the span [start, end) of the text (one model, or a list of them):
    the nearest directional cue in its sentence (not inside one of `names`) decides; with none
    near, a sentence about the paper's own work means a base it uses."""
    sentence = doc.sentence_at(start)
    events, lo, hi = doc.events, sentence.start, sentence.end
    cue_before = before(events, "builds_on_before", lo, start, names)
    builds = min(cue_before, after(events, "builds_on_after", end, hi, names))
    other = min(before(events, "mentions_before", lo, start, names),
                after(events, "mentions_after", end, hi, names))
    if sentence.start == 0:
        return Reading(MENTIONS, 0.6) if other < builds else Reading(BUILDS_ON, 0.8)
    if doc.in_background(start):
        return Reading(MENTIONS, 0.7)
    weak = cue_before < NEAR and _weak(doc, lo, start - cue_before)
    if other < NEAR and not (cue_before < NEAR and not weak and _describes(doc, lo, start, other)):
        return Reading(MENTIONS, 0.8)
    if builds == cue_before and weak:
        return Reading(MENTIONS, 0.6) if rules().weak_overruled.match(doc.text, end) else Reading(BUILDS_ON, 0.75)
    if builds < NEAR:
        return Reading(BUILDS_ON, 0.85 if builds < NEAR // 2 else 0.7)
    if other < FAR:
        return Reading(MENTIONS, 0.6)
    return Reading(BUILDS_ON, 0.6) if doc.has("own_work", sentence) else Reading(MENTIONS, 0.55)


def _describes(doc: Document, lo: int, start: int, distance: int) -> bool:
    """The mention cue `distance` characters before `start` is an adjective of the name's own phrase
    ("leverages existing Llama-3's weights", "fine-tunes the original BERT"): a builds-on verb
    before it still governs the name."""
    end = start - distance
    return any(e == end and doc.lowered[s:e] in rules().mention_adjectives
               for s, e in doc.events.within("mentions_before", lo, end))


def _weak(doc: Document, lo: int, end: int) -> bool:
    """Every builds-on cue of the sentence (from `lo`) that ends at `end` is a bare preposition
    ("of", "for"): it ties the name to the words before it, and says little of how it is used."""
    cues = [doc.lowered[s:e] for s, e in doc.events.within("builds_on_before", lo, end) if e == end]
    return bool(cues) and all(cue in rules().weak_builds_on for cue in cues)


def _expansion(doc: Document, match: Match) -> bool:
    """"Contrastive Language-Image Pre-training (CLIP)", "masked autoencoder", "VL-GPT: A Generative
    Pre-trained Transformer": a model's spelled-out name names its technique or, after "a", a kind of
    model; the acronym, when it follows, is the model mention."""
    if match.text == match.entry.name or " " not in match.text:
        return False
    return (match.text.islower() or doc.text.startswith(" (", match.end) or _plural(match)
            or _INDEFINITE.search(doc.text, max(0, match.start - 4), match.start) is not None)


def _plural(match: Match) -> bool:
    """"Masked Autoencoders": a spelled-out name in the plural, where the canonical name is not."""
    return match.text.endswith("s") and not match.entry.name.endswith("s")


def _generic_acronyms(doc: Document, matches: list[Match]) -> set[int]:
    """Starts of acronyms that name a kind of model, not one: defined by a lower-case expansion
    ("a generative pretrained transformer (GPT) model") or in the plural ("Generative Language
    Models (GLMs)")."""
    by_start = {m.start: m for m in matches}
    lower = {m.end + 2 for m in matches if m.entry.label == MODEL and " " in m.text and m.text.islower()
             and doc.text.startswith(" (", m.end) and getattr(by_start.get(m.end + 2), "entry", None) == m.entry}
    plural = {m.start for m in matches if m.entry.label == MODEL and f"({m.text}s)" in doc.text}
    return lower | plural


def _restated(doc: Document, matches: list[Match]) -> set[int]:
    """Starts of model names that are a second name, in parentheses, of the model just before:
    "GPT-3.5-Turbo (ChatGPT)"."""
    before = {m.end + 2: m.entry for m in matches if m.entry.label == MODEL}
    return {m.start for m in matches if m.entry.label == MODEL and before.get(m.start, m.entry) != m.entry
            and doc.text.startswith(" (", m.start - 2) and doc.text.startswith(")", m.end)}


def coordinated(doc: Document, matches: list[Match]) -> list[list[Match]]:
    """Groups of models written as one list ("BERT, RoBERTa, and GPT-2"): the cue for the list
    speaks for every member."""
    groups: list[list[Match]] = []
    for match in matches:
        last = groups[-1][-1] if groups else None
        if last is not None and _LIST_GAP.fullmatch(doc.text, last.end, match.start):
            groups[-1].append(match)
        else:
            groups.append([match])
    return groups


def unlisted(doc: Document, known: list[Match], taken: KnownSpans, introduced: set[str]) -> list[Match]:
    """Models no list knows, by what surrounds them: written in one list with a known model
    ("Stable Diffusion and MVDream"), followed by a model noun ("the HoVLE model", "VATT-based"),
    or spelling a known model inside the name ("M-CLIP", "NAS-BERT"); none overlaps `taken`."""
    found: list[Match] = []
    listed = KnownSpans.of([(m.start, m.end) for m in known])
    for start, token in doc.name_tokens:
        modifier = rules().modifier.search(token)
        name = token[:modifier.start()] if modifier else token
        end = start + len(name)
        if taken.overlaps(start, end) or not is_candidate_name(name):
            continue
        if not (listed.listed_with(doc.text, start, end) or _MODEL_HEAD.match(doc.text, end)
                or curated().spells_inside(name, MODEL)):
            continue
        entry = Entry(label=MODEL, name=name)
        if (doc.spells_acronym(name) or _GLUED.search(name) or curated().lookup(name) or entry.id in introduced
                or generic_term(doc, name)
                or _of_introduced(name, introduced) or _names_a_task(doc.text, name)
                or _OWN.search(doc.text, max(0, start - 40), start)):
            continue
        size = _SIZE.match(doc.text, end)
        stop = size.end() if size else end
        found.append(Match(entry, start, stop, doc.text[start:stop], size.group(0).strip() if size else ""))
    return found


def _written(doc: Document, match: Match) -> Match:
    """The name as written when a hyphenated compound goes on past the curated spelling ("MiniCPM-V-2.6",
    "FLUX.1-Fill-dev"): the segments, up to a modifier ("-based") or likeness ("-style"), are the
    variant the text names."""
    end = match.end
    while (segment := _SEGMENT.match(doc.text, end)) and not (rules().modifier.match(doc.text, end)
                                                            or rules().resembles.match(doc.text, end)):
        end = segment.end()
    if end == match.end:
        return match
    return Match(match.entry, match.start, end, doc.text[match.start:end],
                 doc.text[match.start + match.base:end].strip(" -_"), match.base)


def _names_a_task(text: str, name: str) -> bool:
    """Somewhere in `text`, `name`, not after a letter, digit, "_" or "-", is followed by "task(s)"."""
    at = text.find(name)
    while at >= 0:
        before = text[at - 1:at]
        if not (before.isalnum() or before in ("_", "-")) and _TASK.match(text, at + len(name)):
            return True
        at = text.find(name, at + 1)
    return False


def _heads_introduced(doc: Document, match: Match, introduced: set[str]) -> bool:
    """The model's name starts a hyphenated name the paper introduces ("GemNet" in "GemNet-OC"):
    written as part of the new name, it is no mention of the model."""
    if not doc.text.startswith("-", match.end):
        return False
    whole = _COMPOUND.match(doc.text, match.start)
    return whole is not None and any(ID_PREFIX[label] + slug(whole.group(0)) in introduced
                                     for label in (MODEL, METHOD, DATASET))


def _of_introduced(name: str, introduced: set[str]) -> bool:
    """A part of a name the paper introduces ("NLEBench+NorGLM"), its variant ("mmMamba-linear")
    or the name without its version ("RetroMAE" of "RetroMAE v2")."""
    parts = [p for p in _PARTS.split(name) if p] + [name.split("-")[0]]
    ids = [ID_PREFIX[label] + slug(part) for part in parts for label in (MODEL, METHOD, DATASET)]
    return any(i in introduced for i in ids) or any(i.startswith(f"{known}-") for i in introduced for known in ids)


def extract(doc: Document, matches: Iterable[Match], introduced: set[str]) -> list[Mention]:
    """One mention per model and variant written ("Mistral-7b", "Mistral-7b-Instruct"), each with
    its best evidence; the relation is the model's own, read where the cues are surest, so a model
    is never both built on and only mentioned by one paper."""
    matches = list(matches)
    generic = _generic_acronyms(doc, matches) | _restated(doc, matches)
    skip = rules().model_skip_kinds
    models = [m for m in matches if m.entry.label == MODEL and m.entry.id not in introduced and m.entry.kind not in skip
              and not _expansion(doc, m) and m.start not in generic and m.text.lower() not in rules().architectures
              and not _heads_introduced(doc, m, introduced)]
    models = [m for m in [_written(doc, m) for m in models] if not rules().dataset_head.match(doc.text, m.end)]
    names = KnownSpans.of([(m.start, m.end) for m in matches])
    models = sorted(models + unlisted(doc, models, names, introduced), key=lambda m: m.start)
    best: dict[tuple[str, str], tuple[Reading, Match]] = {}
    relation: dict[str, Reading] = {}
    survey = bool(rules().survey_title.search(doc.title))
    for group in coordinated(doc, models):
        group_reading = Reading(MENTIONS, 0.7) if survey else classify(doc, group[0].start, group[-1].end, names)
        for match in group:
            reading = _LIKENESS if rules().resembles.match(doc.text, match.end) else group_reading
            key = (match.entry.id, match_key(match.variant))
            known = best.get(key)
            if known is None or _stronger(reading, known[0]):
                best[key] = (reading, match)
            if match.entry.id not in relation or reading.confidence > relation[match.entry.id].confidence:
                relation[match.entry.id] = reading  # the surest reading decides, the first on a tie
    return [
        mention(MODEL, match.entry.name, match.text, relation[match.entry.id].relation,
                doc.sentence_at(match.start).text, _confidence(reading, relation[match.entry.id]), EXTRACTOR,
                match.entry if match.entry.aliases or match.entry.kind else None, variant=match.variant)
        for reading, match in best.values()
    ]


def _confidence(own: Reading, model: Reading) -> float:
    """A variant's sentence reads one way, the model's relation may come from another sentence:
    then the lower confidence of the two."""
    return own.confidence if own.relation == model.relation else min(own.confidence, model.confidence)


def _stronger(new: Reading, old: Reading) -> bool:
    if (new.relation == BUILDS_ON) != (old.relation == BUILDS_ON):
        return new.relation == BUILDS_ON
    return new.confidence > old.confidence
