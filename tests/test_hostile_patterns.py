"""Worst-case inputs for the readers' and extractors' regular expressions and loops: long runs of
letters, hyphens and dots, and thousands of names or sentences in one text. Each took time
quadratic in its length (minutes to hours at these sizes) and now takes well under a second; the
wall-clock bound is a generous guard against that coming back, not a performance target."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from kg.extract import datasets, extract_document
from kg.extract.document import Document
from kg.extract.sentences import split
from kg.sources.arxiv_ids import normalise_arxiv_id

SECONDS = 15.0


def body(text: str) -> Document:
    return Document("A Title", text)


WORST_CASES: dict[str, Callable[[], object]] = {
    # an "id" field of letters: the archive name of an old-style id was tried from every letter
    "arxiv id of letters": lambda: normalise_arxiv_id("a" * 200_000),
    "arxiv id of hyphenated letters": lambda: normalise_arxiv_id("a-" * 100_000),
    # "NAME dataset": the name was tried from every character of a run that is no name
    "dataset name in a run of letters": lambda: datasets.extract(body("a" * 200_000), [], set()),
    "dataset name in a run of compounds": lambda: datasets.extract(body("a-b." * 50_000), [], set()),
    # a host name before ".com/" was tried from every label of a run of dots
    "URL in a run of dots": lambda: split("a." * 30_000),
    # each name looked up its sentence from the first one, and checked every longer name found
    "thousands of names and sentences": lambda: extract_document(body("CLIP. " * 20_000)),
    # each introduced name was typed against every sentence, once per time it was introduced
    "thousands of introductions": lambda: extract_document(body("We propose FooNet. " * 5_000)),
    # each derived model read every sentence naming its base again for the derivation's cue
    "thousands of models derived from one": lambda: extract_document(
        body("".join(f"We propose Tiny{i}CLIP built on CLIP. " for i in range(1_500)))),
}


@pytest.mark.parametrize("name", WORST_CASES)
def test_worst_case_input_takes_linear_time(name: str) -> None:
    extract_document(body("warm up the curated lists"))
    start = time.monotonic()
    WORST_CASES[name]()
    assert time.monotonic() - start < SECONDS


def test_run_on_sentences_are_cut_at_spaces() -> None:
    """A text with no sentence end (a table, a list) is evidence in pieces of at most MAX_SENTENCE
    characters, cut between words, so the cue search around each name stays short."""
    text = "token " * 1_000
    pieces = split(text)
    assert [len(p.text) for p in pieces] == [995] * 6 + [23]
    assert all(text[p.start:p.end] == p.text and not p.text.endswith(" ") for p in pieces)
