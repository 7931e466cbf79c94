"""Named techniques a paper uses (USES_METHOD), from the curated methods taxonomy."""

from __future__ import annotations

from collections.abc import Iterable

from kg.extract.document import Document
from kg.extract.matcher import Match
from kg.model import Mention
from kg.resolve.entities import mention
from kg.schema import METHOD, USES_METHOD

EXTRACTOR = "methods/1"


def extract(doc: Document, matches: Iterable[Match], introduced: set[str]) -> list[Mention]:
    found: dict[str, Mention] = {}
    for match in matches:
        if match.entry.label != METHOD or match.entry.id in introduced or match.entry.id in found:
            continue
        in_title = match.start < len(doc.title)
        found[match.entry.id] = mention(METHOD, match.entry.name, match.text, USES_METHOD,
                                        doc.sentence_at(match.start).text, 0.85 if in_title else 0.75,
                                        EXTRACTOR, match.entry)
    return list(found.values())
