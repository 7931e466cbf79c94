"""Assertions shared by the build tests: the run report's accounting and a sound graph."""

from __future__ import annotations

from typing import Any

from kg.build import BuildResult
from kg.report import Report

COUNTS = ("records_read", "papers_kept", "duplicates_merged", "records_rejected")


def assert_balanced(report: Report | dict[str, Any]) -> None:
    """Nothing is lost: per file `records_read = papers_kept + duplicates_merged + records_rejected`,
    every rejected record has its reject entry, and the totals are the sums over the files.
    Takes the Report of a build or the parsed report.json."""
    document = report.to_json() if isinstance(report, Report) else report
    files = document["files"]
    for entry in files:
        kept, merged, rejected = entry["papers_kept"], entry["duplicates_merged"], entry["records_rejected"]
        assert entry["records_read"] == kept + merged + rejected, f"unbalanced accounting: {entry}"
        assert len(entry["rejects"]) == rejected, f"rejects listed do not match the count: {entry}"
        assert all(entry[key] >= 0 for key in COUNTS), entry
    assert document["totals"] == {key: sum(entry[key] for entry in files) for key in COUNTS}
    if document["counts"]:
        assert document["counts"]["nodes"]["Paper"] == document["totals"]["papers_kept"], (
            "papers kept in the report differ from the Paper nodes in the graph"
        )


def assert_sound(result: BuildResult) -> None:
    """A build whose report balances and whose graph breaks no invariant."""
    assert_balanced(result.report)
    assert result.graph.problems() == []
    assert result.report.counts == result.graph.counts()


def rejects(report: Report | dict[str, Any]) -> list[str]:
    """Every reject as the `FILE[:LINE]: reason` line the CLI prints."""
    document = report.to_json() if isinstance(report, Report) else report
    return [f"{r['where']}: {r['reason']}" for entry in document["files"] for r in entry["rejects"]]
