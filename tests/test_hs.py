"""kg.extract.hs: a Hyperscan database whose scan hands back all its matches at once, through the
`hyperscan` package here (the pure-Python install); tests/test_compiled.py holds the C scanner of
the compiled build to the same matches."""

from __future__ import annotations

import hyperscan
import pytest

from kg.extract.hs import NATIVE, Patterns


def triples(found: list[int]) -> list[tuple[int, int, int]]:
    return sorted(zip(found[::3], found[1::3], found[2::3], strict=True))


def test_the_source_tree_scans_through_the_hyperscan_package() -> None:
    assert not NATIVE


def test_a_scan_gives_the_id_start_and_end_of_every_match() -> None:
    patterns = Patterns([rb"\bbert\b", rb"(?:fine-)?tun\w+ on", rb"[A-Z]{2}"], [7, 8, 9],
                        [hyperscan.HS_FLAG_CASELESS, hyperscan.HS_FLAG_SOM_LEFTMOST, 0])
    found = patterns.scan(b"BERT, fine-tuned on GLUE; Bert")
    assert len(found) % 3 == 0
    # without start tracking Hyperscan reports start 0; "bert" is a word in any case here
    assert triples(found) == [(7, 0, 4), (7, 0, 30), (8, 6, 19), (9, 0, 2), (9, 0, 3), (9, 0, 4), (9, 0, 22),
                              (9, 0, 23), (9, 0, 24)]


def test_no_match_is_an_empty_list() -> None:
    assert Patterns([rb"xyz"], [0], [0]).scan(b"nothing to see") == []


def test_a_bad_expression_fails_when_compiled() -> None:
    with pytest.raises(hyperscan.error):
        Patterns([rb"(unclosed"], [0], [0])
