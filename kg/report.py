"""The run report: per input file what was read, kept, merged and rejected, and why."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class FileReport:
    """Accounting for one input file; `records_read == papers_kept + duplicates_merged + records_rejected`."""

    file: str
    format: str | None = None
    records_read: int = 0
    papers_kept: int = 0
    duplicates_merged: int = 0
    records_rejected: int = 0
    rejects: list[dict[str, str]] = field(default_factory=list)
    notices: list[dict[str, str]] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        return self.records_read == self.papers_kept + self.duplicates_merged + self.records_rejected


@dataclass
class Report:
    files: dict[str, FileReport] = field(default_factory=dict)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def file(self, name: str) -> FileReport:
        if name not in self.files:
            self.files[name] = FileReport(name)
        return self.files[name]

    @property
    def totals(self) -> dict[str, int]:
        keys = ("records_read", "papers_kept", "duplicates_merged", "records_rejected")
        return {key: sum(getattr(f, key) for f in self.files.values()) for key in keys}

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> Report:
        """A report back from its JSON (report.json)."""
        files = {entry["file"]: FileReport(**entry) for entry in document["files"]}
        return cls(files, document.get("counts") or {}, document.get("problems") or [])

    def to_json(self) -> dict[str, Any]:
        return {
            "files": [asdict(self.files[name]) for name in sorted(self.files)],
            "totals": self.totals,
            "counts": self.counts,
            "problems": self.problems,
        }
