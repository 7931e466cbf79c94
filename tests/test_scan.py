"""The one-pass cue scan (Hyperscan) against the meaning rules.toml gives its patterns: Python
regular expressions, case-insensitive, whole words, never right after a hyphen."""

from __future__ import annotations

import functools
import itertools
import re
from pathlib import Path

import hyperscan
import pytest

from kg.build import read_papers
from kg.extract import document_for
from kg.extract.document import Document
from kg.extract.names import NAME_LIKE, NAME_TOKEN, _token_end
from kg.extract.rules import rules
from kg.extract.scan import (ACRONYM, ACRONYM_WORD, ALNUM_RUN, CASED, CASELESS, DATASET_HEAD, FEATURE, FIXED, ODD_WORD,
                             OPEN, TRACKED, _word_cues, rule_groups, scan)
from kg.report import Report

ROOT = Path(__file__).resolve().parent.parent


def python_rule(patterns: list[str]) -> re.Pattern[str]:
    """A rule group as rules.toml defines it, in Python's own regex engine."""
    return re.compile(r"(?<![\w-])(?:" + "|".join(f"(?:{p})" for p in patterns) + r")(?![\w])", re.I)


def python_rules() -> dict[str, re.Pattern[str]]:
    return {kind: python_rule(patterns) for kind, patterns in rule_groups().items()}


@pytest.fixture(scope="module")
def seed_texts() -> list[str]:
    papers, _ = read_papers([str(ROOT / "examples")], Report())
    return [document_for(paper).text for paper in papers]


def test_scan_finds_every_match_python_finds_on_the_seeds(seed_texts: list[str]) -> None:
    groups = python_rules()
    checked = 0
    for text in seed_texts:
        events = scan(text)
        for kind, pattern in groups.items():
            found = set(events.of(kind))
            for match in pattern.finditer(text):
                checked += 1
                assert match.span() in found, (kind, text[max(0, match.start() - 30):match.end() + 10])
    assert checked > 10_000


def test_every_cue_the_scan_reports_is_a_match_python_finds_there(seed_texts: list[str]) -> None:
    """The other direction: no span is made up, so cues scanned without start tracking (a literal's
    start from its length, `adapt\\w*` run to the word's end) get the spans Python gives."""
    groups = python_rules()
    checked = 0
    for text in seed_texts:
        events = scan(text)
        for kind, pattern in groups.items():
            for start, end in events.of(kind):
                checked += 1
                assert pattern.fullmatch(text, start, end) and not re.match(r"\w", text[end:end + 1]), (
                    kind, text[start:end + 10])
    assert checked > 10_000


def test_spans_keep_their_order_and_offsets_deep_in_a_long_text(seed_texts: list[str]) -> None:
    """Matches are sorted as integers packing start, end and cue: past 65,536 characters the fields
    must still hold them apart."""
    text = " ".join(seed_texts[:60])
    assert len(text) > 70_000
    events = scan(text)
    for kind, pattern in python_rules().items():
        spans = events.of(kind)
        assert spans == sorted(set(spans)), kind
        assert {m.span() for m in pattern.finditer(text)} <= set(spans), kind


def test_cues_are_whole_words_and_not_after_a_hyphen() -> None:
    text = "We build on pre-trained models, rebuild on them, and uses fine-tuning; Finetuned."
    events = scan(text)
    cues = [text[a:b] for a, b in events.of("builds_on_before")]
    assert {"build on", "uses", "fine-tuning", "Finetuned"} <= set(cues)
    assert "trained" not in cues and cues.count("build on") == 1
    assert not any(text[a - 1] == "-" or text[a - 1].isalnum() for a, _ in events.of("builds_on_before"))


def test_offsets_hold_past_characters_outside_ascii() -> None:
    text = "Tülu and DALL·E — naïve models, we fine-tune BERT on naïve data."
    events = scan(text)
    assert [text[a:b] for a, b in events.of("own_work")] == ["we"]
    assert "fine-tune" in {text[a:b] for a, b in events.of("builds_on_before")}


def test_name_like_tokens_equal_the_pattern_over_the_text(seed_texts: list[str]) -> None:
    for text in [EDGES, "x\u00e9BERT_a.B+ \u0663X2 \u00e9\u00e9-GPT-4", *seed_texts]:
        doc = Document(text)
        assert doc.name_tokens == [(m.start(), m.group(0)) for m in NAME_LIKE.finditer(doc.text)]


def test_cues_grouped_by_sentence_are_those_a_sentence_holds_whole(seed_texts: list[str]) -> None:
    """`Document.cues_in` walks cues and sentences together; it must equal looking up each cue's
    sentence, keeping the cues that lie inside one."""
    grouped = 0
    for text in [EDGES, *seed_texts]:
        title, _, body = text.partition("\n")
        doc = Document(title, body)
        for kind, spans in doc.events.spans.items():
            for sentence in doc.sentences:
                inside = [(a, b) for a, b in spans
                          if doc.sentence_at(a) is sentence and sentence.start <= a and b <= sentence.end]
                assert doc.cues_in(kind, sentence) == inside, (kind, sentence.text[:60])
                grouped += len(inside)
    assert grouped > 20_000


def test_a_name_token_walked_by_character_ends_where_the_pattern_does() -> None:
    """Every text of up to five characters from letters, digits, joiners, "+", a letter outside
    ASCII and a space, from every start."""
    token = re.compile(NAME_TOKEN)
    for size in range(1, 6):
        for chars in itertools.product("aB1-.+/\u00e9 ", repeat=size):
            text = "".join(chars)
            for start in range(size):
                match = token.match(text, start)
                assert _token_end(text, start) == (match.end() if match else start), (text, start)


def test_each_rule_pattern_starts_and_ends_with_a_word_character() -> None:
    """The scan reads whole words with word boundaries: a pattern that ends in punctuation would
    never match there (rules.toml says so at its top)."""
    raw = rules().raw
    patterns = [p for group in ("builds_on_before", "builds_on_after", "mentions_before", "mentions_after")
                for p in raw["models"][group]] + raw["datasets"]["train"] + raw["datasets"]["evaluate"]
    for pattern in patterns:
        assert re.match(r"[\w(\[]", pattern), pattern
        assert re.search(r"(?:[\w)\]]|\\w[*+?]|[\w)\]][*+?])$", pattern), pattern


TRACKED_SHAPES = {
    FEATURE: r"[a-z0-9][A-Z]|[A-Z]{2}|[0-9][A-Za-z]|[A-Za-z][0-9]|[A-Z][-.+/][A-Z0-9]|[0-9][-.+/]"
             r"|[A-Za-z][-.+/][0-9]|[-.+/][A-Z](?:[^a-z]|$)",
    ACRONYM: r"\([A-Za-z0-9][A-Za-z0-9+.\-]*[A-Za-z0-9+]\)",
    ODD_WORD: r"\b[A-Za-z]*[a-z][A-Z]|\b[A-Z]{2,}[a-z]",
    ACRONYM_WORD: r"\b[A-Z][A-Z0-9]{2,}\b",
}


@functools.lru_cache(maxsize=1)
def tracked() -> tuple[hyperscan.Database, list[tuple[str, str, int, bool]]]:
    """Every pattern as written, Hyperscan tracking each match's leftmost start."""
    heads = "|".join(re.escape(h) for h in rules().raw["datasets"]["unknown_heads"])
    patterns = [(kind, rf"\b(?:{p})\b", CASELESS, True) for kind, group in rule_groups().items() for p in group]
    patterns += [(kind, expression, CASED, False) for kind, expression in TRACKED_SHAPES.items()]
    patterns.append((DATASET_HEAD, rf"[A-Za-z0-9][A-Za-z0-9.+/\-]* (?:{heads})\b", CASED, False))
    database = hyperscan.Database()
    database.compile(expressions=[p[1].encode() for p in patterns], ids=list(range(len(patterns))),
                     elements=len(patterns), flags=[p[2] for p in patterns])
    return database, patterns


def tracked_scan(text: str) -> dict[str, list[tuple[int, int]]]:
    """The plain scan the fast one must equal."""
    database, patterns = tracked()
    found: list[tuple[int, int, int]] = []
    database.scan(text.encode("ascii", "replace"), match_event_handler=lambda i, a, b, *_: found.append((a, b, i)))
    spans: dict[str, list[tuple[int, int]]] = {}
    for start, end, i in sorted(found):
        kind, _, _, word = patterns[i]
        if word and start and (text[start - 1] in "-_" or text[start - 1].isalnum()):
            continue
        if (start, end) not in spans.setdefault(kind, []):
            spans[kind].append((start, end))
    return spans


EDGES = ("We build on the pre-image encoder and an image encoder, distilled, distilling, pre-trained, utilized "
         "and post-trained X-B, GPT-4o. SOTA-X dataset, the, dataset, -.x benchmark, a.b.c test set, é dataset. "
         "naïveBERT BAlaNced averaGing (BANG) fine-tuned and finetuned, Utilising A-B\nC-D. BERT-Tuned x_y-trained "
         "é-trained -tuned a-b-tuned GPT2-trained; it faces many challenges, fails to and FAILS TO, struggles")


def test_the_fast_scan_equals_tracking_every_start(seed_texts: list[str]) -> None:
    """Cues spelled as words, shapes and dataset heads scanned without start tracking give the spans
    of the plain scan; a name shape may add the start of its second character (its run is the
    same), a case turn is its last two letters."""
    for text in [EDGES, *seed_texts]:
        fast, plain = scan(text).spans, tracked_scan(text)
        for kind in set(fast) | set(plain):
            got, want = fast.get(kind, []), plain.get(kind, [])
            if kind == FEATURE:
                assert set(want) <= set(got) and all((s - 1, e) in want for s, e in set(got) - set(want)), text
            elif kind == ODD_WORD:
                assert [(e - 2, e) for _, e in want] == got, text
            else:
                assert got == want, (kind, text[:80])


def test_a_pattern_is_scanned_as_words_only_when_it_spells_a_few_fixed_ones() -> None:
    def words(pattern: str) -> list[str] | None:
        cues = _word_cues("kind", pattern)
        return None if cues[0].start == TRACKED else [c.expression for c in cues]

    assert words("uses?") == [r"\buse\b", r"\buses\b"]
    assert words(r"distill?\w*") == [r"\bdistil", r"\bdistill"]
    assert words("fine-?tun(?:e|ed)") == [r"\bfinetune\b", r"\bfinetuned\b", r"\bfine\-tune\b", r"\bfine\-tuned\b"]
    assert words(r"as (?:the |a )?(?:teacher|i\.e)") == [r"\bas teacher\b", r"\bas i\.e\b", r"\bas the teacher\b",
                                                        r"\bas the i\.e\b", r"\bas a teacher\b", r"\bas a i\.e\b"]
    for pattern in (r"train\w* on", "[a-z]+-tuned", "x{2}", "(?:e|ed) ?", ("(?:" + "|".join("abcdefghi") + ")") * 2):
        assert words(pattern) is None, pattern


def test_alternatives_are_scanned_one_by_one_as_one_pattern() -> None:
    r"""`a|b\w*` is a, or b with any ending (not (a|b) with any ending); each alternative is scanned
    the cheapest way it can be, all of them one group, so one start is kept where they end together."""
    def cues(pattern: str) -> list[tuple[str, int]]:
        found = _word_cues("kind", pattern)
        assert {c.spells for c in found} == {pattern}
        return [(c.expression, c.start) for c in found]

    assert cues(r"a|b\w*") == [(r"\ba\b", FIXED), (r"\bb", OPEN)]
    assert cues(r"(?:struggl\w*|fail(?:s|ed)? to|fac(?:e|es) (?:\w+ )?challenges)") == [
        (r"\bstruggl", OPEN), (r"\bfail to\b", FIXED), (r"\bfails to\b", FIXED), (r"\bfailed to\b", FIXED),
        (r"\b(?:fac(?:e|es) (?:\w+ )?challenges)\b", TRACKED)]
    assert cues("[a-z0-9]+-(?:trained|tuned)") == [(r"[a-z0-9]\-trained\b", ALNUM_RUN),
                                                     (r"[a-z0-9]\-tuned\b", ALNUM_RUN)]
    assert cues("(?:a|x)+b|c") == [(r"\b(?:(?:a|x)+b)\b", TRACKED), (r"\bc\b", FIXED)]
    assert cues(r"[|]x|\|y") == [(r"\b(?:[|]x)\b", TRACKED), (r"\b(?:\|y)\b", TRACKED)]
