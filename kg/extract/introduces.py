"""INTRODUCES: the named artifacts a paper proposes or releases, typed Model, Method or Dataset.

Signals: a title like "TinyCLIP: CLIP Distillation via ..."; "we propose / introduce / present X";
"called / dubbed / termed / named X"; "Full Name (ACR)" after such a verb. Only proper names."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from kg.extract.document import Document
from kg.extract.gazetteer import curated
from kg.extract.names import NAME_TOKEN, SPELLING_REACH, is_candidate_name, is_name_like
from kg.extract.rules import rules
from kg.extract.scan import ACRONYM
from kg.extract.sentences import Sentence
from kg.model import Mention
from kg.resolve.entities import mention
from kg.schema import DATASET, INTRODUCES, METHOD, MODEL

EXTRACTOR = "introduces/1"

_TITLE_PREFIX = re.compile(r"^\s*(?P<prefix>[^:]{1,60}?)\s*:\s+\S")
_TRAILING_GENERIC = re.compile(r"\s+(?:technical report|report|model|framework|benchmark|dataset)$", re.I)
_TOKEN = re.compile(NAME_TOKEN)
_QUOTED = re.compile(r"[\"“']([A-Z0-9][^\"”']{0,40})[\"”']")
_DATASET_NAME = re.compile(r"(?:bench|corpus|dataset|db|set|data|qa)\b|-\d+[mkb]$", re.I)
_MODEL_NAME = re.compile(r"(?:bert|gpt|llm|llama|clip|net|former|lm|vit|t5|diffusion|vlm|mllm)(?:v?\d+)?$", re.I)
_OPENING = frozenset('"\u201c{')
"""Quotes and braces that may open a name ("our \u201cSkillNet\u201d model", "{SkillNet}")."""
_LETTERS = re.compile(r"[A-Za-z]+")
# "called BLOOMZ and mT0": a second name joined to the first
_AND_NAME = re.compile(rf"(?:\s*,\s*and\s+|\s*,\s*|\s+and\s+)(?P<name>{NAME_TOKEN})")
# "we propose AdaLoRA, which ...": a curated name right after the verb, set off as the subject
_KNOWN_AFTER_VERB = re.compile(rf"\s+(?P<name>{NAME_TOKEN})(?=\s*[,(:]|\s+(?:which|that|to|as)\b)")


@dataclass
class Candidate:
    """A name that may be one the paper introduces, with the sentence that says so."""

    name: str
    sentence: Sentence
    confidence: float

    def __init__(self, name: str, sentence: Sentence, confidence: float) -> None:
        # written out so that the compiled build runs it natively (dataclasses make __init__ at run time)
        self.name, self.sentence, self.confidence = name, sentence, confidence


def _title_names(doc: Document) -> Iterator[str]:
    match = _TITLE_PREFIX.match(doc.title)
    if not match:
        return
    prefix = _TRAILING_GENERIC.sub("", match.group("prefix").strip())
    parts = prefix.split("+")
    for part in parts if all(is_name_like(p.strip()) for p in parts) else [prefix]:
        part = part.strip()
        tokens = part.split()
        if len(tokens) == 1:
            if is_name_like(part) or (part[:1].isupper() and part.lower() not in rules().not_names):
                yield part
        elif len(tokens) <= 3 and (is_name_like(tokens[0]) or curated().lookup(part)):
            yield part


def _after(sentence: str, position: int) -> str:
    """The text of the next words after `position`, as many as rules.toml's `window` says."""
    words = _window_words().match(sentence, position)
    return words.group(0) if words else ""


@lru_cache(maxsize=1)
def _window_words() -> re.Pattern[str]:
    return re.compile(rf"(?:\s*\S+){{1,{rules().window}}}")


def _new_name(token: str, doc: Document) -> bool:
    """A candidate name that no curated list already knows (so it is new here)."""
    return is_candidate_name(token) and not doc.spells_acronym(token) and not curated().lookup(token)


def _known_variant(token: str) -> bool:
    """A curated model's name, then a variant suffix (size, "-Instruct", "-G14")."""
    suffix = rules().variant_suffix[MODEL]
    return any(suffix.fullmatch(token, cut) and any(e.label == MODEL for e in curated().lookup(token[:cut]))
               for cut in range(2, len(token)) if token[cut] in "-_ ")


def _known_expansion(before: str, acronym: str) -> bool:
    """The words before "(ACR)" are a curated spelling of ACR ("Contrastive Language-Image
    Pre-training (CLIP)"): the known thing, not a new one that reuses its letters."""
    tail = before.rstrip().lower()
    return any(tail.endswith(s.lower()) for entry in curated().lookup(acronym) for s in entry.spellings if " " in s)


def defines_acronym(before: str, acronym: str) -> bool:
    """"Plug & Play Generative Networks (PPGN)", "Advanced Language Model-based trAnslator (ALMA)":
    the acronym's capitals are the initials of the words just before it, or the capitals written
    in them, ending with the last word."""
    letters = list(filter(str.isupper, acronym))
    words = _LETTERS.findall(before)[-(len(letters) + 4):]
    if len(letters) < 2 or not words:
        return False
    if _in_order(letters, [w[0].upper() for w in words]):
        return True
    capitals = _capitals("".join(words))
    return any(map(str.isupper, words[-1])) and capitals.endswith("".join(letters))


def generic_term(doc: Document, acronym: str) -> bool:
    """The text defines `acronym` as an existing kind of thing, not an artifact of the paper: by
    lower-case words ("a small language model (SLM)"), in the plural ("Knowledge-Enhanced Pre-trained
    Language Models (KEPLMs)") or in the background sentences before the paper's own work."""
    for written in (f"({acronym})", f"({acronym}s)"):
        at = doc.text.find(written)
        if at > 0:
            before = doc.text[max(0, at - SPELLING_REACH):at]
            words = _LETTERS.findall(before)[-sum(map(str.isupper, acronym)):]
            kind = all(w.islower() for w in words) or written.endswith("s)") or doc.in_background(at)
            return kind and defines_acronym(before, acronym)
    return False


def _in_order(letters: list[str], initials: list[str]) -> bool:
    """`letters` occur in `initials` in order, the last letter as the last initial."""
    if not initials or initials[-1] != letters[-1]:
        return False
    position = len(initials)
    for letter in reversed(letters):
        while position and initials[position - 1] != letter:
            position -= 1
        if not position:
            return False
        position -= 1
    return True


def _own(doc: Document, sentence: Sentence, titled: list[str]) -> bool:
    """A sentence about the paper's own work: it says "we", "our", "this paper", or names what
    the title introduces (`titled`: "RLIPv2 introduces ...")."""
    return doc.has("own_work", sentence) or any(name in sentence.text for name in titled)


def _abstract_candidates(doc: Document, titled: list[str]) -> Iterator[Candidate]:
    for sentence in doc.sentences_with("naming", ACRONYM, "introduce_verbs"):
        text, offset = sentence.text, sentence.start
        for _, naming_end in doc.cues_in("naming", sentence):
            rest = text[naming_end - offset:]
            after = rest.lstrip(" .:,\"'“")
            quoted = _QUOTED.match(rest.lstrip())
            token = _TOKEN.match(after)
            if quoted:
                yield Candidate(quoted.group(1).strip(), sentence, 0.85)
            elif token and is_name_like(token.group(0)) and not doc.spells_acronym(token.group(0)):
                yield Candidate(token.group(0), sentence, 0.85)
                extra = _AND_NAME.match(after, token.end())
                while extra and is_name_like(extra.group("name")):
                    yield Candidate(extra.group("name"), sentence, 0.8)
                    extra = _AND_NAME.match(after, extra.end())
            else:
                yield from _named_acronym(doc, sentence, naming_end)
        if not _own(doc, sentence, titled):
            continue
        for start, end in doc.cues_in(ACRONYM, sentence):
            name, before = doc.text[start + 1:end - 1], text[:start - offset]
            if doc.spells_acronym(name) or not is_candidate_name(name) or not defines_acronym(before, name):
                continue
            announced = any(verb_end <= start for _, verb_end in doc.cues_in("introduce_verbs", sentence))
            typed = any(0 <= start - word_end <= 2 for label in rules().raw["types"]
                        for _, word_end in doc.cues_in(f"type:{label}", sentence))
            if (announced or typed) and (not curated().lookup(name) or not _known_expansion(before, name)):
                yield Candidate(name, sentence, 0.8)
        for _, verb_end in doc.cues_in("introduce_verbs", sentence):
            known = _KNOWN_AFTER_VERB.match(text, verb_end - offset)
            if known and curated().lookup(known.group("name")):
                yield Candidate(known.group("name"), sentence, 0.75)
            span = _after(text, verb_end - offset)
            for quoted in _QUOTED.finditer(span):
                if any(is_name_like(t) for t in quoted.group(1).split()):
                    yield Candidate(quoted.group(1).strip(), sentence, 0.8)
            for _, word in doc.name_tokens_in(verb_end, verb_end + len(span)):
                if _new_name(word, doc) and not generic_term(doc, word):
                    yield Candidate(word, sentence, 0.8)


_OWNED_TAIL = re.compile(r"\s+(?:[a-z][a-z-]*\s+){0,2}")
"""After words presenting the paper's own artifact: up to two lower-case words before its name."""


def _owned_names(doc: Document) -> Iterator[Candidate]:
    """"our multilingual mParamanu model", "the resulting model Orca-3": a new name right after words
    that present the paper's own artifact (rules.toml introduce.owned) in a sentence about the
    paper's work; not a known model's variant ("our ViT-G14 model" is the paper's copy of ViT, where
    "we introduce X-Instruct" releases a new model)."""
    text = doc.text
    for _, end in doc.events.of("owned"):
        sentence = doc.sentence_at(end)
        if sentence.start < len(doc.title) or not doc.has("own_work", sentence):
            continue
        tail = _OWNED_TAIL.match(text, end)
        at = tail.end() if tail else end
        while text[at:at + 1] in _OPENING:
            at += 1
        token = _TOKEN.match(text, at)
        name = token.group(0) if token and token.end() <= sentence.end else ""
        if name and _new_name(name, doc) and not _known_variant(name) and not generic_term(doc, name):
            yield Candidate(name, sentence, 0.75)


_LISTED_NAMES = re.compile(rf":\s+(?P<names>{NAME_TOKEN}(?:(?:,\s*|,?\s+and\s+){NAME_TOKEN})+)\s*(?:[.;]|$)")
"""A sentence's last part: a colon, then nothing but two or more names ("...: SOBertBase and SOBertLarge.")."""


def _listed_names(doc: Document) -> Iterator[Candidate]:
    """"This paper presents novel agents ...: AlphaViT, AlphaViD, and AlphaVDA.", "we train two models:
    SOBertBase and SOBertLarge.": new names listed after a colon that ends a sentence announcing the
    paper's work (an announcing verb before the colon, or a model head noun right before it)."""
    for sentence in doc.sentences[1:]:
        listed = _LISTED_NAMES.search(sentence.text) if ":" in sentence.text else None
        if listed is None or not (doc.has("own_work", sentence) or doc.has("introduce_verbs", sentence)):
            continue
        colon = sentence.start + listed.start()
        announced = any(end <= colon for _, end in doc.cues_in("introduce_verbs", sentence))
        headed = any(colon - end <= 1 for _, end in doc.cues_in("type:Model", sentence))
        if not (announced or headed):
            continue
        for name in _TOKEN.findall(listed.group("names")):
            if _new_name(name, doc) and not generic_term(doc, name):
                yield Candidate(name, sentence, 0.75)


def _named_acronym(doc: Document, sentence: Sentence, naming_end: int) -> Iterator[Candidate]:
    """"called Sparse masKed modeling (SparK)", "dubbed as image LLaMA (iLLaMA)": a naming phrase
    followed by words and the acronym they define names the acronym."""
    span_end = naming_end + len(_after(sentence.text, naming_end - sentence.start))
    for start, end in doc.cues_in(ACRONYM, sentence):
        if naming_end < start and end <= span_end + 1:
            name = doc.text[start + 1:end - 1]
            words = doc.text[naming_end:start]
            if (is_candidate_name(name) and not doc.spells_acronym(name)
                    and (defines_acronym(words, name) or _capitals(words) == _capitals(name))):
                yield Candidate(name, sentence, 0.85)
            return


def _capitals(text: str) -> str:
    """The capital letters of `text`, in order."""
    return "".join(filter(str.isupper, text))


def _named_variants(doc: Document, names: list[str]) -> Iterator[Candidate]:
    """Variants written of an introduced name ("mmMamba-linear", "Polyhistor-Lite"): released with
    it. Words that modify the name ("X-based", "X-style") make no variant."""
    for start, token in doc.name_tokens:
        base = next((n for n in names if token.startswith(n + "-") and len(token) > len(n) + 1), None)
        if base is not None and not rules().modifier.match(token, len(base)):
            yield Candidate(token, doc.sentence_at(start), 0.75)


@lru_cache(maxsize=1)
def _described() -> re.Pattern[str]:
    """Right after a name, the head noun that says what it is: in apposition ("X, a cross-modal
    distillation method", "X (ACR), an open model") or in a compound ("the X benchmark"). The
    match's last group is named for the head's label."""
    heads: dict[str, str] = {}
    for label, words in rules().raw["types"].items():
        for word in words:
            heads.setdefault(word.lower(), f"{label}{len(heads)}")  # a word of two labels is the first label's
    return re.compile(rf"(?:\s*\([^()]{{1,30}}\))?(?:\s*,?\s+(?:is\s+|which\s+is\s+)?(?:a|an|the|our)\s+"
                      rf"(?:[\w-]+\s+){{0,5}}?|\s+){_trie(heads)}\b", re.I)


@dataclass
class _Node:
    """A point in a tree of words: the letters that may follow, and the name of the word that ends here."""

    next: dict[str, _Node] = field(default_factory=dict)
    name: str = ""


def _trie(words: dict[str, str]) -> str:
    """A pattern for any of `words`, written as a tree of their shared beginnings (the regex engine
    then tries a few letters where it would try every word); each word ends in an empty group of
    its name. Longer words are tried first."""
    root = _Node()
    for word, name in words.items():
        node = root
        for char in word:
            node = node.next.setdefault(char, _Node())
        node.name = name
    return _pattern(root)


def _pattern(node: _Node) -> str:
    branches = [re.escape(char) + _pattern(child) for char, child in node.next.items()]
    if node.name:
        branches.append(f"(?P<{node.name}>)")
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def _described_as(name: str, doc: Document) -> str | None:
    """The label of the first head noun that describes `name` where the text names it, if any."""
    lowered, pattern, at = name.lower(), _described(), doc.lowered.find(name.lower())
    while at >= 0:
        found = pattern.match(doc.text, at + len(name))
        if found and found.lastgroup:
            return found.lastgroup.rstrip("0123456789")
        at = doc.lowered.find(lowered, at + len(name))
    return None


def type_of(name: str, doc: Document) -> str:
    """Dataset, Model or Method: from the name itself, then the head noun describing it where it is
    named, then the nearest head noun beside it."""
    if _DATASET_NAME.search(name):
        return DATASET
    described = _described_as(name, doc)
    if described == METHOD and curated().spells_inside(name, MODEL):
        return MODEL  # "TinyCLIP, a distillation method": the models it releases derive from CLIP
    if described:
        return described
    best_label, best_distance = "", 10_000
    lowered_name = name.lower()
    for sentence in doc.sentences:
        at = doc.lowered.find(lowered_name, sentence.start, sentence.end)
        if at < 0:
            continue
        end = at + len(name)
        for label in rules().raw["types"]:
            for word_start, word_end in doc.cues_in(f"type:{label}", sentence):
                distance = word_start - end if word_start >= end else at - word_end
                if 0 <= distance < 60 and distance < best_distance:
                    best_label, best_distance = label, distance
    if best_label == DATASET or (best_label and not curated().spells_inside(name, MODEL)):
        return best_label
    return MODEL if _MODEL_NAME.search(name) or curated().spells_inside(name, MODEL) else METHOD


def extract(doc: Document) -> list[Mention]:
    """Each introduced name once, typed, with the sentence that introduces it."""
    titled = list(_title_names(doc))
    candidates = [Candidate(n, doc.sentences[0], 0.9) for n in titled]
    candidates += list(_abstract_candidates(doc, titled))
    candidates += list(_owned_names(doc))
    candidates += list(_listed_names(doc))
    candidates += list(_named_variants(doc, [c.name for c in candidates]))
    found: dict[str, Mention] = {}
    seen: set[str] = set()
    for candidate in candidates:
        if candidate.name in seen:  # typed and resolved alike the first time: it adds nothing
            continue
        seen.add(candidate.name)
        known = curated().lookup(candidate.name)
        label = known[0].label if len(known) == 1 else type_of(candidate.name, doc)
        m = mention(label, candidate.name, candidate.name, INTRODUCES, candidate.sentence.text,
                    candidate.confidence, EXTRACTOR)
        if m.id not in found and not any(other.name.lower() == m.name.lower() for other in found.values()):
            found[m.id] = m
    return list(found.values())
