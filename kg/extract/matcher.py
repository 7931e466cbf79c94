"""Find curated names in a document: one literal-database pass over word starts, then word boundaries, case rules,
size/variant suffixes, longest-match selection and disambiguation of shared spellings."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from kg.extract.document import Document
from kg.extract.gazetteer import Entry, Gazetteer, curated
from kg.extract.rules import rules
from kg.schema import MODEL

_SEPARATORS = re.compile(r"[\s\-_]+")


@dataclass(slots=True)
class Match:
    """One curated name found in a document; `text` is as written, with any variant suffix."""

    entry: Entry
    start: int
    end: int
    text: str
    variant: str = ""
    base: int = 0
    """Length of the curated spelling matched, before any variant suffix (breaks ties)."""

    def __init__(self, entry: Entry, start: int, end: int, text: str, variant: str = "", base: int = 0) -> None:
        # written out so that the compiled build runs it natively (dataclasses make __init__ at run time)
        self.entry, self.start, self.end, self.text, self.variant, self.base = entry, start, end, text, variant, base


def _boundary(text: str, start: int, end: int) -> bool:
    """Whole words only; "GPT-5" is not "GPT" (a version number continues the name)."""
    before = text[start - 1] if start > 0 else " "
    after = text[end: end + 2]
    return not before.isalnum() and not after[:1].isalnum() and not (after[:1] == "-" and after[1:2].isdigit())


@lru_cache(maxsize=65536)
def _case_ok(entry: Entry, written: str) -> bool:
    """Exact-case spellings must match as written; an all-capitals spelling never matches a
    lower-case word ("clip", "glue", "sam")."""
    folded = _SEPARATORS.sub(" ", written)
    exact = {_SEPARATORS.sub(" ", s) for s in entry.exact}
    if folded not in exact and folded.lower() in {e.lower() for e in exact}:
        return False
    if written.islower():
        same = [f for f in [_SEPARATORS.sub(" ", s) for s in entry.spellings] if f.lower() == folded.lower()]
        if same and all(f.isupper() for f in same):
            return False
    return True


def _choose(candidates: list[Entry], lowered_text: str) -> Entry | None:
    """The entry a shared spelling means here: the only candidate, or the only one whose
    context cues occur in the document; None when the text does not decide."""
    if len(candidates) == 1:
        return candidates[0]
    cued = [e for e in candidates if e.context and any(cue in lowered_text for cue in e.context)]
    return cued[0] if len(cued) == 1 else None


def find(doc: Document, gazetteer: Gazetteer | None = None) -> list[Match]:
    """Every curated name in `doc`, non-overlapping, longest first, in text order."""
    gazetteer = gazetteer or curated()
    text, lowered, urls = doc.text, doc.lowered, doc.urls
    suffixes = rules().variant_suffix
    found: list[Match] = []
    for start, end, spelling in gazetteer.scan_words(lowered):
        if (start and text[start - 1].isalnum()) or not _may_end(text, end):
            continue  # inside a word: no suffix can make it whole
        if urls and any(a <= start < b for a, b in urls):
            continue
        tails = {label: suffixes[label].match(text, end) for label in gazetteer.labels[spelling] if label in suffixes}
        entry = _choose(_readings(gazetteer.by_spelling[spelling], text[start:end], tails.get(MODEL) is not None),
                        lowered)
        if entry is None:
            continue
        tail = tails.get(entry.label)
        stop = tail.end() if tail else end
        if _boundary(text, start, stop):
            found.append(Match(entry, start, stop, text[start:stop], tail.group(0).strip(" -") if tail else "",
                               end - start))
    return [m for m in _attach_backbones(text, _longest(found))
            if not (m.entry.label == MODEL and _compound(text, m.start))]


def _readings(entries: list[Entry], written: str, sized: bool) -> list[Entry]:
    """The entries a spelling can mean as written; a size suffix ("mistral-7b", `sized`) makes an
    exact-case model name unambiguous."""
    return [e for e in entries if (sized and e.label == MODEL) or _case_ok(e, written)]


def _compound(text: str, start: int) -> bool:
    """A name at `start` ends a hyphenated compound ("VL-GPT", "M-CLIP", "NAS-BERT"): another model
    that spells this one inside, not this one."""
    return start >= 2 and text[start - 1] == "-" and text[start - 2].isalnum()


def _may_end(text: str, end: int) -> bool:
    """A name can end at `end`: no letter or digit follows, or a dataset version suffix ("v2") does."""
    after = text[end:end + 2]
    return not after[:1].isalnum() or (after[:1] in "vV" and after[1:2].isdigit())


def _attach_backbones(text: str, matches: list[Match]) -> list[Match]:
    """"CLIP ViT-B/32", "DINOv2-ViT-L/14": a vision backbone right after a vision or
    vision-language model is the variant used."""
    merged: list[Match] = []
    for match in matches:
        last = merged[-1] if merged else None
        if (last is not None and last.entry.label == MODEL and match.entry.label == MODEL
                and last.entry.kind in ("vision-language", "vision") and match.entry.kind == "vision"
                and text[last.end:match.start] in (" ", "-")):
            merged[-1] = Match(last.entry, last.start, match.end, text[last.start:match.end], match.text)
        else:
            merged.append(match)
    return merged


def _longest(matches: list[Match]) -> list[Match]:
    """Longest matches first, each kept unless it overlaps one already kept. The kept ones do not
    overlap, so in start order only the neighbours of a new match can overlap it."""
    starts: list[int] = []
    chosen: list[Match] = []
    for match in sorted(matches, key=lambda m: (-(m.end - m.start), -m.base, m.start)):
        at = bisect_left(starts, match.start)
        if (at == 0 or chosen[at - 1].end <= match.start) and (at == len(chosen) or match.end <= chosen[at].start):
            starts.insert(at, match.start)
            chosen.insert(at, match)
    return chosen
