"""Records that flow between stages: papers and code links from readers, rejects, mentions."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any

from kg.text import paper_id


@dataclass(frozen=True)
class Location:
    """Where a record was read: the input file and a line number or record index."""

    file: str
    line: int | None = None
    index: int | None = None

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.file}:{self.line}"
        if self.index is not None:
            return f"{self.file}#{self.index}"
        return self.file


@dataclass
class PaperFields:
    """What a paper record says about the paper; readers fill what their format has."""

    title: str
    abstract: str = ""
    arxiv_id: str | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    url: str | None = None
    code_urls: list[str] = field(default_factory=list)
    project_url: str | None = None
    texts: list[str] = field(default_factory=list)
    """Other free-text fields (arXiv comments) that extractors read besides title and abstract."""

    @property
    def id(self) -> str:
        return paper_id(self.title, self.arxiv_id)


@dataclass
class Paper(PaperFields):
    """One paper as one source record describes it."""

    location: Location = field(kw_only=True)


@dataclass
class CodeLink:
    """A paper-to-repository link from a links file; attached to a paper read elsewhere."""

    location: Location
    repo_url: str
    arxiv_id: str | None = None
    title: str | None = None


@dataclass
class Reject:
    """A record (or a whole file) that could not be used, with the reason."""

    location: Location
    reason: str
    whole_file: bool = False

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"


@dataclass
class Notice:
    """Something worth reporting about a record that was still kept (e.g. a title with no abstract)."""

    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


Record = Paper | CodeLink | Reject | Notice


@dataclass
class Mention:
    """One thing a paper's text names, resolved to a node (the `kg extract` contract, DESIGN.md)."""

    label: str
    id: str
    name: str
    text: str
    relation: str
    evidence: str
    confidence: float
    extractor: str
    start: str | None = None
    """For DERIVED_FROM: the id of the derived model (the edge's start); the paper otherwise."""
    props: dict[str, Any] = field(default_factory=dict)
    """Relationship properties beyond provenance: `role`, `how`, `variant`."""
    node: dict[str, Any] = field(default_factory=dict)
    """Node properties beyond id and name: `aliases`, and `url`/`host`/`owner` for repositories."""

    def __reduce__(self) -> tuple[type[Mention], tuple[Any, ...]]:
        """Pickled as its fields in order: workers send every mention to the build process, which
        re-makes one from a tuple in half the time it takes to restore an attribute dict."""
        return Mention, _mention_fields(self)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "label": self.label,
            "id": self.id,
            "name": self.name,
            "text": self.text,
            "relation": self.relation,
            "evidence": self.evidence,
            "confidence": round(self.confidence, 3),
            "extractor": self.extractor,
        }
        if self.start is not None:
            out["from"] = self.start
        out.update(self.props)
        return out


_mention_fields = attrgetter(*[f.name for f in fields(Mention)])
