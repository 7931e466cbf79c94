"""The rule data (kg/extract/data/rules.toml, not_names.txt) loaded and compiled once."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any



def _data(file: str) -> str:
    return (resources.files("kg.extract") / "data" / file).read_text(encoding="utf-8")


def any_of(patterns: list[str]) -> re.Pattern[str]:
    """One case-insensitive regex matching any of `patterns` as whole words."""
    return re.compile(r"(?<![\w-])(?:" + "|".join(f"(?:{p})" for p in patterns) + r")(?![\w])", re.I)


@dataclass(frozen=True)
class Rules:
    raw: dict[str, Any]
    own_work: re.Pattern[str]
    introduce_verbs: re.Pattern[str]
    naming: re.Pattern[str]
    builds_on_before: re.Pattern[str]
    builds_on_after: re.Pattern[str]
    mentions_before: re.Pattern[str]
    mentions_after: re.Pattern[str]
    train: re.Pattern[str]
    evaluate: re.Pattern[str]
    variant_suffix: dict[str, re.Pattern[str]]
    """Per label, the suffix that names a variant of a curated name ("-7B", "-church")."""
    type_words: dict[str, re.Pattern[str]]
    lineage: list[tuple[str, re.Pattern[str]]]
    negated_before: re.Pattern[str]
    negated_after: re.Pattern[str]
    not_names: frozenset[str]

    @property
    def window(self) -> int:
        return int(self.raw["introduce"]["window"])

    @property
    def default_how(self) -> str:
        return str(self.raw["lineage"]["default_how"])


@lru_cache(maxsize=1)
def rules() -> Rules:
    raw = tomllib.loads(_data("rules.toml"))
    not_names = frozenset(
        line.strip().lower() for line in _data("not_names.txt").splitlines() if line.strip() and not line.startswith("#")
    )
    return Rules(
        raw=raw,
        own_work=re.compile(raw["own_work"], re.I),
        introduce_verbs=any_of([re.escape(v) for v in raw["introduce"]["verbs"]]),
        naming=any_of([re.escape(v) for v in raw["introduce"]["naming"]]),
        builds_on_before=any_of(raw["models"]["builds_on_before"]),
        builds_on_after=any_of(raw["models"]["builds_on_after"]),
        mentions_before=any_of(raw["models"]["mentions_before"]),
        mentions_after=any_of(raw["models"]["mentions_after"]),
        train=any_of(raw["datasets"]["train"]),
        evaluate=any_of(raw["datasets"]["evaluate"]),
        variant_suffix={
            "Model": re.compile(raw["models"]["variant_suffix"], re.I),
            "Dataset": re.compile(raw["datasets"]["variant_suffix"], re.I),
        },
        type_words={label: any_of([re.escape(w) for w in words]) for label, words in raw["types"].items()},
        lineage=[(how, re.compile(pattern, re.I)) for how, pattern in raw["lineage"]["how"]],
        negated_before=re.compile(raw["methods"]["negated_before"], re.I),
        negated_after=re.compile(raw["methods"]["negated_after"], re.I),
        not_names=not_names,
    )
