"""Extraction records: one de-duplicated paper and what was extracted from it, as JSON.

The record keeps the `kg extract` contract (`{"paper": {"id", "title", "arxiv_id", ...},
"mentions": [...]}`) and adds what assembling the graph needs without extracting again: every
field of the merged paper (abstract, authors, sources, where each text was read), `node` on a
mention (aliases, a repository's url/host/owner), and the links found in the text (`project_url`,
`links`). The Spark job writes it, `kg build --from-mentions` and the incremental build state read it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from kg.extract import Extraction
from kg.model import CodeLink, Location, Mention
from kg.resolve.papers import MergedPaper

PAPER_FIELDS = ("title", "abstract", "arxiv_id", "published", "authors", "url", "code_urls", "project_url",
                "texts", "sources")
MENTION_FIELDS = frozenset({"label", "id", "name", "text", "relation", "evidence", "confidence", "extractor",
                            "from", "node"})


class RecordError(ValueError):
    """A line that is not an extraction record."""


def to_record(paper: MergedPaper, extraction: Extraction) -> dict[str, Any]:
    """The JSON record of one paper and its extraction."""
    fields = {name: getattr(paper, name) for name in PAPER_FIELDS}
    # where each text was read; null stands for the abstract (the common case, stored once)
    origins = [[None if text == paper.abstract else text, where] for text, where in paper.origins.items()]
    return {
        "paper": {"id": paper.id, **fields, "origins": origins},
        "mentions": [mention_to_json(m) for m in extraction.mentions],
        "project_url": extraction.project_url,
        "links": extraction.links,
    }


def mention_to_json(mention: Mention) -> dict[str, Any]:
    out = mention.to_json()
    if mention.node:
        out["node"] = mention.node
    return out


def mention_from_json(item: dict[str, Any]) -> Mention:
    return Mention(
        label=item["label"], id=item["id"], name=item["name"], text=item["text"], relation=item["relation"],
        evidence=item["evidence"], confidence=item["confidence"], extractor=item["extractor"],
        start=item.get("from"), props={k: v for k, v in item.items() if k not in MENTION_FIELDS},
        node=item.get("node") or {},
    )


def from_record(record: dict[str, Any]) -> tuple[MergedPaper, Extraction]:
    """The merged paper and its extraction back from a record; RecordError when it is not one."""
    try:
        fields = record["paper"]
        paper = MergedPaper(**{name: fields[name] for name in PAPER_FIELDS})
        paper.origins = {paper.abstract if text is None else text: where for text, where in fields["origins"]}
        mentions = [mention_from_json(item) for item in record["mentions"]]
        return paper, Extraction(mentions, record["project_url"], record["links"])
    except (KeyError, TypeError, ValueError) as exc:
        raise RecordError(f"not a full extraction record (missing or wrong {exc})") from exc


def dumps_record(paper: MergedPaper, extraction: Extraction) -> str:
    """One JSON Lines line (no newline)."""
    return json.dumps(to_record(paper, extraction), ensure_ascii=False, separators=(",", ":"))


def part_files(folder: Path) -> list[Path]:
    """The part files of a folder Spark wrote, in name order (not its _SUCCESS or .crc files)."""
    return sorted(path for path in folder.iterdir() if path.name.startswith("part-") and path.is_file())


def read_records(path: Path) -> Iterator[tuple[MergedPaper, Extraction]]:
    """Every record of one file; RecordError names the file and line of a bad one."""
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield from_record(json.loads(line))
            except (json.JSONDecodeError, RecordError) as exc:
                raise RecordError(f"{path}:{number}: {exc}") from exc


def link_to_json(link: CodeLink) -> dict[str, Any]:
    return asdict(link)


def link_from_json(item: dict[str, Any]) -> CodeLink:
    return CodeLink(Location(**item["location"]), item["repo_url"], item.get("arxiv_id"), item.get("title"))
