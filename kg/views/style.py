"""How each node label and relationship type looks in the views: colour, shape, words."""

from __future__ import annotations

from dataclasses import dataclass

from kg.schema import (BUILDS_ON, DATASET, DERIVED_FROM, HAS_CODE, INTRODUCES, MENTIONS, METHOD, MODEL, PAPER,
                       REPOSITORY, USES_DATASET, USES_METHOD)


@dataclass(frozen=True)
class LabelStyle:
    """A node label's colour and vis-network shape (shapes that keep the caption below the node)."""

    color: str
    shape: str


@dataclass(frozen=True)
class RelStyle:
    """A relationship type's edge colour, the caption drawn on the edge, and the words read
    from the end node's side."""

    color: str
    caption: str
    inverse: str


LABEL_STYLES: dict[str, LabelStyle] = {
    PAPER: LabelStyle("#4e79a7", "dot"),
    MODEL: LabelStyle("#e15759", "diamond"),
    METHOD: LabelStyle("#59a14f", "triangle"),
    DATASET: LabelStyle("#f28e2b", "square"),
    REPOSITORY: LabelStyle("#8c6bb1", "hexagon"),
}

REL_STYLES: dict[str, RelStyle] = {
    INTRODUCES: RelStyle("#b0306a", "introduces", "introduced by"),
    BUILDS_ON: RelStyle("#d62728", "builds on", "built on by"),
    MENTIONS: RelStyle("#a0a0a0", "mentions", "mentioned by"),
    USES_DATASET: RelStyle("#e07b00", "uses dataset", "used by"),
    USES_METHOD: RelStyle("#2e8b57", "uses method", "used by"),
    HAS_CODE: RelStyle("#8c6bb1", "has code", "code of"),
    DERIVED_FROM: RelStyle("#7f5539", "derived from", "base of"),
}

FALLBACK_LABEL = LabelStyle("#7f7f7f", "dot")
FALLBACK_REL = RelStyle("#7f7f7f", "related to", "related to")


def label_style(label: str) -> LabelStyle:
    return LABEL_STYLES.get(label, FALLBACK_LABEL)


def rel_style(rel: str) -> RelStyle:
    return REL_STYLES.get(rel, FALLBACK_REL)

