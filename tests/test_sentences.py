"""Sentence splitting for evidence: abbreviations, numbers and URLs stay inside their sentence."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from kg.extract.document import Document
from kg.extract.sentences import ABBREVIATIONS, _is_abbreviation, split


def texts(text: str) -> list[str]:
    return [s.text for s in split(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We fine-tune large models, e.g. LLaMA and OPT, on code. Results improve.",
         ["We fine-tune large models, e.g. LLaMA and OPT, on code.", "Results improve."]),
        ("We add adapters, i.e. small modules, to every layer. They help.",
         ["We add adapters, i.e. small modules, to every layer.", "They help."]),
        ("As Brown et al. Showed, scale helps. We agree.", ["As Brown et al. Showed, scale helps.", "We agree."]),
        ("Following Smith et al. (2020), we train. Then we test.",
         ["Following Smith et al. (2020), we train.", "Then we test."]),
        ("We compare BERT vs. RoBERTa on GLUE. RoBERTa wins.",
         ["We compare BERT vs. RoBERTa on GLUE.", "RoBERTa wins."]),
        ("Accuracy rises from 81.2% to 85.5% on ImageNet. Cost drops 3.5 times.",
         ["Accuracy rises from 81.2% to 85.5% on ImageNet.", "Cost drops 3.5 times."]),
        ("We release version 2.1.3 of the toolkit and GPT-3.5 Turbo results. It is fast.",
         ["We release version 2.1.3 of the toolkit and GPT-3.5 Turbo results.", "It is fast."]),
        ("Code is at https://github.com/o/r. Data is at https://huggingface.co/datasets/a/b.",
         ["Code is at https://github.com/o/r.", "Data is at https://huggingface.co/datasets/a/b."]),
        ("See https://x.io/v1.2/A.B for details. Thanks.", ["See https://x.io/v1.2/A.B for details.", "Thanks."]),
        ("Visit www.example.com/Path.Html today. Thanks.", ["Visit www.example.com/Path.Html today.", "Thanks."]),
        ("See Fig. 3 and Eq. 2 for details. Next.", ["See Fig. 3 and Eq. 2 for details.", "Next."]),
        ("Is it good? Yes! It is.", ["Is it good?", "Yes!", "It is."]),
        ("We build a helpful assistant.Based on this, we evaluate.",
         ["We build a helpful assistant.", "Based on this, we evaluate."]),
        ('He said "it works." Then he left.', ['He said "it works."', "Then he left."]),
        ("It scales (see Table 2.) Then it stops.", ["It scales (see Table 2.)", "Then it stops."]),
        ("Code: https://github.com/o/r.", ["Code: https://github.com/o/r."]),
        ("", []),
    ],
)
def test_split(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


@given(st.lists(st.sampled_from(["We train", "e.g.", "BERT", "3.5", "et al.", "vs.", "https://a.io/b.c", "It works.",
                                 "Done!", "Why?", "v1.2", "i.e.", "(Fig. 2)", '"It works."', "(as shown.)", "\n"]),
                max_size=30))
def test_offsets_point_at_the_sentence_text(words: list[str]) -> None:
    text = " ".join(words)
    sentences = split(text)
    for sentence in sentences:
        assert text[sentence.start:sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip() and sentence.text
    assert [s.start for s in sentences] == sorted(s.start for s in sentences)
    assert "".join(text.split()) == "".join("".join(s.text for s in sentences).split())


def test_document_sentences_share_offsets_with_its_text() -> None:
    doc = Document("A Title", "First sentence, e.g. this one. Second one at https://github.com/o/r.")
    assert [s.text for s in doc.sentences] == ["A Title", "First sentence, e.g. this one.", "Second one at https://github.com/o/r."]
    for sentence in doc.sentences:
        assert doc.text[sentence.start:sentence.end] == sentence.text
    position = doc.text.index("github")
    assert doc.sentence_at(position).text.startswith("Second one")


@given(st.lists(st.sampled_from(["e.g", "al", "Fig", "U.S", "models", "x", ".", "..", " ", "approx", "naïve", "É", "7",
                                 "Inc", "ab" * 25, "ETC", "." * 30]), max_size=8))
@example(["ab" * 5, "." * 30, "..", "..", "..", "..", "e.g"])
def test_the_word_before_a_dot_is_read_as_the_rule_reads_it(pieces: list[str]) -> None:
    """The word before a dot: from its first letter, over letters and dots, within the 40
    characters after the last space; an abbreviation or a single letter."""
    text = "".join(pieces) + "."
    dot = len(text) - 1
    piece = text[max(0, dot - 40, text.rfind(" ", max(0, dot - 40), dot) + 1):dot]
    word = re.search(r"[A-Za-z][A-Za-z.]*\Z", piece)
    token = word.group(0).lower().rstrip(".") if word else ""
    assert _is_abbreviation(text, dot) == bool(word and (token in ABBREVIATIONS or len(token) == 1))
