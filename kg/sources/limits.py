"""How large one record may be. A listing's title is a line and its abstract a paragraph; fields far
longer are broken input (an abstract or a whole file in the title field, a file that is one line)
and are rejected with the reason, before any work is spent on them."""

from __future__ import annotations

from kg.text import clean

MAX_TITLE = 1_000
"""Characters in a title at most: real titles stay under 300."""
MAX_TEXT = 20_000
"""Characters of abstract and other text fields together at most: arXiv caps abstracts at 1,920."""


def oversized(title: str, *texts: str | None) -> str | None:
    """Why a record with this title and text (as read, before cleaning) is too large, or None."""
    if len(title) > MAX_TITLE:
        return f"title of {len(title):,} characters is over the limit of {MAX_TITLE:,}"
    size = sum(len(text) for text in texts if text)
    if size > MAX_TEXT:
        return f"abstract and other text of {size:,} characters is over the limit of {MAX_TEXT:,}"
    return None


def usable_title(title: str, *texts: str | None) -> tuple[str, str | None]:
    """The cleaned title, and why the record cannot be used (too large, or no title) or None."""
    too_large = oversized(title, *texts)
    if too_large:
        return "", too_large
    cleaned = clean(title)
    return cleaned, None if cleaned else "no title"
