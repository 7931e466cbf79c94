"""The fixed graph vocabulary (DESIGN.md): node labels, relationship types and their endpoints."""

from __future__ import annotations

PAPER, MODEL, METHOD, DATASET, REPOSITORY = "Paper", "Model", "Method", "Dataset", "Repository"
LABELS: tuple[str, ...] = (PAPER, MODEL, METHOD, DATASET, REPOSITORY)

INTRODUCES = "INTRODUCES"
BUILDS_ON = "BUILDS_ON"
MENTIONS = "MENTIONS"
USES_DATASET = "USES_DATASET"
USES_METHOD = "USES_METHOD"
HAS_CODE = "HAS_CODE"
DERIVED_FROM = "DERIVED_FROM"

# relationship type -> (allowed start labels, allowed end labels)
RELATIONSHIPS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    INTRODUCES: (frozenset({PAPER}), frozenset({MODEL, METHOD, DATASET})),
    BUILDS_ON: (frozenset({PAPER}), frozenset({MODEL})),
    MENTIONS: (frozenset({PAPER}), frozenset({MODEL})),
    USES_DATASET: (frozenset({PAPER}), frozenset({DATASET})),
    USES_METHOD: (frozenset({PAPER}), frozenset({METHOD})),
    HAS_CODE: (frozenset({PAPER}), frozenset({REPOSITORY})),
    DERIVED_FROM: (frozenset({MODEL}), frozenset({MODEL})),
}
REL_TYPES: tuple[str, ...] = tuple(RELATIONSHIPS)

# id prefix per label, used to mint and to check ids
ID_PREFIX: dict[str, str] = {
    PAPER: "paper:",
    MODEL: "model:",
    METHOD: "method:",
    DATASET: "dataset:",
    REPOSITORY: "repo:",
}

# provenance every relationship carries
PROVENANCE_KEYS: tuple[str, ...] = ("evidence", "confidence", "extractor", "source")

DATASET_ROLES: tuple[str, ...] = ("train", "evaluate", "unspecified")
