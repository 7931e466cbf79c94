"""Progress reporting hook: the library calls it, the CLI decides how (or whether) to show it."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def phase(self, description: str, total: int | None = None) -> None:
        """Start a new phase of work, with its size when known."""

    def advance(self, steps: int = 1) -> None:
        """Record `steps` units of the current phase as done."""


class Silent:
    """The default: report nothing."""

    def phase(self, description: str, total: int | None = None) -> None:
        return None

    def advance(self, steps: int = 1) -> None:
        return None
