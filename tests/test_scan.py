"""The one-pass cue scan (Hyperscan) against the meaning rules.toml gives its patterns: Python
regular expressions, case-insensitive, whole words, never right after a hyphen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.build import read_papers
from kg.extract import document_for
from kg.extract.document import Document
from kg.extract.names import NAME_LIKE
from kg.extract.rules import rules
from kg.extract.scan import rule_groups, scan
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
    for text in seed_texts:
        doc = Document("paper:x", text)
        assert doc.name_tokens == [(m.start(), m.group(0)) for m in NAME_LIKE.finditer(doc.text)]


def test_each_rule_pattern_starts_and_ends_with_a_word_character() -> None:
    """The scan reads whole words with word boundaries: a pattern that ends in punctuation would
    never match there (rules.toml says so at its top)."""
    raw = rules().raw
    patterns = [p for group in ("builds_on_before", "builds_on_after", "mentions_before", "mentions_after")
                for p in raw["models"][group]] + raw["datasets"]["train"] + raw["datasets"]["evaluate"]
    for pattern in patterns:
        assert re.match(r"[\w(\[]", pattern), pattern
        assert re.search(r"(?:[\w)\]]|\\w[*+?]|[\w)\]][*+?])$", pattern), pattern
