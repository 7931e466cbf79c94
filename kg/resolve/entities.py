"""Canonical nodes for what extractors found: curated entries keep their curated name and id;
names no list knows get an id from their normalised spelling."""

from __future__ import annotations

from typing import Any

from kg.extract.gazetteer import Entry, curated
from kg.model import Mention
from kg.schema import ID_PREFIX
from kg.text import slug


def entity_for(label: str, name: str) -> tuple[str, str, dict[str, Any]]:
    """(id, canonical name, node properties) of a name: the curated entry when one of that label
    knows the spelling unambiguously, else an id minted from the name."""
    known = [e for e in curated().lookup(name) if e.label == label]
    if len(known) == 1:
        return known[0].id, known[0].name, node_props(known[0])
    return ID_PREFIX[label] + slug(name), name, {}


def node_props(entry: Entry) -> dict[str, Any]:
    props: dict[str, Any] = {"aliases": list(entry.aliases)}
    if entry.family and entry.family != entry.name:
        props["family"] = entry.family
    if entry.kind:
        props["kind"] = entry.kind
    return props


def mention(label: str, name: str, text: str, relation: str, evidence: str, confidence: float,
            extractor: str, entry: Entry | None = None, **props: Any) -> Mention:
    """A resolved mention: canonical id and name from `entry` when given, else from `name`."""
    if entry is not None:
        node_id, canonical, node = entry.id, entry.name, node_props(entry)
    else:
        node_id, canonical, node = entity_for(label, name)
    return Mention(label=label, id=node_id, name=canonical, text=text, relation=relation, evidence=evidence,
                   confidence=confidence, extractor=extractor, props={k: v for k, v in props.items() if v}, node=node)
