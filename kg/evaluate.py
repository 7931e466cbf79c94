"""Score extraction against a gold set (tests/gold, ANNOTATION.md) per field, as DESIGN.md defines:
per paper, sets of normalised names; a prediction matches a gold name when they are equal after
normalisation or one equals an alias of the other; micro-averaged precision, recall and F1.
Lineage is scored as pairs "derived model → base", each side matched like a name, over the gold
records that annotate it (`derived_from`)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.extract import extract_document
from kg.extract.document import Document
from kg.extract.gazetteer import curated
from kg.extract.links import parse_repo
from kg.schema import (BUILDS_ON, DATASET, DERIVED_FROM, HAS_CODE, INTRODUCES, MENTIONS, METHOD, USES_DATASET,
                       USES_METHOD)
from kg.text import match_key

FIELDS: tuple[str, ...] = ("introduces", "builds_on", "models", "datasets", "methods", "repos", "lineage")
ARROW = " → "
"""Between the derived model and its base in a lineage pair as scored and reported."""


class GoldError(ValueError):
    """A gold file that cannot be used; the message names the file and line."""


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class Evaluation:
    scores: dict[str, Score] = field(default_factory=lambda: {f: Score() for f in FIELDS})
    errors: list[dict[str, Any]] = field(default_factory=list)
    papers: int = 0
    scored: dict[str, int] = field(default_factory=lambda: {f: 0 for f in FIELDS})
    """Papers scored per field (lineage only where the gold annotates it)."""

    @property
    def fields(self) -> list[str]:
        """The fields some paper was scored on."""
        return [f for f in FIELDS if self.scored[f]]


def _keys(name: str, field_name: str) -> frozenset[str]:
    """Every normalised form a name is known by: itself and, for curated names, all aliases."""
    if field_name == "repos":
        repo = parse_repo(name)
        return frozenset({repo.id.removeprefix("repo:")} if repo else {match_key(name)})
    if field_name == "lineage":
        derived, _, base = name.partition(ARROW)
        return frozenset(f"{d}>{b}" for d in _keys(derived, "models") for b in _keys(base, "models"))
    keys = {match_key(name)}
    for entry in curated().lookup(name):
        keys.update(match_key(s) for s in entry.spellings)
    return frozenset(k for k in keys if k)


def gold_fields(row: dict[str, Any]) -> dict[str, list[str]]:
    return {
        "introduces": [i["name"] for i in row.get("introduces", [])],
        "builds_on": list(row.get("builds_on", [])),
        "models": list(row.get("builds_on", [])) + list(row.get("models_mentioned", [])),
        "datasets": list(row.get("datasets", [])),
        "methods": list(row.get("methods", [])),
        "repos": list(row.get("repos", [])),
        "lineage": [pair["model"] + ARROW + pair["base"] for pair in row.get("derived_from", [])],
    }


def predicted_fields(mentions: Iterable[dict[str, Any]]) -> dict[str, list[list[str]]]:
    """Per field, each predicted item as the list of names it may be matched by."""
    out: dict[str, list[list[str]]] = {f: [] for f in FIELDS}
    introduced = {m["id"]: m["name"] for m in mentions if m["relation"] == INTRODUCES}
    for m in mentions:
        names = [m["name"], m.get("text", m["name"])]
        rel, label = m["relation"], m["label"]
        if rel == INTRODUCES:
            out["introduces"].append(names)
        if rel == BUILDS_ON:
            out["builds_on"].append(names)
        if rel in (BUILDS_ON, MENTIONS):
            out["models"].append(names)
        if rel == USES_DATASET or (rel == INTRODUCES and label == DATASET):
            out["datasets"].append(names)
        if rel == USES_METHOD or (rel == INTRODUCES and label == METHOD):
            out["methods"].append(names)
        if rel == HAS_CODE:
            out["repos"].append([m["id"].removeprefix("repo:")])
        if rel == DERIVED_FROM and m.get("from") in introduced:
            out["lineage"].append([introduced[m["from"]] + ARROW + name for name in names])
    return out


def _score(gold: list[str], predicted: list[list[str]], field_name: str) -> tuple[Score, list[str], list[str]]:
    gold_keys = [(_keys(g, field_name), g) for g in dict.fromkeys(gold)]
    pred_keys: list[tuple[frozenset[str], str]] = []
    for names in predicted:
        keys = frozenset().union(*(_keys(n, field_name) for n in names))
        if keys and all(keys != k for k, _ in pred_keys):
            pred_keys.append((keys, names[0]))
    matched_gold: set[int] = set()
    matched_names: set[str] = set()
    unmatched: dict[str, str] = {}
    for keys, name in pred_keys:
        hit = next((i for i, (g, _) in enumerate(gold_keys) if i not in matched_gold and g & keys), None)
        if hit is None:
            unmatched.setdefault(match_key(name), name)
        else:
            matched_gold.add(hit)
            matched_names.add(match_key(name))
    # names are compared as sets: variants written of one canonical name ("BERT", "BERT base") can
    # each match a gold variant, and the ones left over are no second claim
    false_pos = [name for key, name in unmatched.items() if key not in matched_names]
    missed = [name for i, (_, name) in enumerate(gold_keys) if i not in matched_gold]
    return Score(len(matched_gold), len(false_pos), len(missed)), false_pos, missed


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldError(f"{path}:{number}: invalid JSON ({exc.msg})") from exc
        if not isinstance(row, dict) or "doc_id" not in row:
            raise GoldError(f"{path}:{number}: not a gold record (no doc_id)")
        rows.append(row)
    return rows


def predict(row: dict[str, Any]) -> list[dict[str, Any]]:
    """Run the extractors on a gold record's title and abstract."""
    doc = Document(title=row.get("title", ""), body=row.get("abstract", ""))
    return [m.to_json() for m in extract_document(doc)]


def evaluate(gold: list[dict[str, Any]], predictions: dict[str, list[dict[str, Any]]] | None = None) -> Evaluation:
    """Score predictions (paper id -> mentions; extracted from the gold text when not given)."""
    result = Evaluation(papers=len(gold))
    for row in gold:
        mentions = predictions.get(row["doc_id"], []) if predictions is not None else predict(row)
        wanted, got = gold_fields(row), predicted_fields(mentions)
        for name in FIELDS:
            if name == "lineage" and "derived_from" not in row:
                continue  # a gold set that does not annotate lineage
            result.scored[name] += 1
            score, false_pos, missed = _score(wanted[name], got[name], name)
            total = result.scores[name]
            total.tp, total.fp, total.fn = total.tp + score.tp, total.fp + score.fp, total.fn + score.fn
            if false_pos or missed:
                result.errors.append({"doc_id": row["doc_id"], "field": name, "false_positives": false_pos,
                                      "missed": missed})
    return result


def load_predictions(path: str | Path) -> dict[str, list[dict[str, Any]]]:
    """`kg extract` output: one {"paper": {...}, "mentions": [...]} per line, keyed by paper id."""
    out: dict[str, list[dict[str, Any]]] = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            out[record["paper"]["id"]] = record["mentions"]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise GoldError(f"{path}:{number}: not a `kg extract` record ({exc})") from exc
    return out
