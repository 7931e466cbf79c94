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


@dataclass(frozen=True)
class Rules:
    """rules.toml as read (`raw`; its cue words are compiled by kg.extract.scan) and the patterns
    components match one at a time."""

    raw: dict[str, Any]
    variant_suffix: dict[str, re.Pattern[str]]
    """Per label, the suffix that names a variant of a curated name ("-7B", "-church")."""
    lineage: list[tuple[str, re.Pattern[str]]]
    derive_before: re.Pattern[str]
    """Words deriving a model from a base named right after them ("based on", "inspired by")."""
    survey_title: re.Pattern[str]
    modifier: re.Pattern[str]
    """A hyphenated word that modifies the name before it ("-based", "-guided") or ends a phrase."""
    resembles: re.Pattern[str]
    """Right after a model's name: a likeness of the model ("BERT-style"), not the model."""
    dataset_head: re.Pattern[str]
    """Right after a name: a dataset head noun ("Video ChatGPT benchmark"), so the name is a dataset's."""
    negated_gap: re.Pattern[str]
    """Between a word that negates a method (rules.toml methods.negated_before, scanned) and its
    name: spaces and at most `negated_reach` words."""
    negated_after: re.Pattern[str]
    qualifier: re.Pattern[str]
    """The word before a generic training method that qualifies it ("self-supervised pretraining")."""
    qualified: frozenset[str]
    """Generic training methods (canonical names) that take a qualifier."""
    architectures: frozenset[str]
    """Lower-case spellings of an architecture family that name no model on their own ("vit")."""
    mention_adjectives: frozenset[str]
    """Mention cues that are adjectives of the name's phrase ("existing X"): a builds-on verb before
    them still reads the name as a base."""
    weak_builds_on: frozenset[str]
    """Builds-on cues read before a name that are bare prepositions ("of", "for")."""
    weak_overruled: re.Pattern[str]
    """After a name read by a bare preposition only: a possessive or a citation (then mentioned)."""
    model_skip_kinds: frozenset[str]
    """Kinds of curated model row never reported as a model (software)."""
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
        line.strip().lower() for line in _data("not_names.txt").splitlines()
        if line.strip() and not line.startswith("#")
    )
    return Rules(
        raw=raw,
        variant_suffix={
            "Model": re.compile(raw["models"]["variant_suffix"], re.I),
            "Dataset": re.compile(raw["datasets"]["variant_suffix"], re.I),
        },
        lineage=[(how, re.compile(pattern, re.I)) for how, pattern in raw["lineage"]["how"]],
        derive_before=re.compile(r"\b(?:" + "|".join(raw["lineage"]["derive_before"]) + r")\b", re.I),
        survey_title=re.compile(raw["models"]["survey_title"], re.I),
        modifier=re.compile(
            r"-(?:" + "|".join(map(re.escape, raw["models"]["modifiers"])) + r"|\w+(?:ed|ing))(?![\w-])", re.I),
        resembles=re.compile(raw["models"]["resembles"], re.I),
        dataset_head=re.compile(r" (?:" + "|".join(map(re.escape, raw["datasets"]["unknown_heads"])) + r")\b", re.I),
        negated_gap=re.compile(rf"\s+(?:\w+\s+){{0,{int(raw['methods']['negated_reach'])}}}"),
        negated_after=re.compile(raw["methods"]["negated_after"], re.I),
        qualifier=re.compile(raw["methods"]["qualifier"], re.I),
        qualified=frozenset(raw["methods"]["qualified"]),
        architectures=frozenset(s.lower() for s in raw["models"]["architecture_spellings"]),
        mention_adjectives=frozenset(raw["models"]["mention_adjectives"]),
        weak_builds_on=frozenset(raw["models"]["weak_builds_on"]),
        weak_overruled=re.compile(raw["models"]["weak_overruled"], re.I),
        model_skip_kinds=frozenset(raw["models"]["skip_kinds"]),
        not_names=not_names,
    )
